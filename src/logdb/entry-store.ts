/**
 * How Raft entries sit in one shard (spec §7): plain (one `01 01` record per entry) or batched (one `07 07`
 * record per 48 indexes). Both managers answer the same questions, so the LogDB reader does not care which.
 */
import type { Entry } from '../codec/colfer.js';
import type { EntryColumns } from '../codec/entry-columns.js';
import type { KVStore } from '../kv/kv.js';

export type EntryMode = 'plain' | 'batched';

export interface EntryStore {
  readonly mode: EntryMode;
  /**
   * Stored entries with index in [low, high), ascending, in chunks. Records outside the window (stale batches,
   * parts of a batch) are skipped; gaps are not filled — the caller decides what a gap means.
   */
  scan(store: KVStore, clusterId: bigint, nodeId: bigint, low: bigint, high: bigint): AsyncIterable<Entry[]>;
  /**
   * scan's entries as EntryColumns, where the mode can hand them out without objects (plain mode). The columns of
   * a chunk are refilled for the next one: use a chunk before asking for the next.
   */
  scanColumns?(store: KVStore, clusterId: bigint, nodeId: bigint, low: bigint, high: bigint): AsyncIterable<EntryColumns>;
  /** The key range RemoveEntriesTo(index) deletes (§4.3), or undefined when it deletes nothing. */
  removeRange(clusterId: bigint, nodeId: bigint, index: bigint): { start: Buffer; end: Buffer } | undefined;
  /** Every key this node's entries can have. */
  allKeysRange(clusterId: bigint, nodeId: bigint): { start: Buffer; end: Buffer };
}
