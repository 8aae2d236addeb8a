/**
 * compact with a node: Dragonboat's RemoveEntriesTo + CompactEntriesTo(index) (spec §8.7–8.8) with its exact
 * bounds (§4.3): plain deletes indexes < index; batched deletes batch IDs < index/B − 1, keeping the batch that
 * holds `index` and the one before it. Compacting past the newest snapshot would drop entries that no snapshot
 * covers — a node restarted on that log cannot rebuild its state — so it needs --force.
 * On Pebble the range delete is a range tombstone: the entries are gone at once, the space comes back later.
 */
import { LogdbError } from '../../errors.js';
import type { LogDBReader } from '../reader.js';
import { countKeys } from './count-keys.js';
import type { WritePlan } from './plan.js';

/** Why compacting a Pebble or RocksDB shard frees no disk space at once: logdb only appends a WAL with the deletes. */
export function compactionDeferred(store: 'Pebble' | 'RocksDB'): string {
  return `${store} reclaims the space itself when it next compacts, after the NodeHost next runs; logdb does not rewrite ${store} tables`;
}

export interface CompactNodePlan extends WritePlan {
  /** the key range to compact physically after the batch */
  compactRange: { start: Buffer; end: Buffer } | undefined;
}

export async function planCompactNode(reader: LogDBReader, c: bigint, n: bigint, index: bigint, force: boolean): Promise<CompactNodePlan> {
  const snapshotIndex = await reader.newestSnapshotIndex(c, n);
  const notes: string[] = [];
  if (index > snapshotIndex) {
    const why =
      snapshotIndex === 0n
        ? `cluster ${c} node ${n} has no snapshot, so entries below ${index} are its only copy of that state`
        : `--to ${index} is above the newest snapshot index ${snapshotIndex}: entries ${snapshotIndex + 1n}..${index - 1n} are covered by no snapshot and a restarted node could not rebuild its state`;
    if (!force) throw new LogdbError('refused', why, 'compact to at most the newest snapshot index, or pass --force if you are sure');
    notes.push(`forced: ${why}`);
  }
  const entries = await reader.entryStoreFor(c);
  const range = entries.removeRange(c, n, index);
  const store = await reader.storeFor(c);
  const count = range ? await countKeys(store, range.start, range.end) : 0;
  if (!range || count === 0) notes.push(`nothing below index ${index} is stored for cluster ${c} node ${n}`);
  const backend = reader.shards.location(reader.shardOf(c)).backend;
  if (backend !== 'leveldb') {
    const store = backend === 'rocksdb' ? 'RocksDB' : 'Pebble';
    notes.push(`${store}: a range tombstone hides the entries at once; the disk space comes back when ${store} next compacts, after the NodeHost next runs`);
  }
  if (entries.mode === 'batched') notes.push(`batched log: the batch holding index ${index} and the one before it are kept, as Dragonboat keeps them`);
  return {
    command: 'compact',
    clusterId: c,
    nodeId: n,
    shards: [{ shard: reader.shardOf(c), ops: range && count > 0 ? [{ op: 'deleteRange', start: range.start, end: range.end }] : [], rangeKeyCounts: range && count > 0 ? [count] : [] }],
    files: [],
    notes,
    compactRange: range,
  };
}
