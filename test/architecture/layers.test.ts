/**
 * The layers of the source tree and who may import whom: the codec knows Dragonboat's keys and values and nothing
 * of stores; commands and the CLI reach storage only through src/logdb/, which owns Dragonboat's semantics over
 * whichever store a shard is.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/fixtures.js';

const src = join(repoRoot, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** The src-relative paths a file imports (static and dynamic imports of relative specifiers). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.[^']+)'/g)].map((m) => m[1]!);
  return specs.map((s) => relative(src, resolve(dirname(file), s)));
}

function violations(layer: string, forbidden: string[]): string[] {
  return sourceFiles(join(src, layer)).flatMap((file) =>
    importsOf(file)
      .filter((target) => forbidden.some((f) => target === f || target.startsWith(`${f}/`)))
      .map((target) => `${relative(src, file)} imports ${target}`),
  );
}

test('src/codec imports nothing from the store or LogDB layers', () => {
  assert.deepEqual(violations('codec', ['kv', 'logdb', 'cli', 'commands']), []);
});

test('commands and the CLI reach storage only through src/logdb', () => {
  assert.deepEqual([...violations('commands', ['kv']), ...violations('cli', ['kv'])], []);
});

test('the check sees real imports (it would catch a violation)', () => {
  assert.ok(importsOf(join(src, 'logdb', 'shards.ts')).some((t) => t.startsWith('kv/')), 'src/logdb/shards.ts imports src/kv');
});
