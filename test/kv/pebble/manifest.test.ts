import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LogdbError } from '../../../src/errors.js';
import { KVCorruptionError } from '../../../src/kv/kv.js';
import { decodeVersionEdit, loadManifest, readCurrent } from '../../../src/kv/pebble/manifest.js';
import { readLogRecords } from '../../../src/kv/pebble/record.js';
import { liveWalFiles } from '../../../src/kv/pebble/wal.js';
import { copyToTemp, fixtureDir, readJson } from '../../helpers/fixtures.js';
import { PEBBLE_DATASETS, uvarint, writeLog } from './helpers.js';
import { readdirSync, readFileSync } from 'node:fs';

const bound = (k: { userKey: Buffer; seqNum: bigint; kind: number }) => ({
  userKey: k.userKey.toString('hex'),
  seqNum: k.seqNum.toString(),
  kind: k.kind,
});

for (const { name, walDir } of PEBBLE_DATASETS) {
  const dataset = `pebble-v3.3.8/${name}`;
  test(`manifest of ${name} matches kvLayout`, () => {
    const root = fixtureDir(dataset)!;
    const layout = readJson(join(root, 'expected.json')).kvLayout as any[];
    assert.equal(layout.length, 16);
    for (const shard of layout) {
      const dir = join(root, shard.dir);
      const m = loadManifest(dir);
      const where = `${name} shard ${shard.shard}`;
      assert.equal(m.manifestName, shard.manifest, where);
      assert.equal(m.records, shard.manifestRecords, where);
      assert.equal(m.comparator, shard.comparer, where);
      assert.equal(m.logNumber, shard.logNumber, where);
      assert.equal(m.nextFileNumber, shard.nextFileNumber, where);
      assert.equal(m.lastSequence.toString(), shard.lastSequence, where);
      assert.deepEqual(
        m.levels.flatMap((files, level) => (files.length ? [level] : [])),
        shard.levelsWithFiles,
        where,
      );
      for (const level of shard.levels ?? []) {
        const files = m.levels[level.level]!;
        assert.equal(files.length, level.numFiles, where);
        assert.equal(
          files.reduce((sum, f) => sum + f.size, 0),
          level.bytes,
          where,
        );
        const byNum = new Map(files.map((f) => [f.fileNum, f]));
        for (const want of level.files) {
          const got = byNum.get(want.fileNum);
          assert.ok(got, `${where}: table ${want.fileNum} in L${level.level}`);
          assert.deepEqual(
            {
              size: got.size,
              smallest: bound(got.smallest),
              largest: bound(got.largest),
              smallestSeqNum: got.smallestSeqNum.toString(),
              largestSeqNum: got.largestSeqNum.toString(),
            },
            {
              size: want.size,
              smallest: want.smallest,
              largest: want.largest,
              smallestSeqNum: want.smallestSeqNum,
              largestSeqNum: want.largestSeqNum,
            },
            `${where}: table ${want.fileNum}`,
          );
        }
      }
      // which WALs are live follows from the log number
      const walRoot = walDir ? join(root, walDir(shard.shard)) : dir;
      const live = liveWalFiles(walRoot, readdirSync(walRoot), m.logNumber).map((w) => w.name);
      assert.deepEqual(
        live,
        shard.wals.filter((w: any) => w.live).map((w: any) => w.name),
        where,
      );
    }
  });
}

test('version edits: new-file tags 7, 100, 102 and 103 with custom fields', () => {
  const bytes = (b: Buffer) => Buffer.concat([uvarint(b.length), b]);
  const ikey = (user: string, seq: number, kind: number) => {
    const t = Buffer.alloc(8);
    t.writeBigUInt64LE((BigInt(seq) << 8n) | BigInt(kind));
    return bytes(Buffer.concat([Buffer.from(user), t]));
  };
  const edit = Buffer.concat([
    uvarint(1), bytes(Buffer.from('leveldb.BytewiseComparator')),
    uvarint(2), uvarint(7),
    uvarint(9), uvarint(6),
    uvarint(3), uvarint(300),
    uvarint(4), uvarint(2 ** 40),
    uvarint(5), uvarint(1), ikey('cp', 1, 1),
    uvarint(6), uvarint(3), uvarint(11),
    uvarint(7), uvarint(0), uvarint(20), uvarint(100), ikey('a', 5, 1), ikey('b', 6, 0),
    uvarint(100), uvarint(1), uvarint(21), uvarint(200), ikey('c', 7, 1), ikey('d', 8, 15), uvarint(7), uvarint(8),
    uvarint(102), uvarint(2), uvarint(22), uvarint(0), uvarint(300), ikey('e', 9, 1), ikey('f', 9, 1), uvarint(9), uvarint(9),
    uvarint(103), uvarint(6), uvarint(23), uvarint(400), ikey('g', 0, 1), ikey('h', 0, 1), uvarint(0), uvarint(0),
    uvarint(2), bytes(Buffer.from([1])), uvarint(6), bytes(uvarint(1700000000)), uvarint(5), bytes(Buffer.from('ignored')), uvarint(1),
  ]);
  const e = decodeVersionEdit(edit);
  assert.equal(e.comparator, 'leveldb.BytewiseComparator');
  assert.equal(e.logNumber, 7);
  assert.equal(e.prevLogNumber, 6);
  assert.equal(e.nextFileNumber, 300);
  assert.equal(e.lastSequence, 2n ** 40n);
  assert.deepEqual(e.deletedFiles, [{ level: 3, fileNum: 11 }]);
  assert.deepEqual(
    e.newFiles.map((f) => [f.tag, f.level, f.fileNum, f.size, f.smallest.userKey.toString(), f.largest.kind, f.smallestSeqNum, f.largestSeqNum, f.creationTime]),
    [
      [7, 0, 20, 100, 'a', 0, 0n, 0n, undefined],
      [100, 1, 21, 200, 'c', 15, 7n, 8n, undefined],
      [102, 2, 22, 300, 'e', 1, 9n, 9n, undefined],
      [103, 6, 23, 400, 'g', 1, 0n, 0n, 1700000000],
    ],
  );
  assert.throws(() => decodeVersionEdit(Buffer.concat([uvarint(103), uvarint(0), uvarint(1), uvarint(1), ikey('a', 1, 1), ikey('a', 1, 1), uvarint(1), uvarint(1), uvarint(65), bytes(Buffer.alloc(1))])), /path-id/);
  assert.throws(() => decodeVersionEdit(Buffer.concat([uvarint(103), uvarint(0), uvarint(1), uvarint(1), ikey('a', 1, 1), ikey('a', 1, 1), uvarint(1), uvarint(1), uvarint(70), bytes(Buffer.alloc(1))])), /custom field 70/);
  assert.throws(() => decodeVersionEdit(Buffer.concat([uvarint(200), uvarint(0)])), /column families/);
  assert.throws(() => decodeVersionEdit(Buffer.concat([uvarint(8), uvarint(0)])), /unsupported MANIFEST tag 8/);
  assert.throws(() => decodeVersionEdit(Buffer.concat([uvarint(6), uvarint(7), uvarint(1)])), /level 7 is out of range/);
  // RocksDB's extra tags only when the directory is RocksDB's
  const rocks = Buffer.concat([uvarint(203), uvarint(0), uvarint(10), uvarint(4), uvarint(200), uvarint(0), uvarint(8192 + 1), bytes(Buffer.from('x'))]);
  assert.throws(() => decodeVersionEdit(rocks), /column families|unknown/);
  assert.deepEqual(decodeVersionEdit(rocks, 'rocksdb').newFiles, []);
});

const lsmShard = 'pebble-v3.3.8/lsm/nodehost/fixturehost/00000000000000000001/logdb-1';

test('a garbage CURRENT or MANIFEST is a KVCorruptionError naming the file', () => {
  const { dir, cleanup } = copyToTemp(fixtureDir(lsmShard)!, 'pebble-manifest');
  try {
    const manifestName = readCurrent(dir);
    const manifestPath = join(dir, manifestName);
    const original = readFileSync(manifestPath);
    const expectCorruption = (file: string, pattern: RegExp, offset?: number) =>
      assert.throws(
        () => loadManifest(dir),
        (err: unknown) =>
          err instanceof KVCorruptionError && err.file === join(dir, file) && pattern.test(err.message) && (offset === undefined || err.offset === offset),
      );

    for (const garbage of ['', 'MANIFEST-000044', 'garbage\n', 'MANIFEST-\n', '\u0000\u0001\n']) {
      writeFileSync(join(dir, 'CURRENT'), garbage);
      expectCorruption('CURRENT', /^pebble\/manifest: CURRENT .* in CURRENT$/);
    }
    writeFileSync(join(dir, 'CURRENT'), 'MANIFEST-999999\n');
    expectCorruption('MANIFEST-999999', /cannot read the MANIFEST named by CURRENT \(ENOENT\)/);
    writeFileSync(join(dir, 'CURRENT'), `${manifestName}\n`);

    const second = readLogRecords(original, 0).offsets[1]!;
    const flipped = Buffer.from(original);
    flipped[second + 20] ^= 0xff;
    writeFileSync(manifestPath, flipped);
    expectCorruption(manifestName, new RegExp(`^pebble/record: bad chunk checksum in ${manifestName} at offset ${second}$`), second);

    writeFileSync(manifestPath, original.subarray(0, original.length - 10));
    expectCorruption(manifestName, /file ends inside a chunk/, second);

    writeFileSync(manifestPath, Buffer.from('this is not a manifest at all, not even close to one'));
    expectCorruption(manifestName, /^pebble\/record: /, 0);

    // a well-framed record holding a version edit that ends inside a field
    writeFileSync(manifestPath, writeLog([Buffer.from([2])], 0, { recyclable: false }));
    expectCorruption(manifestName, /^pebble\/manifest: bad version edit \(truncated varint at byte 1 of the record\)/, 0);
    // a well-framed record with a tag this reader does not know: a format it does not support, not corruption
    writeFileSync(manifestPath, writeLog([Buffer.from([8, 0])], 0, { recyclable: false }));
    assert.throws(
      () => loadManifest(dir),
      (err: unknown) => err instanceof LogdbError && err.kind === 'unsupported' && /^pebble\/manifest: unsupported MANIFEST tag 8 in MANIFEST-/.test(err.message),
    );

    writeFileSync(manifestPath, writeLog([Buffer.concat([uvarint(1), uvarint(5), Buffer.from('other')])], 0, { recyclable: false }));
    expectCorruption(manifestName, /comparator "other" is not leveldb.BytewiseComparator/);
  } finally {
    cleanup();
  }
});
