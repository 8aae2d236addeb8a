/**
 * The table footer: the fixed-size tail of every table, which locates the metaindex and index blocks.
 *
 * Wire format, read backwards from the end of the file:
 *   - RocksDB format (what Pebble writes, "RocksDBv2"), 53 bytes: checksum type u8 | metaindex handle | index handle
 *     (the two handles are uvarint pairs, zero-padded to 40 bytes) | format version u32 LE | magic
 *     0x88e241b785f4cff7 as u64 LE.
 *   - LevelDB format, 48 bytes: metaindex handle | index handle (padded to 40 bytes) | magic 0xdb4775248b80fb57 as
 *     u64 LE. Blocks are checksummed with CRC-32C.
 * RocksDB format versions 1–5 share this footer (Pebble writes 2); what 3–5 change (user-key index keys, delta-encoded
 * index values, filters) the table's properties announce and sstable.ts follows. Version 6 (RocksDB 8.x: a new
 * footer with a context checksum) and up are unsupported.
 */
import { readUint32LE } from './coding.js';
import { DecodeError, UnsupportedFormatError } from './errors.js';
import { BLOCK_TRAILER_SIZE, CHECKSUM_CRC32C, decodeBlockHandle, type BlockHandle } from './block.js';
import { varintLength } from '../../util/varint.js';

// --- wire format ---
export const ROCKSDB_FOOTER_SIZE = 53;
export const LEVELDB_FOOTER_SIZE = 48;
const HANDLES_SIZE = 40;
const ROCKSDB_MAGIC_LO = 0x85f4cff7;
const ROCKSDB_MAGIC_HI = 0x88e241b7;
const LEVELDB_MAGIC_LO = 0x8b80fb57;
const LEVELDB_MAGIC_HI = 0xdb477524;
const SUPPORTED_ROCKSDB_VERSIONS = [1, 2, 3, 4, 5];

export interface Footer {
  format: 'rocksdb' | 'leveldb';
  formatVersion: number;
  checksumType: number;
  metaindex: BlockHandle;
  index: BlockHandle;
  /** file offset where the footer starts: every block must end before it */
  footerOffset: number;
}

/** Decodes the footer from `tail`, the last ROCKSDB_FOOTER_SIZE (or fewer) bytes of a file of `fileSize` bytes. */
export function decodeFooter(tail: Buffer, fileSize: number): Footer {
  const end = tail.length;
  if (end < LEVELDB_FOOTER_SIZE) throw new DecodeError('file too short for a table footer', 0);
  const magicLo = readUint32LE(tail, end - 8);
  const magicHi = readUint32LE(tail, end - 4);
  let footer: Footer;
  if (magicLo === ROCKSDB_MAGIC_LO && magicHi === ROCKSDB_MAGIC_HI) {
    if (end < ROCKSDB_FOOTER_SIZE) throw new DecodeError('file too short for a table footer', 0);
    const start = end - ROCKSDB_FOOTER_SIZE;
    const formatVersion = readUint32LE(tail, end - 12);
    if (!SUPPORTED_ROCKSDB_VERSIONS.includes(formatVersion)) {
      throw new UnsupportedFormatError(`unsupported table format version ${formatVersion}`, start);
    }
    const handles = readHandles(tail.subarray(start + 1, start + 1 + HANDLES_SIZE));
    footer = { format: 'rocksdb', formatVersion, checksumType: tail[start]!, ...handles, footerOffset: fileSize - ROCKSDB_FOOTER_SIZE };
  } else if (magicLo === LEVELDB_MAGIC_LO && magicHi === LEVELDB_MAGIC_HI) {
    const start = end - LEVELDB_FOOTER_SIZE;
    const handles = readHandles(tail.subarray(start, start + HANDLES_SIZE));
    footer = { format: 'leveldb', formatVersion: 0, checksumType: CHECKSUM_CRC32C, ...handles, footerOffset: fileSize - LEVELDB_FOOTER_SIZE };
  } else {
    throw new DecodeError('bad table magic number', end - 8);
  }
  for (const handle of [footer.metaindex, footer.index]) {
    if (handle.offset + handle.length + BLOCK_TRAILER_SIZE > footer.footerOffset) {
      throw new DecodeError('footer block handle points past the footer', end - 8);
    }
  }
  return footer;
}

function readHandles(buf: Buffer): { metaindex: BlockHandle; index: BlockHandle } {
  const metaindex = decodeBlockHandle(buf);
  const rest = buf.subarray(encodedLength(metaindex));
  return { metaindex, index: decodeBlockHandle(rest) };
}

function encodedLength(handle: BlockHandle): number {
  return varintLength(handle.offset) + varintLength(handle.length);
}

