/**
 * Flag files (spec §2.2): md5(payload)[8..16] ‖ payload.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CodecError } from '../../src/codec/errors.js';
import { decodeFlagFile, encodeFlagFile, flagFileHash } from '../../src/codec/flag-file.js';

const bytes = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('flag files', () => {
  it('prefix the payload with the LAST 8 bytes of its MD5 (§14: empty RaftDataStatus of v3.3)', () => {
    const payload = bytes('0a00 1000 1800 2200 2a00 3000 3800 4000 4800 5000 5800');
    const file = encodeFlagFile(payload);
    assert.equal(file.subarray(0, 8).toString('hex'), '42c3d2f10bbe14b0');
    assert.deepEqual(file.subarray(0, 8), createHash('md5').update(payload).digest().subarray(8));
    assert.equal(file.length, 30, 'DELETED.dragonboat of v3.3 is 30 bytes');
    assert.deepEqual(decodeFlagFile(file), payload);
  });

  it('handle an empty payload (8 bytes of hash only)', () => {
    const file = encodeFlagFile(Buffer.alloc(0));
    assert.equal(file.length, 8);
    assert.deepEqual(flagFileHash(Buffer.alloc(0)), file);
    assert.equal(decodeFlagFile(file).length, 0);
  });

  it('reject a file shorter than the hash', () => {
    assert.throws(() => decodeFlagFile(bytes('00112233'), 'dragonboat.ds'), (err: unknown) => {
      assert.ok(err instanceof CodecError);
      assert.match(err.message, /^codec\/flag-file: dragonboat\.ds: corrupted flag file/);
      return true;
    });
  });

  it('reject a hash mismatch: one flipped bit anywhere', () => {
    const file = encodeFlagFile(Buffer.from('payload'));
    for (let i = 0; i < file.length; i++) {
      const broken = Buffer.from(file);
      broken[i]! ^= 0x01;
      assert.throws(() => decodeFlagFile(broken), /corrupted flag file content/);
    }
  });
});
