/**
 * What the Pebble write path reads before writing, and what it refuses (pebble-offline-writes.md rules 2–7, 13), on
 * private copies of single shards: the true last sequence number (WALs beyond a MANIFEST that says 0), the file
 * number beyond a stale MANIFEST "next file number" and beyond every numbered file in both dirs, torn WALs, WALs
 * in the wrong dir, and Pebble formats that were not verified. Nothing here may write.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LogdbError } from '../../../src/errors.js';
import { readLogRecords } from '../../../src/kv/pebble/record.js';
import { inspectShardForWrite } from '../../../src/kv/pebble/writer-inspect.js';
import { copyToTemp, fixtureDir } from '../../helpers/fixtures.js';
import { treeFingerprint } from '../../helpers/tree.js';
import { encodeBatch, writeLog } from './helpers.js';

const SHARD = (dataset: string, n: number) => `pebble-v3.3.8/${dataset}/nodehost/fixturehost/00000000000000000001/logdb-${n}`;
const WAL = (n: number) => `pebble-v3.3.8/waldir/wal/fixturehost/00000000000000000001/logdb-${n}`;

/** Runs `fn` on a private copy of a shard (and its WAL dir), checking that inspecting changed nothing. */
function onCopy(shard: string, fn: (dir: string, walDir?: string) => void, walShard?: string): () => void {
  return () => {
    const copy = copyToTemp(fixtureDir(shard)!, 'inspect');
    const wal = walShard ? copyToTemp(fixtureDir(walShard)!, 'inspect-wal') : undefined;
    try {
      fn(copy.dir, wal?.dir);
    } finally {
      copy.cleanup();
      wal?.cleanup();
    }
  };
}

function assertRefused(fn: () => unknown, kind: string, message: RegExp, dirs: string[]): LogdbError {
  const before = dirs.map((d) => treeFingerprint(d));
  let caught: LogdbError | undefined;
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof LogdbError, `a LogdbError, got ${err}`);
    assert.equal(err.kind, kind, err.message);
    assert.match(err.message, message);
    caught = err;
    return true;
  });
  assert.deepEqual(dirs.map((d) => treeFingerprint(d)), before, 'nothing changed');
  return caught!;
}

// ops/before-batched logdb-6: two live WALs and no table. The last batch of 000004.log has sequence number 1040
// and 3 operations (read off the WAL's framing by an independent decoder when this test was written).
test('S is one above the last batch of the WALs when the MANIFEST says 0 (two WALs, no table)', onCopy(SHARD('ops/before-batched', 6), (dir) => {
  const t = inspectShardForWrite(dir);
  assert.equal(t.manifest.lastSequence, 0n, 'the MANIFEST alone says 0');
  assert.equal(t.lastSequence, 1042n);
  assert.equal(t.nextSequence, 1043n);
  assert.deepEqual(t.liveWals.map((w) => w.name), ['000002.log', '000004.log']);
  assert.equal(t.fileNumber, 5);
}));

test('S counts seq + count - 1 of every batch of every live WAL, not the first sequence number of the last one', onCopy(SHARD('removed', 8), (dir) => {
  const t = inspectShardForWrite(dir);
  const wal = t.liveWals.at(-1)!;
  const log = readLogRecords(readFileSync(join(dir, wal.name)), wal.num);
  let last = t.manifest.lastSequence;
  for (const r of log.records) {
    const end = r.readBigUInt64LE(0) + BigInt(r.readUInt32LE(8)) - 1n;
    if (end > last) last = end;
  }
  assert.equal(t.lastSequence, last);
  // another writer's WAL with a five-operation batch at 1000, and a later one holding an older batch
  const put = (k: string) => ({ kind: 1, key: Buffer.from(k), value: Buffer.from('v') });
  writeFileSync(join(dir, '000009.log'), writeLog([encodeBatch(1000, ['a', 'b', 'c', 'd', 'e'].map(put))], 9));
  writeFileSync(join(dir, '000010.log'), writeLog([encodeBatch(5, [put('f')])], 10));
  const grown = inspectShardForWrite(dir);
  assert.equal(grown.lastSequence, 1004n);
  assert.equal(grown.nextSequence, 1005n);
  assert.equal(grown.fileNumber, 11);
}));

test('N goes past a stale MANIFEST next file number (basic logdb-0: next 5, but OPTIONS-000006 exists)', onCopy(SHARD('basic', 0), (dir) => {
  const t = inspectShardForWrite(dir);
  assert.equal(t.manifest.nextFileNumber, 5);
  assert.ok(readdirSync(dir).includes('OPTIONS-000006'));
  assert.equal(t.fileNumber, 7);
}));

test('N goes past every Pebble-numbered file: tables, OPTIONS, CURRENT temp files, logdb temp WALs', onCopy(SHARD('removed', 3), (dir) => {
  const base = inspectShardForWrite(dir).fileNumber;
  const options = readdirSync(dir).find((n) => n.startsWith('OPTIONS-'))!;
  const steps: [string, number][] = [
    ['000020.sst', 21],
    [`OPTIONS-000031`, 32],
    ['CURRENT.000042.dbtmp', 43],
    ['temporary.000050.dbtmp', 51],
    ['000060.log.tmp', 61],
  ];
  assert.ok(base < 20);
  for (const [name, want] of steps) {
    writeFileSync(join(dir, name), name.startsWith('OPTIONS-') ? readFileSync(join(dir, options)) : '');
    const t = inspectShardForWrite(dir);
    assert.equal(t.fileNumber, want, `after adding ${name}`);
  }
  assert.deepEqual(inspectShardForWrite(dir).staleTempFiles, ['000060.log.tmp']);
}));

test('with a WAL dir: live WALs are read there, and N goes past the numbers of both dirs', onCopy(SHARD('waldir', 6), (dir, walDir) => {
  const t = inspectShardForWrite(dir, walDir);
  assert.deepEqual(t.liveWals.map((w) => w.name), ['000005.log']);
  assert.ok(t.nextSequence > t.manifest.lastSequence + 1n, 'the WAL holds batches beyond the MANIFEST');
  writeFileSync(join(walDir!, '000040.log'), ''); // an empty WAL is a clean one
  assert.equal(inspectShardForWrite(dir, walDir).fileNumber, 41);
  writeFileSync(join(dir, '000045.sst'), '');
  assert.equal(inspectShardForWrite(dir, walDir).fileNumber, 46);
}, WAL(6)));

test('a WAL-dir shard inspected without its WAL dir is refused: no live WAL where Pebble keeps one', onCopy(SHARD('waldir', 6), (dir) => {
  assertRefused(() => inspectShardForWrite(dir), 'notLogdb', /no WAL numbered 5 or above/, [dir]);
}));

test('live WALs in both the shard dir and the WAL dir are refused', onCopy(SHARD('waldir', 6), (dir, walDir) => {
  writeFileSync(join(dir, '000009.log'), '');
  assertRefused(() => inspectShardForWrite(dir, walDir), 'refused', /both the shard dir .* and the WAL dir .* hold live WAL files/, [dir, walDir!]);
}, WAL(6)));

test('a torn newest WAL is refused: one normal NodeHost start and stop repairs it', onCopy(SHARD('removed', 8), (dir) => {
  const t = inspectShardForWrite(dir);
  const wal = join(dir, t.liveWals.at(-1)!.name);
  const { offsets } = readLogRecords(readFileSync(wal), t.liveWals.at(-1)!.num);
  truncateSync(wal, offsets.at(-1)! + 20);
  const err = assertRefused(() => inspectShardForWrite(dir), 'refused', /newest WAL .* ends in a torn record/, [dir]);
  assert.match(err.hint ?? '', /start the NodeHost once and stop it normally/);
}));

test('a torn WAL followed by a newer one is corrupt: Pebble itself cannot open the shard', onCopy(SHARD('basic', 1), (dir) => {
  const t = inspectShardForWrite(dir);
  assert.equal(t.liveWals.length, 2);
  const older = join(dir, t.liveWals[0]!.name);
  const { offsets } = readLogRecords(readFileSync(older), t.liveWals[0]!.num);
  truncateSync(older, offsets.at(-1)! + 20);
  assertRefused(() => inspectShardForWrite(dir), 'corrupt', /torn at offset \d+ .* a newer WAL follows/, [dir]);
}));

const FORMAT_CASES: [string, (options: string) => string, RegExp][] = [
  ['a newer Pebble\'s format_major_version', (o) => o.replace('[Options]\n', '[Options]\n  format_major_version=2\n'), /format_major_version=2: a newer Pebble format/],
  ['an unknown option key', (o) => o.replace('[Options]\n', '[Options]\n  some_future_option=1\n'), /options a newer Pebble writes \(some_future_option\)/],
  ['another pebble_version', (o) => o.replace('pebble_version=0.1', 'pebble_version=0.2'), /pebble_version=0\.2/],
  ['RocksDB\'s OPTIONS', (o) => o.replace('pebble_version=0.1', 'rocksdb_version=6.2.1'), /not Pebble's \(RocksDB wrote it\)/],
  ['a disabled WAL', (o) => o.replace('disable_wal=false', 'disable_wal=true'), /disable_wal=true, not false/],
  ['strict_wal_tail=false', (o) => o.replace('strict_wal_tail=true', 'strict_wal_tail=false'), /strict_wal_tail=false, not true/],
];

for (const [what, edit, message] of FORMAT_CASES) {
  test(`an unverified Pebble format is unsupported: ${what}`, onCopy(SHARD('removed', 3), (dir) => {
    const name = readdirSync(dir).find((n) => n.startsWith('OPTIONS-'))!;
    const text = readFileSync(join(dir, name), 'utf8');
    const edited = edit(text);
    assert.notEqual(edited, text, 'the edit applies');
    writeFileSync(join(dir, name), edited);
    assertRefused(() => inspectShardForWrite(dir), 'unsupported', message, [dir]);
  }));
}

test('no OPTIONS file, or a newer Pebble\'s format marker, is unsupported', onCopy(SHARD('removed', 3), (dir) => {
  writeFileSync(join(dir, 'marker.format-version.000001.002'), '');
  assertRefused(() => inspectShardForWrite(dir), 'unsupported', /marker\.format-version\.000001\.002 is a format marker of a newer Pebble/, [dir]);
  rmSync(join(dir, 'marker.format-version.000001.002'));
  for (const name of readdirSync(dir).filter((n) => n.startsWith('OPTIONS-'))) rmSync(join(dir, name));
  assertRefused(() => inspectShardForWrite(dir), 'unsupported', /no OPTIONS file/, [dir]);
}));
