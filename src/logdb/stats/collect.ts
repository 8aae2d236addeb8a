/**
 * One pass over a shard for `logdb stats`, in the same two sweeps as `check` (../check/shard-scan.ts): the
 * small records first (key counts, each node's max index and newest snapshot index), then the entries, each
 * counted once in constant memory per node:
 *   - how many, how many bytes (the stored values), their sizes (power-of-two histogram) and types;
 *   - where they stand: below the newest snapshot (what `logdb compact --to <snapshot>` removes, by the exact
 *     key range Dragonboat's RemoveEntriesTo uses), in the log Dragonboat reads, or stale (above the max index,
 *     or of a node with no max index);
 *   - the term timeline: the index where each term starts (each leader change), up to the max index.
 * Records that do not decode are counted, not judged: that is `check`'s job.
 */
import { entryEncodedSize, type Entry } from '../../codec/colfer.js';
import { EntryColumns, FIELD_TERM, RepeatedField } from '../../codec/entry-columns.js';
import { decodeEntryBatch, isBatchCompactable } from '../../codec/entry-batch.js';
import { decodeKey, keyKindName, KeyKind, type DecodedKey } from '../../codec/keys.js';
import type { KVPair, KVStore } from '../../kv/kv.js';
import type { EntryStore } from '../entry-store.js';
import { pushStoredEntry } from '../plain-entries.js';
import type { Progress } from '../progress.js';
import { scanRanges, wholeShardRanges } from '../check/shard-scan.js';
import { SizeHistogram } from './histogram.js';

export interface KeyCounts {
  entry: number;
  state: number;
  maxIndex: number;
  nodeInfo: number;
  snapshot: number;
  bootstrap: number;
  entryBatch: number;
  /** keys that are not LogDB keys, or malformed ones */
  other: number;
}

export interface TermStart {
  term: bigint;
  firstIndex: bigint;
}

/** The longest term timeline kept per node; a log with more leader changes says so. */
export const MAX_TERM_CHANGES = 1000;

export interface NodeStats {
  clusterId: bigint;
  nodeId: bigint;
  shard: number;
  keys: KeyCounts;
  maxIndex: bigint | null;
  snapshotIndex: bigint;
  /** entry records of the LogDB's mode (plain entries, or batches) and their value bytes */
  records: number;
  entryBytes: number;
  entries: number;
  /** lowest and highest index stored */
  firstIndex: bigint | null;
  lastIndex: bigint | null;
  inLog: number;
  belowSnapshot: number;
  stale: number;
  entryTypes: Map<number, number>;
  sizes: SizeHistogram;
  termStarts: TermStart[];
  termStartsTruncated: boolean;
  /** what `compact --to <newest snapshot index>` removes */
  reclaimable: { records: number; entries: number; bytes: number };
  undecodable: number;
}

export function emptyKeyCounts(): KeyCounts {
  return { entry: 0, state: 0, maxIndex: 0, nodeInfo: 0, snapshot: 0, bootstrap: 0, entryBatch: 0, other: 0 };
}

/** The KeyCounts field of a key kind: the codec's own kind names. */
const kindField = (kind: KeyKind) => keyKindName(kind) as keyof KeyCounts;

export interface ShardCollection {
  keys: KeyCounts;
  nodes: NodeStats[];
}

function decode(key: Buffer): DecodedKey | undefined {
  try {
    return decodeKey(key);
  } catch {
    return undefined;
  }
}

class NodeMap {
  private readonly byId = new Map<string, NodeStats>();

  constructor(private readonly shard: number) {}

  private last: NodeStats | undefined;

  get(c: bigint, n: bigint): NodeStats {
    // keys arrive grouped by node: most lookups are for the node of the previous key
    if (this.last && this.last.clusterId === c && this.last.nodeId === n) return this.last;
    const id = `${c}/${n}`;
    let s = this.byId.get(id);
    if (!s) {
      s = {
        clusterId: c,
        nodeId: n,
        shard: this.shard,
        keys: emptyKeyCounts(),
        maxIndex: null,
        snapshotIndex: 0n,
        records: 0,
        entryBytes: 0,
        entries: 0,
        firstIndex: null,
        lastIndex: null,
        inLog: 0,
        belowSnapshot: 0,
        stale: 0,
        entryTypes: new Map(),
        sizes: new SizeHistogram(),
        termStarts: [],
        termStartsTruncated: false,
        reclaimable: { records: 0, entries: 0, bytes: 0 },
        undecodable: 0,
      };
      this.byId.set(id, s);
    }
    this.last = s;
    return s;
  }

  all(): NodeStats[] {
    return [...this.byId.values()];
  }
}

/** Reads one shard whole. `entryStore` is the LogDB's mode (it decides which records are entries and what compaction removes). */
export async function collectShard(store: KVStore, shard: number, entryStore: EntryStore, progress: Progress): Promise<ShardCollection> {
  const keys = emptyKeyCounts();
  const nodes = new NodeMap(shard);
  const ranges = wholeShardRanges();
  const where = `logdb-${shard}`;

  /** Counts a key for the shard and its node; undefined for a key that is not a LogDB key. */
  const count = (key: Buffer): { k: DecodedKey; node: NodeStats } | undefined => {
    const k = decode(key);
    if (!k) {
      keys.other++;
      return undefined;
    }
    const field = kindField(k.kind);
    keys[field]++;
    const node = nodes.get(k.clusterId, k.nodeId);
    node.keys[field]++;
    return { k, node };
  };

  for await (const chunk of scanRanges(store, ranges.records)) {
    progress.advance(chunk.length, where);
    for (const { key, value } of chunk) {
      const counted = count(key);
      if (!counted) continue;
      const { k, node } = counted;
      if (k.kind === KeyKind.MaxIndex && value.length === 8) node.maxIndex = value.readBigUInt64BE(0);
      // snapshot keys come in ascending index order: the last one is the newest
      if (k.kind === KeyKind.Snapshot && value.length > 0) node.snapshotIndex = k.index!;
    }
  }

  const ownKind = entryStore.mode === 'batched' ? KeyKind.EntryBatch : KeyKind.Entry;
  let current: NodeLogCounter | undefined;
  for await (const chunk of scanRanges(store, ranges.entries)) {
    progress.advance(chunk.length, where);
    for (const pair of chunk) {
      const counted = count(pair.key);
      if (!counted || counted.k.kind !== ownKind) continue;
      const { k, node } = counted;
      if (!current || current.node !== node) current = new NodeLogCounter(node, entryStore);
      current.record(pair, k.index!);
    }
  }
  return { keys, nodes: nodes.all() };
}

/** Counts one node's entry records as they stream past, in key order. */
class NodeLogCounter {
  private readonly reclaimBelow: Buffer | undefined;
  private lastTerm: bigint | null = null;
  private readonly scratch = new EntryColumns(1);
  private readonly terms = new RepeatedField(FIELD_TERM);

  constructor(
    readonly node: NodeStats,
    private readonly entryStore: EntryStore,
  ) {
    const s = node.snapshotIndex;
    this.reclaimBelow = s > 0n ? entryStore.removeRange(node.clusterId, node.nodeId, s)?.end : undefined;
  }

  record(pair: KVPair, keyIndex: bigint): void {
    const length = pair.valueBuf !== undefined ? pair.valueEnd! - pair.valueStart! : pair.value.length;
    const node = this.node;
    node.records++;
    node.entryBytes += length;
    const reclaimable = this.reclaimBelow !== undefined && Buffer.compare(pair.key, this.reclaimBelow) < 0;
    if (this.entryStore.mode === 'plain') {
      // decoded into columns (no bigint per field): stats needs the type and the term only
      const cols = this.scratch;
      cols.truncate(0);
      if (!pushStoredEntry(cols, pair)) {
        node.undecodable++;
        return;
      }
      if (reclaimable) this.reclaim(1, length);
      // a plain entry is where its key puts it
      this.entry(keyIndex, cols.types[0]!, this.terms.of(cols, 0), length);
      return;
    }
    const value = pair.value;
    let entries: Entry[];
    try {
      entries = decodeEntryBatch(value);
    } catch {
      node.undecodable++;
      return;
    }
    if (reclaimable) this.reclaim(entries.length, value.length);
    const sizes = storedSizes(entries);
    for (let i = 0; i < entries.length; i++) this.entry(entries[i].index, entries[i].type, entries[i].term, sizes[i]);
  }

  private reclaim(entries: number, bytes: number): void {
    const r = this.node.reclaimable;
    r.records++;
    r.entries += entries;
    r.bytes += bytes;
  }

  private entry(i: bigint, type: number, term: bigint, size: number): void {
    const node = this.node;
    node.entries++;
    node.sizes.add(size);
    node.entryTypes.set(type, (node.entryTypes.get(type) ?? 0) + 1);
    if (node.firstIndex === null || i < node.firstIndex) node.firstIndex = i;
    if (node.lastIndex === null || i > node.lastIndex) node.lastIndex = i;
    const m = node.maxIndex;
    if (m === null || i > m) {
      node.stale++;
      return;
    }
    if (i < node.snapshotIndex) node.belowSnapshot++;
    else node.inLog++;
    if (this.lastTerm === null || term !== this.lastTerm) {
      if (node.termStarts.length < MAX_TERM_CHANGES) node.termStarts.push({ term, firstIndex: i });
      else node.termStartsTruncated = true;
      this.lastTerm = term;
    }
  }
}

/** The bytes each entry takes inside its batch: field compaction leaves out the term and index of entries 2..n. */
function storedSizes(entries: Entry[]): number[] {
  const compacted = isBatchCompactable(entries);
  return entries.map((e, i) => entryEncodedSize(compacted && i > 0 ? { ...e, term: 0n, index: 0n } : e));
}
