/**
 * `logdb stats` from end to end: every shard read once (collect.ts) and measured on disk (disk-usage.ts), then
 * shaped for output — biggest consumers first: nodes by entry bytes, shards by bytes on disk. The report uses
 * the JSON contract's names (lowerCamelCase); IDs, indexes and terms stay bigint until src/cli turns them into
 * decimal strings.
 */
import { entryTypeName } from '../../codec/enums.js';
import { batchedEntries } from '../batched-entries.js';
import type { EntryStore } from '../entry-store.js';
import { plainEntries } from '../plain-entries.js';
import { noProgress, type Progress } from '../progress.js';
import { isStoreCorruption } from '../check/store-errors.js';
import type { LogDBReader } from '../reader.js';
import { collectShard, emptyKeyCounts, type KeyCounts, type NodeStats } from './collect.js';
import { diskUsage, type DiskUsage } from './disk-usage.js';
import type { HistogramBucket } from './histogram.js';

export interface ShardReport {
  shard: number;
  disk: DiskUsage;
  keys: KeyCounts;
  nodes: number;
  entries: number;
  entryBytes: number;
  /** the shard's KV files could not be read (the message); its counts are then zero */
  error: string | null;
}

export interface NodeReport {
  clusterId: bigint;
  nodeId: bigint;
  shard: number;
  keys: KeyCounts;
  maxIndex: bigint | null;
  snapshotIndex: bigint;
  /** entry records of the LogDB's mode (batches count once each in batched mode) */
  records: number;
  entries: number;
  entryBytes: number;
  firstIndex: bigint | null;
  lastIndex: bigint | null;
  /** entries Dragonboat reads (from the newest snapshot index to the max index) */
  inLog: number;
  /** entries below the newest snapshot index */
  belowSnapshot: number;
  /** entries above the max index, or of a node without one: nothing reads them */
  stale: number;
  entryTypes: Record<string, number>;
  sizeHistogram: HistogramBucket[];
  /** the index where each term starts in the stored log (leader changes), oldest first */
  termStarts: { term: bigint; firstIndex: bigint }[];
  termStartsTruncated: boolean;
  /** what `logdb compact --to <snapshotIndex>` would remove */
  reclaimable: { records: number; entries: number; bytes: number };
  undecodable: number;
}

export interface StatsReport {
  entryMode: 'plain' | 'batched';
  totals: { shards: number; nodes: number; diskBytes: number; keys: number; entries: number; entryBytes: number; reclaimableEntries: number; reclaimableBytes: number };
  shards: ShardReport[];
  nodes: NodeReport[];
}

export async function collectStats(reader: LogDBReader, progress: Progress = noProgress): Promise<StatsReport> {
  const entryStore = await entryStoreOf(reader);
  const shards: ShardReport[] = [];
  const nodes: NodeReport[] = [];
  try {
    for (const location of reader.layout.shards) {
      const shard: ShardReport = { shard: location.index, disk: diskUsage(location), keys: emptyKeyCounts(), nodes: 0, entries: 0, entryBytes: 0, error: null };
      shards.push(shard);
      try {
        const store = await reader.shards.store(location.index);
        const collected = await collectShard(store, location.index, entryStore, progress);
        shard.keys = collected.keys;
        shard.nodes = collected.nodes.length;
        for (const n of collected.nodes) {
          shard.entries += n.entries;
          shard.entryBytes += n.entryBytes;
          nodes.push(nodeReport(n));
        }
      } catch (err) {
        if (!isStoreCorruption(err)) throw err;
        shard.error = (err as Error).message;
      }
    }
  } finally {
    progress.done();
  }
  shards.sort((a, b) => b.disk.bytes - a.disk.bytes || a.shard - b.shard);
  nodes.sort((a, b) => b.entryBytes - a.entryBytes || b.entries - a.entries || cmp(a.clusterId, b.clusterId) || cmp(a.nodeId, b.nodeId));
  const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((t, x) => t + f(x), 0);
  return {
    entryMode: entryStore.mode,
    totals: {
      shards: shards.length,
      nodes: nodes.length,
      diskBytes: sum(shards, (s) => s.disk.bytes),
      keys: sum(shards, (s) => Object.values(s.keys).reduce((a, b) => a + b, 0)),
      entries: sum(nodes, (n) => n.entries),
      entryBytes: sum(nodes, (n) => n.entryBytes),
      reclaimableEntries: sum(nodes, (n) => n.reclaimable.entries),
      reclaimableBytes: sum(nodes, (n) => n.reclaimable.bytes),
    },
    shards,
    nodes,
  };
}

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

function nodeReport(n: NodeStats): NodeReport {
  const entryTypes: Record<string, number> = {};
  for (const [type, count] of [...n.entryTypes].sort((a, b) => a[0] - b[0])) entryTypes[entryTypeName(type)] = count;
  return {
    clusterId: n.clusterId,
    nodeId: n.nodeId,
    shard: n.shard,
    keys: n.keys,
    maxIndex: n.maxIndex,
    snapshotIndex: n.snapshotIndex,
    records: n.records,
    entries: n.entries,
    entryBytes: n.entryBytes,
    firstIndex: n.firstIndex,
    lastIndex: n.lastIndex,
    inLog: n.inLog,
    belowSnapshot: n.belowSnapshot,
    stale: n.stale,
    entryTypes,
    sizeHistogram: n.sizes.buckets(),
    termStarts: n.termStarts,
    termStartsTruncated: n.termStartsTruncated,
    reclaimable: n.reclaimable,
    undecodable: n.undecodable,
  };
}

/** The reader's mode decision (§7.1); when a shard cannot even be opened, dragonboat.ds decides. */
async function entryStoreOf(reader: LogDBReader): Promise<EntryStore> {
  try {
    return await reader.entryStore();
  } catch (err) {
    if (!isStoreCorruption(err)) throw err;
    return reader.layout.dataStatus?.binVer === 210 ? batchedEntries(reader.batchSize) : plainEntries;
  }
}
