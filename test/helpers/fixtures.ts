/**
 * Where tests find Dragonboat's fixtures, and how they get a private, writable copy of one.
 *
 * Every dataset lives in test/fixtures/ (byte copies shipped with the repo, see its README), so the suite passes on a
 * clone with nothing beside it. A dataset that is not there fails the test that asks for it: tests never skip for
 * missing data. Fixtures are never opened in place: LevelDB writes on open.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, chmodSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is compiled to dist/test/helpers/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const shippedFixtures = join(repoRoot, 'test', 'fixtures');

/** The directory of a dataset such as 'leveldb-v3.2.8/basic' (or a path inside one); throws when it is not shipped. */
export function fixtureDir(name: string): string {
  const dir = join(shippedFixtures, name);
  if (!existsSync(dir)) throw new Error(`fixture ${name} is missing from test/fixtures (see test/fixtures/README.md)`);
  return dir;
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
  return copyToTemp(src, name);
}
