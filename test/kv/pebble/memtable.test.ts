/**
 * The memtable's order: whatever shape the log has (a few interleaved ascending runs, as Dragonboat writes, or keys in
 * no order at all), finish() must give the internal-key order of a plain sort, keeping exactly the versions a reader
 * can see.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from '../../helpers/prng.js';
import { MemtableBuilder } from '../../../src/kv/pebble/memtable.js';

const SET = 1;
const DEL = 0;
const MERGE = 2;
const SINGLEDEL = 7;

interface Op {
  key: Buffer;
  kind: number;
  seq: number;
}


/** The visible versions by the definition: sort by (key ascending, seq descending); per key the newest, and older ones under a MERGE. */
function reference(ops: Op[]): string[] {
  const sorted = [...ops].sort((a, b) => Buffer.compare(a.key, b.key) || b.seq - a.seq);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.key.equals(sorted[i]!.key)) j++;
    for (let k = i; k < j; k++) {
      out.push(`${sorted[k]!.key.toString('hex')}#${sorted[k]!.seq}`);
      if (sorted[k]!.kind !== MERGE) break;
    }
    i = j;
  }
  return out;
}

function finished(ops: Op[], split = false): string[] {
  const builder = new MemtableBuilder();
  for (const op of ops) {
    // each op in its own buffer, or all sharing one (as a WAL replay does), with a value after the key
    const buf = split ? Buffer.concat([Buffer.from('pad'), op.key, Buffer.from('v')]) : Buffer.concat([op.key, Buffer.from('v')]);
    const ks = split ? 3 : 0;
    builder.add(op.kind, buf, ks, ks + op.key.length, ks + op.key.length, buf.length, op.seq);
  }
  const t = builder.finish();
  return Array.from(t.order, (i) => `${t.bufs[t.bufIds[i]!]!.subarray(t.keyStarts[i]!, t.keyEnds[i]!).toString('hex')}#${t.seqs[i]}`);
}

/** Dragonboat-like keys: a kind byte pair, then a 16-byte id and an 8-byte index, big-endian. */
function entryKey(kind: number, index: number): Buffer {
  const k = Buffer.alloc(26);
  k[0] = kind;
  k[1] = kind;
  k[17] = 1;
  k.writeUInt32BE(Math.floor(index / 2 ** 32), 18);
  k.writeUInt32BE(index >>> 0, 22);
  return k;
}

test('a log of interleaved ascending runs (entries, state, max index; rewrites after a leader change)', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const random = prng(seed);
    const ops: Op[] = [];
    let seq = 1;
    let next = 1;
    const kinds = [SET, SET, SET, DEL, MERGE, SINGLEDEL];
    for (let batch = 0; batch < 200; batch++) {
      // now and then the log is truncated back and rewritten from an earlier index
      if (random() < 0.05) next = Math.max(1, next - Math.floor(random() * 20));
      const n = 1 + Math.floor(random() * 6);
      for (let i = 0; i < n; i++) ops.push({ key: entryKey(1, next++), kind: SET, seq: seq++ });
      ops.push({ key: entryKey(2, 0), kind: kinds[Math.floor(random() * kinds.length)]!, seq: seq++ });
      if (random() < 0.5) ops.push({ key: entryKey(3, 0), kind: random() < 0.5 ? MERGE : SET, seq: seq++ });
      if (random() < 0.1) ops.push({ key: Buffer.from([random() < 0.5 ? 0 : 9]), kind: SET, seq: seq++ });
    }
    assert.deepEqual(finished(ops, seed % 2 === 0), reference(ops), `seed ${seed}`);
  }
});

test('keys in no order, short keys and prefixes of each other, MERGE chains', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const random = prng(1000 + seed);
    const ops: Op[] = [];
    const alphabet = seed % 3 === 0 ? 3 : 40;
    for (let seq = 1; seq <= 300; seq++) {
      const key = Buffer.from(Array.from({ length: Math.floor(random() * 6) }, () => Math.floor(random() * alphabet)));
      const kind = [SET, DEL, MERGE, MERGE, SINGLEDEL][Math.floor(random() * 5)]!;
      ops.push({ key, kind, seq });
    }
    assert.deepEqual(finished(ops), reference(ops), `seed ${seed}`);
  }
});

test('a log whose sequence numbers do not grow is still ordered by sequence number', () => {
  const ops: Op[] = [
    { key: Buffer.from('a'), kind: SET, seq: 5 },
    { key: Buffer.from('b'), kind: MERGE, seq: 9 },
    { key: Buffer.from('b'), kind: MERGE, seq: 7 },
    { key: Buffer.from('b'), kind: SET, seq: 3 },
    { key: Buffer.from('a'), kind: MERGE, seq: 2 },
  ];
  assert.deepEqual(finished(ops), reference(ops));
  assert.deepEqual(finished([]), []);
});
