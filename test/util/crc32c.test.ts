import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32c, crc32cUpdate, maskCrc, unmaskCrc } from '../../src/util/crc32c.js';

test('crc32c matches the standard check value and the RFC 3720 vectors', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  assert.equal(crc32c(Buffer.alloc(32)), 0x8a9136aa);
  assert.equal(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
  assert.equal(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i))), 0x46dd794e);
  assert.equal(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i))), 0x113fdb5c);
  assert.equal(crc32c(Buffer.alloc(0)), 0);
});

test('crc32c over a range and in pieces equals the one-shot value', () => {
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 37 + 11) & 0xff));
  const whole = crc32c(data);
  for (const cut of [0, 1, 7, 8, 9, 500, 999, 1000]) {
    assert.equal(crc32cUpdate(crc32c(data, 0, cut), data, cut), whole, `cut at ${cut}`);
  }
  assert.equal(crc32c(Buffer.concat([Buffer.from('xx'), data, Buffer.from('y')]), 2, 1002), whole);
});

test('mask and unmask are inverse and masking changes the value', () => {
  for (const c of [0, 1, 0xe3069283, 0xffffffff, 0x80000000]) {
    assert.equal(unmaskCrc(maskCrc(c)), c);
    assert.notEqual(maskCrc(c), c);
  }
  // LevelDB's mask of crc32c("foo"): rotr(0xcfc4ae1d, 15) + 0xa282ead8
  const c = crc32c(Buffer.from('foo'));
  assert.equal(maskCrc(c), ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) % 2 ** 32);
});

test('crc32c agrees with a bitwise reference at every alignment and length (the word-reading path)', () => {
  const bitwise = (buf: Uint8Array, start: number, end: number) => {
    let c = 0xffffffff;
    for (let i = start; i < end; i++) {
      c ^= buf[i]!;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    }
    return (c ^ 0xffffffff) >>> 0;
  };
  const backing = Buffer.from(Array.from({ length: 400 }, (_, i) => (i * 131 + 7) & 0xff));
  for (let shift = 0; shift < 4; shift++) {
    // views starting at each offset of the memory, so that words are read from every alignment
    const view = backing.subarray(shift);
    for (const start of [0, 1, 2, 3, 5]) {
      for (const length of [0, 63, 64, 65, 66, 67, 71, 72, 200, 301]) {
        assert.equal(crc32c(view, start, start + length), bitwise(view, start, start + length), `shift ${shift} start ${start} length ${length}`);
      }
    }
  }
});
