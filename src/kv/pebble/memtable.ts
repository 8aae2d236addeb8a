/**
 * The in-memory table rebuilt from the WAL: what Pebble's memtable held when the shard was closed.
 *
 * Not a wire format: operations arrive in log order and are sorted once into internal-key order (user key ascending,
 * sequence number descending). Only the versions a reader can see are kept: for each user key the newest entry, plus
 * the older ones a MERGE chain needs. Range deletions are kept apart, as Pebble's memtable keeps them.
 *
 * Entries are (record buffer, offset, length) triples in typed arrays, not Buffer views: a WAL can hold millions of
 * operations, and millions of long-lived small objects cost more in garbage collection than everything else in a
 * replay. Views are made when an iterator reaches an entry. Sorting yields `order`, the positions of the kept
 * entries in internal-key order: the builder's arrays are kept as they are, not copied into sorted ones.
 */
import { KIND_MERGE, KIND_RANGE_DELETE } from './internal-key.js';
import type { InternalIterator, RangeTombstone } from './iterator.js';

export interface Memtable {
  count: number;
  /** the kept entries' positions in the arrays below, in internal-key order */
  order: Int32Array;
  /** the record buffer holding each entry's key and value */
  bufs: Buffer[];
  keyStarts: Int32Array;
  keyEnds: Int32Array;
  /** -1 for entries without a value */
  valueStarts: Int32Array;
  valueEnds: Int32Array;
  seqs: Float64Array;
  kinds: Uint8Array;
  rangeTombstones: RangeTombstone[];
  /** the largest sequence number applied, 0 when empty */
  maxSeq: number;
}

/** Bytewise comparison of a[as, ae) with b[bs, be). */
function compareRanges(a: Buffer, as: number, ae: number, b: Buffer, bs: number, be: number): number {
  const la = ae - as;
  const lb = be - bs;
  const n = la < lb ? la : lb;
  for (let i = 0; i < n; i++) {
    const d = a[as + i]! - b[bs + i]!;
    if (d !== 0) return d;
  }
  return la - lb;
}

function rangesEqual(a: Buffer, as: number, ae: number, b: Buffer, bs: number, be: number): boolean {
  if (ae - as !== be - bs) return false;
  for (let i = ae - as - 1; i >= 0; i--) if (a[as + i] !== b[bs + i]) return false;
  return true;
}

export class MemtableBuilder {
  private n = 0;
  private capacity = 1024;
  private bufs: Buffer[] = [];
  private keyStarts = new Int32Array(this.capacity);
  private keyEnds = new Int32Array(this.capacity);
  private valueStarts = new Int32Array(this.capacity);
  private valueEnds = new Int32Array(this.capacity);
  private seqs = new Float64Array(this.capacity);
  private kinds = new Uint8Array(this.capacity);
  private readonly rangeTombstones: RangeTombstone[] = [];
  private maxSeq = 0;

  /** Adds one operation (the BatchVisitor signature: key and value are offsets into `buf`). */
  add(kind: number, buf: Buffer, keyStart: number, keyEnd: number, valueStart: number, valueEnd: number, seq: number): void {
    if (seq > this.maxSeq) this.maxSeq = seq;
    if (kind === KIND_RANGE_DELETE) {
      this.rangeTombstones.push({ start: buf.subarray(keyStart, keyEnd), end: buf.subarray(valueStart, valueEnd), seq });
      return;
    }
    if (this.n === this.capacity) this.grow();
    const i = this.n++;
    this.bufs.push(buf);
    this.keyStarts[i] = keyStart;
    this.keyEnds[i] = keyEnd;
    this.valueStarts[i] = valueStart;
    this.valueEnds[i] = valueEnd;
    this.seqs[i] = seq;
    this.kinds[i] = kind;
  }

  private grow(): void {
    this.capacity *= 2;
    const grown = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.capacity);
      b.set(a);
      return b;
    };
    this.keyStarts = grown(this.keyStarts);
    this.keyEnds = grown(this.keyEnds);
    this.valueStarts = grown(this.valueStarts);
    this.valueEnds = grown(this.valueEnds);
    this.seqs = grown(this.seqs);
    this.kinds = grown(this.kinds);
  }

  finish(): Memtable {
    const { n, bufs, keyStarts, keyEnds, seqs, kinds } = this;
    const order = new Array<number>(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // Array.prototype.sort is TimSort in V8: log order is mostly ascending runs, which it merges cheaply.
    order.sort(
      (a, b) =>
        compareRanges(bufs[a]!, keyStarts[a]!, keyEnds[a]!, bufs[b]!, keyStarts[b]!, keyEnds[b]!) || seqs[b]! - seqs[a]!,
    );

    const kept = new Int32Array(n);
    let m = 0;
    let prev = -1;
    let keepOlder = false;
    for (const i of order) {
      const sameKey = prev >= 0 && rangesEqual(bufs[prev]!, keyStarts[prev]!, keyEnds[prev]!, bufs[i]!, keyStarts[i]!, keyEnds[i]!);
      if (sameKey && !keepOlder) continue;
      // a MERGE needs the versions below it, down to the first that is not a MERGE
      keepOlder = kinds[i] === KIND_MERGE;
      kept[m++] = i;
      prev = i;
    }
    return {
      count: m,
      order: kept.subarray(0, m),
      bufs,
      keyStarts,
      keyEnds,
      valueStarts: this.valueStarts,
      valueEnds: this.valueEnds,
      seqs,
      kinds,
      rangeTombstones: this.rangeTombstones,
      maxSeq: this.maxSeq,
    };
  }
}

const EMPTY = Buffer.alloc(0);

export class MemtableIterator implements InternalIterator {
  valid = false;
  key: Buffer = EMPTY;
  seq = 0;
  kind = 0;
  private pos = 0;

  constructor(private readonly table: Memtable) {}

  value(): Buffer {
    const t = this.table;
    const i = t.order[this.pos]!;
    const start = t.valueStarts[i]!;
    return start < 0 ? EMPTY : t.bufs[i]!.subarray(start, t.valueEnds[i]!);
  }

  first(): void {
    this.pos = 0;
    this.load();
  }

  seekGE(userKey: Buffer): void {
    const t = this.table;
    let lo = 0;
    let hi = t.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const i = t.order[mid]!;
      if (compareRanges(t.bufs[i]!, t.keyStarts[i]!, t.keyEnds[i]!, userKey, 0, userKey.length) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.pos = lo;
    this.load();
  }

  next(): void {
    this.pos++;
    this.load();
  }

  private load(): void {
    const t = this.table;
    if (this.pos >= t.count) {
      this.valid = false;
      return;
    }
    const i = t.order[this.pos]!;
    this.valid = true;
    this.key = t.bufs[i]!.subarray(t.keyStarts[i]!, t.keyEnds[i]!);
    this.seq = t.seqs[i]!;
    this.kind = t.kinds[i]!;
  }
}
