/**
 * uint64 helpers: bigints end to end, big-endian for LogDB keys and max index, strict decimal parsing for the
 * command line.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_UINT64, parseUint64, readU64BE, readU64LE, u64BE, writeU64BE, writeU64LE } from '../../src/codec/uint64.js';
import { U64_EDGES } from './support.js';

describe('uint64', () => {
  it('MAX_UINT64 is 2^64 − 1', () => {
    assert.equal(MAX_UINT64, 18446744073709551615n);
  });

  it('max-index values are 8 big-endian bytes', () => {
    assert.equal(u64BE(3n).toString('hex'), '0000000000000003');
    assert.equal(readU64BE(Buffer.from('0000000000000001', 'hex')), 1n); // §14: max index of the v2 database
    assert.equal(u64BE(MAX_UINT64).toString('hex'), 'ffffffffffffffff');
    for (const v of U64_EDGES) assert.equal(readU64BE(u64BE(v)), v);
  });

  it('reads and writes at an offset, in both byte orders', () => {
    const buf = Buffer.alloc(12);
    writeU64BE(buf, 2n ** 63n + 5n, 4);
    assert.equal(buf.toString('hex'), '000000008000000000000005');
    assert.equal(readU64BE(buf, 4), 2n ** 63n + 5n);
    writeU64LE(buf, 0x0123456789abcdefn, 2);
    assert.equal(buf.subarray(2, 10).toString('hex'), 'efcdab8967452301');
    assert.equal(readU64LE(buf, 2), 0x0123456789abcdefn);
  });

  it('refuses values that are not uint64', () => {
    assert.throws(() => u64BE(-1n), RangeError);
    assert.throws(() => u64BE(MAX_UINT64 + 1n), RangeError);
  });

  it('parseUint64 accepts plain decimal digits, including zero-padded ones', () => {
    assert.equal(parseUint64('0', 'x'), 0n);
    assert.equal(parseUint64('18446744073709551615', 'x'), MAX_UINT64);
    assert.equal(parseUint64('00000000000000000001', 'deployment ID'), 1n);
    assert.equal(parseUint64('9007199254740993', 'x'), 9007199254740993n); // 2^53 + 1, exact
  });

  it('parseUint64 rejects everything else with a one-line RangeError naming the value', () => {
    assert.throws(() => parseUint64('-1', 'cluster ID'), {
      name: 'RangeError',
      message: 'cluster ID "-1" is not an unsigned 64-bit integer (0 to 18446744073709551615)',
    });
    for (const bad of ['', ' 1', '1 ', '+1', '0x10', '1e3', '1.0', '18446744073709551616', 'abc', '1\n2']) {
      assert.throws(() => parseUint64(bad, 'node ID'), (err: Error) => {
        assert.ok(err instanceof RangeError);
        assert.ok(err.message.startsWith(`node ID ${JSON.stringify(bad)} is not`), err.message);
        assert.ok(!err.message.includes('\n'), 'one line');
        return true;
      });
    }
  });
});
