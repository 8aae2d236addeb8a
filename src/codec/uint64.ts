/**
 * Unsigned 64-bit integers, always as `bigint`.
 *
 * Dragonboat stores cluster IDs, node IDs, indexes, terms, request keys and session client IDs as Go `uint64`.
 * Random keys and client IDs and the session series IDs 2^64−2 / 2^64−1 go far past 2^53, so JavaScript
 * numbers would silently round them; the codec never uses `number` for a uint64.
 *
 * Byte order (spec §13 item 9): every key field and the max-index value are big-endian; little-endian is used
 * only for the `.gbsnap` header length and tail, NODEHOST.ID and the hard-settings hash.
 */

export const MAX_UINT64: bigint = 2n ** 64n - 1n;

/** Throws RangeError unless `value` is a bigint in [0, 2^64−1]. */
export function assertU64(value: bigint, what = 'value'): void {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_UINT64) {
    throw new RangeError(`${what} ${String(value)} is not an unsigned 64-bit integer (0 to ${MAX_UINT64})`);
  }
}

/** The big-endian uint64 at `offset` (RangeError if the buffer is too short). */
export function readU64BE(buf: Buffer, offset = 0): bigint {
  return buf.readBigUInt64BE(offset);
}

/** Writes `value` big-endian at `offset`. */
export function writeU64BE(buf: Buffer, value: bigint, offset = 0): void {
  assertU64(value);
  buf.writeBigUInt64BE(value, offset);
}

/** An 8-byte buffer holding `value` big-endian (the max-index record value, §5.3). */
export function u64BE(value: bigint): Buffer {
  const buf = Buffer.allocUnsafe(8);
  writeU64BE(buf, value);
  return buf;
}

/** The little-endian uint64 at `offset` (.gbsnap header length and tail, NODEHOST.ID). */
export function readU64LE(buf: Buffer, offset = 0): bigint {
  return buf.readBigUInt64LE(offset);
}

/** Writes `value` little-endian at `offset`. */
export function writeU64LE(buf: Buffer, value: bigint, offset = 0): void {
  assertU64(value);
  buf.writeBigUInt64LE(value, offset);
}

const DECIMAL = /^[0-9]+$/;

/**
 * Parses a command-line uint64: decimal digits only (leading zeros allowed, so `00000000000000000001` works),
 * no sign, no spaces, no `0x`, at most 2^64−1. `what` names the value in the one-line RangeError, e.g.
 * `cluster ID "-1" is not an unsigned 64-bit integer (0 to 18446744073709551615)`.
 */
export function parseUint64(text: string, what: string): bigint {
  if (typeof text === 'string' && DECIMAL.test(text)) {
    const value = BigInt(text);
    if (value <= MAX_UINT64) return value;
  }
  throw new RangeError(`${what} ${JSON.stringify(String(text))} is not an unsigned 64-bit integer (0 to ${MAX_UINT64})`);
}
