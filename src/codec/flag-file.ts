/**
 * Flag files (spec §2.2): dragonboat.ds, NODEHOST.ID, DELETED.dragonboat, snapshot.metadata and
 * dragonboat.snapshot.message.
 *
 *     file = md5(payload)[8..16] ‖ payload
 *
 * i.e. the LAST 8 bytes of the payload's 16-byte MD5 digest, then the payload itself (a protobuf message, or
 * 8 little-endian bytes for NODEHOST.ID). Dragonboat panics with "corrupted flag file" when the file is
 * shorter than 8 bytes and "corrupted flag file content" when the hash does not match; here both are a
 * CodecError whose message contains "corrupted flag file".
 */

import { createHash } from 'node:crypto';
import { CodecError } from './errors.js';

/** Length of the hash prefix. */
export const FLAG_FILE_HASH_LENGTH = 8;

/** md5(payload)[8..16]. */
export function flagFileHash(payload: Buffer): Buffer {
  return createHash('md5').update(payload).digest().subarray(8, 16);
}

/** The flag-file bytes for `payload`. */
export function encodeFlagFile(payload: Buffer): Buffer {
  return Buffer.concat([flagFileHash(payload), payload]);
}

/** The payload of a flag file, after checking its hash prefix. `name` goes into the error message. */
export function decodeFlagFile(file: Buffer, name = 'flag file'): Buffer {
  if (file.length < FLAG_FILE_HASH_LENGTH) {
    throw new CodecError(`codec/flag-file: ${name}: corrupted flag file (${file.length} bytes, shorter than its 8-byte hash)`);
  }
  const payload = file.subarray(FLAG_FILE_HASH_LENGTH);
  const expected = flagFileHash(payload);
  if (!expected.equals(file.subarray(0, FLAG_FILE_HASH_LENGTH))) {
    throw new CodecError(
      `codec/flag-file: ${name}: corrupted flag file content (hash ${file.subarray(0, 8).toString('hex')}, ` +
        `md5 of the payload gives ${expected.toString('hex')})`,
    );
  }
  return payload;
}
