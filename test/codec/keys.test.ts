/**
 * LogDB keys (spec §4): layout, strict parsing, batch IDs and the scan bounds of §4.3.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodecError } from '../../src/codec/errors.js';
import { inRange } from '../../src/kv/kv.js';
import {
  KeyKind,
  allBatchedEntriesRange,
  allPlainEntriesRange,
  batchIdOf,
  batchIdRange,
  batchRange,
  batchedRemoveRange,
  bootstrapKey,
  bootstrapScanRange,
  decodeKey,
  entryBatchKey,
  entryKey,
  keyKindName,
  maxIndexKey,
  nodeInfoKey,
  nodeKeyRange,
  plainEntryRange,
  plainEntryRangeInclusive,
  plainRemoveRange,
  snapshotKey,
  snapshotRange,
  stateKey,
} from '../../src/codec/keys.js';
import { MAX_UINT64 } from '../../src/codec/uint64.js';
import { U64_EDGES } from './support.js';

const h = (b: Buffer) => b.toString('hex');

describe('keys: layout (§4.1)', () => {
  it('matches the worked examples of §14 (cluster 2, node 1)', () => {
    assert.equal(h(stateKey(2n, 1n)), '02020000' + '0000000000000002' + '0000000000000001');
    assert.equal(h(entryKey(2n, 1n, 5n)), '01010000' + '0000000000000002' + '0000000000000001' + '0000000000000005');
    assert.equal(h(entryBatchKey(2n, 1n, 0n)), '07070000' + '0000000000000002' + '0000000000000001' + '0000000000000000');
    const key = (s: string) => Buffer.from(s.replace(/ /g, ''), 'hex');
    assert.deepEqual(decodeKey(key('0202 0000 0000000000000002 0000000000000001')), { kind: KeyKind.State, clusterId: 2n, nodeId: 1n });
    assert.deepEqual(decodeKey(key('0101 0000 0000000000000002 0000000000000001 0000000000000005')), {
      kind: KeyKind.Entry,
      clusterId: 2n,
      nodeId: 1n,
      index: 5n,
    });
    assert.deepEqual(decodeKey(key('0707 0000 0000000000000002 0000000000000001 0000000000000000')), {
      kind: KeyKind.EntryBatch,
      clusterId: 2n,
      nodeId: 1n,
      index: 0n,
    });
  });

  it('gives every kind its marker and length', () => {
    const cases: [Buffer, KeyKind, number][] = [
      [entryKey(1n, 2n, 3n), KeyKind.Entry, 28],
      [stateKey(1n, 2n), KeyKind.State, 20],
      [maxIndexKey(1n, 2n), KeyKind.MaxIndex, 20],
      [nodeInfoKey(1n, 2n), KeyKind.NodeInfo, 20],
      [snapshotKey(1n, 2n, 3n), KeyKind.Snapshot, 28],
      [bootstrapKey(1n, 2n), KeyKind.Bootstrap, 20],
      [entryBatchKey(1n, 2n, 3n), KeyKind.EntryBatch, 28],
    ];
    for (const [key, kind, length] of cases) {
      assert.equal(key.length, length, keyKindName(kind));
      assert.equal(key[0], kind);
      assert.equal(key[1], kind);
      assert.equal(key.readUInt16BE(2), 0);
    }
  });

  it('names the kinds', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7].map(keyKindName),
      ['entry', 'state', 'maxIndex', 'nodeInfo', 'snapshot', 'bootstrap', 'entryBatch'],
    );
    assert.equal(keyKindName(9), 'unknown(0x09)');
  });

  it('round-trips every uint64 boundary in every field', () => {
    for (const c of U64_EDGES) {
      for (const n of U64_EDGES) {
        assert.deepEqual(decodeKey(stateKey(c, n)), { kind: KeyKind.State, clusterId: c, nodeId: n });
        for (const i of [0n, 2n ** 49n, MAX_UINT64]) {
          assert.deepEqual(decodeKey(entryKey(c, n, i)), { kind: KeyKind.Entry, clusterId: c, nodeId: n, index: i });
        }
      }
    }
  });

  it('refuses arguments that are not uint64', () => {
    assert.throws(() => entryKey(-1n, 1n, 1n), RangeError);
    assert.throws(() => stateKey(1n, MAX_UINT64 + 1n), RangeError);
  });

  it('sorts by kind, then cluster, then node, then index', () => {
    const keys = [entryKey(1n, 1n, 256n), entryKey(1n, 1n, 2n), entryKey(1n, 2n, 0n), entryKey(2n, 0n, 0n), stateKey(0n, 0n)];
    const sorted = [...keys].sort(Buffer.compare).map(h);
    assert.deepEqual(sorted, [keys[1], keys[0], keys[2], keys[3], keys[4]].map((k) => h(k!)));
  });
});

describe('keys: decodeKey is strict', () => {
  const bad: [string, string][] = [
    ['', 'empty'],
    ['01', 'one byte'],
    ['0102' + '0000' + '00'.repeat(24), 'mismatched kind bytes'],
    ['0909' + '0000' + '00'.repeat(16), 'unknown kind'],
    ['0101' + '0000' + '00'.repeat(16), 'entry key of 20 bytes'],
    ['0202' + '0000' + '00'.repeat(24), 'state key of 28 bytes'],
    ['0202' + '0001' + '00'.repeat(16), 'non-zero padding'],
    ['0505' + '0000' + '00'.repeat(25), '29 bytes'],
  ];
  for (const [keyHex, why] of bad) {
    it(`rejects ${why}`, () => {
      assert.throws(() => decodeKey(Buffer.from(keyHex, 'hex')), CodecError);
    });
  }
});

describe('keys: batch IDs (§4.2)', () => {
  it('batch k holds indexes 48k..48k+47', () => {
    assert.equal(batchIdOf(1n, 48n), 0n);
    assert.equal(batchIdOf(47n, 48n), 0n);
    assert.equal(batchIdOf(48n, 48n), 1n);
    assert.equal(batchIdOf(203n, 48n), 4n);
    assert.equal(batchIdOf(MAX_UINT64, 48n), MAX_UINT64 / 48n);
  });

  it('batchIdRange is getBatchIDRange for a half-open index range', () => {
    assert.deepEqual(batchIdRange(1n, 48n, 48n), [0n, 1n]); // high a multiple of B
    assert.deepEqual(batchIdRange(1n, 49n, 48n), [0n, 2n]);
    assert.deepEqual(batchIdRange(50n, 51n, 48n), [1n, 2n]);
    assert.deepEqual(batchIdRange(144n, 321n, 48n), [3n, 7n]);
  });

  it('refuses a zero batch size', () => {
    assert.throws(() => batchIdOf(1n, 0n), RangeError);
  });
});

describe('keys: scan bounds (§4.3)', () => {
  it('ListNodeInfo scans every bootstrap key and nothing else', () => {
    const r = bootstrapScanRange();
    assert.ok(inRange(bootstrapKey(0n, 0n), r));
    assert.ok(inRange(bootstrapKey(MAX_UINT64, MAX_UINT64), r));
    assert.ok(!inRange(stateKey(MAX_UINT64, MAX_UINT64), r));
    assert.ok(!inRange(entryBatchKey(0n, 0n, 0n), r));
  });

  it('ListSnapshots covers [0, maxIndex] inclusive of one node', () => {
    const r = snapshotRange(5n, 1n, 200n);
    assert.ok(inRange(snapshotKey(5n, 1n, 0n), r));
    assert.ok(inRange(snapshotKey(5n, 1n, 200n), r));
    assert.ok(!inRange(snapshotKey(5n, 1n, 201n), r));
    assert.ok(!inRange(snapshotKey(5n, 2n, 1n), r));
    assert.ok(!inRange(snapshotKey(21n, 1n, 100n), r));
  });

  it('plain IterateEntries is [low, high), ReadRaftState [low, high]', () => {
    const r = plainEntryRange(1n, 1n, 10n, 20n);
    assert.ok(inRange(entryKey(1n, 1n, 10n), r));
    assert.ok(inRange(entryKey(1n, 1n, 19n), r));
    assert.ok(!inRange(entryKey(1n, 1n, 20n), r));
    assert.ok(!inRange(entryKey(1n, 1n, 9n), r));
    const inc = plainEntryRangeInclusive(1n, 1n, 10n, 20n);
    assert.ok(inRange(entryKey(1n, 1n, 20n), inc));
    assert.ok(!inRange(entryKey(1n, 1n, 21n), inc));
  });

  it('an exclusive high of 2^64 (maxIndex + 1 at the top) still stays inside the node', () => {
    const r = plainEntryRange(1n, 1n, 0n, MAX_UINT64 + 1n);
    assert.ok(inRange(entryKey(1n, 1n, MAX_UINT64), r));
    assert.ok(!inRange(entryKey(1n, 2n, 0n), r));
    const b = batchRange(1n, 1n, 0n, MAX_UINT64 + 1n);
    assert.ok(inRange(entryBatchKey(1n, 1n, MAX_UINT64), b));
  });

  it('batched iteration is [lowId, highId)', () => {
    const r = batchRange(1n, 1n, 1n, 3n);
    assert.ok(!inRange(entryBatchKey(1n, 1n, 0n), r));
    assert.ok(inRange(entryBatchKey(1n, 1n, 2n), r));
    assert.ok(!inRange(entryBatchKey(1n, 1n, 3n), r));
  });

  it('plain RemoveEntriesTo(index) deletes indexes < index', () => {
    const { start, end } = plainRemoveRange(102n, 3n, 203n);
    assert.equal(h(start), h(entryKey(102n, 3n, 0n)));
    assert.equal(h(end), h(entryKey(102n, 3n, 203n)));
  });

  it('batched RemoveEntriesTo(index) deletes batch IDs < index/B − 1, nothing when index/B is 0 or 1', () => {
    // The compact-batched fixture: 203 = 4×48 + 11 removes batches 0, 1 and 2.
    const bounds = batchedRemoveRange(102n, 3n, 203n, 48n);
    assert.ok(bounds);
    assert.equal(h(bounds.start), h(entryBatchKey(102n, 3n, 0n)));
    assert.equal(h(bounds.end), h(entryBatchKey(102n, 3n, 3n)));
    assert.equal(batchedRemoveRange(1n, 1n, 47n, 48n), undefined);
    assert.equal(batchedRemoveRange(1n, 1n, 95n, 48n), undefined);
    assert.ok(batchedRemoveRange(1n, 1n, 96n, 48n));
    // RemoveNodeData: RemoveEntriesTo(MaxUint64).
    const all = batchedRemoveRange(1n, 1n, MAX_UINT64, 48n)!;
    assert.equal(all.end.readBigUInt64BE(20), MAX_UINT64 / 48n - 1n);
  });

  it('"has plain / batched records" scan everything of one kind', () => {
    assert.ok(inRange(entryKey(MAX_UINT64, MAX_UINT64, MAX_UINT64), allPlainEntriesRange()));
    assert.ok(!inRange(stateKey(0n, 0n), allPlainEntriesRange()));
    assert.ok(inRange(entryBatchKey(0n, 0n, 0n), allBatchedEntriesRange()));
    assert.ok(!inRange(entryKey(0n, 0n, 0n), allBatchedEntriesRange()));
  });

  it('nodeKeyRange covers one node of one kind', () => {
    const r = nodeKeyRange(KeyKind.Snapshot, 5n, 1n);
    assert.ok(inRange(snapshotKey(5n, 1n, 0n), r));
    assert.ok(inRange(snapshotKey(5n, 1n, MAX_UINT64), r));
    assert.ok(!inRange(snapshotKey(5n, 2n, 0n), r));
    const s = nodeKeyRange(KeyKind.State, 5n, 1n);
    assert.ok(inRange(stateKey(5n, 1n), s));
    assert.ok(!inRange(stateKey(5n, 2n), s));
  });
});
