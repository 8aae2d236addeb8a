/**
 * A minimal protobuf wire reader for the hand-written decoders of messages-wire.ts: varints, length-delimited
 * fields and the skipping of unknown fields, within the bounds of one buffer or one nested message.
 *
 * It reads only well-formed input the way protobufjs does and refuses everything else with a WireError: a
 * varint past 10 bytes or cut short, a tag past 32 bits or with field number 0, a length past 2^31 − 1 or past
 * the end, groups (wire types 3 and 4, which no Dragonboat message uses) and wire types 6 and 7. The decoders
 * then hand the input to protobufjs, which gives damaged input its usual error (or, for anything it accepts,
 * its usual result).
 */

export class WireError extends Error {}

export class WireReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    pos: number,
    /** the end of the message being read (exclusive) */
    readonly end: number,
  ) {
    this.pos = pos;
  }

  /** The next field's tag: field number × 8 + wire type. */
  tag(): number {
    const buf = this.buf;
    let pos = this.pos;
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= this.end) throw new WireError('truncated tag');
      const b = buf[pos++]!;
      if (shift === 28 && b > 0x0f) throw new WireError('tag past 32 bits');
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) {
        if (value < 8) throw new WireError('field number 0');
        this.pos = pos;
        return value;
      }
    }
    throw new WireError('tag past 32 bits');
  }

  /**
   * A varint as its low and high 32 bits (bits past 64 are dropped, as protobufjs and Go drop them); sets
   * `this.low` and `this.high`.
   */
  private varint(): void {
    const buf = this.buf;
    let pos = this.pos;
    let low = 0;
    let high = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= this.end) throw new WireError('truncated varint');
      const b = buf[pos++]!;
      const bits = b & 0x7f;
      if (i < 4) low |= bits << (7 * i);
      else if (i === 4) {
        low |= bits << 28;
        high = bits >>> 4;
      } else high |= bits << (7 * i - 32);
      if (b < 0x80) {
        this.pos = pos;
        this.low = low >>> 0;
        this.high = high >>> 0;
        return;
      }
    }
    throw new WireError('varint past 10 bytes');
  }

  private low = 0;
  private high = 0;

  uint64(): bigint {
    this.varint();
    if (this.high === 0) return BigInt(this.low);
    return (BigInt(this.high) << 32n) | BigInt(this.low);
  }

  /** The low 32 bits of a varint, unsigned (uint32) */
  uint32(): number {
    this.varint();
    return this.low;
  }

  /** The low 32 bits of a varint, signed (int32; negative values take 10 bytes on the wire) */
  int32(): number {
    this.varint();
    return this.low | 0;
  }

  /** A varint as a bool: true when any of its bits is set, however long it is. */
  bool(): boolean {
    const buf = this.buf;
    let pos = this.pos;
    let any = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= this.end) throw new WireError('truncated varint');
      const b = buf[pos++]!;
      any |= b & 0x7f;
      if (b < 0x80) {
        this.pos = pos;
        return any !== 0;
      }
    }
    throw new WireError('varint past 10 bytes');
  }

  /** A length-delimited field's body: returns its end; its start is `this.pos`. */
  delimited(): number {
    const buf = this.buf;
    let pos = this.pos;
    let length = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= this.end) throw new WireError('truncated length');
      const b = buf[pos++]!;
      if (shift === 28 && b > 0x07) throw new WireError('length past 2^31 - 1');
      length += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    if (length > this.end - pos) throw new WireError('length past the end');
    this.pos = pos;
    return pos + length;
  }

  string(): string {
    const end = this.delimited();
    const text = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return text;
  }

  /** A bytes field, copied out of the input. */
  bytes(): Buffer {
    const end = this.delimited();
    const copy = Buffer.from(this.buf.subarray(this.pos, end));
    this.pos = end;
    return copy;
  }

  /** Skips the value of a field this message does not know (or knows with another wire type). */
  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.bool();
        return;
      case 1:
        this.fixed(8);
        return;
      case 2:
        this.pos = this.delimited();
        return;
      case 5:
        this.fixed(4);
        return;
      default:
        throw new WireError(`wire type ${wireType}`);
    }
  }

  private fixed(n: number): void {
    if (n > this.end - this.pos) throw new WireError('truncated fixed-width value');
    this.pos += n;
  }
}
