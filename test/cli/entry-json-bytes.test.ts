/**
 * The byte writer of dump-entries' JSON gives entryJson's text byte for byte, and takes the cases a dump is made
 * of (so the fast path is really used); the rest it leaves to entryJson.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeEntry, emptyEntry, encodeEntry, type Entry } from '../../src/codec/colfer.js';
import { encodeEncodedEntryCmd } from '../../src/codec/encoded-entry.js';
import { EntryColumns } from '../../src/codec/entry-columns.js';
import { KeyKind, decodeKey } from '../../src/codec/keys.js';
import { entryJson } from '../../src/cli/views/entry.js';
import { entryJsonBytesBound, writeEntryJson } from '../../src/cli/views/entry-json-bytes.js';
import { prng, rawPairs, U64_EDGES } from '../codec/support.js';

const DATASETS = ['leveldb-v3.2.8/basic', 'pebble-v3.3.8/basic', 'pebble-v4/basic', 'rocksdb-v3.3.8/basic', 'pebble-v3.3.8/snapshots'];

/** The writer's text for one record, or undefined when it leaves the entry to entryJson. */
function written(record: Buffer): string | undefined {
  const columns = new EntryColumns(1);
  assert.ok(columns.push(record, 0, record.length));
  const out = Buffer.alloc(entryJsonBytesBound(columns, 0) + 16, 0xee);
  const end = writeEntryJson(columns, 0, out, 8);
  if (end < 0) return undefined;
  assert.ok(end <= 8 + entryJsonBytesBound(columns, 0), 'wrote past its bound');
  assert.ok(out.subarray(0, 8).every((b) => b === 0xee) && out.subarray(end).every((b) => b === 0xee), 'wrote outside its range');
  return out.toString('utf8', 8, end);
}

function assertSame(e: Entry, label: string): boolean {
  const record = encodeEntry(e);
  const text = written(record);
  if (text !== undefined) assert.equal(text, entryJson(decodeEntry(record)), label);
  return text !== undefined;
}

test('every entry of the fixtures: the same text as entryJson', () => {
  let fast = 0;
  let all = 0;
  for (const dataset of DATASETS) {
    for (const { key, value } of rawPairs(dataset)) {
      if (!value || decodeKey(key).kind !== KeyKind.Entry) continue;
      all++;
      const text = written(value);
      if (text === undefined) continue;
      fast++;
      assert.equal(text, entryJson(decodeEntry(value)), `${dataset} ${key.toString('hex')}`);
    }
  }
  assert.ok(all > 500 && fast > all / 2, `${fast} of ${all} entries took the fast path`);
});

test('uint64 edges in every field (the long division above 2^53), repeated and changing values', () => {
  const fields = ['term', 'index', 'key', 'clientId', 'seriesId', 'respondedTo'] as const;
  const more = [2n ** 53n - 1n, 2n ** 53n, 10n ** 16n, 10n ** 19n, 9999999999999999999n, 12345678901234567890n, 2n ** 64n - 2n];
  for (const field of fields) {
    for (const value of [...U64_EDGES, ...more]) {
      for (let repeat = 0; repeat < 2; repeat++) {
        const e: Entry = { ...emptyEntry(), [field]: value, type: 2, cmd: encodeEncodedEntryCmd(Buffer.from('v'), 'none') };
        assert.ok(assertSame(e, `${field}=${value}`), `${field}=${value} left to entryJson`);
      }
    }
  }
});

test('each kind the writer takes: plain encoded, application, session markers, no-op, empty proposal, metadata', () => {
  const plain = encodeEncodedEntryCmd(Buffer.from('payload'), 'none');
  const cases: [string, Entry][] = [
    ['encoded', { ...emptyEntry(), type: 2, index: 5n, term: 2n, key: 99n, clientId: 2n ** 63n + 5n, cmd: plain }],
    ['application', { ...emptyEntry(), type: 0, index: 6n, cmd: Buffer.from([1, 2, 3, 4, 5]) }],
    ['register', { ...emptyEntry(), type: 0, clientId: 77n, seriesId: 2n ** 64n - 2n }],
    ['unregister', { ...emptyEntry(), type: 0, clientId: 77n, seriesId: 2n ** 64n - 1n, respondedTo: 3n }],
    ['noOp', { ...emptyEntry(), type: 0, index: 9n, term: 4n }],
    ['emptyProposal', { ...emptyEntry(), type: 0, key: 1n }],
    ['emptyProposal by client', { ...emptyEntry(), type: 0, clientId: 1n }],
    ['metadata', { ...emptyEntry(), type: 3, index: 2n ** 64n - 1n }],
    ['metadata with cmd', { ...emptyEntry(), type: 3, cmd: Buffer.from('x') }],
    ['session fields', { ...emptyEntry(), type: 2, clientId: 5n, seriesId: 17n, respondedTo: 16n, cmd: plain }],
  ];
  for (const len of [1, 2, 3, 95, 96, 97, 98, 99, 200, 5000]) cases.push([`cmd of ${len}`, { ...emptyEntry(), type: 0, cmd: Buffer.alloc(len, len % 251) }]);
  for (const [label, e] of cases) assert.ok(assertSame(e, label), `${label} left to entryJson`);
});

test('left to entryJson: config changes, compressed or session-carrying payloads, bad headers, unknown types', () => {
  const cases: [string, Entry][] = [
    ['config change', { ...emptyEntry(), type: 1, cmd: Buffer.from('0801', 'hex') }],
    ['snappy', { ...emptyEntry(), type: 2, cmd: encodeEncodedEntryCmd(Buffer.alloc(300, 7), 'snappy') }],
    ['header only', { ...emptyEntry(), type: 2, cmd: Buffer.of(0) }],
    ['bad header', { ...emptyEntry(), type: 2, cmd: Buffer.of(0x10, 1) }],
    ['empty encoded', { ...emptyEntry(), type: 2 }],
    ['unknown type', { ...emptyEntry(), type: 9, cmd: Buffer.from('x') }],
    ['negative type', { ...emptyEntry(), type: -1 }],
  ];
  for (const [label, e] of cases) assert.equal(written(encodeEntry(e)), undefined, label);
});

test('interleaved clients, sessions and terms (the writer keeps the last few client IDs and the last term)', () => {
  const plain = encodeEncodedEntryCmd(Buffer.from('v'), 'none');
  const clients = [1n, 2n ** 63n + 1n, 7n, 2n ** 64n - 1n, 99999999n, 100000000n, 2n ** 53n];
  for (let i = 0; i < 60; i++) {
    const clientId = clients[(i * 5) % clients.length]!;
    const session = i % 3 === 0;
    const e: Entry = {
      ...emptyEntry(),
      type: i % 4 === 0 ? 0 : 2,
      index: BigInt(i + 1),
      term: BigInt(1 + (i % 2)),
      clientId,
      seriesId: session ? BigInt(i) : 0n,
      respondedTo: session ? BigInt(i - 1 > 0 ? i - 1 : 0) : 0n,
      cmd: plain,
    };
    assert.ok(assertSame(e, `entry ${i}`), `entry ${i} left to entryJson`);
  }
});

test('random uint64 values of every magnitude in the key, client ID and series ID', () => {
  const random = prng(20261206);
  const u64 = () => {
    const bits = 1 + Math.floor(random() * 64);
    let v = 0n;
    for (let b = 0; b < bits; b += 16) v = (v << 16n) | BigInt(Math.floor(random() * 65536));
    return v & ((1n << BigInt(bits)) - 1n);
  };
  const plain = encodeEncodedEntryCmd(Buffer.from('v'), 'none');
  for (let i = 0; i < 5000; i++) {
    const e: Entry = { ...emptyEntry(), type: 2, index: u64(), term: u64(), key: u64(), clientId: u64(), seriesId: u64(), respondedTo: u64(), cmd: plain };
    assert.ok(assertSame(e, `entry ${i}`), `entry ${i} left to entryJson`);
  }
});
