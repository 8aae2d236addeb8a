/**
 * The iterator every source of internal keys implements (memtable, table, level), and the range tombstone type.
 *
 * An internal iterator walks internal keys in order: user key ascending, then sequence number descending. It is
 * synchronous: tables are read with blocking reads, one block at a time, so that the hot loops stay free of promises.
 */

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
}

/** A range deletion: every key in [start, end) with a sequence number below `seq` is deleted. */
export interface RangeTombstone {
  start: Buffer;
  end: Buffer;
  seq: number;
}
