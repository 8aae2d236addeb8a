/**
 * The Cmd of an EncodedEntry (spec §6.2, Dragonboat internal/rsm/encoded.go, format v0).
 *
 * Byte 0 is a header:
 *
 *     bits 7-4  version      (only 0 exists)
 *     bits 3-1  compression  (0 none, 1 Snappy → header value 0x02)
 *     bit  0    session flag (must be 0 in v0)
 *
 * so a v0 header is 0x00 (the payload is bytes 1..end as-is) or 0x02 (bytes 1..end are one Snappy block, whose
 * leading uvarint is the uncompressed length; a length of 0 is invalid). Proposals with an empty payload are
 * never EncodedEntry, so an empty Cmd is invalid too. Dragonboat panics on each of these; here they are
 * CodecErrors, checked in Dragonboat's order (version, session flag, compression).
 */

import { CodecError } from './errors.js';
import { snappyCompressBlock, snappyDecodedLength, snappyDecompressBlock } from './snappy.js';

export type EncodedEntryCompression = 'none' | 'snappy';

export interface DecodedEncodedEntryCmd {
  headerByte: number;
  version: number;
  compression: EncodedEntryCompression;
  hasSession: boolean;
  /** The application payload: a view into `cmd` when uncompressed, a new Buffer when decompressed. */
  payload: Buffer;
}

export const EE_HEADER_NONE = 0x00;
export const EE_HEADER_SNAPPY = 0x02;

/** The header byte's parts, without validating them. */
export function parseEncodedEntryHeader(headerByte: number): { version: number; compressionCode: number; hasSession: boolean } {
  return { version: headerByte >>> 4, compressionCode: (headerByte >>> 1) & 0x07, hasSession: (headerByte & 1) === 1 };
}

/** Validates the header of an EncodedEntry cmd and returns its decoded (decompressed) payload. */
export function decodeEncodedEntryCmd(cmd: Buffer): DecodedEncodedEntryCmd {
  if (cmd.length === 0) throw new CodecError('codec/encoded-entry: empty cmd (an EncodedEntry always has a header byte)');
  const headerByte = cmd[0]!;
  const { version, compressionCode, hasSession } = parseEncodedEntryHeader(headerByte);
  const hex = () => `0x${headerByte.toString(16).padStart(2, '0')}`;
  if (version !== 0) throw new CodecError(`codec/encoded-entry: unknown cmd encoding version ${version} (header ${hex()})`);
  if (hasSession) throw new CodecError(`codec/encoded-entry: v0 cmd has the session flag set (header ${hex()})`);
  if (compressionCode === 0) {
    return { headerByte, version, compression: 'none', hasSession, payload: cmd.subarray(1) };
  }
  if (compressionCode === 1) {
    const block = cmd.subarray(1);
    const { length } = snappyDecodedLength(block);
    if (length === 0) throw new CodecError('codec/encoded-entry: Snappy payload declares an uncompressed length of 0');
    const payload = snappyDecompressBlock(block);
    return { headerByte, version, compression: 'snappy', hasSession, payload };
  }
  throw new CodecError(`codec/encoded-entry: unknown compression type ${compressionCode} (header ${hex()})`);
}

/**
 * The cmd Dragonboat stores for a proposal `payload` (non-empty). With 'snappy' the block comes from snappyjs:
 * valid, but not necessarily byte-identical to golang/snappy's output.
 */
export function encodeEncodedEntryCmd(payload: Buffer, compression: EncodedEntryCompression): Buffer {
  if (payload.length === 0) throw new RangeError('an EncodedEntry payload cannot be empty (use an ApplicationEntry)');
  if (compression === 'none') return Buffer.concat([Buffer.of(EE_HEADER_NONE), payload]);
  if (compression === 'snappy') return Buffer.concat([Buffer.of(EE_HEADER_SNAPPY), snappyCompressBlock(payload)]);
  throw new RangeError(`unknown compression ${String(compression)}`);
}
