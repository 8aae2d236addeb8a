/**
 * EntryColumns decodes exactly what decodeEntry decodes: the same records accepted, the same field values (uint64s
 * past 2^53 included), and it refuses exactly the records decodeEntry throws on.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeEntry, emptyEntry, encodeEntry, type Entry } from '../../src/codec/colfer.js';
import { EntryColumns, FIELD_INDEX, FIELD_TERM, RepeatedField } from '../../src/codec/entry-columns.js';
import { KeyKind, decodeKey } from '../../src/codec/keys.js';
import { prng, randomBytes, rawPairs, U64_EDGES } from './support.js';

const DATASETS = ['leveldb-v3.2.8/basic', 'pebble-v3.3.8/basic', 'pebble-v3.3.8/overwrite', 'pebble-v4/basic', 'rocksdb-v3.3.8/basic'];

function realEntryValues(): Buffer[] {
  const values: Buffer[] = [];
  for (const dataset of DATASETS) {
    for (const { key, value } of rawPairs(dataset)) if (value && decodeKey(key).kind === KeyKind.Entry) values.push(value);
  }
  return values;
}

/** decodeEntry's verdict and EntryColumns' verdict on the same bytes agree; when both decode, the entries too. */
function assertSameDecoding(bytes: Buffer, label: string): 'ok' | 'error' {
  let expected: Entry | undefined;
  try {
    expected = decodeEntry(bytes);
  } catch {
    expected = undefined;
  }
  const columns = new EntryColumns(1);
  const taken = columns.push(bytes, 0, bytes.length);
  assert.equal(taken, expected !== undefined, `${label}: decodeEntry ${expected ? 'accepts' : 'rejects'} ${bytes.toString('hex')}`);
  if (!expected) {
    assert.equal(columns.count, 0);
    return 'error';
  }
  assert.deepEqual(columns.toEntry(0), expected, label);
  return 'ok';
}

test('every entry record of the fixtures decodes to the same entry both ways', () => {
  const values = realEntryValues();
  assert.ok(values.length > 500, `only ${values.length} entry records found`);
  for (const [i, v] of values.entries()) assert.equal(assertSameDecoding(v, `record ${i}`), 'ok');
});

test('uint64 edges in every field, negative and large types, empty and long cmds', () => {
  const fields = ['term', 'index', 'key', 'clientId', 'seriesId', 'respondedTo'] as const;
  for (const field of fields) {
    for (const value of U64_EDGES) {
      const e: Entry = { ...emptyEntry(), [field]: value, type: 2, cmd: Buffer.from('abc') };
      assert.equal(assertSameDecoding(encodeEntry(e), `${field}=${value}`), 'ok');
    }
  }
  for (const type of [0, 1, 3, 4, -1, -2147483648, 2147483647]) {
    assert.equal(assertSameDecoding(encodeEntry({ ...emptyEntry(), type, index: 7n }), `type ${type}`), 'ok');
  }
  assert.equal(assertSameDecoding(encodeEntry({ ...emptyEntry(), cmd: Buffer.alloc(70000, 9) }), 'long cmd'), 'ok');
  assert.equal(assertSameDecoding(Buffer.of(0x7f), 'all zero'), 'ok');
});

test('non-canonical varints of 8 and 9 bytes (values past 2^49 that Dragonboat also accepts)', () => {
  // index field (header 01) as a 9-byte varint: 7 bytes of 0xff, then 0xff, then 0xff → 2^64 − 1
  const nine = Buffer.of(0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f);
  assert.equal(assertSameDecoding(nine, '9-byte varint'), 'ok');
  const columns = new EntryColumns(1);
  columns.push(nine, 0, nine.length);
  assert.equal(columns.field(0, FIELD_INDEX), 2n ** 64n - 1n);
  assert.equal(columns.indexNumber(0), -1);
  const eight = Buffer.of(0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x05, 0x7f);
  assert.equal(assertSameDecoding(eight, '8-byte varint'), 'ok');
});

test('damaged records: both decoders reject the same ones (truncations, bit flips, random bytes)', () => {
  const rand = prng(11);
  const values = realEntryValues().filter((v) => v.length < 400).slice(0, 300);
  let rejected = 0;
  for (const v of values) {
    for (let cut = 0; cut < v.length; cut++) if (assertSameDecoding(v.subarray(0, cut), 'truncated') === 'error') rejected++;
    for (let k = 0; k < 4; k++) {
      const flipped = Buffer.from(v);
      flipped[Math.floor(rand() * v.length)]! ^= 1 << Math.floor(rand() * 8);
      if (assertSameDecoding(flipped, 'flipped') === 'error') rejected++;
    }
  }
  for (let k = 0; k < 2000; k++) if (assertSameDecoding(randomBytes(rand, 1 + Math.floor(rand() * 40)), 'random') === 'error') rejected++;
  assert.ok(rejected > 1000, `only ${rejected} damaged records were rejected`);
});

test('a full column set takes no more', () => {
  const columns = new EntryColumns(1);
  const record = encodeEntry({ ...emptyEntry(), index: 1n });
  assert.equal(columns.push(record, 0, record.length), true);
  assert.equal(columns.push(record, 0, record.length), false);
  assert.equal(columns.count, 1);
});

test('RepeatedField: the field as a bigint, the same one while the value repeats', () => {
  const terms = [1n, 1n, 2n ** 64n - 1n, 2n ** 64n - 1n, 2n ** 53n + 1n, 1n];
  const columns = new EntryColumns(terms.length);
  for (const term of terms) {
    const record = encodeEntry({ ...emptyEntry(), term });
    assert.ok(columns.push(record, 0, record.length));
  }
  const field = new RepeatedField(FIELD_TERM);
  const got = terms.map((_, i) => field.of(columns, i));
  assert.deepEqual(got, terms);
  assert.ok(Object.is(field.of(columns, 0), field.of(columns, 1)));
});
