/**
 * Where tests find Dragonboat's fixtures, and how they get a private, writable copy of one.
 *
 * A dataset is looked up first in test/fixtures/ (copies shipped with the repo, so the core tests pass on any
 * clone), then in ../shared/fixtures/ (the full set, beside the checkout on developer machines and in CI).
 * Fixtures are never opened in place: LevelDB writes on open, and CI's copy has no write bits.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, chmodSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is compiled to dist/test/helpers/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const shippedFixtures = join(repoRoot, 'test', 'fixtures');
export const sharedFixtures = resolve(repoRoot, '..', 'shared', 'fixtures');

/** The directory of a dataset such as 'leveldb-v3.2.8/basic', or undefined when neither place has it. */
export function fixtureDir(name: string): string | undefined {
  for (const root of [shippedFixtures, sharedFixtures]) {
    const dir = join(root, name);
    if (existsSync(dir)) return dir;
  }
  return undefined;
}

/** A skip reason for node:test when the dataset is not available, else false. */
export function missingFixture(name: string): string | false {
  return fixtureDir(name) ? false : `fixture ${name} is not shipped and ../shared/fixtures is absent`;
}

export function readJson<T = any>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function makeWritable(path: string): void {
  const st = statSync(path);
  chmodSync(path, st.isDirectory() ? 0o755 : 0o644);
  if (st.isDirectory()) for (const name of readdirSync(path)) makeWritable(join(path, name));
}

/** A writable copy of `srcDir` in a fresh temporary directory; remove it with `cleanup`. */
export function copyToTemp(srcDir: string, label = 'fixture'): { dir: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), `logdb-test-${label.replace(/[^a-z0-9-]/gi, '_')}-`));
  const dir = join(root, 'copy');
  cpSync(srcDir, dir, { recursive: true, preserveTimestamps: true });
  makeWritable(dir);
  return { dir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A writable copy of a dataset (the whole dataset folder: nodehost/, expected.json, …). */
export function copyFixture(name: string): { dir: string; cleanup: () => void } {
  const src = fixtureDir(name);
  if (!src) throw new Error(`fixture ${name} not found`);
  return copyToTemp(src, name);
}
