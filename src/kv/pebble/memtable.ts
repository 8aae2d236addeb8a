/**
 * The in-memory table rebuilt from the WAL: what Pebble's memtable held when the shard was closed.
 *
 * Not a wire format: operations arrive in log order and are put once into internal-key order (user key ascending,
 * sequence number descending). Only the versions a reader can see are kept: for each user key the newest entry, plus
 * the older ones a MERGE chain needs. Range deletions are kept apart, as Pebble's memtable keeps them.
 *
 * Ordering: Dragonboat's batches interleave a few kinds of keys (a node's entries, ascending; its state and max-index
 * keys, rewritten by every batch), so a log is a handful of ascending runs woven together. As operations arrive they
 * are dealt into such runs (placeInRun), and finish() merges the runs, copying long stretches at once; a log of more
 * than MAX_RUNS runs is sorted instead. A comparison sort of the whole log costs several times as much.
 *
 * Entries are (record buffer, offset, length) triples in typed arrays, not Buffer views: a WAL can hold millions of
 * operations, and millions of long-lived small objects cost more in garbage collection than everything else in a
 * replay. Views are made when an iterator reaches an entry. Sorting yields `order`, the positions of the kept
 * entries in internal-key order: the builder's arrays are kept as they are, not copied into sorted ones.
 */
import type { KVPair } from '../kv.js';
import { KIND_MERGE, KIND_RANGE_DELETE, KIND_SET, KIND_SET_WITH_DELETE } from './internal-key.js';
import type { InternalIterator, RangeTombstone } from './iterator.js';

export interface Memtable {
  count: number;
  /** the kept entries' positions in the arrays below, in internal-key order */
  order: Int32Array;
  /** the record buffers; entry i's key and value are in bufs[bufIds[i]] */
  bufs: Buffer[];
  bufIds: Int32Array;
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

/** Bytewise comparison of a[as, ae) with b[bs, be), four bytes at a time first (LogDB keys share long prefixes). */
export function compareRanges(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const la = ae - as;
  const lb = be - bs;
  const n = la < lb ? la : lb;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x = ((a[as + i]! << 24) | (a[as + i + 1]! << 16) | (a[as + i + 2]! << 8) | a[as + i + 3]!) >>> 0;
    const y = ((b[bs + i]! << 24) | (b[bs + i + 1]! << 16) | (b[bs + i + 2]! << 8) | b[bs + i + 3]!) >>> 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  for (; i < n; i++) {
    const d = a[as + i]! - b[bs + i]!;
    if (d !== 0) return d;
  }
  return la - lb;
}

/**
 * At most this many ascending runs are gathered before finish() gives up on merging and sorts. Dragonboat's batches
 * interleave a few kinds of keys (entries ascending, the node's state and max-index keys rewritten by every batch),
 * so its logs split into a handful of runs.
 */
const MAX_RUNS = 16;

export class MemtableBuilder {
  private n = 0;
  private capacity: number;
  /** the distinct record buffers; entry i's key and value are in bufs[bufIds[i]] */
  private readonly bufs: Buffer[] = [];
  private bufIds: Int32Array;
  private keyStarts: Int32Array;
  private keyEnds: Int32Array;
  private valueStarts: Int32Array;
  private valueEnds: Int32Array;
  private seqs: Float64Array;
  private kinds: Uint8Array;
  private readonly rangeTombstones: RangeTombstone[] = [];
  private maxSeq = 0;
  // The ascending runs of the log (see placeInRun): each entry's run, the entry before it in its run, whether it
  // repeats that entry's key, and the last entry of each run.
  private runOf: Uint8Array;
  private prevInRun: Int32Array;
  private sameKey: Uint8Array;
  private readonly tails = new Int32Array(MAX_RUNS);
  private runCount = 0;
  private lastRun = 0;
  /** set when the log does not split into MAX_RUNS runs: finish() sorts */
  private unordered = false;

  /** `expected`: how many operations are likely to come (the arrays grow past it if needed) */
  constructor(expected = 1024) {
    const c = (this.capacity = Math.max(16, Math.ceil(expected)));
    this.bufIds = new Int32Array(c);
    this.keyStarts = new Int32Array(c);
    this.keyEnds = new Int32Array(c);
    this.valueStarts = new Int32Array(c);
    this.valueEnds = new Int32Array(c);
    this.seqs = new Float64Array(c);
    this.kinds = new Uint8Array(c);
    this.runOf = new Uint8Array(c);
    this.prevInRun = new Int32Array(c);
    this.sameKey = new Uint8Array(c);
  }

  /** Adds one operation (the BatchVisitor signature: key and value are offsets into `buf`). */
  add(kind: number, buf: Buffer, keyStart: number, keyEnd: number, valueStart: number, valueEnd: number, seq: number): void {
    if (seq > this.maxSeq) this.maxSeq = seq;
    if (kind === KIND_RANGE_DELETE) {
      this.rangeTombstones.push({ start: buf.subarray(keyStart, keyEnd), end: buf.subarray(valueStart, valueEnd), seq });
      return;
    }
    if (this.n === this.capacity) this.grow();
    const i = this.n++;
    const bufs = this.bufs;
    // a replay keeps one buffer per log file: consecutive entries mostly share it
    if (bufs.length === 0 || bufs[bufs.length - 1] !== buf) bufs.push(buf);
    this.bufIds[i] = bufs.length - 1;
    this.keyStarts[i] = keyStart;
    this.keyEnds[i] = keyEnd;
    this.valueStarts[i] = valueStart;
    this.valueEnds[i] = valueEnd;
    this.seqs[i] = seq;
    this.kinds[i] = kind;
    if (!this.unordered && !this.placeInRun(i)) this.unordered = true;
  }

  private grow(): void {
    this.capacity *= 2;
    const grown = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.capacity);
      b.set(a);
      return b;
    };
    this.bufIds = grown(this.bufIds);
    this.keyStarts = grown(this.keyStarts);
    this.keyEnds = grown(this.keyEnds);
    this.valueStarts = grown(this.valueStarts);
    this.valueEnds = grown(this.valueEnds);
    this.seqs = grown(this.seqs);
    this.kinds = grown(this.kinds);
    this.runOf = grown(this.runOf);
    this.prevInRun = grown(this.prevInRun);
    this.sameKey = grown(this.sameKey);
  }

  finish(): Memtable {
    const kept = this.unordered ? this.sortAll() : this.keepVisible(this.mergeRuns());
    return {
      count: kept.length,
      order: kept,
      bufs: this.bufs,
      bufIds: this.bufIds,
      keyStarts: this.keyStarts,
      keyEnds: this.keyEnds,
      valueStarts: this.valueStarts,
      valueEnds: this.valueEnds,
      seqs: this.seqs,
      kinds: this.kinds,
      rangeTombstones: this.rangeTombstones,
      maxSeq: this.maxSeq,
    };
  }

  /** Compares the keys of entries i and j. */
  private compareKeys(i: number, j: number): number {
    const { bufs, bufIds, keyStarts, keyEnds } = this;
    return compareRanges(bufs[bufIds[i]!]!, keyStarts[i]!, keyEnds[i]!, bufs[bufIds[j]!]!, keyStarts[j]!, keyEnds[j]!);
  }

  /**
   * Puts entry i at the end of an ascending run of keys; false when the log has more than MAX_RUNS of them (or
   * sequence numbers that do not grow), and finish() must sort. Log order is sequence order, so a run is in (key
   * ascending, sequence ascending) order, and finish() merges the runs. An entry that repeats its run's last key
   * hides it unless it is a MERGE (whose older versions stay), so most rewrites of a key never reach the merge.
   * Done as entries arrive, in a small function: a replay's hot loops run once, and small functions are optimised
   * soonest.
   */
  private placeInRun(i: number): boolean {
    const count = this.runCount;
    const last = this.lastRun;
    const tails = this.tails;
    // The runs' last keys descend in the order the runs were made, so the first run whose last key is <= this key
    // (the one with the largest such key) takes it, and that order is kept. Logs mostly continue the run of the
    // entry before: check that one first.
    let r = -1;
    let c = 1;
    if (last < count && (last === 0 || this.compareKeys(tails[last - 1]!, i) > 0)) {
      c = this.compareKeys(tails[last]!, i);
      if (c <= 0) r = last;
    }
    if (r < 0) {
      for (r = 0; r < count; r++) {
        c = this.compareKeys(tails[r]!, i);
        if (c <= 0) break;
      }
    }
    let prev = -1;
    if (r === count) {
      if (count === MAX_RUNS) return false;
      this.runCount++;
    } else {
      prev = tails[r]!;
      if (c === 0) {
        // a log whose sequence numbers do not grow is left to the sort, which orders versions by them
        if (this.seqs[i]! <= this.seqs[prev]!) return false;
        if (this.kinds[i] !== KIND_MERGE) {
          // the newest version is not a MERGE: the run's versions of this key are hidden (runOf MAX_RUNS: dropped)
          while (this.sameKey[prev] === 1) {
            this.runOf[prev] = MAX_RUNS;
            prev = this.prevInRun[prev]!;
          }
          this.runOf[prev] = MAX_RUNS;
          prev = this.prevInRun[prev]!;
        } else {
          this.sameKey[i] = 1;
        }
      }
    }
    this.runOf[i] = r;
    this.prevInRun[i] = prev;
    tails[r] = i;
    this.lastRun = r;
    return true;
  }

  /** The runs' entries, run by run, in log order. */
  private collectRuns(): Int32Array[] {
    const { n, runOf, runCount } = this;
    const lengths = new Int32Array(MAX_RUNS + 1);
    for (let i = 0; i < n; i++) lengths[runOf[i]!]!++;
    const runs = Array.from({ length: runCount }, (_, r) => new Int32Array(lengths[r]!));
    const fill = new Int32Array(MAX_RUNS + 1);
    for (let i = 0; i < n; i++) {
      const r = runOf[i]!;
      if (r < runCount) runs[r]![fill[r]!++] = i;
    }
    return runs;
  }

  /**
   * Merges the runs into one sequence in (key ascending, sequence ascending) order, marking in sameKey every entry
   * whose key equals the one before it.
   */
  private mergeRuns(): Int32Array {
    const runs = this.collectRuns();
    const sameKey = this.sameKey;
    let total = 0;
    for (const run of runs) total += run.length;
    const out = new Int32Array(total);
    const pos = new Int32Array(runs.length);
    const seqs = this.seqs;
    let m = 0;
    let prev = -1;
    for (;;) {
      // the run whose head comes first, and the head of the runner-up
      let best = -1;
      let second = -1;
      for (let r = 0; r < runs.length; r++) {
        if (pos[r]! >= runs[r]!.length) continue;
        const h = runs[r]![pos[r]!]!;
        if (best < 0) {
          best = r;
          continue;
        }
        const b = runs[best]![pos[best]!]!;
        const c = this.compareKeys(h, b);
        if (c < 0 || (c === 0 && seqs[h]! < seqs[b]!)) {
          second = b;
          best = r;
        } else if (second < 0) {
          second = h;
        } else {
          const c2 = this.compareKeys(h, second);
          if (c2 < 0 || (c2 === 0 && seqs[h]! < seqs[second]!)) second = h;
        }
      }
      if (best < 0) break;
      const run = runs[best]!;
      const p = pos[best]!;
      // the first entry taken from a run may repeat the key of the last one taken from another
      const first = run[p]!;
      if (prev >= 0 && sameKey[first] === 0 && this.compareKeys(prev, first) === 0) sameKey[first] = 1;
      // take the entries of this run that come before the runner-up's head (found by galloping: stretches are long)
      const q = second < 0 ? run.length : this.firstAfter(run, p + 1, second);
      out.set(run.subarray(p, q), m);
      m += q - p;
      pos[best] = q;
      prev = out[m - 1]!;
    }
    return out;
  }

  /** The first position at or after `from` in `run` whose entry comes after entry `x` (or run.length). */
  private firstAfter(run: Int32Array, from: number, x: number): number {
    const seqs = this.seqs;
    const after = (p: number) => {
      const c = this.compareKeys(run[p]!, x);
      return c > 0 || (c === 0 && seqs[run[p]!]! > seqs[x]!);
    };
    const n = run.length;
    let lo = from;
    if (lo >= n || after(lo)) return lo;
    let step = 1;
    let hi = lo + 1;
    while (hi < n && !after(hi)) {
      lo = hi;
      step *= 2;
      hi = lo + step;
    }
    if (hi > n) hi = n;
    lo++;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (after(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * From a sequence in (key ascending, sequence ascending) order: the entries a reader can see, in internal-key order
   * (sequence descending within a key). For each key the newest version is kept, and older ones while the version
   * kept last is a MERGE.
   */
  private keepVisible(merged: Int32Array): Int32Array {
    const { sameKey, kinds } = this;
    // no key with several versions (MERGE chains, or a key in two runs): everything is visible
    let versions = false;
    for (let k = 0; k < merged.length && !versions; k++) versions = sameKey[merged[k]!] === 1;
    if (!versions) return merged;
    const out = new Int32Array(merged.length);
    let m = 0;
    let g = 0;
    while (g < merged.length) {
      let e = g + 1;
      while (e < merged.length && sameKey[merged[e]!] === 1) e++;
      // [g, e) are the versions of one key, oldest first
      for (let k = e - 1; k >= g; k--) {
        const i = merged[k]!;
        out[m++] = i;
        if (kinds[i] !== KIND_MERGE) break;
      }
      g = e;
    }
    return out.subarray(0, m);
  }

  /** The visible entries in internal-key order, by sorting every entry (logs of many interleaved runs). */
  private sortAll(): Int32Array {
    const { n, seqs, kinds } = this;
    const order = new Array<number>(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // Array.prototype.sort is TimSort in V8: log order is mostly ascending runs, which it merges cheaply.
    order.sort((a, b) => this.compareKeys(a, b) || seqs[b]! - seqs[a]!);

    const kept = new Int32Array(n);
    let m = 0;
    let prev = -1;
    let keepOlder = false;
    for (const i of order) {
      const sameKey = prev >= 0 && this.compareKeys(prev, i) === 0;
      if (sameKey && !keepOlder) continue;
      // a MERGE needs the versions below it, down to the first that is not a MERGE
      keepOlder = kinds[i] === KIND_MERGE;
      kept[m++] = i;
      prev = i;
    }
    return kept.subarray(0, m);
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * A pair whose key and value views are made when first asked for: most scans (entries, above all) read values only,
 * some only where a value lies (KVPair.valueBuf), and a view is the largest cost of handing a pair out.
 */
export class LazyPair implements KVPair {
  private k?: Buffer;
  private v?: Buffer;

  constructor(
    private readonly keyBuf: Buffer,
    private readonly keyStart: number,
    private readonly keyEnd: number,
    readonly valueBuf: Buffer,
    readonly valueStart: number,
    readonly valueEnd: number,
  ) {}

  get key(): Buffer {
    return (this.k ??= this.keyBuf.subarray(this.keyStart, this.keyEnd));
  }

  get value(): Buffer {
    return (this.v ??= this.valueBuf.subarray(this.valueStart, this.valueEnd));
  }
}

export class MemtableIterator implements InternalIterator {
  valid = false;
  key: Buffer = EMPTY;
  seq = 0;
  kind = 0;
  private pos = 0;
  private lastLimit?: Buffer;
  private lastStop = -1;

  constructor(private readonly table: Memtable) {}

  value(): Buffer {
    const t = this.table;
    const i = t.order[this.pos]!;
    const start = t.valueStarts[i]!;
    return start < 0 ? EMPTY : t.bufs[t.bufIds[i]!]!.subarray(start, t.valueEnds[i]!);
  }

  first(): void {
    this.pos = 0;
    this.lastStop = -1;
    this.load();
  }

  seekGE(userKey: Buffer): void {
    const t = this.table;
    let lo = 0;
    let hi = t.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const i = t.order[mid]!;
      if (compareRanges(t.bufs[t.bufIds[i]!]!, t.keyStarts[i]!, t.keyEnds[i]!, userKey, 0, userKey.length) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.pos = lo;
    this.lastStop = -1;
    this.load();
  }

  next(): void {
    this.pos++;
    this.load();
  }

  emitRun(out: KVPair[], max: number, limit: Buffer | undefined, deletedBelow: number): boolean {
    const t = this.table;
    const { order, bufs, bufIds, keyStarts, keyEnds, valueStarts, valueEnds, seqs, kinds } = t;
    // a scan asks again with the same limit (the same Buffer) chunk after chunk: search once
    if (limit !== this.lastLimit || this.pos > this.lastStop) {
      this.lastStop = limit === undefined ? t.count : this.gallop(limit);
      this.lastLimit = limit;
    }
    const stop = this.lastStop;
    const start = this.pos;
    let pos = start;
    // A key's older versions are kept only under a MERGE, where this stops: every entry passed is its key's newest.
    while (pos < stop && out.length < max) {
      const i = order[pos]!;
      const kind = kinds[i]!;
      if (kind === KIND_MERGE) break;
      if ((kind === KIND_SET || kind === KIND_SET_WITH_DELETE) && seqs[i]! >= deletedBelow) {
        const buf = bufs[bufIds[i]!]!;
        const vs = valueStarts[i]!;
        out.push(vs < 0 ? new LazyPair(buf, keyStarts[i]!, keyEnds[i]!, EMPTY, 0, 0) : new LazyPair(buf, keyStarts[i]!, keyEnds[i]!, buf, vs, valueEnds[i]!));
      }
      pos++;
    }
    if (pos === start) return false;
    this.pos = pos;
    this.load();
    return true;
  }

  /** The first position at or after the current one whose key is >= `key` (galloping: runs are often short). */
  private gallop(key: Buffer): number {
    const t = this.table;
    const below = (p: number) => {
      const i = t.order[p]!;
      return compareRanges(t.bufs[t.bufIds[i]!]!, t.keyStarts[i]!, t.keyEnds[i]!, key, 0, key.length) < 0;
    };
    let lo = this.pos;
    if (lo >= t.count || !below(lo)) return lo;
    // below(lo); double the step until an entry is not below `key` (or the end), then search what is left
    let step = 1;
    let hi = lo + 1;
    while (hi < t.count && below(hi)) {
      lo = hi;
      step *= 2;
      hi = lo + step;
    }
    if (hi > t.count) hi = t.count;
    lo++;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (below(mid)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private load(): void {
    const t = this.table;
    if (this.pos >= t.count) {
      this.valid = false;
      return;
    }
    const i = t.order[this.pos]!;
    this.valid = true;
    this.key = t.bufs[t.bufIds[i]!]!.subarray(t.keyStarts[i]!, t.keyEnds[i]!);
    this.seq = t.seqs[i]!;
    this.kind = t.kinds[i]!;
  }
}
