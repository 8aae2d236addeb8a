/**
 * Applying range deletions: which sequence number deletes a given user key.
 *
 * A tombstone [start, end)#s deletes every version of a key in the range whose sequence number is below s. The
 * tombstones of all sources (memtable, every table) are flattened once into sorted, non-overlapping fragments, each
 * carrying the highest sequence number of the tombstones covering it, so that a key's question — "is there a
 * tombstone over me newer than my version?" — is one comparison. A forward cursor answers it in amortised O(1) per
 * key during a scan.
 *
 * A table's tombstones only count inside the table's own key bounds (they may have been written wider than the table
 * that holds them after a compaction split); `clipToTable` truncates them, as Pebble's level iterator does.
 */
import { compareBytes, immediateSuccessor, KIND_RANGE_DELETE, SEQNUM_MAX } from './internal-key.js';
import type { RangeTombstone } from './iterator.js';
import type { TableMeta } from './manifest.js';

/** `tombstones` truncated to the bounds of the table `meta` describes. */
export function clipToTable(tombstones: RangeTombstone[], meta: TableMeta): RangeTombstone[] {
  const lower = meta.smallest.userKey;
  // A largest key that is a range-deletion sentinel (kind 15 at the maximum sequence number) is an exclusive bound.
  const sentinel = meta.largest.kind === KIND_RANGE_DELETE && meta.largest.seqNum === SEQNUM_MAX;
  const upper = sentinel ? meta.largest.userKey : immediateSuccessor(meta.largest.userKey);
  const out: RangeTombstone[] = [];
  for (const t of tombstones) {
    const start = compareBytes(t.start, lower) < 0 ? lower : t.start;
    const end = compareBytes(t.end, upper) > 0 ? upper : t.end;
    if (compareBytes(start, end) < 0) out.push({ start, end, seq: t.seq });
  }
  return out;
}

/** The fragments of a set of tombstones; immutable, shared by every read. */
export class TombstoneIndex {
  private readonly starts: Buffer[] = [];
  private readonly ends: Buffer[] = [];
  private readonly seqs: number[] = [];

  constructor(tombstones: RangeTombstone[]) {
    this.fragment(tombstones.filter((t) => t.seq > 0 && compareBytes(t.start, t.end) < 0));
  }

  get count(): number {
    return this.starts.length;
  }

  /** The fragments as [start, end, seq] triples, in key order. */
  fragments(): RangeTombstone[] {
    return this.starts.map((start, i) => ({ start, end: this.ends[i]!, seq: this.seqs[i]! }));
  }

  newCursor(): TombstoneCursor {
    return new TombstoneCursor(this.starts, this.ends, this.seqs);
  }

  /** Sweeps the sorted boundaries, keeping a max-heap (by seq) of the tombstones open at each one. */
  private fragment(tombstones: RangeTombstone[]): void {
    if (tombstones.length === 0) return;
    const bySeqDesc = (a: RangeTombstone, b: RangeTombstone) => b.seq - a.seq;
    const sorted = [...tombstones].sort((a, b) => compareBytes(a.start, b.start));
    const bounds = tombstones.flatMap((t) => [t.start, t.end]).sort(compareBytes);
    const open: RangeTombstone[] = [];
    let next = 0;
    for (let i = 0; i < bounds.length - 1; i++) {
      const lo = bounds[i]!;
      const hi = bounds[i + 1]!;
      if (compareBytes(lo, hi) === 0) continue;
      while (next < sorted.length && compareBytes(sorted[next]!.start, lo) <= 0) heapPush(open, sorted[next++]!, bySeqDesc);
      while (open.length > 0 && compareBytes(open[0]!.end, lo) <= 0) heapPop(open, bySeqDesc);
      if (open.length === 0) continue;
      const seq = open[0]!.seq;
      const last = this.starts.length - 1;
      if (last >= 0 && this.seqs[last] === seq && compareBytes(this.ends[last]!, lo) === 0) {
        this.ends[last] = hi;
      } else {
        this.starts.push(lo);
        this.ends.push(hi);
        this.seqs.push(seq);
      }
    }
  }
}

/** Answers "which sequence number deletes this key?" for one read. */
export class TombstoneCursor {
  readonly count: number;
  private cursor = 0;

  constructor(
    private readonly starts: Buffer[],
    private readonly ends: Buffer[],
    private readonly seqs: number[],
  ) {
    this.count = starts.length;
  }

  /** The deleting sequence number at `key` (0: none), found by binary search; also positions the cursor there. */
  seek(key: Buffer): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.ends[mid]!, key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.cursor = lo;
    return this.at(key);
  }

  /** The deleting sequence number at `key`, for keys visited in ascending order after a seek. */
  at(key: Buffer): number {
    const n = this.count;
    if (n === 0) return 0;
    let i = this.cursor;
    while (i < n && compareBytes(this.ends[i]!, key) <= 0) i++;
    this.cursor = i;
    return i < n && compareBytes(this.starts[i]!, key) <= 0 ? this.seqs[i]! : 0;
  }

  /**
   * Where the answer of the last at(key) stops holding: the end of the fragment over `key`, or the start of the next
   * fragment; undefined when no fragment lies at or after `key`.
   */
  edgeAfter(key: Buffer): Buffer | undefined {
    const i = this.cursor;
    if (i >= this.count) return undefined;
    return compareBytes(this.starts[i]!, key) <= 0 ? this.ends[i]! : this.starts[i]!;
  }
}

function heapPush<T>(heap: T[], item: T, cmp: (a: T, b: T) => number): void {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (cmp(heap[i]!, heap[parent]!) >= 0) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function heapPop<T>(heap: T[], cmp: (a: T, b: T) => number): void {
  const last = heap.pop()!;
  if (heap.length === 0) return;
  heap[0] = last;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && cmp(heap[l]!, heap[m]!) < 0) m = l;
    if (r < heap.length && cmp(heap[r]!, heap[m]!) < 0) m = r;
    if (m === i) return;
    [heap[i], heap[m]] = [heap[m]!, heap[i]!];
    i = m;
  }
}
