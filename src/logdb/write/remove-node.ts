/**
 * remove-node: Dragonboat's RemoveNodeData (spec §8.12) plus what NodeHost.RemoveData does to the node's
 * snapshot directory (§2.5): delete State, Bootstrap, max index and every snapshot record, then every entry of
 * the node. One deliberate difference: Dragonboat's LevelDB backend leaves the entries behind (its bulk remove
 * is a no-op, §8.7); we delete them — plain and batched — in the same batch.
 * On Pebble the batch ends as Dragonboat's Pebble backend ends it: RemoveEntriesTo(c, n, 2^64−1), one range
 * tombstone over the active mode's entry keys with Dragonboat's bounds (§4.3), written whether or not any exist
 * (pebble-offline-writes.md rule 14); the other mode's keys, if any, are covered as on LevelDB. RocksDB: as Pebble
 * (Dragonboat's RocksDB backend writes the same DeleteRange; rocksdb-offline-writes.md).
 */
import { bootstrapKey, maxIndexKey, snapshotKey, stateKey } from '../../codec/keys.js';
import { MAX_UINT64 } from '../../codec/uint64.js';
import type { WriteOp } from '../../kv/kv.js';
import type { LogDBReader } from '../reader.js';
import { batchedEntries } from '../batched-entries.js';
import { plainEntries } from '../plain-entries.js';
import { countKeys } from './count-keys.js';
import type { WritePlan } from './plan.js';

export async function planRemoveNode(reader: LogDBReader, c: bigint, n: bigint, nodeSnapshotDir: string | undefined, snapshotDirs: string[]): Promise<WritePlan> {
  const store = await reader.storeFor(c);
  const ops: WriteOp[] = [];
  for (const key of [stateKey(c, n), bootstrapKey(c, n), maxIndexKey(c, n)]) {
    if (await store.get(key)) ops.push({ op: 'delete', key });
  }
  for (const s of await reader.listSnapshots(c, n)) ops.push({ op: 'delete', key: snapshotKey(c, n, s.index) });
  const rangeKeyCounts: number[] = [];
  const tombstones = reader.shards.location(reader.shardOf(c)).backend !== 'leveldb';
  const active = tombstones ? await reader.entryStoreFor(c) : undefined;
  const dragonboatRange = active?.removeRange(c, n, MAX_UINT64);
  if (dragonboatRange) {
    ops.push({ op: 'deleteRange', start: dragonboatRange.start, end: dragonboatRange.end });
    rangeKeyCounts.push(await countKeys(store, dragonboatRange.start, dragonboatRange.end));
  }
  for (const entries of [plainEntries, batchedEntries(reader.batchSize)]) {
    if (entries.mode === active?.mode) continue;
    const { start, end } = entries.allKeysRange(c, n);
    const count = await countKeys(store, start, end);
    if (count > 0) {
      ops.push({ op: 'deleteRange', start, end });
      rangeKeyCounts.push(count);
    }
  }
  const files: WritePlan['files'] = [];
  if (nodeSnapshotDir) {
    files.push({ step: 'writeFlagFile', path: `${nodeSnapshotDir}/DELETED.dragonboat`, when: 'after' });
    for (const dir of snapshotDirs) files.push({ step: 'removeDir', path: dir, when: 'after' });
  }
  return { command: 'remove-node', clusterId: c, nodeId: n, shards: [{ shard: reader.shardOf(c), ops, rangeKeyCounts }], files, notes: [] };
}
