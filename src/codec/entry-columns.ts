/**
 * Colfer entries (spec §5.7, colfer.ts) decoded into columns of plain numbers, for the paths that stream hundreds
 * of thousands of entries and only print them: no object, bigint or Buffer view per entry.
 *
 * Each uint64 field is kept as its two unsigned 32-bit halves (`hi[i * 8 + field]`, `lo[…]`, field numbers as the
 * Colfer headers: 0 term, 1 index, 3 key, 4 client ID, 5 series ID, 6 responded-to), so values past 2^53 stay
 * exact; `cmd` is the byte range [cmdStart, cmdEnd) of `bufs[i]`.
 *
 * Only well-formed records are taken: `push` says no to anything decodeEntry would reject (and the caller asks
 * decodeEntry for the reason), so both decoders accept exactly the same records.
 */
import { decodeEntry, type Entry } from './colfer.js';

export const FIELD_TERM = 0;
export const FIELD_INDEX = 1;
export const FIELD_KEY = 3;
export const FIELD_CLIENT_ID = 4;
export const FIELD_SERIES_ID = 5;
export const FIELD_RESPONDED_TO = 6;

const TWO_32 = 4294967296;

export class EntryColumns {
  count = 0;
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  readonly types: Int32Array;
  readonly bufs: Buffer[];
  readonly cmdStart: Int32Array;
  readonly cmdEnd: Int32Array;

  constructor(readonly capacity: number) {
    this.hi = new Uint32Array(capacity * 8);
    this.lo = new Uint32Array(capacity * 8);
    this.types = new Int32Array(capacity);
    this.bufs = new Array<Buffer>(capacity);
    this.cmdStart = new Int32Array(capacity);
    this.cmdEnd = new Int32Array(capacity);
  }

  /** The index of entry i as a number when below 2^53, else -1 (then use `field(i, FIELD_INDEX)`). */
  indexNumber(i: number): number {
    const hi = this.hi[i * 8 + FIELD_INDEX]!;
    return hi < 0x200000 ? hi * TWO_32 + this.lo[i * 8 + FIELD_INDEX]! : -1;
  }

  /** A uint64 field of entry i, exact. */
  field(i: number, field: number): bigint {
    return (BigInt(this.hi[i * 8 + field]!) << 32n) | BigInt(this.lo[i * 8 + field]!);
  }

  /** Entry i as the Entry decodeEntry makes (`cmd` a view of the record). */
  toEntry(i: number): Entry {
    const buf = this.bufs[i]!;
    return {
      term: this.field(i, FIELD_TERM),
      index: this.field(i, FIELD_INDEX),
      type: this.types[i]!,
      key: this.field(i, FIELD_KEY),
      clientId: this.field(i, FIELD_CLIENT_ID),
      seriesId: this.field(i, FIELD_SERIES_ID),
      respondedTo: this.field(i, FIELD_RESPONDED_TO),
      cmd: this.cmdEnd[i]! > this.cmdStart[i]! ? buf.subarray(this.cmdStart[i]!, this.cmdEnd[i]!) : Buffer.alloc(0),
    };
  }

  /** Keeps the first `n` entries (0: empties the columns for refilling). */
  truncate(n: number): void {
    this.count = n;
  }

  /**
   * Decodes the Colfer record buf[start, end) into the next row. Returns false, taking nothing, when the record
   * is not well-formed or the columns are full.
   */
  push(buf: Buffer, start: number, end: number): boolean {
    const i = this.count;
    if (i === this.capacity || start >= end || end > buf.length) return false;
    const base = i * 8;
    const hi = this.hi;
    const lo = this.lo;
    for (let f = 0; f < 8; f++) {
      hi[base + f] = 0;
      lo[base + f] = 0;
    }
    let type = 0;
    let cmdStart = 0;
    let cmdEnd = 0;
    let pos = start;
    let header = buf[pos++]!;
    // the fields in order: 0, 1 (uint64), 2 (type), 3–6 (uint64), 7 (cmd), then 0x7f
    for (let field = 0; field <= 6; field++) {
      if ((header & 0x7f) !== field) continue;
      if (field === 2) {
        let x = 0;
        let multiplier = 1;
        let done = false;
        for (let k = 0; k < 5 && pos < end; k++) {
          const b = buf[pos++]!;
          if (b < 0x80) {
            x += b * multiplier;
            done = true;
            break;
          }
          x += (b & 0x7f) * multiplier;
          multiplier *= 128;
        }
        if (!done) return false;
        type = header === 0x82 ? -x | 0 : x | 0;
      } else if (header & 0x80) {
        if (pos + 8 > end) return false;
        hi[base + field] = ((buf[pos]! << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!) >>> 0;
        lo[base + field] = ((buf[pos + 4]! << 24) | (buf[pos + 5]! << 16) | (buf[pos + 6]! << 8) | buf[pos + 7]!) >>> 0;
        pos += 8;
      } else {
        // a varint: 7 bytes carry 49 bits (exact in a double); bytes 8 and 9 (non-canonical) complete 64 bits
        let value = 0;
        let multiplier = 1;
        let done = false;
        for (let k = 0; k < 7; k++) {
          if (pos >= end) return false;
          const b = buf[pos++]!;
          if (b < 0x80) {
            value += b * multiplier;
            done = true;
            break;
          }
          value += (b & 0x7f) * multiplier;
          multiplier *= 128;
        }
        if (!done) {
          if (pos >= end) return false;
          let big = BigInt(value);
          let b = buf[pos++]!;
          if (b < 0x80) big |= BigInt(b) << 49n;
          else {
            big |= BigInt(b & 0x7f) << 49n;
            if (pos >= end) return false;
            b = buf[pos++]!;
            big = (big | (BigInt(b) << 56n)) & 0xffffffffffffffffn;
          }
          hi[base + field] = Number(big >> 32n);
          lo[base + field] = Number(big & 0xffffffffn);
        } else {
          hi[base + field] = Math.floor(value / TWO_32);
          lo[base + field] = value >>> 0;
        }
      }
      if (pos >= end) return false;
      header = buf[pos++]!;
    }
    if (header === 7) {
      let length = 0;
      let multiplier = 1;
      let done = false;
      for (let k = 0; k < 8 && pos < end; k++) {
        const b = buf[pos++]!;
        if (b < 0x80) {
          length += b * multiplier;
          done = true;
          break;
        }
        length += (b & 0x7f) * multiplier;
        multiplier *= 128;
      }
      if (!done || length > end - pos) return false;
      cmdStart = pos;
      cmdEnd = pos + length;
      pos += length;
      if (pos >= end) return false;
      header = buf[pos++]!;
    }
    if (header !== 0x7f || pos !== end) return false;
    this.types[i] = type;
    this.bufs[i] = buf;
    this.cmdStart[i] = cmdStart;
    this.cmdEnd[i] = cmdEnd;
    this.count = i + 1;
    return true;
  }
}

/** A uint64 field of entries as a bigint, made again only when its value changes (a log repeats its term). */
export class RepeatedField {
  private hi = -1;
  private lo = -1;
  private value = 0n;

  constructor(private readonly field: number) {}

  of(columns: EntryColumns, i: number): bigint {
    const hi = columns.hi[i * 8 + this.field]!;
    const lo = columns.lo[i * 8 + this.field]!;
    if (hi !== this.hi || lo !== this.lo) {
      this.hi = hi;
      this.lo = lo;
      this.value = columns.field(i, this.field);
    }
    return this.value;
  }
}

/** Decodes records into columns; a record that does not decode throws decodeEntry's CodecError. */
export function pushEntry(columns: EntryColumns, buf: Buffer, start = 0, end = buf.length): void {
  if (columns.push(buf, start, end)) return;
  decodeEntry(buf, start, end);
  throw new Error('codec/colfer: internal error: an entry decodeEntry accepts was refused by the columns decoder');
}
