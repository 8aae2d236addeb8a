/**
 * EncodedEntry cmds (spec §6.2) and the Snappy block decoder behind them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodecError } from '../../src/codec/errors.js';
import { decodeEncodedEntryCmd, encodeEncodedEntryCmd } from '../../src/codec/encoded-entry.js';
import { snappyCompressBlock, snappyDecompressBlock } from '../../src/codec/snappy.js';
import { prng, randomBytes } from './support.js';

const bytes = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('encoded entry cmd', () => {
  it('header 0x00: the payload is the rest, as-is', () => {
    const cmd = bytes('00 4eaa21b521b4bd');
    const d = decodeEncodedEntryCmd(cmd);
    assert.deepEqual(d, { headerByte: 0, version: 0, compression: 'none', hasSession: false, payload: bytes('4eaa21b521b4bd') });
    assert.deepEqual(encodeEncodedEntryCmd(d.payload, 'none'), cmd);
  });

  it('header 0x02: the rest is one Snappy block', () => {
    const payload = Buffer.from('entry raft term '.repeat(200));
    const cmd = encodeEncodedEntryCmd(payload, 'snappy');
    assert.equal(cmd[0], 0x02);
    assert.ok(cmd.length < payload.length / 4, 'compressed');
    const d = decodeEncodedEntryCmd(cmd);
    assert.equal(d.compression, 'snappy');
    assert.deepEqual(d.payload, payload);
  });

  it('a hand-made Snappy block: literal "abcd" then a 2-byte-offset copy of 8 bytes at offset 4 (overlapping)', () => {
    // uvarint 12 | literal len 4: tag (4-1)<<2 = 0x0c | 'abcd' | copy-2: tag ((8-1)<<2)|2 = 0x1e, offset 04 00
    const cmd = bytes('02 0c 0c 61626364 1e 0400');
    assert.equal(decodeEncodedEntryCmd(cmd).payload.toString(), 'abcdabcdabcd');
  });

  it('rejects what Dragonboat panics on', () => {
    const cases: [string, RegExp][] = [
      ['', /empty cmd/],
      ['10 61', /unknown cmd encoding version 1/],
      ['01 61', /session flag/],
      ['04 61', /unknown compression type 2/],
      ['02 00', /uncompressed length of 0/],
      ['02 05 0c 61626364', /codec\/snappy: corrupt input/],
      ['02 ffffffffff0f', /codec\/snappy/],
    ];
    for (const [input, message] of cases) {
      assert.throws(() => decodeEncodedEntryCmd(bytes(input)), (err: unknown) => {
        assert.ok(err instanceof CodecError, input);
        assert.match(err.message, message);
        return true;
      });
    }
  });

  it('refuses to encode an empty payload', () => {
    assert.throws(() => encodeEncodedEntryCmd(Buffer.alloc(0), 'none'), RangeError);
  });
});

describe('snappy block decoder', () => {
  it('round-trips snappyjs output of random, repetitive and empty-ish data', () => {
    const rand = prng(7);
    const inputs = [
      Buffer.from('x'),
      randomBytes(rand, 1000),
      Buffer.alloc(70000, 0x41),
      Buffer.concat([randomBytes(rand, 5000), Buffer.from('hello world '.repeat(3000)), randomBytes(rand, 300)]),
    ];
    for (const input of inputs) assert.deepEqual(snappyDecompressBlock(snappyCompressBlock(input)), input);
  });

  it('rejects output shorter or longer than declared, bad offsets and overruns', () => {
    const cases = [
      '05 0c 61626364', // declares 5, produces 4
      '03 0c 61626364', // literal longer than the declared output
      '08 0c 61626364 1e 0500', // copy offset 5 > 4 bytes written
      '08 0c 61626364 1e 0000', // offset 0
      '04 f0 03', // literal with 1-byte length that overruns the input
      '04 0d', // copy-1 truncated
      'ff', // truncated uncompressed length
      'ffffffff7f', // declared length beyond what the input can hold
    ];
    for (const input of cases) assert.throws(() => snappyDecompressBlock(bytes(input)), CodecError, input);
  });
});
