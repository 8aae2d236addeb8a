/**
 * The iterator every source of internal keys implements (memtable, table, level), and the range tombstone type.
 *
 * An internal iterator walks internal keys in order: user key ascending, then sequence number descending. It is
 * synchronous: tables are read with blocking reads, one block at a time, so that the hot loops stay free of promises.
 */
import type { KVPair } from '../kv.js';

export interface InternalIterator {
  /** false once the iterator has run off the end (or was never positioned) */
  valid: boolean;
  /** the user key of the current entry; a Buffer the iterator never modifies afterwards */
  key: Buffer;
  seq: number;
  kind: number;
  /** the value of the current entry (created on demand) */
  value(): Buffer;
  first(): void;
  /** positions at the first entry whose user key is >= `userKey` */
  seekGE(userKey: Buffer): void;
  next(): void;
  /**
   * The merge's fast path, for a stretch of keys no other source holds: appends the visible pairs of the user keys
   * from the current entry on that are below `limit` (no bound when undefined), until `out` holds `max` pairs. A
   * version whose sequence number is below `deletedBelow` counts as deleted (the caller makes sure one range
   * tombstone fragment, or none, covers the stretch). Older versions of each key are skipped. Stops before a MERGE
   * (the caller resolves it). Returns whether it moved; the iterator is left at the first entry it did not consume.
   */
  emitRun(out: KVPair[], max: number, limit: Buffer | undefined, deletedBelow: number): boolean;
}

/** A range deletion: every key in [start, end) with a sequence number below `seq` is deleted. */
export interface RangeTombstone {
  start: Buffer;
  end: Buffer;
  seq: number;
}
