/**
 * Iterating one level from L1 down: its tables hold disjoint key ranges and are sorted by key, so the level reads as
 * one sorted run, opening one table iterator at a time.
 */
import type { KVPair } from '../kv.js';
import { bytesEqual, compareBytes } from './internal-key.js';
import type { InternalIterator } from './iterator.js';
import type { TableReader, TableIterator } from './sstable.js';

export interface LevelTable {
  /** the largest user key of the table (from the manifest) */
  largest: Buffer;
  reader: TableReader;
}

const EMPTY = Buffer.alloc(0);

export class LevelIterator implements InternalIterator {
  valid = false;
  key: Buffer = EMPTY;
  seq = 0;
  kind = 0;
  private index = 0;
  private iter?: TableIterator;

  constructor(private readonly tables: LevelTable[]) {}

  value(): Buffer {
    return this.iter!.value();
  }

  first(): void {
    this.open(0);
    this.iter?.first();
    this.settle();
  }

  seekGE(userKey: Buffer): void {
    let lo = 0;
    let hi = this.tables.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.tables[mid]!.largest, userKey) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.open(lo);
    this.iter?.seekGE(userKey);
    this.settle();
  }

  next(): void {
    const it = this.iter!;
    it.next();
    if (it.valid) {
      this.key = it.key;
      this.seq = it.seq;
      this.kind = it.kind;
      return;
    }
    this.settle();
  }

  emitRun(out: KVPair[], max: number, limit: Buffer | undefined, deletedBelow: number): boolean {
    let moved = false;
    while (this.valid && out.length < max) {
      const it = this.iter!;
      if (!it.emitRun(out, max, limit, deletedBelow)) break;
      moved = true;
      if (it.valid) {
        this.key = it.key;
        this.seq = it.seq;
        this.kind = it.kind;
        break;
      }
      // the table ran out inside the run: go on in the next one, where older versions of the last key may go on
      // (LevelDB's compactions could split a key's versions between neighbouring tables)
      const last = it.lastKey!;
      this.settle();
      while (this.valid && bytesEqual(this.key, last)) this.next();
    }
    return moved;
  }

  private open(index: number): void {
    this.index = index;
    this.iter = index < this.tables.length ? this.tables[index]!.reader.newIterator() : undefined;
  }

  /** Moves on to the next table while the current one is exhausted, then loads the current entry. */
  private settle(): void {
    for (;;) {
      const it = this.iter;
      if (!it) {
        this.valid = false;
        return;
      }
      if (it.valid) {
        this.valid = true;
        this.key = it.key;
        this.seq = it.seq;
        this.kind = it.kind;
        return;
      }
      this.open(this.index + 1);
      this.iter?.first();
    }
  }
}
