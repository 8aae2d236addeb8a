/**
 * Internal keys: how Pebble (like LevelDB and RocksDB) stores one version of a user key.
 *
 * Wire format: an internal key is the user key followed by an 8-byte little-endian trailer,
 * `trailer = seqnum << 8 | kind`, so byte 0 of the trailer is the kind and bytes 1–7 the 56-bit sequence number.
 * Internal keys sort by user key ascending (bytewise; a prefix sorts first), then by trailer descending, so the
 * newest version of a user key comes first.
 *
 * Sequence numbers are JS numbers here. They are exact below 2^53; Pebble assigns them one per write, so real ones
 * stay far below that. The one larger value on disk is the 2^56 − 1 sentinel of index separators and range-deletion
 * boundary keys; as a double it rounds to 2^56, which still compares above every real sequence number, the only
 * property the reader needs. (The manifest module keeps exact bigint copies for display.)
 */

// --- wire format: key kinds (Pebble internal/base/internal.go, identical to RocksDB's ValueType codes) ---
export const KIND_DELETE = 0;
export const KIND_SET = 1;
export const KIND_MERGE = 2;
export const KIND_LOG_DATA = 3;
export const KIND_SINGLE_DELETE = 7;
export const KIND_RANGE_DELETE = 15;
/** index-block separator keys only */
export const KIND_SEPARATOR = 17;
/** written by compactions of newer Pebble versions; reads like a SET */
export const KIND_SET_WITH_DELETE = 18;
export const TRAILER_LENGTH = 8;
/** the largest sequence number (56 bits), carried by sentinel keys; exact, as the manifest decodes it */
export const SEQNUM_MAX = (1n << 56n) - 1n;

/** The kinds a table's point-key (data) block may hold. */
export function isPointKind(kind: number): boolean {
  return (
    kind === KIND_SET ||
    kind === KIND_DELETE ||
    kind === KIND_SINGLE_DELETE ||
    kind === KIND_MERGE ||
    kind === KIND_SET_WITH_DELETE
  );
}

/** The sequence number in the trailer that starts at `pos` (bytes pos+1 … pos+7). */
export function trailerSeq(buf: Uint8Array, pos: number): number {
  const lo = (buf[pos + 1]! | (buf[pos + 2]! << 8) | (buf[pos + 3]! << 16) | (buf[pos + 4]! << 24)) >>> 0;
  const hi = buf[pos + 5]! | (buf[pos + 6]! << 8) | (buf[pos + 7]! << 16);
  return hi * 4294967296 + lo;
}

/** Bytewise comparison (memcmp, shorter first on a common prefix). A JS loop: faster than Buffer.compare on short keys. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  let i = 0;
  // four bytes at a time first: LogDB keys share long prefixes (kind, cluster, node), and this is the merge's hot loop
  for (; i + 4 <= n; i += 4) {
    const x = ((a[i]! << 24) | (a[i + 1]! << 16) | (a[i + 2]! << 8) | a[i + 3]!) >>> 0;
    const y = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  for (; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}

/** The immediate successor of `key` in bytewise order, `key ‖ 00`: turns an inclusive bound into an exclusive one. */
export function immediateSuccessor(key: Buffer): Buffer {
  const out = Buffer.alloc(key.length + 1);
  key.copy(out);
  return out;
}
