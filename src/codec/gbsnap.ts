/**
 * `.gbsnap` snapshot data files, format V2 (spec §10.1; Dragonboat internal/rsm/snapshotio.go and rw.go).
 *
 *     offset      size     content
 *     0           8        LE uint64 header length `sz` (at most 1016)
 *     8           sz       SnapshotHeader protobuf (messages.ts)
 *     8+sz        4        reserved CRC slot: Dragonboat leaves it zero; if non-zero it must be the CRC32 of the
 *                          header bytes
 *     …           to 1024  zero padding — the header area is always 1024 bytes
 *     1024        …        blocks: up to 2 MiB of data, then the BE CRC32-IEEE of that data
 *     end−16      16       tail: LE uint64 total bytes of all blocks incl. their CRCs, then the magic
 *                          3f 5b cb f1 fa ba 81 9f
 *
 * The header's payload checksum is the CRC32-IEEE of the concatenated 4-byte block CRCs; its header checksum is
 * the CRC32-IEEE of the header marshalled without that field. With Snappy compression the block data is a
 * Snappy framed stream. A version-1 file has no blocks and no tail: the payload follows the header area and
 * the header's payload checksum is the CRC32 of the payload itself.
 *
 * Dragonboat's import tool never reads block data: GetV2PayloadChecksum derives the CRC offsets from the FILE
 * SIZE alone (1024 + 2 MiB, then every 2 MiB + 4 further, the last one at end − 16 − 4) and hashes the stored
 * CRCs found there. computeV2PayloadChecksum does exactly that; verifyBlockCrcs additionally recomputes every
 * block's CRC from its data.
 *
 * Files can be large, so nothing here loads a whole file: every function takes a source it reads positionally
 * — an open file descriptor, a Buffer, or a `(position, length) => Buffer` function — plus the file size.
 */

import { readSync } from 'node:fs';
import * as zlib from 'node:zlib';
import { CodecError } from './errors.js';
import { type SnapshotHeader, decodeSnapshotHeader, encodeSnapshotHeader } from './messages.js';

export const GBSNAP_HEADER_AREA_SIZE = 1024;
export const GBSNAP_MAX_HEADER_LENGTH = GBSNAP_HEADER_AREA_SIZE - 8;
export const GBSNAP_BLOCK_SIZE = 2 * 1024 * 1024;
export const GBSNAP_CRC_SIZE = 4;
export const GBSNAP_TAIL_SIZE = 16;
export const GBSNAP_MAGIC: Buffer = Buffer.from('3f5bcbf1faba819f', 'hex');

/** Reads up to `length` bytes at `position` (fewer only at the end of the file). */
export type ReadAt = (position: number, length: number) => Buffer;
/** Where .gbsnap bytes come from: an open file descriptor, the whole file in memory, or a positional reader. */
export type GbsnapSource = number | Buffer | ReadAt;

/** One payload block: `dataLength` bytes at `offset`, its stored CRC at `crcOffset`. */
export interface GbsnapBlock {
  index: number;
  offset: number;
  dataLength: number;
  crcOffset: number;
}

export interface GbsnapTail {
  offset: number;
  /** The LE uint64 total of block bytes (data + CRCs) as stored. */
  totalBlockBytes: bigint;
  magic: Buffer;
  magicOk: boolean;
  /** totalBlockBytes equals fileSize − 1024 − 16, as Dragonboat's V2 validator requires. */
  totalOk: boolean;
}

export interface GbsnapLayout {
  fileSize: number;
  /** The LE length at offset 0 (≤ 1016, else readGbsnapLayout throws). */
  headerLength: number;
  headerBytes: Buffer;
  header: SnapshotHeader;
  /** CRC32 of the header without its headerChecksum field equals headerChecksum; null if it has none. */
  headerChecksumOk: boolean | null;
  /** The 4 bytes after the header. */
  reservedCrcSlot: Buffer;
  /** The reserved slot is zero or holds the CRC32 of the header bytes (Dragonboat's check; it panics otherwise). */
  reservedCrcOk: boolean;
  /** The rest of the 1024-byte header area is zero. */
  paddingIsZero: boolean;
  version: number;
  isV1: boolean;
  isV2: boolean;
  /**
   * Blocks as derived from the file size (valid for V2 files; computed whatever the header version says).
   * Null when the file is too small to hold any block (`blockLayoutError` says why).
   */
  blocks: GbsnapBlock[] | null;
  blockLayoutError: string | null;
  tail: GbsnapTail | null;
  /** CRC32 over the stored block CRCs (what import compares with Snapshot.checksum); null without blocks. */
  payloadChecksumFromStoredCrcs: Buffer | null;
}

export interface BlockCheck extends GbsnapBlock {
  storedCrc: Buffer;
  computedCrc: Buffer;
  ok: boolean;
}

// ---- CRC32-IEEE -----------------------------------------------------------------------------------------

let crcTable: Uint32Array | undefined;
function crc32Fallback(data: Uint8Array, value = 0): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = ~value >>> 0;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** CRC32-IEEE, continuing from `value` (zlib.crc32 on Node ≥ 20.15, a table otherwise). */
export const crc32: (data: Uint8Array, value?: number) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (data, value = 0) => zlib.crc32(data, value) >>> 0
    : crc32Fallback;

/** A CRC32 as the 4 big-endian bytes Go's hash.Sum produces. */
export function crc32Bytes(value: number): Buffer {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out;
}

// ---- Sources --------------------------------------------------------------------------------------------

function toReadAt(source: GbsnapSource): ReadAt {
  if (typeof source === 'function') return source;
  if (Buffer.isBuffer(source)) {
    return (position, length) => source.subarray(position, Math.min(source.length, position + length));
  }
  if (typeof source === 'number') {
    return (position, length) => {
      const buf = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const n = readSync(source, buf, done, length - done, position + done);
        if (n === 0) break;
        done += n;
      }
      return done === length ? buf : buf.subarray(0, done);
    };
  }
  throw new TypeError('a .gbsnap source is a file descriptor, a Buffer or a (position, length) => Buffer function');
}

function readExactly(readAt: ReadAt, position: number, length: number, what: string): Buffer {
  const buf = readAt(position, length);
  if (buf.length !== length) {
    throw new CodecError(`codec/gbsnap: truncated file: ${what} needs ${length} bytes at offset ${position}, got ${buf.length}`);
  }
  return buf;
}

// ---- Block layout ---------------------------------------------------------------------------------------

/**
 * The payload blocks as Dragonboat derives them from the file size (getV2CRCOffsetListFromFileSize): full
 * 2 MiB blocks from offset 1024, and a last partial block whose CRC sits right before the 16-byte tail.
 * Throws CodecError "invalid file size" when fileSize ≤ 1024 + 16.
 */
export function v2BlockLayout(fileSize: number): GbsnapBlock[] {
  if (!Number.isSafeInteger(fileSize) || fileSize <= GBSNAP_TAIL_SIZE + GBSNAP_HEADER_AREA_SIZE) {
    throw new CodecError(`codec/gbsnap: invalid file size ${fileSize} (a V2 file has more than 1040 bytes)`);
  }
  const blocks: GbsnapBlock[] = [];
  let remaining = fileSize - GBSNAP_TAIL_SIZE - GBSNAP_HEADER_AREA_SIZE;
  let offset = GBSNAP_HEADER_AREA_SIZE;
  while (remaining > 0) {
    if (remaining >= GBSNAP_BLOCK_SIZE + GBSNAP_CRC_SIZE) {
      blocks.push({ index: blocks.length, offset, dataLength: GBSNAP_BLOCK_SIZE, crcOffset: offset + GBSNAP_BLOCK_SIZE });
      offset += GBSNAP_BLOCK_SIZE + GBSNAP_CRC_SIZE;
      remaining -= GBSNAP_BLOCK_SIZE + GBSNAP_CRC_SIZE;
    } else {
      // Like Go, the CRC is read at offset + remaining − 4 even when remaining < 4 (then the block is invalid).
      blocks.push({
        index: blocks.length,
        offset,
        dataLength: Math.max(0, remaining - GBSNAP_CRC_SIZE),
        crcOffset: offset + remaining - GBSNAP_CRC_SIZE,
      });
      break;
    }
  }
  return blocks;
}

/**
 * Dragonboat's GetV2PayloadChecksum (minus its header checks): the CRC32-IEEE, as 4 BE bytes, of the stored
 * block CRCs at the offsets derived from `fileSize`. Compare it with Snapshot.checksum / the header's
 * payloadChecksum. Reads 4 bytes per block.
 */
export function computeV2PayloadChecksum(source: GbsnapSource, fileSize: number): Buffer {
  const readAt = toReadAt(source);
  let crc = 0;
  for (const block of v2BlockLayout(fileSize)) {
    crc = crc32(readExactly(readAt, block.crcOffset, GBSNAP_CRC_SIZE, `CRC of block ${block.index}`), crc);
  }
  return crc32Bytes(crc);
}

/** Reads bytes [position, position + length) in chunks and returns their CRC32-IEEE. */
function crcOfRange(readAt: ReadAt, position: number, length: number, chunkSize: number): number {
  let crc = 0;
  for (let done = 0; done < length; ) {
    const n = Math.min(chunkSize, length - done);
    crc = crc32(readExactly(readAt, position + done, n, 'block data'), crc);
    done += n;
  }
  return crc;
}

/**
 * Recomputes every block's CRC32 from its data and compares it with the stored one (what Dragonboat's block
 * reader does when it actually reads the payload). Blocks come from the file size (v2BlockLayout); the data
 * is streamed in chunks of `chunkSize` bytes.
 */
export function verifyBlockCrcs(source: GbsnapSource, fileSize: number, chunkSize = 1024 * 1024): BlockCheck[] {
  const readAt = toReadAt(source);
  return v2BlockLayout(fileSize).map((block) => {
    const storedCrc = Buffer.from(readExactly(readAt, block.crcOffset, GBSNAP_CRC_SIZE, `CRC of block ${block.index}`));
    const computedCrc = crc32Bytes(crcOfRange(readAt, block.offset, block.dataLength, chunkSize));
    // Go's validateBlock rejects a block with no data bytes.
    return { ...block, storedCrc, computedCrc, ok: block.dataLength > 0 && storedCrc.equals(computedCrc) };
  });
}

/** The CRC32-IEEE of everything after the header area: the payload checksum of a version-1 file. */
export function computeV1PayloadChecksum(source: GbsnapSource, fileSize: number, chunkSize = 1024 * 1024): Buffer {
  if (fileSize < GBSNAP_HEADER_AREA_SIZE) throw new CodecError(`codec/gbsnap: file of ${fileSize} bytes has no header area`);
  return crc32Bytes(crcOfRange(toReadAt(source), GBSNAP_HEADER_AREA_SIZE, fileSize - GBSNAP_HEADER_AREA_SIZE, chunkSize));
}

// ---- Header and tail ------------------------------------------------------------------------------------

/** CRC32 of the header as Go marshals it without its headerChecksum field. */
export function computeHeaderChecksum(header: SnapshotHeader): Buffer {
  return crc32Bytes(crc32(encodeSnapshotHeader({ ...header, headerChecksum: null })));
}

/** Reads the 16-byte tail at fileSize − 16 (no validation beyond reporting). */
export function readGbsnapTail(source: GbsnapSource, fileSize: number): GbsnapTail {
  if (fileSize < GBSNAP_HEADER_AREA_SIZE + GBSNAP_TAIL_SIZE) {
    throw new CodecError(`codec/gbsnap: file of ${fileSize} bytes has no tail`);
  }
  const offset = fileSize - GBSNAP_TAIL_SIZE;
  const tail = readExactly(toReadAt(source), offset, GBSNAP_TAIL_SIZE, 'tail');
  const totalBlockBytes = tail.readBigUInt64LE(0);
  const magic = Buffer.from(tail.subarray(8, 16));
  return {
    offset,
    totalBlockBytes,
    magic,
    magicOk: magic.equals(GBSNAP_MAGIC),
    totalOk: totalBlockBytes === BigInt(fileSize - GBSNAP_HEADER_AREA_SIZE - GBSNAP_TAIL_SIZE),
  };
}

/**
 * Parses the header area and, from the file size, the block layout, the tail and the payload checksum over
 * the stored block CRCs. Reads the 1024-byte header area, 16 bytes of tail and 4 bytes per block — never the
 * block data (use verifyBlockCrcs for that).
 *
 * Throws CodecError where Dragonboat panics or fails to read the header: header length > 1016 ("invalid
 * snapshot header size"), a header area shorter than 1024 bytes, an undecodable SnapshotHeader. Everything
 * else (version, checksums, magic) is reported in the result for the caller to judge.
 */
export function readGbsnapLayout(source: GbsnapSource, fileSize: number): GbsnapLayout {
  const readAt = toReadAt(source);
  if (fileSize < 8) throw new CodecError(`codec/gbsnap: file of ${fileSize} bytes is too short for a header length`);
  const declared = readExactly(readAt, 0, 8, 'header length').readBigUInt64LE(0);
  if (declared > BigInt(GBSNAP_MAX_HEADER_LENGTH)) {
    throw new CodecError(`codec/gbsnap: invalid snapshot header size ${declared} (at most ${GBSNAP_MAX_HEADER_LENGTH})`);
  }
  const headerLength = Number(declared);
  if (fileSize < GBSNAP_HEADER_AREA_SIZE) {
    throw new CodecError(`codec/gbsnap: truncated file: ${fileSize} bytes, the header area alone is ${GBSNAP_HEADER_AREA_SIZE}`);
  }
  const area = Buffer.from(readExactly(readAt, 0, GBSNAP_HEADER_AREA_SIZE, 'header area'));
  const headerBytes = area.subarray(8, 8 + headerLength);
  let header: SnapshotHeader;
  try {
    header = decodeSnapshotHeader(headerBytes);
  } catch (err) {
    throw new CodecError(`codec/gbsnap: corrupt snapshot header: ${(err as Error).message}`, { cause: err });
  }
  const reservedCrcSlot = area.subarray(8 + headerLength, 12 + headerLength);
  const slotIsZero = reservedCrcSlot.every((b) => b === 0);
  const reservedCrcOk = slotIsZero || reservedCrcSlot.equals(crc32Bytes(crc32(headerBytes)));
  const paddingIsZero = area.subarray(12 + headerLength).every((b) => b === 0);
  const headerChecksumOk = header.headerChecksum === null ? null : computeHeaderChecksum(header).equals(header.headerChecksum);

  let blocks: GbsnapBlock[] | null = null;
  let blockLayoutError: string | null = null;
  let payloadChecksumFromStoredCrcs: Buffer | null = null;
  try {
    blocks = v2BlockLayout(fileSize);
    payloadChecksumFromStoredCrcs = computeV2PayloadChecksum(readAt, fileSize);
  } catch (err) {
    if (!(err instanceof CodecError)) throw err;
    blocks = null;
    blockLayoutError = err.message;
  }
  const tail = fileSize >= GBSNAP_HEADER_AREA_SIZE + GBSNAP_TAIL_SIZE ? readGbsnapTail(readAt, fileSize) : null;

  return {
    fileSize,
    headerLength,
    headerBytes,
    header,
    headerChecksumOk,
    reservedCrcSlot,
    reservedCrcOk,
    paddingIsZero,
    version: header.version,
    isV1: header.version === 1,
    isV2: header.version === 2,
    blocks,
    blockLayoutError,
    tail,
    payloadChecksumFromStoredCrcs,
  };
}
