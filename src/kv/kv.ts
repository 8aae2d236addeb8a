/**
 * The ordered byte-key store every LogDB shard sits on (spec §9.1), seen from above.
 *
 * A backend knows nothing of what keys mean: it stores byte strings ordered bytewise (memcmp, shorter first on a
 * common prefix), hands back ranges of them in ascending order, and applies write batches atomically.
 * Every backend (LevelDB over classic-level, the pure-TypeScript Pebble reader, …) implements this one interface
 * and passes the one conformance suite in test/kv/.
 */

/** A key range: from `gte` (inclusive) up to `lt` (exclusive) or `lte` (inclusive); no upper bound if neither. */
export interface KeyRange {
  gte: Buffer;
  lt?: Buffer;
  lte?: Buffer;
}

export interface KVPair {
  key: Buffer;
  value: Buffer;
  /**
   * Where `value` lies, for readers that keep values inside larger buffers and make the view only when `value` is
   * read: a scan of hundreds of thousands of values can decode them in place (`valueBuf[valueStart, valueEnd)`).
   */
  readonly valueBuf?: Buffer;
  readonly valueStart?: number;
  readonly valueEnd?: number;
}

/** One operation of an atomic write batch. `deleteRange` removes every key in [start, end). */
export type WriteOp =
  | { op: 'put'; key: Buffer; value: Buffer }
  | { op: 'delete'; key: Buffer }
  | { op: 'deleteRange'; start: Buffer; end: Buffer };

export type BackendName = 'leveldb' | 'pebble';

export interface KVStore {
  readonly backend: BackendName;
  /** The value stored under `key`, or undefined when there is none. */
  get(key: Buffer): Promise<Buffer | undefined>;
  /**
   * The pairs in `range`, ascending, handed out in chunks (each chunk non-empty) so that hot loops pay the
   * async cost once per chunk, not once per pair. Stop early by breaking out of the loop.
   */
  iterate(range: KeyRange): AsyncIterable<KVPair[]>;
  /** The keys in `range` only, ascending, in chunks — cheaper where the backend can skip values. */
  keys?(range: KeyRange): AsyncIterable<Buffer[]>;
  /**
   * Applies every operation, or none, in one synced write. Read-only backends throw KVReadOnlyError. Backends
   * that expand range deletes key by key report the keys gathered so far to `onKeys`.
   */
  write(ops: WriteOp[], options?: { onKeys?: (keys: number) => void }): Promise<void>;
  /** Physically compacts [start, end) (or everything when no range is given). */
  compact(range?: { start: Buffer; end: Buffer }): Promise<void>;
  close(): Promise<void>;
}

export class KVReadOnlyError extends Error {
  constructor(backend: string) {
    super(`${backend}: this backend is read-only`);
    this.name = 'KVReadOnlyError';
  }
}

/** Data on disk that the backend cannot read: names the file and, where known, the byte offset. */
export class KVCorruptionError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'KVCorruptionError';
  }
}

/** True when `key` lies inside `range`. */
export function inRange(key: Buffer, range: KeyRange): boolean {
  if (Buffer.compare(key, range.gte) < 0) return false;
  if (range.lt && Buffer.compare(key, range.lt) >= 0) return false;
  if (range.lte && Buffer.compare(key, range.lte) > 0) return false;
  return true;
}
