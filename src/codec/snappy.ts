/**
 * Snappy block format (the raw format, not the framed stream): the compression of EncodedEntry cmds (§6.2).
 *
 * A block is a uvarint with the uncompressed length, then a sequence of elements, each starting with a tag
 * byte whose low 2 bits give its kind:
 *   00 literal: length−1 in the upper 6 bits (60..63 → the length−1 follows in 1..4 little-endian bytes),
 *      then the bytes;
 *   01 copy with 1-byte offset: length 4..11 in bits 2–4, offset bits 8–10 in bits 5–7, then offset's low byte;
 *   10 copy with 2-byte LE offset, length 1..64 in the upper 6 bits;
 *   11 copy with 4-byte LE offset, length 1..64 in the upper 6 bits.
 * A copy repeats `length` bytes starting `offset` bytes back in the output (it may overlap itself).
 *
 * Decoding is done here, not with snappyjs, because snappyjs does not check that the output is filled
 * exactly and can run away on corrupt input. This decoder follows golang/snappy's Decode (which Dragonboat
 * uses) and rejects everything it rejects. Compression is delegated to snappyjs; its output is valid Snappy
 * but not necessarily byte-identical to golang/snappy's (spec §15 item 5).
 */

import { createRequire } from 'node:module';
import type snappyjsModule from 'snappyjs';
import { CodecError } from './errors.js';

/** snappyjs, loaded on first use: only writes compress, and reads need not pay for loading it. */
let snappyjs: typeof snappyjsModule | undefined;
const loadSnappyjs = () => (snappyjs ??= createRequire(import.meta.url)('snappyjs') as typeof snappyjsModule);

/** golang/snappy's limit on the decoded length of a block (0xffffffff, and Buffer's own limit below it). */
const MAX_DECODED_LENGTH = 0xffffffff;
/**
 * A copy element of 3 bytes yields at most 64 output bytes, so no valid block expands by more than 64/3
 * (< 22×). Checking the declared length against this before allocating keeps garbage from allocating GBs.
 */
const MAX_EXPANSION = 22;

/** The uncompressed length declared at the start of a Snappy block, and the header's size in bytes. */
export function snappyDecodedLength(block: Buffer): { length: number; headerLength: number } {
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < 10 && i < block.length; i++) {
    const b = block[i]!;
    value += (b & 0x7f) * multiplier;
    if (b < 0x80) {
      if (i >= 5 || value > MAX_DECODED_LENGTH) {
        throw new CodecError(`codec/snappy: declared uncompressed length ${value} is too large`);
      }
      return { length: value, headerLength: i + 1 };
    }
    multiplier *= 128;
  }
  throw new CodecError('codec/snappy: corrupt input (truncated uncompressed length)');
}

/** Decompresses one Snappy block. Throws CodecError on any corruption (golang/snappy's ErrCorrupt cases). */
export function snappyDecompressBlock(block: Buffer): Buffer {
  const { length, headerLength } = snappyDecodedLength(block);
  if (length > (block.length - headerLength) * MAX_EXPANSION + 64) {
    throw new CodecError(
      `codec/snappy: corrupt input (declares ${length} bytes, more than ${block.length} compressed bytes can hold)`,
    );
  }
  const dst = Buffer.allocUnsafe(length);
  const corrupt = (why: string, at: number): never => {
    throw new CodecError(`codec/snappy: corrupt input (${why} at byte ${at})`);
  };
  let s = headerLength;
  let d = 0;
  const srcEnd = block.length;
  while (s < srcEnd) {
    const tagAt = s;
    const tag = block[s]!;
    let len: number;
    let offset: number;
    switch (tag & 0x03) {
      case 0: {
        let x = tag >>> 2;
        if (x < 60) {
          s += 1;
        } else {
          const extra = x - 59; // 1..4 bytes
          if (s + 1 + extra > srcEnd) corrupt('truncated literal length', tagAt);
          x = 0;
          for (let i = extra; i >= 1; i--) x = x * 256 + block[s + i]!;
          s += 1 + extra;
        }
        len = x + 1;
        if (len > length - d || len > srcEnd - s) corrupt('literal overruns its buffer', tagAt);
        block.copy(dst, d, s, s + len);
        d += len;
        s += len;
        continue;
      }
      case 1:
        s += 2;
        if (s > srcEnd) corrupt('truncated copy', tagAt);
        len = 4 + ((tag >>> 2) & 0x07);
        offset = ((tag & 0xe0) << 3) | block[s - 1]!;
        break;
      case 2:
        s += 3;
        if (s > srcEnd) corrupt('truncated copy', tagAt);
        len = 1 + (tag >>> 2);
        offset = block[s - 2]! | (block[s - 1]! << 8);
        break;
      default:
        s += 5;
        if (s > srcEnd) corrupt('truncated copy', tagAt);
        len = 1 + (tag >>> 2);
        offset = block.readUInt32LE(s - 4);
        break;
    }
    if (offset <= 0 || d < offset || len > length - d) corrupt('copy out of range', tagAt);
    if (offset >= len) {
      dst.copy(dst, d, d - offset, d - offset + len);
      d += len;
    } else {
      // Overlapping copy: repeats the last `offset` bytes; must go byte by byte (forwards).
      for (const stop = d + len; d < stop; d++) dst[d] = dst[d - offset]!;
    }
  }
  if (d !== length) corrupt(`output is ${d} bytes, declared ${length}`, s);
  return dst;
}

/** Compresses `data` into one Snappy block (snappyjs). */
export function snappyCompressBlock(data: Buffer): Buffer {
  const out = loadSnappyjs().compress(data);
  return Buffer.isBuffer(out) ? out : Buffer.from(out);
}
