/**
 * The integer encodings shared by every Pebble file: unsigned LEB128 varints (7 bits per byte, low group first, high
 * bit = "more follows"; up to 5 bytes for a uint32, 10 for a uint64), little-endian fixed-width integers, and
 * length-prefixed byte strings (a uvarint length, then that many bytes).
 *
 * Numbers: uvarints decode to JS numbers and must fit in 2^53 − 1 (file numbers, sizes, lengths, counts); the
 * manifest's sequence numbers, which are uint64 on disk, decode to bigint with `uvarintBig`.
 */
import { DecodeError } from './errors.js';

/** A forward-only reader over `buf[pos, end)` that throws DecodeError (with the offset within buf) on bad input. */
export class Cursor {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
    readonly end = buf.length,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  byte(): number {
    if (this.pos >= this.end) throw new DecodeError('unexpected end of data', this.pos);
    return this.buf[this.pos++]!;
  }

  /** A uvarint that must be at most 2^53 − 1. */
  uvarint(): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) throw new DecodeError('truncated varint', start);
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) throw new DecodeError('varint exceeds 2^53 - 1', start);
        return result;
      }
      scale *= 128;
    }
    throw new DecodeError('varint exceeds 2^53 - 1', start);
  }

  /** A full uint64 uvarint. */
  uvarintBig(): bigint {
    const start = this.pos;
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new DecodeError('truncated varint', start);
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        if (result >= 1n << 64n) throw new DecodeError('varint overflows uint64', start);
        return result;
      }
      shift += 7n;
    }
    throw new DecodeError('varint overflows uint64', start);
  }

  bytes(n: number): Buffer {
    if (n > this.end - this.pos) throw new DecodeError(`length ${n} runs past the end of the data`, this.pos);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A uvarint length followed by that many bytes (a view, not a copy). */
  lengthPrefixed(): Buffer {
    const at = this.pos;
    const n = this.uvarint();
    if (n > this.end - this.pos) throw new DecodeError(`length ${n} runs past the end of the data`, at);
    return this.bytes(n);
  }

  uint32LE(): number {
    if (this.end - this.pos < 4) throw new DecodeError('unexpected end of data', this.pos);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
}

/** The uint32 little-endian at `pos`. */
export function readUint32LE(buf: Uint8Array, pos: number): number {
  return (buf[pos]! | (buf[pos + 1]! << 8) | (buf[pos + 2]! << 16) | (buf[pos + 3]! << 24)) >>> 0;
}
