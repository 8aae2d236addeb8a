import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KVCorruptionError } from '../../../src/kv/kv.js';
import { BLOCK_SIZE, readLogRecords, readWholeLog, scanLogRecords } from '../../../src/kv/pebble/record.js';
import { writeLog } from './helpers.js';

const record = (n: number, fill: number) => Buffer.alloc(n, fill);

test('records of every size round-trip through recyclable and legacy framing', () => {
  const records = [record(0, 0), record(1, 1), record(100, 2), record(BLOCK_SIZE - 11, 3), record(70000, 4), record(5, 5), record(BLOCK_SIZE * 3, 6)];
  for (const recyclable of [true, false]) {
    const log = writeLog(records, 7, { recyclable });
    const read = readLogRecords(log, 7);
    assert.equal(read.end, recyclable ? 'trailer' : 'eof');
    assert.deepEqual(read.records, records);
    assert.equal(read.offsets[0], 0);
  }
});

test('records assembled in place (WAL replay) are the records read by copying, with the same offsets and end', () => {
  const patterned = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));
  const records = [patterned(10, 1), patterned(BLOCK_SIZE * 2 + 17, 2), patterned(3, 3), patterned(70000, 4), patterned(BLOCK_SIZE - 7, 5), patterned(9, 6)];
  for (const recyclable of [true, false]) {
    const log = writeLog(records, 9, { recyclable });
    const copied = readLogRecords(log, 9);
    const inPlace: { bytes: Buffer; offset: number }[] = [];
    const owned = Buffer.from(log);
    const end = scanLogRecords(owned, 9, (buf, start, stop, offset) => inPlace.push({ bytes: Buffer.from(buf.subarray(start, stop)), offset }), true);
    assert.deepEqual(inPlace.map((r) => r.bytes), records);
    assert.deepEqual(inPlace.map((r) => r.offset), copied.offsets);
    assert.equal(end.end, copied.end);
  }
});

test('a zero-filled block tail shorter than a recyclable header is skipped', () => {
  // fill the first block so that 5 bytes remain: the writer pads them with zeros
  const records = [record(BLOCK_SIZE - 11 - 5, 1), record(10, 2)];
  const log = writeLog(records, 3);
  assert.deepEqual(log.subarray(BLOCK_SIZE - 5, BLOCK_SIZE), Buffer.alloc(5));
  assert.deepEqual(readLogRecords(log, 3).records, records);
});

test('a chunk with another log number where a record starts ends the log cleanly', () => {
  const ours = writeLog([record(10, 1)], 5, { trailer: false });
  const stale = writeLog([record(10, 2), record(10, 3)], 4, { trailer: false });
  const read = readLogRecords(Buffer.concat([ours, stale]), 5);
  assert.equal(read.end, 'trailer');
  assert.deepEqual(read.records, [record(10, 1)]);
  // only the low 32 bits of the file number are written and compared
  assert.equal(readLogRecords(writeLog([record(3, 1)], 2 ** 32 + 9), 2 ** 32 + 9).records.length, 1);
});

test('a log truncated inside a record returns the records before it and reports the tear', () => {
  const records = [record(100, 1), record(50000, 2), record(10, 3)];
  const log = writeLog(records, 9, { trailer: false });
  const full = readLogRecords(log, 9);
  for (const cut of [full.offsets[1]! + 5, full.offsets[1]! + 20000, BLOCK_SIZE + 100]) {
    const read = readLogRecords(log.subarray(0, cut), 9);
    assert.equal(read.end, 'torn', `cut at ${cut}`);
    assert.deepEqual(read.records, [records[0]]);
    assert.equal(read.tornOffset, full.offsets[1]);
  }
  // a cut exactly at a record boundary is a clean end
  const clean = readLogRecords(log.subarray(0, full.offsets[2]), 9);
  assert.equal(clean.end, 'eof');
  assert.equal(clean.records.length, 2);
});

test('a bad checksum, a zeroed header or an unknown chunk type stops the log at that chunk', () => {
  const records = [record(20, 1), record(20, 2), record(20, 3)];
  const log = writeLog(records, 1, { trailer: false });
  const second = readLogRecords(log, 1).offsets[1]!;
  const damaged = (edit: (b: Buffer) => void) => {
    const b = Buffer.from(log);
    edit(b);
    return readLogRecords(b, 1);
  };
  for (const [what, edit] of [
    ['payload byte', (b: Buffer) => (b[second + 11 + 3] ^= 0x40)],
    ['zeroed header', (b: Buffer) => b.fill(0, second, second + 11)],
    ['chunk type 9', (b: Buffer) => (b[second + 6] = 9)],
    ['length past the block', (b: Buffer) => b.writeUInt16LE(40000, second + 4)],
  ] as const) {
    const read = damaged(edit);
    assert.equal(read.end, 'torn', what);
    assert.equal(read.tornOffset, second, what);
    assert.deepEqual(read.records, [records[0]], what);
  }
});

test('readWholeLog throws a KVCorruptionError naming the file and offset', () => {
  const log = writeLog([record(20, 1), record(20, 2)], 0, { recyclable: false });
  const second = readLogRecords(log, 0).offsets[1]!;
  log[second + 7] ^= 1;
  assert.throws(
    () => readWholeLog(log, 0, '/x/MANIFEST-000005'),
    (err: unknown) =>
      err instanceof KVCorruptionError &&
      err.message === `pebble/record: bad chunk checksum in MANIFEST-000005 at offset ${second}` &&
      err.file === '/x/MANIFEST-000005' &&
      err.offset === second,
  );
});
