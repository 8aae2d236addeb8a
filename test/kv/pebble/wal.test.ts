/**
 * WAL replay and damaged shards, on private copies of the fixtures: torn WALs, a WAL added by another writer (as
 * docs' offline-write recipe does), a bad batch, missing and truncated tables.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { KVCorruptionError, type KVStore } from '../../../src/kv/kv.js';
import { crc32c, maskCrc } from '../../../src/util/crc32c.js';
import { readLogRecords } from '../../../src/kv/pebble/record.js';
import { openPebbleStore, openPebbleStoreSync } from '../../../src/kv/pebble/store.js';
import { copyToTemp, fixtureDir } from '../../helpers/fixtures.js';
import { encodeBatch, writeLog } from './helpers.js';

const lsm = (shard: number) => `pebble-v3.3.8/lsm/nodehost/fixturehost/00000000000000000001/logdb-${shard}`;

async function allPairs(store: KVStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const chunk of store.iterate({ gte: Buffer.alloc(0) })) {
    for (const { key, value } of chunk) out.set(key.toString('hex'), value.toString('hex'));
  }
  return out;
}

async function pairsOf(dir: string): Promise<Map<string, string>> {
  const store = await openPebbleStore(dir);
  try {
    return await allPairs(store);
  } finally {
    await store.close();
  }
}

function withCopy(shard: string, fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const { dir, cleanup } = copyToTemp(fixtureDir(shard)!, 'pebble-wal');
    try {
      await fn(dir);
    } finally {
      cleanup();
    }
  };
}

test(
  'a WAL truncated inside a record is read up to the tear, like a WAL cut at that record',
  withCopy(lsm(2), async (dir) => {
    const wal = join(dir, '000018.log');
    const original = readFileSync(wal);
    const { offsets } = readLogRecords(original, 18);
    const last = offsets.length - 2; // the range tombstone of RemoveEntriesTo(2, 1, 250)
    const full = await pairsOf(dir);

    writeFileSync(wal, original.subarray(0, offsets[last]!));
    const cleanCut = await pairsOf(dir);

    writeFileSync(wal, original.subarray(0, offsets[last]! + 25));
    const store = openPebbleStoreSync(dir);
    try {
      assert.deepEqual(
        store.walFiles.map((w) => [w.name, w.end, w.tornOffset, w.records, w.tornBeforeNewerLog]),
        [['000018.log', 'torn', offsets[last], last, false]],
      );
      assert.deepEqual(await allPairs(store), cleanCut);
    } finally {
      await store.close();
    }
    // losing the tombstone brings back the entries it deleted
    assert.ok(cleanCut.size > full.size);
    for (const key of full.keys()) assert.ok(cleanCut.has(key) || key.startsWith('0505'), key);
  }),
);

test(
  'a WAL added by another writer is replayed over the tables: tombstones, MERGE and SINGLEDEL',
  withCopy(lsm(1), async (dir) => {
    const before = await pairsOf(dir);
    const keys = [...before.keys()];
    const k = (i: number) => Buffer.from(keys[i]!, 'hex');
    const store0 = openPebbleStoreSync(dir);
    const seq = Math.max(store0.memtable.maxSeq, Number(store0.manifest.lastSequence)) + 1;
    const tablesMaxSeq = Math.max(...store0.openTables().map((t) => Number(t.meta.largestSeqNum)));
    await store0.close();
    assert.ok(seq > tablesMaxSeq);

    // keys 10..19 are deleted by a range tombstone, 30 by DEL, 31 by SINGLEDEL; 40 gets a MERGE operand; a new key
    const newKey = Buffer.from('ff01', 'hex');
    const batch = encodeBatch(seq, [
      { kind: 15, key: k(10), value: k(20) },
      { kind: 0, key: k(30) },
      { kind: 7, key: k(31) },
      { kind: 3, key: Buffer.from('log data, not applied') },
      { kind: 2, key: k(40), value: Buffer.from('+merged') },
      { kind: 1, key: newKey, value: Buffer.from('new') },
      { kind: 2, key: newKey, value: Buffer.from('+more') },
    ]);
    writeFileSync(join(dir, '000046.log'), writeLog([batch], 46));

    const store = openPebbleStoreSync(dir);
    try {
      const after = await allPairs(store);
      const expected = new Map(before);
      for (let i = 10; i < 20; i++) expected.delete(keys[i]!);
      expected.delete(keys[30]!);
      expected.delete(keys[31]!);
      expected.set(keys[40]!, before.get(keys[40]!)! + Buffer.from('+merged').toString('hex'));
      expected.set(newKey.toString('hex'), Buffer.from('new+more').toString('hex'));
      assert.deepEqual(after, expected);
      assert.equal(await store.get(k(15)), undefined);
      assert.equal(await store.get(k(30)), undefined);
      assert.equal((await store.get(newKey))?.toString(), 'new+more');
      assert.equal(store.memtable.maxSeq, seq + 5);
      assert.deepEqual(
        store.walFiles.map((w) => [w.name, w.end]),
        [
          ['000043.log', 'trailer'],
          ['000046.log', 'trailer'],
        ],
      );
    } finally {
      await store.close();
    }
  }),
);

test(
  'a torn WAL followed by a newer one is read up to the tear and reported',
  withCopy(lsm(2), async (dir) => {
    const wal = join(dir, '000018.log');
    const original = readFileSync(wal);
    const { offsets } = readLogRecords(original, 18);
    writeFileSync(wal, original.subarray(0, offsets[3]! + 7));
    writeFileSync(join(dir, '000019.log'), writeLog([encodeBatch(5000, [{ kind: 1, key: Buffer.from('ff', 'hex'), value: Buffer.from('x') }])], 19));
    const store = openPebbleStoreSync(dir);
    try {
      assert.deepEqual(
        store.walFiles.map((w) => [w.name, w.end, w.records, w.tornBeforeNewerLog]),
        [
          ['000018.log', 'torn', 3, true],
          ['000019.log', 'trailer', 1, false],
        ],
      );
      assert.equal((await store.get(Buffer.from('ff', 'hex')))?.toString(), 'x');
    } finally {
      await store.close();
    }
  }),
);

test(
  'a well-framed WAL record holding a batch with a wrong count is a KVCorruptionError',
  withCopy(lsm(2), async (dir) => {
    const wal = join(dir, '000018.log');
    const data = readFileSync(wal);
    const { offsets, records } = readLogRecords(data, 18);
    const at = offsets[7]!; // a one-chunk record (recyclable FULL)
    assert.equal(data[at + 6], 5);
    const payload = at + 11;
    data.writeUInt32LE(records[7]!.readUInt32LE(8) + 1, payload + 8);
    data.writeUInt32LE(maskCrc(crc32c(data, at + 6, payload + records[7]!.length)), at);
    writeFileSync(wal, data);
    await assert.rejects(
      openPebbleStore(dir),
      (err: unknown) =>
        err instanceof KVCorruptionError &&
        err.file === wal &&
        err.offset === at &&
        err.message === `pebble/wal: bad batch (inconsistent batch count: 1 operations, header says 2) in 000018.log at offset ${at}`,
    );
  }),
);

test(
  'a table the manifest names that is missing or truncated is a KVCorruptionError naming it',
  withCopy(lsm(1), async (dir) => {
    const table = join(dir, '000039.sst');
    const size = readFileSync(table).length;
    truncateSync(table, size - 1000);
    await assert.rejects(
      openPebbleStore(dir),
      (err: unknown) =>
        err instanceof KVCorruptionError &&
        err.file === table &&
        err.message === `pebble/sstable: table is ${size - 1000} bytes, MANIFEST-000044 says ${size} in 000039.sst`,
    );
    rmSync(table);
    await assert.rejects(
      openPebbleStore(dir),
      (err: unknown) =>
        err instanceof KVCorruptionError &&
        err.file === table &&
        err.message === 'pebble/sstable: table listed in MANIFEST-000044 cannot be read (ENOENT) in 000039.sst',
    );
  }),
);
