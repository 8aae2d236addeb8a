/**
 * Framing records into a new Pebble WAL file (pebble-offline-writes.md rules 8–11; the reader is record.ts).
 *
 * Wire format, as Pebble's own LogWriter writes it: the file is cut into 32 KiB blocks; a chunk never crosses a
 * block boundary; when fewer bytes than a chunk header remain in a block they are zero-filled and the next chunk
 * starts the next block. Every chunk has the recyclable 11-byte header:
 *   masked CRC-32C u32 LE | payload length u16 LE | type u8 | low 32 bits of the log's file number u32 LE
 * with type 5 (FULL) for a record that fits its chunk, else 6 (FIRST), 7 (MIDDLE)…, 8 (LAST). The CRC covers the
 * type byte, the log number and the payload, masked as `rotr(crc, 15) + 0xa282ead8` (crc32c.ts).
 * No EOF trailer is written (it is optional, rule 11): the file ends exactly at a chunk boundary, which every
 * reader takes as a clean end.
 */
import { BLOCK_SIZE, LEGACY_HEADER_SIZE, pebbleChunkChecksum, RECYCLABLE_HEADER_SIZE, type ChunkChecksum } from './record.js';

// --- wire format: recyclable chunk types ---
const RECYCLABLE_FULL = 5;
const RECYCLABLE_FIRST = 6;
const RECYCLABLE_MIDDLE = 7;
const RECYCLABLE_LAST = 8;
const LEGACY_FULL = 1;

/**
 * The bytes of a WAL file numbered `logNum` holding `records`, in order. `legacy`: the 7-byte headers with types 1–4
 * and no log number, what RocksDB writes without WAL recycling (rocksdb-offline-writes.md) and tan writes.
 * `checksum`: another chunk checksum than Pebble's masked CRC-32C (tan's). `startOffset`: the bytes already in the
 * file being continued, so that chunks respect its block boundaries; only the new bytes are returned.
 */
export function encodeLog(
  records: Buffer[],
  logNum: number,
  opts: { legacy?: boolean; checksum?: ChunkChecksum; startOffset?: number } = {},
): Buffer {
  const parts: Buffer[] = [];
  const startOffset = opts.startOffset ?? 0;
  let pos = startOffset;
  const headerSize = opts.legacy ? LEGACY_HEADER_SIZE : RECYCLABLE_HEADER_SIZE;
  const typeOffset = opts.legacy ? RECYCLABLE_FULL - LEGACY_FULL : 0;
  const checksumOf = opts.checksum ?? pebbleChunkChecksum;
  const emit = (type: number, payload: Buffer) => {
    const chunk = Buffer.alloc(headerSize + payload.length);
    chunk.writeUInt16LE(payload.length, 4);
    chunk[6] = type - typeOffset;
    if (!opts.legacy) chunk.writeUInt32LE(logNum >>> 0, 7);
    payload.copy(chunk, headerSize);
    chunk.writeUInt32LE(checksumOf(chunk, 6, chunk.length), 0);
    parts.push(chunk);
    pos += chunk.length;
  };
  for (const record of records) {
    let rest = record;
    let first = true;
    for (;;) {
      const left = BLOCK_SIZE - (pos % BLOCK_SIZE);
      if (left < headerSize) {
        parts.push(Buffer.alloc(left));
        pos += left;
        continue;
      }
      const piece = rest.subarray(0, left - headerSize);
      rest = rest.subarray(piece.length);
      const last = rest.length === 0;
      emit(first ? (last ? RECYCLABLE_FULL : RECYCLABLE_FIRST) : last ? RECYCLABLE_LAST : RECYCLABLE_MIDDLE, piece);
      first = false;
      if (last) break;
    }
  }
  return Buffer.concat(parts, pos - startOffset);
}
