/**
 * The Snappy framing format (golang/snappy's Writer/Reader): the payload of a Snappy-compressed `.gbsnap`
 * (spec §10.1, Dragonboat internal/utils/dio). A stream is a sequence of chunks, each a 1-byte type, a 3-byte
 * little-endian length and that many bytes:
 *
 *     0xff  stream identifier "sNaPpY" (first, may repeat)
 *     0x00  compressed data: masked CRC-32C (LE) of the uncompressed data, then one Snappy block
 *     0x01  uncompressed data: masked CRC-32C (LE), then the data
 *     0xfe  padding, 0x80–0xfd reserved skippable: ignored
 *     0x02–0x7f  reserved unskippable: an error
 *
 * golang/snappy limits a chunk's uncompressed data to 64 KiB. The decoder is push-based so that a caller can
 * stream a file of any size through it in constant memory.
 */
import { crc32c, maskCrc } from '../util/crc32c.js';
import { CodecError } from './errors.js';
import { snappyDecodedLength, snappyDecompressBlock } from './snappy.js';

const STREAM_ID = Buffer.from('sNaPpY', 'ascii');
const MAX_UNCOMPRESSED_CHUNK = 65536;

export class SnappyFramedDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private sawIdentifier = false;
  /** bytes of framed input consumed so far (for error messages) */
  private offset = 0;

  constructor(private readonly onData: (data: Buffer) => void) {}

  /** Decodes every complete chunk in `data` (plus what was left over); throws CodecError on corruption. */
  push(data: Buffer): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, data]) : data;
    let at = 0;
    while (buf.length - at >= 4) {
      const type = buf[at]!;
      const length = buf[at + 1]! | (buf[at + 2]! << 8) | (buf[at + 3]! << 16);
      if (buf.length - at - 4 < length) break;
      this.chunk(type, buf.subarray(at + 4, at + 4 + length));
      at += 4 + length;
      this.offset += 4 + length;
    }
    this.pending = at === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(at));
    buf = Buffer.alloc(0);
  }

  /** The stream is over: a partial chunk left is a truncated stream. */
  end(): void {
    if (this.pending.length > 0) {
      throw new CodecError(`codec/snappy-framed: truncated stream: ${this.pending.length} byte(s) of an incomplete chunk at offset ${this.offset}`);
    }
  }

  private corrupt(why: string): never {
    throw new CodecError(`codec/snappy-framed: corrupt stream at offset ${this.offset}: ${why}`);
  }

  private chunk(type: number, body: Buffer): void {
    if (type === 0xff) {
      if (!body.equals(STREAM_ID)) this.corrupt('bad stream identifier');
      this.sawIdentifier = true;
      return;
    }
    if (!this.sawIdentifier) this.corrupt('the stream does not start with the identifier chunk');
    if (type === 0x00 || type === 0x01) {
      if (body.length < 4) this.corrupt(`data chunk of ${body.length} bytes has no checksum`);
      const stored = body.readUInt32LE(0);
      let data: Buffer;
      if (type === 0x00) {
        const block = body.subarray(4);
        if (snappyDecodedLength(block).length > MAX_UNCOMPRESSED_CHUNK) this.corrupt('a chunk decodes to more than 64 KiB');
        data = snappyDecompressBlock(block);
      } else {
        data = body.subarray(4);
        if (data.length > MAX_UNCOMPRESSED_CHUNK) this.corrupt('an uncompressed chunk holds more than 64 KiB');
      }
      if (maskCrc(crc32c(data)) !== stored) this.corrupt('checksum mismatch');
      this.onData(data);
      return;
    }
    if (type >= 0x80) return; // padding and reserved skippable chunks
    this.corrupt(`reserved unskippable chunk type 0x${type.toString(16).padStart(2, '0')}`);
  }
}
