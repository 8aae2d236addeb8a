/**
 * Comparing the logs of several replicas of one cluster in ONE pass and constant memory: every replica's log is
 * read with IterateEntries (spec §8.5: from its first index to its max index, contiguous), and the streams advance
 * in lockstep by index, so only one chunk per replica is held at a time, whatever the log length.
 *
 * For each pair of replicas, at every index both hold:
 *   - terms differ: the logs have parted. The first such index is where Raft will overwrite the replica that is
 *     behind (a follower truncates its log at the first conflicting index when the leader's entries arrive).
 *   - terms equal but the entries differ (type, key, client/series fields or command bytes): Raft's Log Matching
 *     property — same index and term ⇒ same entry and same log up to there — is broken. Corruption, or a bug.
 *   - terms equal again after they had differed: Log Matching broken too (an equal (index, term) means equal
 *     logs up to that index, so they cannot have differed below it).
 *   - any difference at or below both replicas' commit index: a committed entry differs — a safety violation.
 * Differences of the first kind alone are normal Raft life (an uncommitted suffix that will be overwritten).
 * A witness's log holds MetadataEntry stand-ins (see isWitnessCopy): they match any entry of the same term.
 */
import type { Entry } from '../codec/colfer.js';
import { EntryType } from '../codec/enums.js';
import type { Replica } from './replica.js';

export interface IndexSpan {
  count: bigint;
  first: bigint;
  last: bigint;
}

export interface PairDiff {
  a: Replica;
  b: Replica;
  /** the index range both replicas' logs cover (from their extents), null when they do not overlap */
  overlap: { first: bigint; last: bigint } | null;
  /** indexes both streams actually held and compared */
  compared: bigint;
  /** min of the two commit indexes: entries at or below it are committed on both */
  commonCommit: bigint;
  firstTermDifference: bigint | null;
  /** the first differing entry and the fields that differ */
  firstDifference: { index: bigint; fields: string[] } | null;
  /** equal term, different entry */
  logMatching: IndexSpan | null;
  /** equal term at an index above the first term difference */
  termMatchAfterDivergence: IndexSpan | null;
  /** differing entries at or below commonCommit */
  committedDifferences: IndexSpan | null;
  verdict: PairVerdict;
}

export type PairVerdict = 'identical' | 'prefix' | 'diverged' | 'violation' | 'disjoint';

export interface StreamEnd {
  replica: Replica;
  /** the last index read; below the replica's lastIndex when its log has a gap */
  readTo: bigint | null;
}

export interface DiffResult {
  pairs: PairDiff[];
  streams: StreamEnd[];
  entriesRead: bigint;
  /** pairs whose verdict is 'violation' */
  violations: number;
}

const FIELDS = ['term', 'type', 'key', 'clientId', 'seriesId', 'respondedTo', 'cmd'] as const;

export function differingFields(x: Entry, y: Entry): string[] {
  if (isWitnessCopy(x, y) || isWitnessCopy(y, x)) return x.term === y.term ? [] : ['term'];
  const fields: string[] = [];
  for (const f of FIELDS) {
    if (f === 'cmd' ? !x.cmd.equals(y.cmd) : x[f] !== y[f]) fields.push(f);
  }
  return fields;
}

/**
 * A leader replicates to a witness every entry but config changes as a bare MetadataEntry of the same index and
 * term (Dragonboat's raft makeMetadataEntries): such an entry stands for the full one, and only the term can
 * be compared.
 */
function isWitnessCopy(w: Entry, full: Entry): boolean {
  return (
    w.type === EntryType.MetadataEntry && full.type !== EntryType.MetadataEntry && full.type !== EntryType.ConfigChangeEntry &&
    w.key === 0n && w.clientId === 0n && w.seriesId === 0n && w.respondedTo === 0n && w.cmd.length === 0
  );
}

/** One replica's log, entry by entry, holding one chunk. */
class Cursor {
  private chunk: Entry[] = [];
  private pos = 0;
  private done = false;
  readTo: bigint | null = null;

  constructor(private readonly source: AsyncIterator<Entry[]>) {}

  async head(): Promise<Entry | undefined> {
    while (!this.done && this.pos >= this.chunk.length) {
      const next = await this.source.next();
      if (next.done) this.done = true;
      else {
        this.chunk = next.value;
        this.pos = 0;
      }
    }
    return this.done ? undefined : this.chunk[this.pos];
  }

  advance(): void {
    this.readTo = this.chunk[this.pos].index;
    this.pos++;
  }
}

interface PairState {
  diff: PairDiff;
  i: number;
  j: number;
}

function note(span: IndexSpan | null, index: bigint): IndexSpan {
  if (!span) return { count: 1n, first: index, last: index };
  span.count++;
  span.last = index;
  return span;
}

const PROGRESS_EVERY = 16384n;

/** Compares every pair of the replicas' logs in one lockstep pass; `onProgress` hears of it now and then. */
export async function compareReplicas(replicas: Replica[], onProgress?: (entries: bigint, index: bigint) => void): Promise<DiffResult> {
  const cursors = replicas.map((r) => {
    const s = r.summary;
    const it = s.entryCount > 0n ? r.source.reader.iterateEntries(s.clusterId, s.nodeId, s.firstIndex, s.lastIndex + 1n) : emptyStream();
    return new Cursor(it[Symbol.asyncIterator]());
  });
  const pairs: PairState[] = [];
  for (let i = 0; i < replicas.length; i++) {
    for (let j = i + 1; j < replicas.length; j++) pairs.push({ diff: newPair(replicas[i], replicas[j]), i, j });
  }
  let entriesRead = 0n;
  let nextReport = PROGRESS_EVERY;
  const heads: (Entry | undefined)[] = new Array(replicas.length);
  for (;;) {
    let index: bigint | undefined;
    for (let k = 0; k < cursors.length; k++) {
      heads[k] = await cursors[k].head();
      const h = heads[k];
      if (h && (index === undefined || h.index < index)) index = h.index;
    }
    if (index === undefined) break;
    for (const p of pairs) {
      const x = heads[p.i];
      const y = heads[p.j];
      if (x?.index === index && y?.index === index) comparePair(p.diff, x, y);
    }
    for (let k = 0; k < cursors.length; k++) {
      if (heads[k]?.index === index) {
        cursors[k].advance();
        entriesRead++;
      }
    }
    if (onProgress && entriesRead >= nextReport) {
      onProgress(entriesRead, index);
      nextReport = entriesRead + PROGRESS_EVERY;
    }
  }
  for (const p of pairs) p.diff.verdict = verdictOf(p.diff);
  return {
    pairs: pairs.map((p) => p.diff),
    streams: replicas.map((replica, k) => ({ replica, readTo: cursors[k].readTo })),
    entriesRead,
    violations: pairs.filter((p) => p.diff.verdict === 'violation').length,
  };
}

async function* emptyStream(): AsyncIterable<Entry[]> {}

function newPair(a: Replica, b: Replica): PairDiff {
  const first = a.summary.firstIndex > b.summary.firstIndex ? a.summary.firstIndex : b.summary.firstIndex;
  const last = a.summary.lastIndex < b.summary.lastIndex ? a.summary.lastIndex : b.summary.lastIndex;
  const holds = a.summary.entryCount > 0n && b.summary.entryCount > 0n && first <= last;
  const ca = a.summary.state?.commit ?? 0n;
  const cb = b.summary.state?.commit ?? 0n;
  return {
    a,
    b,
    overlap: holds ? { first, last } : null,
    compared: 0n,
    commonCommit: ca < cb ? ca : cb,
    firstTermDifference: null,
    firstDifference: null,
    logMatching: null,
    termMatchAfterDivergence: null,
    committedDifferences: null,
    verdict: 'identical',
  };
}

function comparePair(d: PairDiff, x: Entry, y: Entry): void {
  d.compared++;
  const index = x.index;
  const sameTerm = x.term === y.term;
  if (!sameTerm && d.firstTermDifference === null) d.firstTermDifference = index;
  if (sameTerm && d.firstTermDifference !== null) d.termMatchAfterDivergence = note(d.termMatchAfterDivergence, index);
  const fields = differingFields(x, y);
  if (fields.length === 0) return;
  d.firstDifference ??= { index, fields };
  if (sameTerm) d.logMatching = note(d.logMatching, index);
  if (index <= d.commonCommit) d.committedDifferences = note(d.committedDifferences, index);
}

function verdictOf(d: PairDiff): PairVerdict {
  if (d.logMatching || d.termMatchAfterDivergence || d.committedDifferences) return 'violation';
  if (d.firstTermDifference !== null) return 'diverged';
  if (!d.overlap) return 'disjoint';
  const sa = d.a.summary;
  const sb = d.b.summary;
  return sa.firstIndex === sb.firstIndex && sa.lastIndex === sb.lastIndex ? 'identical' : 'prefix';
}
