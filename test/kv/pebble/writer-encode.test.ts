/**
 * The two encoders of the Pebble write path — one batch (batch-encode.ts) and its WAL framing (log-writer.ts) —
 * against the test-side writer (helpers.ts, written independently from the spec) byte for byte, and read back with
 * the reader's own decoders: chunk types at block boundaries, the log number in every header, the masked CRCs.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { WriteOp } from '../../../src/kv/kv.js';
import { batchOps } from '../../../src/kv/pebble/batch.js';
import { encodeBatch, toBatchOp } from '../../../src/kv/pebble/batch-encode.js';
import { crc32c, maskCrc } from '../../../src/util/crc32c.js';
import { KIND_DELETE, KIND_RANGE_DELETE, KIND_SET } from '../../../src/kv/pebble/internal-key.js';
import { encodeLog } from '../../../src/kv/pebble/log-writer.js';
import { BLOCK_SIZE, readLogRecords, RECYCLABLE_HEADER_SIZE } from '../../../src/kv/pebble/record.js';
import { encodeBatch as independentBatch, writeLog as independentLog } from './helpers.js';

const OPS: WriteOp[] = [
  { op: 'delete', key: Buffer.from('0202000000000000000000660000000000000003', 'hex') },
  { op: 'put', key: Buffer.from('0606000000000000000000660000000000000003', 'hex'), value: Buffer.from('10011801', 'hex') },
  { op: 'deleteRange', start: Buffer.from('01010000000000000000006600000000000000030000000000000000', 'hex'), end: Buffer.from('010100000000000000000066000000000000000300000000000000cb', 'hex') },
  { op: 'put', key: Buffer.alloc(200, 7), value: randomBytes(300) },
  { op: 'put', key: Buffer.from('empty value'), value: Buffer.alloc(0) },
];

test('put, delete and deleteRange become SET, DEL and RANGEDEL (value = exclusive end key)', () => {
  assert.deepEqual(
    OPS.map(toBatchOp).map((o) => [o.kind, o.value === undefined]),
    [[KIND_DELETE, true], [KIND_SET, false], [KIND_RANGE_DELETE, false], [KIND_SET, false], [KIND_SET, false]],
  );
  const range = toBatchOp(OPS[2]!);
  assert.ok(range.key.equals((OPS[2] as { start: Buffer }).start));
  assert.ok(range.value!.equals((OPS[2] as { end: Buffer }).end));
});

test('a batch is byte-identical to the independent encoder and decodes back: seq S, count, op i at S + i', () => {
  const ops = OPS.map(toBatchOp);
  const seq = 201538n;
  const batch = encodeBatch(seq, ops);
  assert.deepEqual(batch, independentBatch(Number(seq), ops));
  const { header, ops: decoded } = batchOps(batch);
  assert.equal(header.seq, 201538);
  assert.equal(header.count, ops.length);
  decoded.forEach((op, i) => {
    assert.equal(op.seq, 201538 + i);
    assert.equal(op.kind, ops[i]!.kind);
    assert.ok(op.key.equals(ops[i]!.key));
    assert.equal(op.value?.toString('hex'), ops[i]!.value?.toString('hex'));
  });
});

test('a batch refuses a sequence number of 0 or beyond 2^53 - 1, and a value on a DEL', () => {
  assert.throws(() => encodeBatch(0n, [toBatchOp(OPS[0]!)]), /out of range/);
  assert.throws(() => encodeBatch(1n << 53n, [toBatchOp(OPS[0]!)]), /out of range/);
  assert.throws(() => encodeBatch(1n, [{ kind: KIND_DELETE, key: Buffer.from('k'), value: Buffer.from('v') }]), /takes no value/);
});

/** The chunk types found at each block start of a one-record log. */
function chunkTypesAtBlockStarts(log: Buffer): number[] {
  const types: number[] = [];
  for (let at = 0; at < log.length; at += BLOCK_SIZE) types.push(log[at + 6]!);
  return types;
}

const SIZES: [string, number, number[]][] = [
  ['an empty record', 0, [5]],
  ['a small record', 100, [5]],
  ['a record filling the first block exactly', BLOCK_SIZE - RECYCLABLE_HEADER_SIZE, [5]],
  ['a record one byte too big for one block', BLOCK_SIZE - RECYCLABLE_HEADER_SIZE + 1, [6, 8]],
  ['a 100 KB record', 100_000, [6, 7, 7, 8]],
];

for (const [what, size, types] of SIZES) {
  test(`${what} is framed as Pebble frames it (chunk types ${types.join(', ')}) and reads back whole`, () => {
    const record = randomBytes(size);
    const log = encodeLog([record], 7);
    assert.deepEqual(log, independentLog([record], 7, { trailer: false }));
    assert.deepEqual(chunkTypesAtBlockStarts(log), types);
    const read = readLogRecords(log, 7);
    assert.equal(read.end, 'eof');
    assert.equal(read.records.length, 1);
    assert.ok(read.records[0]!.equals(record));
  });
}

test('every chunk header carries the low 32 bits of the log number and a masked CRC-32C over type, number and payload', () => {
  const logNum = 2 ** 32 + 9;
  const log = encodeLog([randomBytes(40_000)], logNum);
  for (const at of [0, BLOCK_SIZE]) {
    assert.equal(log.readUInt32LE(at + 7), 9);
    const length = log.readUInt16LE(at + 4);
    assert.equal(log.readUInt32LE(at), maskCrc(crc32c(log, at + 6, at + RECYCLABLE_HEADER_SIZE + length)));
  }
  assert.equal(readLogRecords(log, logNum).records.length, 1);
  assert.equal(readLogRecords(log, 10).records.length, 0, 'under another log number the chunks are not this log\'s');
});

test('several records follow each other, zero-filling block tails too short for a header', () => {
  const records = [randomBytes(BLOCK_SIZE - RECYCLABLE_HEADER_SIZE - 5), randomBytes(10), randomBytes(50)];
  const log = encodeLog(records, 3);
  assert.deepEqual(log, independentLog(records, 3, { trailer: false }));
  assert.deepEqual(log.subarray(BLOCK_SIZE - 5, BLOCK_SIZE), Buffer.alloc(5), 'the 5-byte block tail is zero-filled');
  assert.equal(log[BLOCK_SIZE + 6], 5, 'the second record starts the next block as one FULL chunk');
  const read = readLogRecords(log, 3);
  assert.equal(read.end, 'eof');
  assert.deepEqual(read.records.map((r) => r.toString('hex')), records.map((r) => r.toString('hex')));
});
