/**
 * The reader's view of the shard: all sources merged, and only what a Pebble iterator would show.
 *
 * Sources are the memtable (replayed WAL), each L0 table (L0 tables may overlap) and one level iterator per lower
 * level. A binary min-heap orders their current entries by internal key — user key ascending, sequence number
 * descending — so that the first entry seen for a user key is its newest version. That version decides:
 *   - a range tombstone covering the key at a higher sequence number deletes it (and every older version);
 *   - SET (or SET-WITH-DELETE) shows its value; DEL and SINGLEDEL hide the key;
 *   - MERGE collects the operands below it down to the first SET/DEL or tombstoned version and concatenates them
 *     oldest first (Dragonboat's merge operator is `pebble.concatenate`; Dragonboat itself never merges).
 * Older versions are then skipped. All of it is synchronous.
 */
import {
  bytesEqual,
  compareBytes,
  KIND_MERGE,
  KIND_SET,
  KIND_SET_WITH_DELETE,
} from './internal-key.js';
import type { KVPair } from '../kv.js';
import type { InternalIterator } from './iterator.js';
import type { TombstoneCursor } from './range-tombstones.js';

/** Heap order: smaller user key first; for equal user keys, the newer (higher) sequence number first. */
function before(a: InternalIterator, b: InternalIterator): boolean {
  const c = compareBytes(a.key, b.key);
  return c < 0 || (c === 0 && a.seq > b.seq);
}

export class VisibleIterator {
  /** the current visible pair, after next() returned true */
  key: Buffer = Buffer.alloc(0);
  value: Buffer = Buffer.alloc(0);
  private heap: InternalIterator[] = [];

  constructor(
    private readonly sources: InternalIterator[],
    private readonly tombstones: TombstoneCursor,
  ) {}

  seekGE(userKey: Buffer): void {
    for (const s of this.sources) s.seekGE(userKey);
    this.tombstones.seek(userKey);
    this.buildHeap();
  }

  /** Advances to the next visible pair; false at the end. */
  next(): boolean {
    while (this.heap.length > 0) {
      const key = this.heap[0]!.key;
      const value = this.resolveTopKey();
      if (value !== undefined) {
        this.key = key;
        this.value = value;
        return true;
      }
    }
    return false;
  }

  /**
   * Appends the visible pairs from here on whose keys are below `end` (no bound when undefined) until `out` holds
   * `max`; false once nothing is left below `end`.
   *
   * Where the smallest key is below every other source's current key (and the next range tombstone boundary), its
   * source hands out its entries up to there by itself (emitRun), with no heap work per key: LSM sources mostly hold
   * disjoint stretches of keys. Anything else goes through resolveTopKey.
   */
  fill(out: KVPair[], max: number, end: Buffer | undefined): boolean {
    const heap = this.heap;
    const tombstones = this.tombstones;
    while (out.length < max) {
      if (heap.length === 0) return false;
      const top = heap[0]!;
      const key = top.key;
      if (end !== undefined && compareBytes(key, end) >= 0) return false;
      let limit = end;
      if (heap.length > 1) {
        let other = heap[1]!.key;
        if (heap.length > 2 && compareBytes(heap[2]!.key, other) < 0) other = heap[2]!.key;
        if (limit === undefined || compareBytes(other, limit) < 0) limit = other;
      }
      let deletedBelow = 0;
      if (tombstones.count > 0) {
        deletedBelow = tombstones.at(key);
        const edge = tombstones.edgeAfter(key);
        if (edge !== undefined && (limit === undefined || compareBytes(edge, limit) < 0)) limit = edge;
      }
      if ((limit === undefined || compareBytes(key, limit) < 0) && top.emitRun(out, max, limit, deletedBelow)) {
        this.fixTop();
        continue;
      }
      const value = this.resolveTopKey();
      if (value !== undefined) out.push({ key, value });
    }
    return true;
  }

  /** The user key the sources are positioned at (the smallest), or undefined at the end. */
  peekKey(): Buffer | undefined {
    return this.heap[0]?.key;
  }

  /**
   * The visible value of the smallest user key the sources are at (undefined when it is deleted), moving every source
   * past that key's versions.
   */
  resolveTopKey(): Buffer | undefined {
    const top = this.heap[0]!;
    const key = top.key;
    const tombstones = this.tombstones;
    const deletedBelow = tombstones.count === 0 ? 0 : tombstones.at(key);
    let value: Buffer | undefined;
    if (top.seq >= deletedBelow) {
      const kind = top.kind;
      if (kind === KIND_SET || kind === KIND_SET_WITH_DELETE) value = top.value();
      else if (kind === KIND_MERGE) value = this.mergeValue(key, deletedBelow);
    }
    this.skipVersionsOf(key);
    return value;
  }

  /** Advances every source past all versions of `key`. */
  private skipVersionsOf(key: Buffer): void {
    const heap = this.heap;
    while (heap.length > 0 && bytesEqual(heap[0]!.key, key)) {
      heap[0]!.next();
      this.fixTop();
    }
  }

  /** The merged value of the MERGE at the top of the heap; consumes the versions it reads except the last one. */
  private mergeValue(key: Buffer, deletedBelow: number): Buffer {
    const heap = this.heap;
    const operands: Buffer[] = [heap[0]!.value()];
    heap[0]!.next();
    this.fixTop();
    while (heap.length > 0 && bytesEqual(heap[0]!.key, key)) {
      const e = heap[0]!;
      if (e.seq < deletedBelow) break;
      if (e.kind === KIND_MERGE) {
        operands.push(e.value());
      } else {
        if (e.kind === KIND_SET || e.kind === KIND_SET_WITH_DELETE) operands.push(e.value());
        break;
      }
      e.next();
      this.fixTop();
    }
    return Buffer.concat(operands.reverse());
  }

  private buildHeap(): void {
    this.heap = this.sources.filter((s) => s.valid);
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** Restores the heap after the top source moved (or ran out). */
  private fixTop(): void {
    const heap = this.heap;
    if (!heap[0]!.valid) {
      const last = heap.pop()!;
      if (heap.length === 0) return;
      heap[0] = last;
    }
    if (heap.length > 1) this.siftDown(0);
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && before(heap[r]!, heap[l]!) ? r : l;
      if (!before(heap[child]!, item)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = item;
  }
}

/** The visible value of `key` (undefined when absent or deleted), looking at every source. */
export function getVisible(sources: InternalIterator[], tombstones: TombstoneCursor, key: Buffer): Buffer | undefined {
  const it = new VisibleIterator(sources, tombstones);
  it.seekGE(key);
  const found = it.peekKey();
  return found !== undefined && bytesEqual(found, key) ? it.resolveTopKey() : undefined;
}
