import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from '../../helpers/prng.js';
import type { InternalIterator, RangeTombstone } from '../../../src/kv/pebble/iterator.js';
import { LevelIterator } from '../../../src/kv/pebble/level-iterator.js';
import type { TableMeta } from '../../../src/kv/pebble/manifest.js';
import { MemtableBuilder, MemtableIterator } from '../../../src/kv/pebble/memtable.js';
import { getVisible, VisibleIterator } from '../../../src/kv/pebble/merge.js';
import { clipToTable, TombstoneIndex } from '../../../src/kv/pebble/range-tombstones.js';
import type { TableReader } from '../../../src/kv/pebble/sstable.js';

const SET = 1;
const DEL = 0;
const MERGE = 2;
const SINGLEDEL = 7;
const RANGEDEL = 15;
const b = (s: string) => Buffer.from(s);

/** One source holding the given versions (one per key, or a MERGE chain). */
function source(entries: [key: string, seq: number, kind: number, value?: string][]): InternalIterator {
  const builder = new MemtableBuilder();
  for (const [key, seq, kind, value] of entries) {
    const buf = Buffer.concat([b(key), b(value ?? '')]);
    builder.add(kind, buf, 0, key.length, value === undefined ? -1 : key.length, buf.length, seq);
  }
  return new MemtableIterator(builder.finish());
}

function tombstone(start: string, end: string, seq: number): RangeTombstone {
  return { start: b(start), end: b(end), seq };
}

function visible(sources: InternalIterator[], tombstones: RangeTombstone[] = [], from = ''): [string, string][] {
  const it = new VisibleIterator(sources, new TombstoneIndex(tombstones).newCursor());
  it.seekGE(b(from));
  const out: [string, string][] = [];
  while (it.next()) out.push([it.key.toString(), it.value.toString()]);
  return out;
}

test('the newest version of each key decides, across sources', () => {
  const l0 = source([
    ['a', 10, SET, 'a10'],
    ['b', 11, DEL],
    ['d', 12, SINGLEDEL],
  ]);
  const l6 = source([
    ['a', 0, SET, 'a0'],
    ['b', 0, SET, 'b0'],
    ['c', 0, SET, 'c0'],
    ['d', 0, SET, 'd0'],
    ['e', 0, SET, 'e0'],
  ]);
  const wal = source([
    ['c', 20, SET, 'c20'],
    ['e', 21, DEL],
    ['f', 22, SET, 'f22'],
  ]);
  assert.deepEqual(visible([l0, l6, wal]), [
    ['a', 'a10'],
    ['c', 'c20'],
    ['f', 'f22'],
  ]);
  assert.deepEqual(visible([l0, l6, wal], [], 'b'), [
    ['c', 'c20'],
    ['f', 'f22'],
  ]);
});

test('a range tombstone deletes older versions in [start, end) only', () => {
  const older = source([
    ['k1', 5, SET, 'old1'],
    ['k2', 5, SET, 'old2'],
    ['k3', 5, SET, 'old3'],
    ['k4', 5, SET, 'old4'],
  ]);
  const newer = source([['k3', 9, SET, 'new3']]);
  // [k2, k4)#7 hides k2 but not k3#9 (newer) nor k4 (end is exclusive); [k1, k2)#5 hides nothing (same seq)
  assert.deepEqual(visible([older, newer], [tombstone('k2', 'k4', 7), tombstone('k1', 'k2', 5)]), [
    ['k1', 'old1'],
    ['k3', 'new3'],
    ['k4', 'old4'],
  ]);
  const cursor = new TombstoneIndex([tombstone('k2', 'k4', 7)]).newCursor();
  assert.equal(getVisible([older, newer], cursor, b('k2')), undefined);
  assert.equal(getVisible([older, newer], cursor, b('k3'))?.toString(), 'new3');
  assert.equal(getVisible([older, newer], cursor, b('k0')), undefined);
});

test('MERGE operands concatenate oldest first, down to a SET, DEL or tombstone', () => {
  const top = source([
    ['m', 10, MERGE, 'c'],
    ['n', 10, MERGE, 'z'],
    ['o', 10, MERGE, 'y'],
  ]);
  const mid = source([
    ['m', 8, MERGE, 'b'],
    ['n', 8, DEL],
    ['o', 8, MERGE, 'x'],
  ]);
  const bottom = source([
    ['m', 6, SET, 'a'],
    ['n', 6, SET, 'gone'],
    ['o', 0, SET, 'w'],
  ]);
  assert.deepEqual(visible([top, mid, bottom]), [
    ['m', 'abc'],
    ['n', 'z'],
    ['o', 'wxy'],
  ]);
  // a tombstone at seq 7 cuts the chains below it
  assert.deepEqual(visible([top, mid, bottom], [tombstone('m', 'p', 7)]), [
    ['m', 'bc'],
    ['n', 'z'],
    ['o', 'xy'],
  ]);
  // a chain within one source (the memtable keeps every version a MERGE needs)
  const chain = source([
    ['q', 3, SET, '1'],
    ['q', 4, MERGE, '2'],
    ['q', 5, MERGE, '3'],
    ['r', 1, SET, 'r1'],
    ['r', 2, SET, 'r2'],
  ]);
  assert.deepEqual(visible([chain]), [
    ['q', '123'],
    ['r', 'r2'],
  ]);
});

test('overlapping tombstones are flattened into fragments with the highest sequence number', () => {
  const index = new TombstoneIndex([tombstone('a', 'e', 5), tombstone('c', 'g', 9), tombstone('b', 'd', 3), tombstone('x', 'z', 0), tombstone('q', 'p', 4)]);
  assert.deepEqual(
    index.fragments().map((f) => [f.start.toString(), f.end.toString(), f.seq]),
    [
      ['a', 'c', 5],
      ['c', 'g', 9],
    ],
  );
  const cursor = index.newCursor();
  assert.equal(cursor.seek(b('b')), 5);
  assert.equal(cursor.at(b('c')), 9);
  assert.equal(cursor.at(b('f')), 9);
  assert.equal(cursor.at(b('g')), 0);
  assert.equal(cursor.seek(b('')), 0);
  assert.equal(cursor.at(b('a')), 5);
  // equal neighbours merge
  assert.equal(new TombstoneIndex([tombstone('a', 'c', 4), tombstone('c', 'e', 4)]).count, 1);
});

test("a table's tombstones are clipped to the table's bounds", () => {
  const meta = (largestKind: number, largestSeq: bigint) =>
    ({
      smallest: { userKey: b('c'), seqNum: 1n, kind: SET },
      largest: { userKey: b('f'), seqNum: largestSeq, kind: largestKind },
    }) as TableMeta;
  const wide = [tombstone('a', 'z', 7), tombstone('a', 'b', 7), tombstone('d', 'e', 7)];
  const show = (ts: RangeTombstone[]) => ts.map((t) => [t.start.toString('hex'), t.end.toString('hex')]);
  assert.deepEqual(show(clipToTable(wide, meta(SET, 5n))), [
    ['63', '6600'],
    ['64', '65'],
  ]);
  // a largest key that is a range-deletion sentinel is exclusive
  assert.deepEqual(show(clipToTable(wide, meta(RANGEDEL, (1n << 56n) - 1n))), [
    ['63', '66'],
    ['64', '65'],
  ]);
});


test('the fast path (fill, emitRun) shows what the key-by-key path shows, chunk by chunk and up to a bound', () => {
  const kinds = [SET, SET, SET, DEL, SINGLEDEL, MERGE, MERGE, 18];
  for (let seed = 1; seed <= 200; seed++) {
    const random = prng(seed);
    const pick = <T>(a: T[]) => a[Math.floor(random() * a.length)]!;
    const alphabet = 'abcdefghijklmnop'.slice(0, 3 + Math.floor(random() * 13));
    const word = () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick([...alphabet])).join('');
    let seq = 1;
    // sources of disjoint stretches, overlapping ones, and one key in several sources
    const specs = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
      const entries: [string, number, number, string?][] = [];
      for (let i = Math.floor(random() * 30); i > 0; i--) {
        const kind = pick(kinds);
        entries.push([word(), seq++, kind, kind === SET || kind === MERGE || kind === 18 ? `v${seq}` : undefined]);
      }
      return entries;
    });
    const tombstones = Array.from({ length: Math.floor(random() * 5) }, () => {
      const [x, y] = [word(), word()].sort();
      return tombstone(x!, y!, Math.floor(random() * seq));
    });
    const from = random() < 0.3 ? word() : '';
    const expected = visible(specs.map(source), tombstones, from);

    const end = random() < 0.5 ? b(word()) : undefined;
    const max = 1 + Math.floor(random() * 5);
    const it = new VisibleIterator(specs.map(source), new TombstoneIndex(tombstones).newCursor());
    it.seekGE(b(from));
    const got: [string, string][] = [];
    for (;;) {
      const chunk: { key: Buffer; value: Buffer }[] = [];
      const more = it.fill(chunk, max, end);
      assert.ok(chunk.length <= max, `seed ${seed}: chunk within max`);
      for (const p of chunk) got.push([p.key.toString(), p.value.toString()]);
      if (!more) break;
      assert.equal(chunk.length, max, `seed ${seed}: only the last chunk is short`);
    }
    const want = end === undefined ? expected : expected.filter(([k]) => Buffer.compare(b(k), end) < 0);
    assert.deepEqual(got, want, `seed ${seed}`);
  }
});

test("a level whose neighbouring tables split a key's versions (LevelDB's older compactions) shows the key once", () => {
  /** A memtable standing in for a table: the level iterator asks a table iterator for the key it consumed last. */
  class FakeTableIterator extends MemtableIterator {
    lastKey?: Buffer;
    constructor(private readonly lastOfTable: string, ...args: ConstructorParameters<typeof MemtableIterator>) {
      super(...args);
    }
    override emitRun(...args: Parameters<MemtableIterator['emitRun']>): boolean {
      const moved = super.emitRun(...args);
      if (!this.valid) this.lastKey = b(this.lastOfTable);
      return moved;
    }
  }
  const table = (entries: [string, number, number, string?][]) => {
    const builder = new MemtableBuilder();
    for (const [key, seq, kind, value] of entries) {
      const buf = Buffer.concat([b(key), b(value ?? '')]);
      builder.add(kind, buf, 0, key.length, value === undefined ? -1 : key.length, buf.length, seq);
    }
    const memtable = builder.finish();
    const last = entries[entries.length - 1]![0];
    return { largest: b(last), reader: { newIterator: () => new FakeTableIterator(last, memtable) } as unknown as TableReader };
  };
  const level = () =>
    new LevelIterator([
      table([['a', 5, SET, 'a5'], ['b', 9, SET, 'b9']]),
      table([['b', 3, SET, 'b3'], ['c', 4, SET, 'c4']]),
    ]);
  const expected = [
    ['a', 'a5'],
    ['b', 'b9'],
    ['c', 'c4'],
  ];
  assert.deepEqual(visible([level()]), expected);
  for (const max of [1, 2, 10]) {
    const it = new VisibleIterator([level()], new TombstoneIndex([]).newCursor());
    it.seekGE(b(''));
    const got: string[][] = [];
    for (;;) {
      const chunk: { key: Buffer; value: Buffer }[] = [];
      const more = it.fill(chunk, max, undefined);
      for (const p of chunk) got.push([p.key.toString(), p.value.toString()]);
      if (!more) break;
    }
    assert.deepEqual(got, expected, `max ${max}`);
  }
});
