/**
 * Entry batches (spec §5.6, §7.3): protobuf framing around Colfer entries, and field compaction.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodecError } from '../../src/codec/errors.js';
import { type Entry, emptyEntry, encodeEntry } from '../../src/codec/colfer.js';
import { decodeEntryBatch, encodeEntryBatch, isBatchCompactable } from '../../src/codec/entry-batch.js';
import { U64_EDGES } from './support.js';

const bytes = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const entry = (fields: Partial<Entry>): Entry => ({ ...emptyEntry(), ...fields });

describe('entry batch: worked examples (§14)', () => {
  it('three empty entries 48..50 of term 4 are field-compacted', () => {
    const entries = [48n, 49n, 50n].map((index) => entry({ term: 4n, index }));
    const encoded = bytes('0a05 0004 0130 7f 0a01 7f 0a01 7f');
    assert.deepEqual(encodeEntryBatch(entries), encoded);
    assert.deepEqual(decodeEntryBatch(encoded), entries, 'term and index restored');
  });

  it('batch 0 of the v2 database: terms differ, so nothing is compacted', () => {
    const e1 = entry({
      term: 1n,
      index: 1n,
      type: 1,
      cmd: Buffer.concat([bytes('0800 1000 1801 220f'), Buffer.from('localhost:26000'), bytes('2801')]),
    });
    const e2 = entry({ term: 2n, index: 2n });
    const e3 = entry({ term: 2n, index: 3n, key: 0x8877665544332211n, clientId: 2n ** 60n + 3n, cmd: Buffer.alloc(128, 7) });
    const encoded = Buffer.concat([
      bytes('0a22'),
      encodeEntry(e1),
      bytes('0a05 0002 0102 7f'),
      bytes('0a9a01'),
      encodeEntry(e3),
    ]);
    assert.equal(encodeEntry(e1).length, 0x22);
    assert.equal(encodeEntry(e3).length, 0x9a);
    assert.deepEqual(encodeEntryBatch([e1, e2, e3]), encoded);
    assert.deepEqual(decodeEntryBatch(encoded), [e1, e2, e3]);
  });
});

describe('entry batch: field compaction', () => {
  const run = (n: number, term = 3n, first = 96n) => Array.from({ length: n }, (_, i) => entry({ term, index: first + BigInt(i), key: BigInt(i) }));

  it('compacts only when first and last terms match and the indexes are consecutive', () => {
    assert.equal(isBatchCompactable([]), false);
    assert.equal(isBatchCompactable(run(1)), false, 'a single entry keeps its fields');
    assert.equal(isBatchCompactable(run(48)), true);
    const termChange = run(5);
    termChange[4] = { ...termChange[4]!, term: 4n };
    assert.equal(isBatchCompactable(termChange), false);
    const gap = run(5);
    gap[4] = { ...gap[4]!, index: 200n };
    assert.equal(isBatchCompactable(gap), false);
  });

  it('stores entries 2..n without term and index, and restores them', () => {
    const entries = run(48);
    const encoded = encodeEntryBatch(entries);
    const second = Buffer.from(encodeEntry({ ...entries[1]!, term: 0n, index: 0n }));
    assert.ok(encoded.includes(second), 'entry 2 is stored without term and index');
    assert.deepEqual(decodeEntryBatch(encoded), entries);
  });

  it('does not modify the entries it is given', () => {
    const entries = run(3);
    const before = structuredClone(entries.map((e) => ({ ...e, cmd: e.cmd.toString('hex') })));
    encodeEntryBatch(entries);
    assert.deepEqual(entries.map((e) => ({ ...e, cmd: e.cmd.toString('hex') })), before);
  });

  it('restores off the LAST entry: an uncompacted batch whose last term is non-zero is left alone', () => {
    const entries = [entry({ term: 2n, index: 5n }), entry({ term: 0n, index: 0n }), entry({ term: 3n, index: 7n })];
    assert.deepEqual(decodeEntryBatch(encodeEntryBatch(entries)), entries);
  });

  it('round-trips the uint64 boundaries in compacted and plain batches', () => {
    for (const value of U64_EDGES) {
      const entries = [0, 1, 2].map((i) =>
        entry({ term: value === 0n ? 1n : value, index: 10n + BigInt(i), key: value, clientId: value, seriesId: value, respondedTo: value }),
      );
      assert.deepEqual(decodeEntryBatch(encodeEntryBatch(entries)), entries);
      const single = [entry({ term: value, index: value, key: value })];
      assert.deepEqual(decodeEntryBatch(encodeEntryBatch(single)), single);
    }
  });

  it('an empty record is a batch of no entries', () => {
    assert.deepEqual(encodeEntryBatch([]), Buffer.alloc(0));
    assert.deepEqual(decodeEntryBatch(Buffer.alloc(0)), []);
  });
});

describe('entry batch: framing errors', () => {
  it('skips unknown fields like gogo does', () => {
    const e = entry({ term: 1n, index: 1n });
    const colfer = encodeEntry(e); // 00 01 01 01 7f
    const withUnknown = Buffer.concat([bytes('1001'), Buffer.of(0x0a, colfer.length), colfer, bytes('1a020000'), bytes('2501020304')]);
    assert.deepEqual(decodeEntryBatch(withUnknown), [e]);
  });

  const bad: [string, string][] = [
    ['0a', 'truncated length'],
    ['0a05 0001 7f', 'entry longer than the record'],
    ['0a02 0001', 'entry without terminator'],
    ['0801', 'field 1 with the wrong wire type'],
    ['00', 'field number 0'],
    ['1b', 'group wire type'],
    ['1a05 00', 'unknown field overrunning the record'],
    ['0a01 7f 0a02 08 7f', 'second entry with an unknown Colfer header'],
  ];
  for (const [input, why] of bad) {
    it(`rejects ${why}`, () => {
      assert.throws(() => decodeEntryBatch(bytes(input)), (err: unknown) => {
        assert.ok(err instanceof CodecError);
        assert.match(err.message, /^codec\/entry-batch: /);
        return true;
      });
    });
  }
});
