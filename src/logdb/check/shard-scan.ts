/**
 * The key ranges a full pass over one shard reads, split so that the small records come first.
 *
 * Keys sort by kind (§4.1): entries `01 01`, state `02 02`, max index `03 03`, snapshots `05 05`, bootstrap
 * `06 06`, batches `07 07`. Judging an entry needs its node's max index and newest snapshot, which sort after
 * the plain entries, so a pass reads every key in two sweeps that together cover the whole key space once:
 *
 *   records   everything except the two entry kinds: [∅, 01 01) [01 02, 07 07) [07 08, ∞)
 *             — state, max index, snapshots, bootstrap, and anything that is not a LogDB key at all
 *   entries   [01 01, 01 02) and [07 07, 07 08) — plain entries, then entry batches
 *
 * The first sweep holds a few records per node; the second streams the logs in chunks. For one node
 * (`--cluster/--node`), the same split over that node's key prefixes (`KK KK 00 00 | cluster | node`) instead.
 * `logdb stats` reads shards the same way.
 */
import { KeyKind, keyOf } from '../../codec/keys.js';
import type { KeyRange, KVPair, KVStore } from '../../kv/kv.js';

export interface ScanRanges {
  /** every key that is not an entry record */
  records: KeyRange[];
  /** plain entries, then entry batches */
  entries: KeyRange[];
}

const EMPTY = Buffer.alloc(0);
const kindPrefix = (a: number, b: number) => Buffer.from([a, b]);

/** Every key of a shard, records first, entries second. */
export function wholeShardRanges(): ScanRanges {
  return {
    records: [
      { gte: EMPTY, lt: kindPrefix(KeyKind.Entry, KeyKind.Entry) },
      { gte: kindPrefix(KeyKind.Entry, KeyKind.Entry + 1), lt: kindPrefix(KeyKind.EntryBatch, KeyKind.EntryBatch) },
      { gte: kindPrefix(KeyKind.EntryBatch, KeyKind.EntryBatch + 1) },
    ],
    entries: [
      { gte: kindPrefix(KeyKind.Entry, KeyKind.Entry), lt: kindPrefix(KeyKind.Entry, KeyKind.Entry + 1) },
      { gte: kindPrefix(KeyKind.EntryBatch, KeyKind.EntryBatch), lt: kindPrefix(KeyKind.EntryBatch, KeyKind.EntryBatch + 1) },
    ],
  };
}

/** Every key that starts with `kind kind 00 00 | cluster | node`, whatever its length. */
function nodePrefixRange(kind: KeyKind, clusterId: bigint, nodeId: bigint): KeyRange {
  const prefix = keyOf(kind, clusterId, nodeId, 0n).subarray(0, 20);
  return { gte: prefix, lt: successor(prefix) };
}

/** The smallest key greater than every key that starts with `prefix`. */
function successor(prefix: Buffer): Buffer {
  const next = Buffer.from(prefix);
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] !== 0xff) {
      next[i]++;
      return next.subarray(0, i + 1);
    }
  }
  return Buffer.alloc(prefix.length + 1, 0xff);
}

/** The keys of one node in a shard, records first, entries second. */
export function nodeRanges(clusterId: bigint, nodeId: bigint): ScanRanges {
  const records = [KeyKind.State, KeyKind.MaxIndex, KeyKind.NodeInfo, KeyKind.Snapshot, KeyKind.Bootstrap];
  return {
    records: records.map((kind) => nodePrefixRange(kind, clusterId, nodeId)),
    entries: [nodePrefixRange(KeyKind.Entry, clusterId, nodeId), nodePrefixRange(KeyKind.EntryBatch, clusterId, nodeId)],
  };
}

/** The pairs of several ranges, in order, in the store's chunks. */
export async function* scanRanges(store: KVStore, ranges: KeyRange[]): AsyncIterable<KVPair[]> {
  for (const range of ranges) yield* store.iterate(range);
}
