/**
 * Raft entries in Colfer (spec §5.7): the worked examples, the 2^49 switch to the fixed 8-byte form, negative
 * types, and the decoder's strictness.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodecError } from '../../src/codec/errors.js';
import { type Entry, decodeEntry, emptyEntry, encodeEntry, entryEncodedSize, sizeUpperLimit } from '../../src/codec/colfer.js';
import { SERIES_ID_REGISTER } from '../../src/codec/enums.js';
import { U64_EDGES } from './support.js';

const bytes = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const entry = (fields: Partial<Entry>): Entry => ({ ...emptyEntry(), ...fields });

describe('colfer: worked examples (§14)', () => {
  it('Entry{Term 5, Index 100, Type 2, Key 0x1234, Cmd 00 61 62 63}', () => {
    const e = entry({ term: 5n, index: 100n, type: 2, key: 0x1234n, cmd: bytes('00616263') });
    const encoded = bytes('00 05 01 64 02 02 03 b4 24 07 04 00 61 62 63 7f');
    assert.deepEqual(encodeEntry(e), encoded);
    assert.deepEqual(decodeEntry(encoded), e);
    assert.equal(entryEncodedSize(e), encoded.length);
  });

  it('a register-session entry: SeriesID 2^64−2 takes the fixed 8-byte form (header 0x85)', () => {
    const e = entry({ term: 3n, index: 10n, key: 7n, clientId: 0xabcdefn, seriesId: SERIES_ID_REGISTER });
    const encoded = bytes('00 03 01 0a 03 07 04 ef 9b af 05 85 ff ff ff ff ff ff ff fe 7f');
    assert.deepEqual(encodeEntry(e), encoded);
    assert.deepEqual(decodeEntry(encoded), e);
  });

  it('an all-zero entry is the single byte 7f and decodes with an empty cmd', () => {
    assert.deepEqual(encodeEntry(emptyEntry()), bytes('7f'));
    const e = decodeEntry(bytes('7f'));
    assert.deepEqual(e, emptyEntry());
    assert.equal(e.cmd.length, 0);
  });

  it('the bootstrap config-change entry E1 of the v2 database: ConfigChangeEntry with a 25-byte cmd', () => {
    const cmd = Buffer.concat([bytes('0800 1000 1801 220f'), Buffer.from('localhost:26000'), bytes('2801')]);
    assert.equal(cmd.length, 0x19);
    const encoded = Buffer.concat([bytes('0001 0101 0201 0719'), cmd, bytes('7f')]);
    assert.deepEqual(decodeEntry(encoded), entry({ term: 1n, index: 1n, type: 1, cmd }));
    assert.deepEqual(encodeEntry(entry({ term: 1n, index: 1n, type: 1, cmd })), encoded);
  });
});

describe('colfer: integers', () => {
  it('every uint64 field round-trips at every boundary, switching to 8 bytes exactly at 2^49', () => {
    const headers = { term: 0, index: 1, key: 3, clientId: 4, seriesId: 5, respondedTo: 6 } as const;
    for (const [field, header] of Object.entries(headers)) {
      for (const value of U64_EDGES) {
        const e = entry({ [field]: value });
        const encoded = encodeEntry(e);
        assert.deepEqual(decodeEntry(encoded), e, `${field} = ${value}`);
        assert.equal(encoded.length, entryEncodedSize(e));
        if (value === 0n) {
          assert.equal(encoded.length, 1, 'zero fields are left out');
        } else if (value >= 2n ** 49n) {
          assert.equal(encoded[0], header | 0x80, `${field} = ${value} uses the fixed form`);
          assert.equal(encoded.length, 1 + 9);
          assert.equal(encoded.readBigUInt64BE(1), value);
        } else {
          assert.equal(encoded[0], header, `${field} = ${value} uses a varint`);
        }
      }
    }
  });

  it('2^49 − 1 is the largest varint: 7 bytes', () => {
    assert.deepEqual(encodeEntry(entry({ key: 2n ** 49n - 1n })), bytes('03 ff ff ff ff ff ff 7f 7f'));
  });

  it('accepts varints of values ≥ 2^49 (9 bytes, the 9th contributing 8 bits) like Dragonboat', () => {
    // 2^64 − 1 as a Colfer varint: eight 0xff bytes then 0xff (all 8 bits of the 9th byte count).
    assert.equal(decodeEntry(bytes('00 ffffffffffffffff ff 7f')).term, 2n ** 64n - 1n);
    // 2^50 as an 8-byte varint.
    assert.equal(decodeEntry(bytes('01 80808080808080 02 7f')).index, 2n ** 50n);
    // A value < 2^49 in the fixed form.
    assert.equal(decodeEntry(bytes('83 0000000000000007 7f')).key, 7n);
  });

  it('encodes negative types with header 0x82 and the magnitude', () => {
    for (const type of [1, 3, 127, 128, -1, -128, 2 ** 31 - 1, -(2 ** 31)]) {
      const encoded = encodeEntry(entry({ type }));
      assert.equal(encoded[0], type < 0 ? 0x82 : 0x02);
      assert.equal(decodeEntry(encoded).type, type);
    }
    assert.deepEqual(encodeEntry(entry({ type: -1 })), bytes('82 01 7f'));
  });

  it('refuses to encode values that do not fit', () => {
    assert.throws(() => encodeEntry(entry({ term: -1n })), RangeError);
    assert.throws(() => encodeEntry(entry({ key: 2n ** 64n })), RangeError);
    assert.throws(() => encodeEntry(entry({ type: 2 ** 31 })), RangeError);
    assert.throws(() => encodeEntry(entry({ type: 1.5 })), RangeError);
  });
});

describe('colfer: cmd', () => {
  it('uses a varint length and hands the bytes out as a view', () => {
    for (const length of [1, 127, 128, 16383, 16384, 100 * 1024]) {
      const cmd = Buffer.alloc(length, 0xab);
      const encoded = encodeEntry(entry({ term: 2n, index: 9n, cmd }));
      const decoded = decodeEntry(encoded);
      assert.deepEqual(decoded.cmd, cmd);
      assert.equal(decoded.cmd.buffer, encoded.buffer, 'cmd is a view into the input');
    }
  });

  it('SizeUpperLimit is 128 + len(cmd)', () => {
    assert.equal(sizeUpperLimit(emptyEntry()), 128);
    assert.equal(sizeUpperLimit(entry({ cmd: Buffer.alloc(43) })), 171);
  });

  it('decodes an entry in the middle of a larger buffer with start/end', () => {
    const e = entry({ term: 4n, index: 50n, key: 2n ** 63n, cmd: Buffer.from('abc') });
    const inner = encodeEntry(e);
    const outer = Buffer.concat([Buffer.from('xxxx'), inner, Buffer.from('yy')]);
    assert.deepEqual(decodeEntry(outer, 4, 4 + inner.length), e);
  });
});

describe('colfer: the decoder is strict', () => {
  const bad: [string, string][] = [
    ['', 'empty input'],
    ['00 05', 'missing terminator after a field'],
    ['00', 'truncated varint'],
    ['80 00000000', 'truncated fixed-width value'],
    ['07 05 6162 7f', 'cmd longer than the record'],
    ['07 80', 'truncated cmd length'],
    ['01 05 00 05 7f', 'fields out of order'],
    ['08 7f', 'unknown header'],
    ['87 01 00 7f', 'cmd with the 0x80 flag'],
    ['7f 00', 'trailing byte after the terminator'],
    ['00 05 7f 7f', 'second terminator'],
    ['02 ffffffffff01 7f', 'type varint longer than 5 bytes'],
  ];
  for (const [input, why] of bad) {
    it(`rejects ${why}`, () => {
      assert.throws(() => decodeEntry(bytes(input)), (err: unknown) => {
        assert.ok(err instanceof CodecError);
        assert.match(err.message, /^codec\/colfer: /);
        return true;
      });
    });
  }

  it('rejects a range outside the buffer', () => {
    assert.throws(() => decodeEntry(bytes('7f'), 0, 2), CodecError);
  });
});
