/**
 * Table blocks: block handles, the 5-byte block trailer, and the key/value entry encoding inside a block.
 *
 * Wire format (RocksDB block-based table, as Pebble writes it):
 *   - a block handle is two uvarints, offset and length; length excludes the trailer. Index values are handles
 *     (newer Pebble versions append encoded block properties, which are ignored here).
 *   - on disk each block is followed by a 5-byte trailer: compression type u8 (0 none, 1 Snappy), then a u32 LE
 *     checksum over the block bytes and the compression type byte. The footer names the checksum type: 1 is the
 *     masked CRC-32C (what Pebble writes), 0 none; RocksDB's xxHash types 2–4 are registered by src/kv/rocksdb/.
 *   - a block is a run of entries, then the restart array (u32 LE offsets of entries whose key is stored whole),
 *     then the restart count (u32 LE). An entry is uvarint shared | uvarint unshared | uvarint value length |
 *     unshared key bytes | value; its key is the first `shared` bytes of the previous key followed by the unshared
 *     bytes.
 *   - data and range-deletion blocks key their entries by internal key (internal-key.ts); index blocks by internal
 *     separator keys; metaindex and properties blocks by plain names.
 */
import { createRequire } from 'node:module';
import { crc32c, maskCrc } from '../../util/crc32c.js';
import { readUint32LE } from './coding.js';
import { DecodeError, UnsupportedFormatError } from './errors.js';
import { TRAILER_LENGTH, trailerSeq } from './internal-key.js';

// --- wire format ---
export const BLOCK_TRAILER_SIZE = 5;
export const COMPRESSION_NONE = 0;
export const COMPRESSION_SNAPPY = 1;
export const CHECKSUM_NONE = 0;
export const CHECKSUM_CRC32C = 1;

/**
 * Block checksums other than CRC-32C, by footer checksum type: RocksDB's xxHash family, registered by
 * src/kv/rocksdb/checksums.ts (their WebAssembly hashers load asynchronously, before a RocksDB shard is opened).
 * Each returns the checksum of `raw[0, length]` (block bytes and compression type byte) as stored in the trailer.
 */
const otherChecksums = new Map<number, (raw: Buffer, length: number) => number>();

export function registerBlockChecksum(type: number, checksum: (raw: Buffer, length: number) => number): void {
  otherChecksums.set(type, checksum);
}

/**
 * snappyjs is CommonJS without type declarations: load it through require, on first use (Dragonboat's tables are
 * mostly uncompressed), and type the one function used.
 */
let snappy: { uncompress(data: Buffer, maxLength?: number): Buffer } | undefined;
const loadSnappy = () => (snappy ??= createRequire(import.meta.url)('snappyjs') as { uncompress(data: Buffer, maxLength?: number): Buffer });

export interface BlockHandle {
  offset: number;
  length: number;
}

/** The handle encoded at the start of `buf` (trailing bytes are ignored). Throws DecodeError. */
export function decodeBlockHandle(buf: Buffer): BlockHandle {
  const offset = readVarint(buf, 0, buf.length);
  const length = readVarint(buf, varintEnd, buf.length);
  return { offset, length };
}

/**
 * Verifies the trailer of a physical block (`raw` = block bytes ‖ 5-byte trailer) and returns the block contents,
 * decompressed. Throws DecodeError with offset 0 (the caller knows where the block is).
 */
export function unwrapBlock(raw: Buffer, checksumType: number): Buffer {
  const length = raw.length - BLOCK_TRAILER_SIZE;
  const compression = raw[length]!;
  if (checksumType === CHECKSUM_CRC32C) {
    const stored = readUint32LE(raw, length + 1);
    if (maskCrc(crc32c(raw, 0, length + 1)) !== stored) throw new DecodeError('bad block checksum', 0);
  } else if (checksumType !== CHECKSUM_NONE) {
    const checksum = otherChecksums.get(checksumType);
    if (!checksum) throw new UnsupportedFormatError(`unsupported checksum type ${checksumType}`, 0);
    if (checksum(raw, length) !== readUint32LE(raw, length + 1)) throw new DecodeError('bad block checksum', 0);
  }
  const contents = raw.subarray(0, length);
  if (compression === COMPRESSION_NONE) return contents;
  if (compression === COMPRESSION_SNAPPY) {
    try {
      return loadSnappy().uncompress(contents);
    } catch (err) {
      throw new DecodeError(`bad Snappy block (${(err as Error).message})`, 0);
    }
  }
  throw new UnsupportedFormatError(`unsupported block compression type ${compression}`, 0);
}

/** Set by readVarint: the offset just past the varint it decoded. */
let varintEnd = 0;

/** A uvarint of at most 7 bytes (< 2^49) at `pos`, below `end`; throws DecodeError. Sets varintEnd. */
function readVarint(buf: Uint8Array, pos: number, end: number): number {
  let b = pos < end ? buf[pos]! : 256;
  if (b < 0x80) {
    varintEnd = pos + 1;
    return b;
  }
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 7; i++) {
    if (pos + i >= end) throw new DecodeError('truncated varint', pos);
    b = buf[pos + i]!;
    result += (b & 0x7f) * scale;
    if (b < 0x80) {
      varintEnd = pos + i + 1;
      return result;
    }
    scale *= 128;
  }
  throw new DecodeError('varint too long', pos);
}

/** Where the entries of a block end (the restart array starts); validates the restart array. */
function entriesEnd(block: Buffer): number {
  if (block.length < 4) throw new DecodeError('block shorter than its restart count', 0);
  const numRestarts = readUint32LE(block, block.length - 4);
  // RocksDB's data_block_index_type=kDataBlockBinaryAndHash marks its hash index in the top bit
  if (numRestarts >= 0x80000000) throw new UnsupportedFormatError('unsupported data block index (kDataBlockBinaryAndHash)', block.length - 4);
  const end = block.length - 4 - 4 * numRestarts;
  if (numRestarts === 0 || end < 0) throw new DecodeError(`bad restart count ${numRestarts}`, block.length - 4);
  return end;
}

/**
 * Walks the entries of a block, calling `visit(key, valueStart, valueEnd)`. `key` is a fresh Buffer for entries that
 * share a prefix and a view into `block` for those that do not; either way it is never modified afterwards.
 */
function forEachEntry(block: Buffer, visit: (key: Buffer, valueStart: number, valueEnd: number) => void): void {
  const end = entriesEnd(block);
  let prev: Buffer = EMPTY;
  let p = 0;
  while (p < end) {
    const entryStart = p;
    const shared = readVarint(block, p, end);
    const unshared = readVarint(block, varintEnd, end);
    const valueLength = readVarint(block, varintEnd, end);
    p = varintEnd;
    if (shared > prev.length) throw new DecodeError('entry shares more bytes than the previous key has', entryStart);
    const valueStart = p + unshared;
    const valueEnd = valueStart + valueLength;
    if (valueEnd > end) throw new DecodeError('entry runs past the end of the block', entryStart);
    let key: Buffer;
    if (shared === 0) {
      key = block.subarray(p, valueStart);
    } else {
      key = Buffer.allocUnsafe(shared + unshared);
      for (let i = 0; i < shared; i++) key[i] = prev[i]!;
      for (let i = 0; i < unshared; i++) key[shared + i] = block[p + i]!;
    }
    visit(key, valueStart, valueEnd);
    prev = key;
    p = valueEnd;
  }
}

const EMPTY = Buffer.alloc(0);

/** A decoded block of named entries (metaindex, properties). */
export function decodeNamedBlock(block: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  forEachEntry(block, (key, vs, ve) => out.set(key.toString('latin1'), block.subarray(vs, ve)));
  return out;
}

/**
 * A decoded data block: parallel arrays, one slot per entry, in internal-key order. The internal keys are rebuilt
 * one after the other into `keys` (prefix compression undone); entry i's user key is keys[keyStarts[i], keyEnds[i]).
 * No Buffer is made per key: a block is mostly read through, and views are made only for the keys handed out.
 */
export interface DataBlock {
  count: number;
  keys: Buffer;
  keyStarts: Int32Array;
  keyEnds: Int32Array;
  seqs: Float64Array;
  kinds: Uint8Array;
  block: Buffer;
  valueStarts: Int32Array;
  valueEnds: Int32Array;
}

/** The user key of entry i of `b`, as a view. */
export function blockUserKey(b: DataBlock, i: number): Buffer {
  return b.keys.subarray(b.keyStarts[i]!, b.keyEnds[i]!);
}

/**
 * Where decoded keys are rebuilt: slabs shared by every decode, each key 4-byte aligned so that a shared prefix is
 * copied a word at a time (`slabWords`). Keys handed out are views into the slabs, so a slab is never reused: a new
 * one is started when it is full (one allocation per many blocks, not one per block).
 */
let slab = Buffer.allocUnsafeSlow(0);
let slabWords = new Int32Array(0);
let slabUsed = 0;
const SLAB_SIZE = 128 * 1024;

/** Starts a new slab of at least `min` bytes holding a copy of slab[from, to) at its start. */
function newSlab(min: number, from: number, to: number): void {
  // a multiple of 8, so that the 8-byte aligned start of the next block's keys stays inside it
  const next = Buffer.allocUnsafeSlow((Math.max(SLAB_SIZE, min) + 7) & ~7);
  slab.copy(next, 0, from, to);
  slab = next;
  slabWords = new Int32Array(next.buffer, next.byteOffset, next.length >> 2);
  slabUsed = 0;
}

let arraySlab = new ArrayBuffer(0);
let arraySlabUsed = 0;

/** Typed arrays for `capacity` entries, carved from a shared slab like the keys. */
function entryArrays(capacity: number) {
  const bytes = (capacity * 25 + 7) & ~7;
  if (arraySlabUsed + bytes > arraySlab.byteLength) {
    arraySlab = new ArrayBuffer(Math.max(SLAB_SIZE, bytes));
    arraySlabUsed = 0;
  }
  const ab = arraySlab;
  const at = arraySlabUsed;
  arraySlabUsed += bytes;
  return {
    seqs: new Float64Array(ab, at, capacity),
    keyStarts: new Int32Array(ab, at + capacity * 8, capacity),
    keyEnds: new Int32Array(ab, at + capacity * 12, capacity),
    valueStarts: new Int32Array(ab, at + capacity * 16, capacity),
    valueEnds: new Int32Array(ab, at + capacity * 20, capacity),
    kinds: new Uint8Array(ab, at + capacity * 24, capacity),
  };
}

/** Decodes a block keyed by internal keys (data and range-deletion blocks). */
export function decodeDataBlock(block: Buffer): DataBlock {
  const end = entriesEnd(block);
  // A guess at the entry count: restarts come every 16 entries by default, and prefix compression makes entries as
  // small as 4 bytes; the arrays grow if needed.
  const restarts = (block.length - 4 - end) >> 2;
  let capacity = Math.min(restarts * 16, (end >> 2) + 1);
  let a = entryArrays(capacity);
  // keys go straight into the current slab, from `base` on
  let base = slabUsed;
  let prevStart = base;
  let prevLength = 0;
  let at = base;
  let n = 0;
  let p = 0;
  while (p < end) {
    const entryStart = p;
    // one-byte varints inline (the usual case for the two key lengths)
    let shared = block[p]!;
    let unshared = p + 1 < end ? block[p + 1]! : 128;
    if (shared < 128 && unshared < 128) {
      p += 2;
    } else {
      shared = readVarint(block, p, end);
      unshared = readVarint(block, varintEnd, end);
      p = varintEnd;
    }
    const valueLength = readVarint(block, p, end);
    p = varintEnd;
    const keyLength = shared + unshared;
    const valueStart = p + unshared;
    const valueEnd = valueStart + valueLength;
    if (shared > prevLength) throw new DecodeError('entry shares more bytes than the previous key has', entryStart);
    if (valueEnd > end) throw new DecodeError('entry runs past the end of the block', entryStart);
    if (keyLength < TRAILER_LENGTH) throw new DecodeError('internal key shorter than its trailer', entryStart);
    if (n === capacity) {
      capacity *= 2;
      const b = entryArrays(capacity);
      b.seqs.set(a.seqs);
      b.keyStarts.set(a.keyStarts);
      b.keyEnds.set(a.keyEnds);
      b.valueStarts.set(a.valueStarts);
      b.valueEnds.set(a.valueEnds);
      b.kinds.set(a.kinds);
      a = b;
    }
    if (at + keyLength + 4 > slab.length) {
      // the slab is full: this block's keys so far move to a new one
      newSlab(2 * (at - base + keyLength + 4), base, at);
      prevStart -= base;
      at -= base;
      base = 0;
    }
    const keys = slab;
    const words = slabWords;
    const sharedWords = shared >> 2;
    for (let i = 0, a4 = at >> 2, p4 = prevStart >> 2; i < sharedWords; i++) words[a4 + i] = words[p4 + i]!;
    for (let i = sharedWords << 2; i < shared; i++) keys[at + i] = keys[prevStart + i]!;
    for (let i = 0; i < unshared; i++) keys[at + shared + i] = block[p + i]!;
    const userEnd = at + keyLength - TRAILER_LENGTH;
    a.keyStarts[n] = at - base;
    a.keyEnds[n] = userEnd - base;
    a.kinds[n] = keys[userEnd]!;
    a.seqs[n] = trailerSeq(keys, userEnd);
    a.valueStarts[n] = valueStart;
    a.valueEnds[n] = valueEnd;
    n++;
    prevStart = at;
    prevLength = keyLength;
    at = (at + keyLength + 3) & ~3;
    p = valueEnd;
  }
  slabUsed = (at + 7) & ~7;
  return { count: n, keys: slab.subarray(base, at), block, ...a };
}

function grow<T extends Float64Array | Uint8Array | Int32Array | Buffer>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** A decoded index block: the separator user keys and the handles they point at. */
export interface IndexBlock {
  count: number;
  separators: Buffer[];
  offsets: number[];
  lengths: number[];
}

/** Decodes an index block; `keyIsUserKey` when the table says its index keys carry no trailer. */
export function decodeIndexBlock(block: Buffer, keyIsUserKey: boolean): IndexBlock {
  const index: IndexBlock = { count: 0, separators: [], offsets: [], lengths: [] };
  forEachEntry(block, (key, vs, ve) => {
    if (!keyIsUserKey && key.length < TRAILER_LENGTH) throw new DecodeError('index key shorter than its trailer', vs);
    index.separators.push(keyIsUserKey ? key : key.subarray(0, key.length - TRAILER_LENGTH));
    index.offsets.push(readVarint(block, vs, ve));
    index.lengths.push(readVarint(block, varintEnd, ve));
    index.count++;
  });
  return index;
}
