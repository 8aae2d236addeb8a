/**
 * Damaging a private copy of a LevelDB NodeHost dir the way disks, bugs and careless hands do, through the same
 * codec and KV layer the tool uses — so every damaged directory is built by the test from a real fixture, and
 * nothing damaged is stored by hand.
 */
import type { KVPair, KVStore, WriteOp } from '../../../src/kv/kv.js';
import { openLevelDBStore } from '../../../src/kv/leveldb/store.js';
import { discoverLayout } from '../../../src/logdb/layout.js';
import { nodeRanges, scanRanges } from '../../../src/logdb/check/shard-scan.js';

/** Bytes no LogDB decoder accepts: 0xde is neither a Colfer header nor a valid protobuf wire type (6). */
export const GARBAGE = Buffer.from('deadbeefdeadbeefdeadbeef', 'hex');

/** Opens shard `shard` of the NodeHost dir in place, for writing, and closes it after `fn`. */
export async function withShard<T>(nodeHostDir: string, shard: number, fn: (store: KVStore) => Promise<T>): Promise<T> {
  const location = discoverLayout(nodeHostDir).shards.find((s) => s.index === shard);
  if (!location) throw new Error(`no logdb-${shard} in ${nodeHostDir}`);
  const store = await openLevelDBStore(location.dir, { mode: 'write' });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function writeShard(nodeHostDir: string, shard: number, ops: WriteOp[]): Promise<void> {
  await withShard(nodeHostDir, shard, (store) => store.write(ops));
}

/** Every record of one node in a shard (all kinds). */
export async function nodePairs(nodeHostDir: string, shard: number, clusterId: bigint, nodeId: bigint): Promise<KVPair[]> {
  return withShard(nodeHostDir, shard, async (store) => {
    const ranges = nodeRanges(clusterId, nodeId);
    const pairs: KVPair[] = [];
    for await (const chunk of scanRanges(store, [...ranges.records, ...ranges.entries])) {
      for (const p of chunk) pairs.push({ key: Buffer.from(p.key), value: Buffer.from(p.value) });
    }
    return pairs;
  });
}

/** Moves every record of a node from one shard to another, as a NodeHost with other shard settings would have. */
export async function moveNode(nodeHostDir: string, clusterId: bigint, nodeId: bigint, from: number, to: number): Promise<number> {
  const pairs = await nodePairs(nodeHostDir, from, clusterId, nodeId);
  await writeShard(nodeHostDir, to, pairs.map((p) => ({ op: 'put', key: p.key, value: p.value })));
  await writeShard(nodeHostDir, from, pairs.map((p) => ({ op: 'delete', key: p.key })));
  return pairs.length;
}
