/**
 * Raft entries in Dragonboat's Colfer encoding (spec §5.7, raftpb/raft_optimized.go).
 *
 * An entry is NOT protobuf. It is a sequence of optional fields in a fixed order, each introduced by a one-byte
 * header, and terminated by the byte 0x7f. A field whose value is zero is left out, so an all-zero entry is the
 * single byte `7f`.
 *
 *     header     field         encoding
 *     00 / 80    Term          uint64 (see below)
 *     01 / 81    Index         uint64
 *     02 / 82    Type          int32: header 02 + varint(value), or 82 + varint(−value) when negative
 *     03 / 83    Key           uint64
 *     04 / 84    ClientID      uint64
 *     05 / 85    SeriesID      uint64
 *     06 / 86    RespondedTo   uint64
 *     07         Cmd           varint(length) then the bytes; left out when empty
 *     7f         end
 *
 * A uint64 below 2^49 is written as header `n` plus a LEB128 varint (at most 7 bytes); from 2^49 up it is
 * header `n | 0x80` plus 8 big-endian bytes. Random request keys, client IDs and the session series IDs
 * 2^64−2 / 2^64−1 therefore usually take the 9-byte fixed form.
 *
 * The decoder accepts what Dragonboat's accepts — any subset of the fields, in this order, and also varints
 * of values ≥ 2^49 (up to 9 bytes, the 9th contributing all 8 bits) — but is strict about framing: the record
 * must end with 0x7f exactly at `end`. It is on the hot path, so it reads integers with plain numbers where
 * they fit and hands `cmd` out as a view into the input buffer (copy it if the buffer is reused).
 */

import { CodecError } from './errors.js';
import { MAX_UINT64 } from './uint64.js';
import { varintLength, writeVarint } from '../util/varint.js';

export interface Entry {
  term: bigint;
  index: bigint;
  /** EntryType (§5.11): 0 ApplicationEntry, 1 ConfigChangeEntry, 2 EncodedEntry, 3 MetadataEntry. int32. */
  type: number;
  key: bigint;
  clientId: bigint;
  seriesId: bigint;
  respondedTo: bigint;
  /** Empty Buffer when absent. */
  cmd: Buffer;
}

/** Colfer terminator byte. */
export const COLFER_END = 0x7f;
/** Dragonboat's settings.EntryNonCmdFieldsSize: the per-entry overhead used by SizeUpperLimit. */
export const ENTRY_NON_CMD_FIELDS_SIZE = 128;

const FIXED_FORM_THRESHOLD = 1n << 49n;
const EMPTY: Buffer = Buffer.alloc(0);

/** An entry with every field zero and an empty cmd. */
export function emptyEntry(): Entry {
  return { term: 0n, index: 0n, type: 0, key: 0n, clientId: 0n, seriesId: 0n, respondedTo: 0n, cmd: EMPTY };
}

/** Dragonboat's Entry.SizeUpperLimit: 128 + len(cmd). Used for IterateEntries size budgets (§8.5). */
export function sizeUpperLimit(e: Entry): number {
  return ENTRY_NON_CMD_FIELDS_SIZE + e.cmd.length;
}

// ---- Encoding ---------------------------------------------------------------------------------------------

function u64FieldSize(x: bigint, what: string): number {
  if (x === 0n) return 0;
  if (x < 0n || x > MAX_UINT64) throw new RangeError(`entry ${what} ${x} is not an unsigned 64-bit integer`);
  if (x >= FIXED_FORM_THRESHOLD) return 9;
  return 1 + varintLength(Number(x));
}

function typeFieldSize(type: number): number {
  if (type === 0) return 0;
  if (!Number.isInteger(type) || type < -0x80000000 || type > 0x7fffffff) {
    throw new RangeError(`entry type ${type} is not a 32-bit integer`);
  }
  return 1 + varintLength(Math.abs(type));
}

/** The exact number of bytes encodeEntry produces (Dragonboat's Entry.Size). */
export function entryEncodedSize(e: Entry): number {
  let size = 1; // terminator
  size += u64FieldSize(e.term, 'term');
  size += u64FieldSize(e.index, 'index');
  size += typeFieldSize(e.type);
  size += u64FieldSize(e.key, 'key');
  size += u64FieldSize(e.clientId, 'client ID');
  size += u64FieldSize(e.seriesId, 'series ID');
  size += u64FieldSize(e.respondedTo, 'responded-to');
  const cmdLength = e.cmd.length;
  if (cmdLength !== 0) size += 1 + varintLength(cmdLength) + cmdLength;
  return size;
}

function writeU64Field(buf: Buffer, pos: number, header: number, x: bigint): number {
  if (x === 0n) return pos;
  if (x >= FIXED_FORM_THRESHOLD) {
    buf[pos] = header | 0x80;
    buf.writeBigUInt64BE(x, pos + 1);
    return pos + 9;
  }
  buf[pos++] = header;
  return writeVarint(buf, pos, Number(x));
}

/**
 * Writes the Colfer bytes of `e` into `buf` at `offset` and returns the offset after the terminator. The
 * caller must have made room for entryEncodedSize(e) bytes (which also validates the fields).
 */
export function encodeEntryInto(e: Entry, buf: Buffer, offset: number): number {
  let pos = offset;
  pos = writeU64Field(buf, pos, 0, e.term);
  pos = writeU64Field(buf, pos, 1, e.index);
  if (e.type !== 0) {
    if (e.type > 0) {
      buf[pos++] = 2;
      pos = writeVarint(buf, pos, e.type);
    } else {
      buf[pos++] = 2 | 0x80;
      pos = writeVarint(buf, pos, -e.type);
    }
  }
  pos = writeU64Field(buf, pos, 3, e.key);
  pos = writeU64Field(buf, pos, 4, e.clientId);
  pos = writeU64Field(buf, pos, 5, e.seriesId);
  pos = writeU64Field(buf, pos, 6, e.respondedTo);
  const cmdLength = e.cmd.length;
  if (cmdLength !== 0) {
    buf[pos++] = 7;
    pos = writeVarint(buf, pos, cmdLength);
    pos += e.cmd.copy(buf, pos);
  }
  buf[pos++] = COLFER_END;
  return pos;
}

/** The Colfer bytes of `e`, exactly as Dragonboat's Entry.MarshalTo writes them. */
export function encodeEntry(e: Entry): Buffer {
  const size = entryEncodedSize(e);
  const buf = Buffer.allocUnsafe(size);
  const end = encodeEntryInto(e, buf, 0);
  if (end !== size) throw new Error(`colfer: internal size mismatch (${end} != ${size})`);
  return buf;
}

// ---- Decoding ---------------------------------------------------------------------------------------------

// Decoder scratch state: the position after the last integer read. JavaScript is single-threaded and the
// decoder never re-enters itself, so one module-level slot avoids allocating a result object per field.
let cursor = 0;

function fail(message: string, pos: number, start: number): never {
  throw new CodecError(`codec/colfer: ${message} at byte ${pos - start}`);
}

/** Reads a Colfer uint64 varint (≤ 9 bytes, the 9th contributes 8 bits) starting at `pos`; sets `cursor`. */
function readU64Varint(buf: Buffer, pos: number, end: number, start: number, field: number): bigint {
  // The first 7 bytes carry 49 bits: exact in a double.
  let low = 0;
  let multiplier = 1;
  for (let i = 0; i < 7; i++) {
    if (pos >= end) fail('truncated varint', pos, start);
    const b = buf[pos++]!;
    if (b < 0x80) {
      cursor = pos;
      const n = low + b * multiplier;
      if (n === lastNumber[field]) return lastNumberValue[field]!;
      const value = BigInt(n);
      lastNumber[field] = n;
      lastNumberValue[field] = value;
      return value;
    }
    low += (b & 0x7f) * multiplier;
    multiplier *= 128;
  }
  // Bytes 8 and 9 (rare: only non-canonical encoders write varints of values >= 2^49).
  let value = BigInt(low);
  if (pos >= end) fail('truncated varint', pos, start);
  let b = buf[pos++]!;
  if (b < 0x80) {
    cursor = pos;
    return value | (BigInt(b) << 49n);
  }
  value |= BigInt(b & 0x7f) << 49n;
  if (pos >= end) fail('truncated varint', pos, start);
  b = buf[pos++]!;
  cursor = pos;
  return (value | (BigInt(b) << 56n)) & MAX_UINT64;
}

// The last value each field decoded to, as its two 32-bit halves and as the bigint handed out. Consecutive entries
// mostly repeat a field (the term, a session's client ID and series ID): handing out the same immutable bigint again
// saves building one, which is most of the decoding cost.
const lastHi = new Float64Array(8).fill(-1);
const lastLo = new Float64Array(8).fill(-1);
const lastValue: bigint[] = new Array<bigint>(8).fill(0n);
/** the same for values read as varints (below 2^49) */
const lastNumber = new Float64Array(8).fill(-1);
const lastNumberValue: bigint[] = new Array<bigint>(8).fill(0n);

/** Reads the value of uint64 field `field` whose header byte was at pos − 1; sets `cursor`. */
function readU64Field(buf: Buffer, pos: number, end: number, start: number, fixed: boolean, field: number): bigint {
  if (fixed) {
    if (pos + 8 > end) fail('truncated fixed-width uint64', pos, start);
    cursor = pos + 8;
    // Read as two 32-bit halves: cheaper than readBigUInt64BE when the high half is small.
    const hi = buf.readUInt32BE(pos);
    const lo = buf.readUInt32BE(pos + 4);
    if (hi === lastHi[field] && lo === lastLo[field]) return lastValue[field]!;
    const value = hi < 0x200000 ? BigInt(hi * 4294967296 + lo) : (BigInt(hi) << 32n) | BigInt(lo);
    lastHi[field] = hi;
    lastLo[field] = lo;
    lastValue[field] = value;
    return value;
  }
  return readU64Varint(buf, pos, end, start, field);
}

/** Reads a varint of at most `maxBytes` bytes as a number; sets `cursor`. */
function readSmallVarint(buf: Buffer, pos: number, end: number, start: number, maxBytes: number, what: string): number {
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < maxBytes; i++) {
    if (pos >= end) fail(`truncated ${what}`, pos, start);
    const b = buf[pos++]!;
    if (b < 0x80) {
      cursor = pos;
      return value + b * multiplier;
    }
    value += (b & 0x7f) * multiplier;
    multiplier *= 128;
  }
  return fail(`${what} varint longer than ${maxBytes} bytes`, pos, start);
}

/**
 * Decodes one Colfer entry occupying exactly buf[start, end): the fields in order, then the 0x7f terminator
 * as the last byte. Throws CodecError on empty, truncated or trailing input and on out-of-order or unknown
 * headers. `cmd` is a view into `buf`.
 */
export function decodeEntry(buf: Buffer, start = 0, end: number = buf.length): Entry {
  if (start < 0 || end > buf.length || start > end) {
    throw new CodecError(`codec/colfer: invalid range [${start}, ${end}) of a ${buf.length}-byte buffer`);
  }
  if (start === end) throw new CodecError('codec/colfer: empty entry record');
  let pos = start;
  let term = 0n;
  let index = 0n;
  let type = 0;
  let key = 0n;
  let clientId = 0n;
  let seriesId = 0n;
  let respondedTo = 0n;
  let cmd: Buffer = EMPTY;

  let header = buf[pos++]!;
  if ((header & 0x7f) === 0) {
    term = readU64Field(buf, pos, end, start, header === 0x80, 0);
    pos = cursor;
    if (pos >= end) fail('missing terminator', pos, start);
    header = buf[pos++]!;
  }
  if ((header & 0x7f) === 1) {
    index = readU64Field(buf, pos, end, start, header === 0x81, 1);
    pos = cursor;
    if (pos >= end) fail('missing terminator', pos, start);
    header = buf[pos++]!;
  }
  if ((header & 0x7f) === 2) {
    const x = readSmallVarint(buf, pos, end, start, 5, 'type');
    pos = cursor;
    // Go: EntryType(x) for 02, EntryType(^x + 1) = −x for 82, both keeping the low 32 bits as an int32.
    type = header === 0x82 ? -x | 0 : x | 0;
    if (pos >= end) fail('missing terminator', pos, start);
    header = buf[pos++]!;
  }
  if ((header & 0x7f) === 3) {
    key = readU64Field(buf, pos, end, start, header === 0x83, 3);
    pos = cursor;
    if (pos >= end) fail('missing terminator', pos, start);
    header = buf[pos++]!;
  }
  if ((header & 0x7f) === 4) {
    clientId = readU64Field(buf, pos, end, start, header === 0x84, 4);
    pos = cursor;
    if (pos >= end) fail('missing terminator', pos, start);
    header = buf[pos++]!;
  }
  if ((header & 0x7f) === 5) {
    seriesId = readU64Field(buf, pos, end, start, header === 0x85, 5);
    pos = cursor;
    if (pos >= end) fail('missing terminator', pos, start);
    header = buf[pos++]!;
  }
  if ((header & 0x7f) === 6) {
    respondedTo = readU64Field(buf, pos, end, start, header === 0x86, 6);
    pos = cursor;
    if (pos >= end) fail('missing terminator', pos, start);
    header = buf[pos++]!;
  }
  if (header === 7) {
    const length = readSmallVarint(buf, pos, end, start, 8, 'cmd length');
    pos = cursor;
    if (length > end - pos) fail(`cmd of ${length} bytes overruns the record`, pos, start);
    if (length > 0) cmd = buf.subarray(pos, pos + length);
    pos += length;
    if (pos >= end) fail('missing terminator', pos, start);
    header = buf[pos++]!;
  }
  if (header !== COLFER_END) {
    fail(`unknown or out-of-order header 0x${header.toString(16).padStart(2, '0')}`, pos - 1, start);
  }
  if (pos !== end) fail(`${end - pos} trailing bytes after the terminator`, pos, start);
  return { term, index, type, key, clientId, seriesId, respondedTo, cmd };
}
