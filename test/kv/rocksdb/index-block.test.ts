/**
 * Delta-encoded index blocks (RocksDB format_version ≥ 4). Dragonboat's shards use index restart interval 1, where
 * every value is a whole handle; a larger interval stores the size difference from the previous handle for entries
 * that share key bytes. Both forms, built by hand here, decode to the same handles.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeDataBlock } from '../../../src/kv/pebble/block.js';
import { UnsupportedFormatError } from '../../../src/kv/pebble/errors.js';
import { decodeDeltaIndexBlock } from '../../../src/kv/rocksdb/index-block.js';
import { uvarint } from '../pebble/helpers.js';

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const zigzag = (n: number) => (n >= 0 ? 2 * n : -2 * n - 1);

test('whole handles at restart points, signed size deltas after them; the block follows the previous one and its trailer', () => {
  const block = Buffer.concat([
    uvarint(0), uvarint(1), Buffer.from('a'), uvarint(0), uvarint(100),
    uvarint(1), uvarint(1), Buffer.from('b'), uvarint(zigzag(5)),
    uvarint(2), uvarint(1), Buffer.from('c'), uvarint(zigzag(-10)),
    u32(0), u32(1),
  ]);
  const index = decodeDeltaIndexBlock(block, true);
  assert.deepEqual(index.separators.map(String), ['a', 'ab', 'abc']);
  assert.deepEqual(index.offsets, [0, 105, 215]);
  assert.deepEqual(index.lengths, [100, 105, 95]);
});

test('internal-key separators lose their 8-byte trailer; a delta first, a bad share or a negative size is a DecodeError', () => {
  const trailer = Buffer.alloc(8, 0xff);
  const whole = Buffer.concat([uvarint(0), uvarint(9), Buffer.from('k'), trailer, uvarint(7), uvarint(30), u32(0), u32(1)]);
  assert.deepEqual(decodeDeltaIndexBlock(whole, false).separators.map(String), ['k']);
  const deltaFirst = Buffer.concat([uvarint(0), uvarint(1), Buffer.from('a'), uvarint(0), uvarint(10), uvarint(2), uvarint(1), Buffer.from('b'), uvarint(0), u32(0), u32(1)]);
  assert.throws(() => decodeDeltaIndexBlock(deltaFirst, true), /shares more bytes than the previous key has/);
  const negative = Buffer.concat([uvarint(0), uvarint(1), Buffer.from('a'), uvarint(0), uvarint(10), uvarint(1), uvarint(1), Buffer.from('b'), uvarint(zigzag(-11)), u32(0), u32(1)]);
  assert.throws(() => decodeDeltaIndexBlock(negative, true), /negative block size/);
  assert.throws(() => decodeDeltaIndexBlock(Buffer.from([1, 2]), true), /shorter than its restart count/);
});

test("a data block with RocksDB's hash index (kDataBlockBinaryAndHash) is unsupported, not corrupt", () => {
  const entry = Buffer.concat([uvarint(0), uvarint(9), uvarint(1), Buffer.from('k'), Buffer.alloc(8), Buffer.from('v')]);
  const block = Buffer.concat([entry, u32(0), u32((1 | 0x80000000) >>> 0)]);
  assert.throws(() => decodeDataBlock(block), (err: unknown) => err instanceof UnsupportedFormatError && /kDataBlockBinaryAndHash/.test(err.message));
  assert.equal(decodeDataBlock(Buffer.concat([entry, u32(0), u32(1)])).count, 1);
});
