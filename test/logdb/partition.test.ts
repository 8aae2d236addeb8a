/**
 * Which shard holds a cluster (spec §3): v3.2 computes (cid % stepWorkers) % shards, v3.3 (cid % shards) %
 * stepWorkers. They agree when the counts are equal; where they differ, dragonboat.ds tells the version
 * (v3.3 writes field 11), and without it logdb refuses rather than guess.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RaftDataStatus } from '../../src/codec/messages.js';
import { LogdbError } from '../../src/errors.js';
import { makePartitioner, writerVersion } from '../../src/logdb/partition.js';

function status(shards: bigint, workers: bigint, v33: boolean): RaftDataStatus {
  return {
    address: 'a:1', binVer: 100, hardHash: 0n, logdbType: v33 ? 'sharded-pebble' : 'sharded-rocksdb', hostname: 'h', deploymentId: 1n,
    stepWorkerCount: workers, logdbShardCount: shards, maxSessionCount: 4096n, entryBatchSize: 48n, addressByNodeHostId: v33 ? false : null,
  };
}

test('the default 16/16 puts cluster C in shard C % 16, for both versions and uint64 IDs', () => {
  for (const v33 of [false, true]) {
    const p = makePartitioner(status(16n, 16n, v33), 16);
    assert.equal(p.shardOf(100n), 4);
    assert.equal(p.shardOf(2n ** 64n - 1n), 15);
  }
});

test('with 16 shards and 10 step workers the versions differ, and dragonboat.ds decides', () => {
  const v32 = makePartitioner({ ...status(16n, 10n, false), logdbType: 'sharded-leveldb' }, 16);
  const v33 = makePartitioner(status(16n, 10n, true), 16);
  assert.equal(writerVersion(status(16n, 10n, false)), 'v3.2');
  assert.equal(writerVersion(status(16n, 10n, true)), 'v3.3');
  // cluster 25: v3.2 → (25 % 10) % 16 = 5; v3.3 → (25 % 16) % 10 = 9
  assert.equal(v32.shardOf(25n), 5);
  assert.equal(v33.shardOf(25n), 9);
});

test('without dragonboat.ds the shard count is what is on disk; no disagreement is possible then', () => {
  const p = makePartitioner(undefined, 8);
  assert.equal(p.version, 'unknown');
  assert.equal(p.shardOf(13n), 5);
});

test('a dragonboat.ds without the v3.3 field pins v3.2 only for LevelDB: elsewhere the NodeHost may have been upgraded', () => {
  const leveldb = makePartitioner({ ...status(16n, 10n, false), logdbType: 'sharded-leveldb' }, 16);
  assert.equal(leveldb.shardOf(25n), 5);
  const rocksdb = makePartitioner(status(16n, 10n, false), 16);
  assert.equal(rocksdb.shardOf(5n), 5, 'both formulas agree for cluster 5');
  assert.throws(
    () => rocksdb.shardOf(25n),
    (err: unknown) => err instanceof LogdbError && err.kind === 'unsupported' && /v3\.2 puts it in shard 5 and v3\.3 in shard 9/.test(err.message),
  );
});
