/**
 * Pebble directories through the CLI: reads change nothing, `info` names the backend, a separate WAL dir is
 * found with --wal-dir (and its absence is explained), and damage — a flipped byte in a table, a truncated or
 * missing table, a WAL cut mid-record — gives one line and the corrupt-data exit code, or, for a torn WAL tail,
 * what Pebble itself would read.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readLogRecords } from '../../src/kv/pebble/record.js';
import { cliJson, runCli } from '../helpers/cli.js';
import { copyFixture, fixtureDir } from '../helpers/fixtures.js';
import { treeFingerprint } from '../helpers/tree.js';

const SNAPSHOTS = 'pebble-v3.3.8/snapshots';
const WALDIR = 'pebble-v3.3.8/waldir';
const DEPLOYMENT = 'fixturehost/00000000000000000001';

function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`);
  assert.match(lines[0], pattern);
}

test('every read command leaves a Pebble NodeHost dir identical (names, sizes, bytes, mtimes)', async () => {
  const { dir, cleanup } = copyFixture(WALDIR);
  try {
    const before = treeFingerprint(dir);
    const wal = ['--wal-dir', join(dir, 'wal')];
    for (const args of [
      ['info', join(dir, 'nodehost'), ...wal],
      ['ls-nodes', join(dir, 'nodehost'), ...wal],
      ['dump-state', join(dir, 'nodehost'), '-c', '6', '-n', '1', ...wal],
      ['dump-entries', join(dir, 'nodehost'), '-c', '6', '-n', '1', '--all', ...wal],
      ['ls-snapshots', join(dir, 'nodehost'), '-c', '6', '-n', '1', ...wal],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 0, `${args[0]}: ${r.stderr}`);
    }
    assert.deepEqual(treeFingerprint(dir), before);
  } finally {
    cleanup();
  }
});

test('info shows the Pebble backend and the v3.3 writer', async () => {
  const info = await cliJson(['info', join(fixtureDir(SNAPSHOTS)!, 'nodehost')]);
  assert.equal(info.backend, 'pebble');
  assert.equal(info.writerVersion, 'v3.3');
  assert.equal(info.dragonboatDs.logdbType, 'sharded-pebble');
  assert.equal(info.nodeHostId, 'nhid-81985529216486895');
});

test('a NodeHost whose WAL files live elsewhere says to pass --wal-dir (exit 3)', async () => {
  const r = await runCli(['ls-nodes', join(fixtureDir(WALDIR)!, 'nodehost')]);
  assert.equal(r.code, 3, r.stderr);
  assertOneLine(r.stderr, /--wal-dir/);
});

/** The .sst of shard 5 in the snapshots dataset, copied; `damage` changes it; returns the CLI result. */
async function withDamagedTable(damage: (sst: string) => void) {
  const { dir, cleanup } = copyFixture(SNAPSHOTS);
  try {
    const shard = join(dir, 'nodehost', DEPLOYMENT, 'logdb-5');
    const sst = join(shard, readdirSync(shard).find((n) => n.endsWith('.sst'))!);
    damage(sst);
    return await runCli(['dump-entries', join(dir, 'nodehost'), '-c', '5', '-n', '1', '--all', '--output', 'ndjson']);
  } finally {
    cleanup();
  }
}

test('a flipped byte in a table data block is corrupt data (exit 5), naming the file and offset', async () => {
  const r = await withDamagedTable((sst) => {
    const bytes = readFileSync(sst);
    bytes[100] ^= 0xff; // inside the first data block
    writeFileSync(sst, bytes);
  });
  assert.equal(r.code, 5, r.stderr);
  assertOneLine(r.stderr, /checksum.*\d+\.sst.*offset \d+|\d+\.sst.*offset \d+.*checksum/i);
});

test('a truncated table is corrupt data (exit 5), naming the file', async () => {
  const r = await withDamagedTable((sst) => truncateSync(sst, Math.floor(statSync(sst).size / 2)));
  assert.equal(r.code, 5, r.stderr);
  assertOneLine(r.stderr, /\d+\.sst/);
});

test('a table the MANIFEST names but that is missing is corrupt data (exit 5), naming the file', async () => {
  const r = await withDamagedTable((sst) => rmSync(sst));
  assert.equal(r.code, 5, r.stderr);
  assertOneLine(r.stderr, /\d+\.sst/);
});

test('a WAL cut mid-record is read up to the tear, as Pebble reads it: like the same WAL cut before that record', async () => {
  const torn = copyFixture(WALDIR);
  const clean = copyFixture(WALDIR);
  try {
    const walShard = (root: string) => join(root, 'wal', DEPLOYMENT, 'logdb-6');
    const log = readdirSync(walShard(torn.dir)).filter((n) => n.endsWith('.log')).sort().pop()!;
    const data = readFileSync(join(walShard(torn.dir), log));
    const { offsets } = readLogRecords(data, Number.parseInt(log, 10));
    const last = offsets[offsets.length - 1];
    truncateSync(join(walShard(torn.dir), log), last + 20); // inside the last record
    truncateSync(join(walShard(clean.dir), log), last); // exactly before it
    const dump = async (root: string) => {
      const r = await runCli(['dump-entries', join(root, 'nodehost'), '-c', '6', '-n', '1', '--all', '--wal-dir', join(root, 'wal'), '--output', 'ndjson']);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    };
    assert.equal(await dump(torn.dir), await dump(clean.dir));
  } finally {
    torn.cleanup();
    clean.cleanup();
  }
});
