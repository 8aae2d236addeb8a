/**
 * One node's log, judged as it streams past in the entry sweep (shard-scan.ts), in bounded memory.
 *
 * Dragonboat reads a node's log (§8.6, §8.5) from the first entry stored at or after the newest snapshot index S
 * up to the max index M, and assumes it is contiguous. So, for the entries of the LogDB's mode:
 *   index < S        already in the snapshot: never read again (what `compact` reclaims); not judged
 *   S ≤ index ≤ M    the log: must start no later than S + 1, have no gap, end exactly at M, never lower its
 *                    term, decode, carry the index its key says, and hold commands Dragonboat can apply
 *   index > M        stale: left by a truncation (plain mode keeps them, §13 item 5); Dragonboat ignores them
 * With no max index record at all, nothing is read (node-check.ts decides what that means for the node).
 *
 * Damage inside the log is an error (Dragonboat panics or loses entries); the same damage outside it is a
 * warning (nothing reads it).
 */
import type { Entry } from '../../codec/colfer.js';
import { decodeEntry } from '../../codec/colfer.js';
import { EntryColumns, FIELD_INDEX, FIELD_TERM, RepeatedField } from '../../codec/entry-columns.js';
import { decodeEntryBatch } from '../../codec/entry-batch.js';
import type { CheckContext } from './context.js';
import type { Severity } from './finding.js';
import { newestSnapshotIndex, type NodeRecords } from './node-records.js';
import { payloadProblem } from './payload.js';

export interface LogSummary {
  /** entry records (plain entries or batches) of the LogDB's mode */
  records: number;
  /** the part Dragonboat reads: first and last index, entry count, last term (null when empty) */
  firstIndex: bigint | null;
  lastIndex: bigint | null;
  entries: number;
  lastTerm: bigint | null;
  /** entries below the newest snapshot index */
  belowSnapshot: number;
  /** entries above the max index */
  aboveMax: number;
  /** entries of a node without a (decodable) max index: nothing reads them */
  unread: number;
  /** lowest and highest index stored, whatever the window */
  lowestStored: bigint | null;
  highestStored: bigint | null;
}

/** What judging an entry reads of it. */
type JudgedEntry = Pick<Entry, 'index' | 'term' | 'type' | 'cmd'>;

const TWO_53 = 2n ** 53n;
const EMPTY = Buffer.alloc(0);

export class LogChecker {
  /** S: the newest snapshot index (0 without a snapshot) */
  private readonly snapshotIndex: bigint;
  /** M: the max index record, null when missing or undecodable */
  private readonly maxIndex: bigint | null;
  private readonly snapshotTerm: bigint | null;
  private last: bigint | null = null;
  private lastTerm: bigint | null = null;
  /** after a record that does not decode, the next entry starts afresh (the damage is already reported) */
  private resync = false;
  private staleLow: bigint | null = null;
  private staleHigh: bigint | null = null;
  private readonly scratch = new EntryColumns(1);
  private readonly terms = new RepeatedField(FIELD_TERM);
  readonly summary: LogSummary = {
    records: 0,
    firstIndex: null,
    lastIndex: null,
    entries: 0,
    lastTerm: null,
    belowSnapshot: 0,
    aboveMax: 0,
    unread: 0,
    lowestStored: null,
    highestStored: null,
  };

  constructor(
    private readonly ctx: CheckContext,
    private readonly node: NodeRecords,
  ) {
    this.snapshotIndex = newestSnapshotIndex(node);
    this.maxIndex = node.maxIndex;
    this.snapshotTerm = node.snapshots.get(this.snapshotIndex)?.term ?? null;
  }

  private get c() {
    return this.node.clusterId;
  }
  private get n() {
    return this.node.nodeId;
  }

  private inLog(index: bigint): boolean {
    return this.maxIndex !== null && index >= this.snapshotIndex && index <= this.maxIndex;
  }

  private severityAt(index: bigint): Severity {
    return this.inLog(index) ? 'error' : 'warning';
  }

  /** A plain entry record (`01 01`) with index `keyIndex` in its key. */
  plainRecord(key: Buffer, keyIndex: bigint, value: Buffer): void {
    this.summary.records++;
    // decoded into columns: the judging needs the index, term, type and command, not an object of bigints
    const cols = this.scratch;
    cols.truncate(0);
    if (!cols.push(value, 0, value.length)) {
      let message = 'does not decode';
      try {
        decodeEntry(value);
      } catch (err) {
        message = (err as Error).message;
      }
      this.undecodable(key, keyIndex, this.severityAt(keyIndex), `entry ${keyIndex}`, message, value.length);
      // the index is known from the key: count it as present so that no gap is reported for it
      if (this.inLog(keyIndex)) this.mark(keyIndex, this.lastTerm);
      return;
    }
    const stored = cols.indexNumber(0);
    const sameIndex = stored >= 0 && keyIndex < TWO_53 ? stored === Number(keyIndex) : cols.field(0, FIELD_INDEX) === keyIndex;
    if (!sameIndex) {
      this.ctx.sink.add({
        code: 'entry-index-mismatch',
        severity: this.severityAt(keyIndex),
        shard: this.node.shard,
        clusterId: this.c,
        nodeId: this.n,
        key,
        index: keyIndex,
        message: `the entry stored under index ${keyIndex} says it is entry ${cols.field(0, FIELD_INDEX)}`,
        hint: this.ctx.hints.around(this.c, this.n, keyIndex),
      });
    }
    // judged where the key puts it: that is where Dragonboat's range scans find it
    const cmdStart = cols.cmdStart[0]!;
    const cmdEnd = cols.cmdEnd[0]!;
    this.entry({ index: keyIndex, term: this.terms.of(cols, 0), type: cols.types[0]!, cmd: cmdEnd > cmdStart ? value.subarray(cmdStart, cmdEnd) : EMPTY }, key);
  }

  /** An entry batch record (`07 07`) with `batchId` in its key. */
  batchRecord(key: Buffer, batchId: bigint, value: Buffer): void {
    this.summary.records++;
    const b = this.ctx.batchSize;
    const firstOfBatch = batchId * b;
    const lastOfBatch = firstOfBatch + b - 1n;
    let entries: Entry[];
    try {
      entries = decodeEntryBatch(value);
    } catch (err) {
      const touchesLog = this.maxIndex !== null && lastOfBatch >= this.snapshotIndex && firstOfBatch <= this.maxIndex;
      this.undecodable(key, batchId, touchesLog ? 'error' : 'warning', `entry batch ${batchId} (indexes ${firstOfBatch}-${lastOfBatch})`, (err as Error).message, value.length);
      this.resync = true;
      return;
    }
    for (const e of entries) {
      if (e.index / b !== batchId) {
        this.ctx.sink.add({
          code: 'batch-id-mismatch',
          severity: this.severityAt(e.index),
          shard: this.node.shard,
          clusterId: this.c,
          nodeId: this.n,
          key,
          index: e.index,
          message: `entry ${e.index} is stored in batch ${batchId}, which holds indexes ${firstOfBatch}-${lastOfBatch} (batch size ${b}); the batch's field compaction or its key is wrong`,
          hint: this.ctx.hints.around(this.c, this.n, e.index),
        });
      }
      this.entry(e, key);
    }
  }

  private undecodable(key: Buffer, index: bigint, severity: Severity, what: string, detail: string, length: number): void {
    this.ctx.sink.add({
      code: 'undecodable-record',
      severity,
      shard: this.node.shard,
      clusterId: this.c,
      nodeId: this.n,
      key,
      index,
      message: `${what} of cluster ${this.c} node ${this.n} does not decode (${length} bytes): ${detail}${severity === 'error' ? '; Dragonboat panics when it reads it' : '; it lies outside the log Dragonboat reads'}`,
      hint: severity === 'error' ? this.ctx.hints.rebuildReplica(this.c, this.n) : 'nothing reads it; `logdb compact` (or Dragonboat\'s own compaction) removes it',
    });
  }

  private entry(e: JudgedEntry, key: Buffer): void {
    const i = e.index;
    const sum = this.summary;
    if (sum.lowestStored === null || i < sum.lowestStored) sum.lowestStored = i;
    if (sum.highestStored === null || i > sum.highestStored) sum.highestStored = i;
    if (this.maxIndex === null) {
      sum.unread++;
      return;
    }
    if (i < this.snapshotIndex) {
      sum.belowSnapshot++;
      return;
    }
    if (i > this.maxIndex) {
      sum.aboveMax++;
      if (this.staleLow === null || i < this.staleLow) this.staleLow = i;
      if (this.staleHigh === null || i > this.staleHigh) this.staleHigh = i;
      return;
    }
    const problem = payloadProblem(e, this.ctx.deep);
    if (problem) {
      this.ctx.sink.add({
        code: 'undecodable-payload',
        severity: 'error',
        shard: this.node.shard,
        clusterId: this.c,
        nodeId: this.n,
        key,
        index: i,
        message: `entry ${i} of cluster ${this.c} node ${this.n}: ${problem}; Dragonboat panics when it applies it`,
        hint: this.ctx.hints.around(this.c, this.n, i),
      });
    }
    if (this.resync) {
      this.resync = false;
    } else if (this.last === null) {
      if (i > this.snapshotIndex + 1n) {
        const snapshot = this.snapshotIndex === 0n ? 'there is no snapshot' : `the newest snapshot is at ${this.snapshotIndex}`;
        this.gap(this.snapshotIndex + 1n, i - 1n, key, `the log starts at ${i} and ${snapshot}`, 'Dragonboat cannot load this log (its log reader panics: "missing log entry")');
      }
      if (i > this.snapshotIndex && this.snapshotTerm !== null && e.term < this.snapshotTerm) this.termDecreases(i, e.term, this.snapshotTerm, `the snapshot at ${this.snapshotIndex}`, key);
    } else if (i <= this.last) {
      this.ctx.sink.add({
        code: 'entry-index-mismatch',
        severity: 'error',
        shard: this.node.shard,
        clusterId: this.c,
        nodeId: this.n,
        key,
        index: i,
        message: `entry ${i} comes after entry ${this.last}: the log goes backwards (a duplicate or misplaced entry)`,
        hint: this.ctx.hints.around(this.c, this.n, i),
      });
      return;
    } else {
      if (i !== this.last + 1n) this.gap(this.last + 1n, i - 1n, key, `entry ${this.last} is followed by entry ${i}`, `Dragonboat stops reading the log after entry ${this.last}`);
      if (this.lastTerm !== null && e.term < this.lastTerm) this.termDecreases(i, e.term, this.lastTerm, `entry ${this.last}`, key);
    }
    if (sum.firstIndex === null) sum.firstIndex = i;
    sum.entries++;
    this.mark(i, e.term);
  }

  private mark(i: bigint, term: bigint | null): void {
    const sum = this.summary;
    if (sum.firstIndex === null) sum.firstIndex = i;
    this.last = i;
    this.lastTerm = term;
    sum.lastIndex = i;
    sum.lastTerm = term;
  }

  private gap(from: bigint, to: bigint, key: Buffer | undefined, why: string, effect: string): void {
    const count = to - from + 1n;
    this.ctx.sink.add({
      code: 'entry-gap',
      severity: 'error',
      shard: this.node.shard,
      clusterId: this.c,
      nodeId: this.n,
      key,
      index: from,
      message: `cluster ${this.c} node ${this.n}: ${why}: ${count === 1n ? `entry ${from} is` : `${count} entries (${from}-${to}) are`} missing; ${effect}`,
      hint: `${this.ctx.hints.dumpEntries(this.c, this.n, from > 3n ? from - 3n : 0n, to + 3n)}; then ${this.ctx.hints.rebuildReplica(this.c, this.n)}`,
    });
  }

  private termDecreases(i: bigint, term: bigint, before: bigint, what: string, key: Buffer): void {
    this.ctx.sink.add({
      code: 'term-decreases',
      severity: 'error',
      shard: this.node.shard,
      clusterId: this.c,
      nodeId: this.n,
      key,
      index: i,
      message: `entry ${i} has term ${term}, lower than the term ${before} of ${what}: terms never go down along a Raft log`,
      hint: this.ctx.hints.around(this.c, this.n, i),
    });
  }

  /** Judges the end of the log and returns the summary. */
  finish(): LogSummary {
    const sum = this.summary;
    const m = this.maxIndex;
    if (m !== null) {
      if (sum.lastIndex === null && m > this.snapshotIndex && !this.resync) {
        this.ctx.sink.add({
          code: 'entries-missing',
          severity: 'error',
          shard: this.node.shard,
          clusterId: this.c,
          nodeId: this.n,
          index: m,
          message: `cluster ${this.c} node ${this.n}: the max index is ${m} but no entry is stored between the snapshot index ${this.snapshotIndex} and ${m}; Dragonboat panics reading this node's raft state`,
          hint: `${this.ctx.hints.dumpEntries(this.c, this.n)}; then ${this.ctx.hints.rebuildReplica(this.c, this.n)}`,
        });
      } else if (sum.lastIndex !== null && sum.lastIndex < m && !this.resync) {
        this.gap(sum.lastIndex + 1n, m, undefined, `the log ends at ${sum.lastIndex} but the max index is ${m}`, `Dragonboat believes the log reaches ${m} and fails when it reads past ${sum.lastIndex}`);
      }
      if (sum.aboveMax > 0) {
        this.ctx.sink.add({
          code: 'stale-entries',
          severity: 'info',
          shard: this.node.shard,
          clusterId: this.c,
          nodeId: this.n,
          index: this.staleLow!,
          message: `cluster ${this.c} node ${this.n}: ${sum.aboveMax} entr${sum.aboveMax === 1 ? 'y' : 'ies'} above the max index ${m} (indexes ${this.staleLow}-${this.staleHigh}) are left behind (by a log truncation or an imported snapshot); Dragonboat ignores them and overwrites them as the log grows`,
          hint: 'nothing to do',
        });
      }
    }
    return sum;
  }
}
