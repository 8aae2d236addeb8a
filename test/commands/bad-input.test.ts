/**
 * Bad input, tried as a new user would: every mistake gets one clear line on stderr and its documented exit
 * code — never a stack trace, never a hang.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { entryKey, stateKey } from '../../src/codec/keys.js';
import { openLevelDBStore } from '../../src/kv/leveldb/store.js';
import { runCli } from '../helpers/cli.js';
import { copyFixture, fixtureDir } from '../helpers/fixtures.js';

const SNAPSHOTS = 'leveldb-v3.2.8/snapshots';

function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`);
  assert.match(lines[0], /^logdb: error: /);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
}

const scratch = mkdtempSync(join(tmpdir(), 'logdb-bad-input-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));

const pathCases: [string, () => string, RegExp][] = [
  ['a missing path', () => join(scratch, 'nope'), /does not exist/],
  ['a file instead of a directory', () => { const f = join(scratch, 'file'); writeFileSync(f, 'x'); return f; }, /is a file, not a directory/],
  ['an empty directory', () => { const d = join(scratch, 'empty'); mkdirSync(d, { recursive: true }); return d; }, /not a Dragonboat LogDB directory/],
  ['a foreign directory', () => { const d = join(scratch, 'foreign'); mkdirSync(join(d, 'src'), { recursive: true }); writeFileSync(join(d, 'README'), 'hi'); return d; }, /not a Dragonboat LogDB directory/],
];
for (const [what, make, pattern] of pathCases) {
  test(`${what} is "not a LogDB" (exit 3)`, async () => {
    const r = await runCli(['ls-nodes', make()]);
    assert.equal(r.code, 3);
    assert.equal(r.stdout, '');
    assertOneLine(r.stderr, pattern);
  });
}

const usageCases: [string, (d: string) => string[], RegExp][] = [
  ['an unknown command', (d) => ['frobnicate', d], /unknown command 'frobnicate'/],
  ['an unknown option', (d) => ['ls-nodes', d, '--frob'], /unknown option '--frob'/],
  ['an unknown output format', (d) => ['ls-nodes', d, '--output', 'yaml'], /yaml.*Allowed choices are table, json, ndjson/],
  ['a non-numeric cluster ID', (d) => ['dump-state', d, '--cluster', 'five', '--node', '1'], /--cluster: cluster ID "five" is not an unsigned 64-bit integer/],
  ['a negative node ID', (d) => ['dump-state', d, '--cluster', '5', '--node=-1'], /--node: node ID "-1" is not an unsigned 64-bit integer/],
  ['an ID above 2^64-1', (d) => ['dump-state', d, '--cluster', '18446744073709551616', '--node', '1'], /--cluster: .*18446744073709551616/],
  ['a missing --node', (d) => ['dump-entries', d, '--cluster', '5'], /missing --node/],
  ['an inverted index range', (d) => ['dump-entries', d, '-c', '5', '-n', '1', '--from', '10', '--to', '5'], /--from 10 is after --to 5/],
  ['a negative limit', (d) => ['dump-entries', d, '-c', '5', '-n', '1', '--limit=-3'], /--limit: "-3" is not a count/],
  ['an unknown entry type', (d) => ['dump-entries', d, '-c', '5', '-n', '1', '--type', 'Bogus'], /unknown entry type "Bogus"/],
];
for (const [what, args, pattern] of usageCases) {
  test(`${what} is a usage error (exit 2)`, async () => {
    const r = await runCli(args(join(fixtureDir(SNAPSHOTS)!, 'nodehost')));
    assert.equal(r.code, 2, r.stderr);
    assertOneLine(r.stderr, pattern);
  });
}

test('a node that does not exist is "not found" (exit 4)', async () => {
  const { dir, cleanup } = copyFixture(SNAPSHOTS);
  try {
    const r = await runCli(['dump-entries', join(dir, 'nodehost'), '--cluster', '5', '--node', '99']);
    assert.equal(r.code, 4);
    assertOneLine(r.stderr, /no node with cluster 5 and node 99/);
  } finally {
    cleanup();
  }
});

test('a corrupted CURRENT is "corrupt data" (exit 5)', async () => {
  const { dir, cleanup } = copyFixture(SNAPSHOTS);
  try {
    writeFileSync(join(dir, 'nodehost/fixturehost/00000000000000000001/logdb-5/CURRENT'), 'MANIFEST-999999\n');
    const r = await runCli(['ls-nodes', join(dir, 'nodehost')]);
    assert.equal(r.code, 5, r.stderr);
    assertOneLine(r.stderr, /logdb-5/);
  } finally {
    cleanup();
  }
});

test('a corrupted MANIFEST is "corrupt data" (exit 5)', async () => {
  const { dir, cleanup } = copyFixture(SNAPSHOTS);
  try {
    const shard = join(dir, 'nodehost/fixturehost/00000000000000000001/logdb-5');
    const current = (await import('node:fs')).readFileSync(join(shard, 'CURRENT'), 'utf8').trim();
    writeFileSync(join(shard, current), Buffer.alloc(200, 0xab));
    const r = await runCli(['ls-nodes', join(dir, 'nodehost')]);
    assert.equal(r.code, 5, r.stderr);
    assertOneLine(r.stderr, /logdb-5/);
  } finally {
    cleanup();
  }
});

test('a truncated state value and a garbage entry are "corrupt data" (exit 5), naming the node', async () => {
  const { dir, cleanup } = copyFixture(SNAPSHOTS);
  try {
    const store = await openLevelDBStore(join(dir, 'nodehost/fixturehost/00000000000000000001/logdb-5'), { mode: 'write' });
    await store.write([
      { op: 'put', key: stateKey(5n, 1n), value: Buffer.from([0x08, 0x96]) },
      { op: 'put', key: entryKey(5n, 2n, 300n), value: Buffer.from([0x00, 0x05, 0x01]) },
    ]);
    await store.close();
    const state = await runCli(['dump-state', join(dir, 'nodehost'), '-c', '5', '-n', '1']);
    assert.equal(state.code, 5, state.stderr);
    assertOneLine(state.stderr, /cluster 5 node 1: the state record .* does not decode/);
    const entries = await runCli(['dump-entries', join(dir, 'nodehost'), '-c', '5', '-n', '2', '--from', '299', '--limit', '5']);
    assert.equal(entries.code, 5, entries.stderr);
    assertOneLine(entries.stderr, /cluster 5 node 2: the entry record at index 300 does not decode/);
  } finally {
    cleanup();
  }
});
