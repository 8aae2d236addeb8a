/**
 * Base-128 varints (LEB128, low seven bits first), as protobuf, Colfer and Pebble all write lengths, for values
 * that fit a JavaScript number exactly (below 2^53). Decoders stay in their formats' modules: each reports
 * truncation in its own words.
 */

/** How many bytes `x` takes as a varint. */
export function varintLength(x: number): number {
  let n = 1;
  while (x >= 0x80) {
    x = Math.floor(x / 128);
    n++;
  }
  return n;
}

/** Writes `x` as a varint at `pos`; returns the position after it. */
export function writeVarint(buf: Buffer, pos: number, x: number): number {
  while (x >= 0x80) {
    buf[pos++] = (x % 128) | 0x80;
    x = Math.floor(x / 128);
  }
  buf[pos++] = x;
  return pos;
}
