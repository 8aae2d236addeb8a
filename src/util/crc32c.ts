/**
 * CRC-32C (Castagnoli), the checksum of every Pebble/RocksDB/LevelDB log chunk and table block.
 *
 * Wire format: the reflected CRC-32C polynomial 0x82F63B78, initial value 0xFFFFFFFF, final XOR 0xFFFFFFFF (the
 * standard "crc32c", so crc32c("123456789") = 0xE3069283). What is stored on disk is not the raw CRC but the
 * LevelDB "masked" form, `rotr(crc, 15) + 0xA282EAD8 (mod 2^32)`, so that a CRC computed over data that itself
 * embeds CRCs does not degenerate.
 *
 * Table-driven, slice-by-8 (reading words where the memory allows): every byte of a WAL and of every table block passes through here, so it is on the hot
 * path. Pure TypeScript on purpose: the npm CRC-32C packages that are fast are native addons, and this tool avoids
 * native addons in its Pebble reader.
 */

// --- wire format ---
const CASTAGNOLI_REFLECTED = 0x82f63b78;
const MASK_DELTA = 0xa282ead8;

/** TABLES[k * 256 + b]: the CRC contribution of byte b followed by k zero bytes. */
const TABLES = buildTables();

function buildTables(): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CASTAGNOLI_REFLECTED : c >>> 1;
    t[b] = c;
  }
  for (let b = 0; b < 256; b++) {
    for (let k = 1; k < 8; k++) {
      const prev = t[(k - 1) * 256 + b]!;
      t[k * 256 + b] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Continues a CRC-32C over `buf[start, end)`; pass 0 as `crc` to start a new one. Returns an unsigned value. */
export function crc32cUpdate(crc: number, buf: Uint8Array, start = 0, end = buf.length): number {
  const t = TABLES;
  let c = ~crc;
  let i = start;
  if (LITTLE_ENDIAN && end - start >= 64) {
    // bytes up to a 4-byte boundary of the underlying memory, then eight bytes per step read as two words
    while ((buf.byteOffset + i) & 3) c = t[(c ^ buf[i++]!) & 0xff]! ^ (c >>> 8);
    const words = new Int32Array(buf.buffer, buf.byteOffset + i, (end - i) >> 2);
    const pairs = words.length & ~1;
    for (let w = 0; w < pairs; w += 2) {
      const a = c ^ words[w]!;
      const b = words[w + 1]!;
      c =
        t[1792 + (a & 0xff)]! ^
        t[1536 + ((a >>> 8) & 0xff)]! ^
        t[1280 + ((a >>> 16) & 0xff)]! ^
        t[1024 + (a >>> 24)]! ^
        t[768 + (b & 0xff)]! ^
        t[512 + ((b >>> 8) & 0xff)]! ^
        t[256 + ((b >>> 16) & 0xff)]! ^
        t[b >>> 24]!;
    }
    i += pairs * 4;
  }
  const fastEnd = end - 8;
  while (i <= fastEnd) {
    const a = c ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24));
    c =
      t[1792 + (a & 0xff)]! ^
      t[1536 + ((a >>> 8) & 0xff)]! ^
      t[1280 + ((a >>> 16) & 0xff)]! ^
      t[1024 + (a >>> 24)]! ^
      t[768 + buf[i + 4]!]! ^
      t[512 + buf[i + 5]!]! ^
      t[256 + buf[i + 6]!]! ^
      t[buf[i + 7]!]!;
    i += 8;
  }
  while (i < end) c = t[(c ^ buf[i++]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32C of `buf[start, end)`. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  return crc32cUpdate(0, buf, start, end);
}

/** The masked form stored on disk. */
export function maskCrc(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + MASK_DELTA) >>> 0;
}

/** The raw CRC behind a stored (masked) value. */
export function unmaskCrc(masked: number): number {
  const rot = (masked - MASK_DELTA) >>> 0;
  return ((rot >>> 17) | (rot << 15)) >>> 0;
}
