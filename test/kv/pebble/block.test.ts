import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { blockUserKey, decodeDataBlock, decodeIndexBlock, decodeNamedBlock, unwrapBlock } from '../../../src/kv/pebble/block.js';
import { crc32c, maskCrc } from '../../../src/util/crc32c.js';
import { DecodeError } from '../../../src/kv/pebble/errors.js';
import { uvarint } from './helpers.js';

const SEQ_MAX = (1n << 56n) - 1n;
const snappy = createRequire(import.meta.url)('snappyjs') as { compress(b: Buffer): Buffer };

/** A block as a writer builds it: prefix-compressed entries, a restart every `interval` entries. */
function buildBlock(entries: [Buffer, Buffer][], interval: number): Buffer {
  const parts: Buffer[] = [];
  const restarts: number[] = [];
  let size = 0;
  let prev: Buffer = Buffer.alloc(0);
  entries.forEach(([key, value], i) => {
    let shared = 0;
    if (i % interval === 0) restarts.push(size);
    else while (shared < prev.length && shared < key.length && prev[shared] === key[shared]) shared++;
    const entry = Buffer.concat([uvarint(shared), uvarint(key.length - shared), uvarint(value.length), key.subarray(shared), value]);
    parts.push(entry);
    size += entry.length;
    prev = key;
  });
  const tail = Buffer.alloc(4 * (restarts.length + 1));
  restarts.forEach((r, i) => tail.writeUInt32LE(r, 4 * i));
  tail.writeUInt32LE(restarts.length, 4 * restarts.length);
  return Buffer.concat([...parts, tail]);
}

function internalKey(user: string, seq: number | bigint, kind: number): Buffer {
  const trailer = Buffer.alloc(8);
  trailer.writeBigUInt64LE((BigInt(seq) << 8n) | BigInt(kind));
  return Buffer.concat([Buffer.from(user), trailer]);
}

function withTrailer(contents: Buffer, compression: number): Buffer {
  const withType = Buffer.concat([contents, Buffer.from([compression])]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(maskCrc(crc32c(withType)));
  return Buffer.concat([withType, crc]);
}

test('data blocks: shared prefixes, restarts and trailers decode to user key, seq, kind and value', () => {
  const entries: [Buffer, Buffer][] = [
    [internalKey('apple', 9, 1), Buffer.from('v1')],
    [internalKey('apple', 3, 0), Buffer.alloc(0)],
    [internalKey('applesauce', 2 ** 40, 1), Buffer.from('v3')],
    [internalKey('banana', 7, 2), Buffer.alloc(70000, 7)],
    [internalKey('b', 1, 18), Buffer.from('z')],
  ];
  for (const interval of [1, 2, 16]) {
    const block = decodeDataBlock(buildBlock(entries, interval));
    assert.equal(block.count, 5);
    assert.deepEqual(
      Array.from({ length: block.count }, (_, i) => blockUserKey(block, i).toString()),
      ['apple', 'apple', 'applesauce', 'banana', 'b'],
    );
    assert.deepEqual([...block.seqs.subarray(0, 5)], [9, 3, 2 ** 40, 7, 1]);
    assert.deepEqual([...block.kinds.subarray(0, 5)], [1, 0, 1, 2, 18]);
    assert.deepEqual(block.block.subarray(block.valueStarts[3]!, block.valueEnds[3]!), Buffer.alloc(70000, 7));
  }
  // the 2^56 - 1 sentinel sequence number stays above every real one
  const sentinel = decodeDataBlock(buildBlock([[internalKey('k', SEQ_MAX, 15), Buffer.from('m')]], 1));
  assert.ok(sentinel.seqs[0]! > Number.MAX_SAFE_INTEGER);
});

test('a block of minimal 4-byte entries (keys differing in their last byte, empty values) decodes completely', () => {
  // versions of one key whose sequence numbers differ only in the top byte of the trailer
  const entries: [Buffer, Buffer][] = Array.from({ length: 250 }, (_, i) => [internalKey('k', BigInt(250 - i) << 48n, 0), Buffer.alloc(0)]);
  const encoded = buildBlock(entries, 1000);
  assert.equal(encoded.length, 9 + 3 + 249 * 4 + 8);
  const block = decodeDataBlock(encoded);
  assert.equal(block.count, 250);
  assert.equal(block.seqs[249], 2 ** 48);
  assert.ok(Array.from({ length: block.count }, (_, i) => blockUserKey(block, i).toString()).every((k) => k === 'k'));
});

test('malformed blocks are DecodeErrors', () => {
  const good = buildBlock([[internalKey('key', 1, 1), Buffer.from('value')]], 1);
  assert.throws(() => decodeDataBlock(good.subarray(0, 3)), DecodeError);
  const badRestarts = Buffer.from(good);
  badRestarts.writeUInt32LE(1000, badRestarts.length - 4);
  assert.throws(() => decodeDataBlock(badRestarts), /bad restart count/);
  const shortKey = buildBlock([[Buffer.from('short'), Buffer.from('v')]], 1);
  assert.throws(() => decodeDataBlock(shortKey), /shorter than its trailer/);
  const overlong = Buffer.from(good);
  overlong[2] = 200; // value length past the end
  assert.throws(() => decodeDataBlock(overlong), DecodeError);
});

test('index and named blocks', () => {
  const handle = (offset: number, length: number) => Buffer.concat([uvarint(offset), uvarint(length)]);
  const index = decodeIndexBlock(
    buildBlock(
      [
        [internalKey('b', SEQ_MAX, 17), handle(0, 4000)],
        [internalKey('d', SEQ_MAX, 17), handle(4005, 300000)],
      ],
      1,
    ),
    false,
  );
  assert.deepEqual(index.separators.map(String), ['b', 'd']);
  assert.deepEqual(index.offsets, [0, 4005]);
  assert.deepEqual(index.lengths, [4000, 300000]);
  const named = decodeNamedBlock(buildBlock([[Buffer.from('rocksdb.properties'), handle(1, 2)]], 16));
  assert.deepEqual([...named.keys()], ['rocksdb.properties']);
});

test('block trailers: CRC-32C checked, Snappy blocks decompressed, unknown compression refused', () => {
  const contents = Buffer.from('some block contents '.repeat(200));
  assert.deepEqual(unwrapBlock(withTrailer(contents, 0), 1), contents);
  assert.deepEqual(unwrapBlock(withTrailer(snappy.compress(contents), 1), 1), contents);
  const damaged = withTrailer(contents, 0);
  damaged[10] ^= 1;
  assert.throws(() => unwrapBlock(damaged, 1), /bad block checksum/);
  assert.deepEqual(unwrapBlock(damaged, 0), damaged.subarray(0, contents.length), 'checksum type 0: not checked');
  assert.throws(() => unwrapBlock(withTrailer(contents, 7), 1), /unsupported block compression type 7/);
  assert.throws(() => unwrapBlock(withTrailer(Buffer.from([0xff, 0xff, 0xff]), 1), 1), /bad Snappy block/);
  assert.throws(() => unwrapBlock(withTrailer(contents, 0), 2), /unsupported checksum type 2/);
});
