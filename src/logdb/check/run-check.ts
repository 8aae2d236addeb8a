/**
 * `logdb check` from end to end: one pass over every shard (records, then entries — shard-scan.ts), then the
 * node-level invariants, the snapshot files, the snapshot directories and dragonboat.ds. Every family of
 * invariants is one file in this folder; this one only puts them in order and counts.
 *
 * Memory stays bounded whatever the log size: the sweeps hold a few records per node and one node's log
 * position at a time, and findings are capped per node and code (finding.ts).
 */
import type { LogDBReader } from '../reader.js';
import type { CheckContext } from './context.js';
import { checkDataStatus, type StoredModes } from './data-status.js';
import { sweepEntries } from './entries.js';
import { countBySeverity, FindingSink, type Finding } from './finding.js';
import { Hints } from './hints.js';
import { checkNode } from './node-check.js';
import { hasNodeRecords, NodeTable, type NodeRecords } from './node-records.js';
import { noProgress, type Progress } from '../progress.js';
import { readRecords } from './records.js';
import { checkSnapshotDirs, deletedNodes, listNodeSnapshotDirs } from './snapshot-dirs.js';
import { checkSnapshotFiles } from './snapshot-files.js';
import { isStoreCorruption } from './store-errors.js';
import { nodeRanges, scanRanges, wholeShardRanges } from './shard-scan.js';

export interface CheckOptions {
  /** also read snapshot payloads (checksum, block CRCs) and decompress entry payloads */
  deep?: boolean;
  /** check only this node (and where its records are) */
  node?: { clusterId: bigint; nodeId: bigint };
  /** the directory as the operator gave it, for the suggested commands */
  dir: string;
  progress?: Progress;
}

export interface CheckSummary {
  errors: number;
  warnings: number;
  infos: number;
  /** (cluster, node) pairs with at least one record */
  nodes: number;
  shards: number;
  /** key/value pairs read */
  records: number;
  entryMode: 'plain' | 'batched';
  deep: boolean;
}

export interface CheckReport {
  /** no finding of severity error */
  ok: boolean;
  findings: Finding[];
  summary: CheckSummary;
}

export async function checkLogDB(reader: LogDBReader, options: CheckOptions): Promise<CheckReport> {
  const sink = new FindingSink();
  const ctx: CheckContext = {
    reader,
    sink,
    hints: new Hints(options.dir),
    deep: options.deep ?? false,
    mode: await entryMode(reader),
    batchSize: reader.batchSize,
    progress: options.progress ?? noProgress,
  };
  const scan = await scanShards(ctx, options.node);
  if (!options.node) checkDataStatus(ctx, reader.layout, storedModes(ctx, scan.nodes));
  const checked = judgeNodes(ctx, scan, options.node);

  const findings = sink.list();
  const counts = countBySeverity(findings);
  return {
    ok: counts.error === 0,
    findings,
    summary: {
      errors: counts.error,
      warnings: counts.warning,
      infos: counts.info,
      nodes: checked,
      shards: scan.shardsRead,
      records: scan.records,
      entryMode: ctx.mode,
      deep: ctx.deep,
    },
  };
}

interface ShardScan {
  nodes: NodeTable;
  records: number;
  shardsRead: number;
  /** shards that could not be read to the end: what was read of them is not the whole truth, so their nodes are not judged */
  unreadable: Set<number>;
}

/** Both sweeps over every shard (or over one node's keys in every shard, to find it wherever it is). */
async function scanShards(ctx: CheckContext, node: CheckOptions['node']): Promise<ShardScan> {
  const scan: ShardScan = { nodes: new NodeTable(), records: 0, shardsRead: 0, unreadable: new Set() };
  const ranges = node ? nodeRanges(node.clusterId, node.nodeId) : wholeShardRanges();
  try {
    for (const shard of ctx.reader.layout.shards) {
      try {
        const store = await ctx.reader.shards.store(shard.index);
        for await (const chunk of scanRanges(store, ranges.records)) {
          scan.records += chunk.length;
          ctx.progress.advance(chunk.length, `logdb-${shard.index}`);
          readRecords(ctx, shard.index, chunk, scan.nodes);
        }
        scan.records += await sweepEntries(ctx, shard.index, store, ranges, scan.nodes);
        scan.shardsRead++;
      } catch (err) {
        unreadable(ctx, shard.index, err);
        scan.unreadable.add(shard.index);
      }
    }
  } finally {
    ctx.progress.done();
  }
  return scan;
}

function storedModes(ctx: CheckContext, nodes: NodeTable): StoredModes {
  const stored: StoredModes = { plain: false, batched: false };
  for (const node of nodes.all()) {
    if (node.log && node.log.records > 0) stored[ctx.mode] = true;
    if (node.foreignEntryRecords > 0) stored[ctx.mode === 'plain' ? 'batched' : 'plain'] = true;
  }
  return stored;
}

/** The node-level checks, the snapshot files and the snapshot dirs; returns how many nodes were judged. */
function judgeNodes(ctx: CheckContext, scan: ShardScan, only: CheckOptions['node']): number {
  const layout = ctx.reader.layout;
  const routedShard = (c: bigint): number | undefined => {
    // a lone shard dir without dragonboat.ds cannot tell where its clusters belong
    if (layout.kind === 'shard' && !layout.dataStatus) return undefined;
    try {
      return ctx.reader.partitioner.shardOf(c);
    } catch {
      return undefined;
    }
  };
  const readable = (shard: number | undefined) => shard === undefined || !scan.unreadable.has(shard);
  const judged = (c: bigint, n: bigint) => (!only || (only.clusterId === c && only.nodeId === n)) && readable(routedShard(c));
  const snapshotDirs = layout.deploymentDir ? listNodeSnapshotDirs(layout.deploymentDir) : [];
  const removed = deletedNodes(snapshotDirs);
  const backendOf = (shard: number) => layout.shards.find((s) => s.index === shard)?.backend ?? 'unknown';

  const checked = new Set<string>();
  for (const node of scan.nodes.all()) {
    const id = `${node.clusterId}/${node.nodeId}`;
    if (!judged(node.clusterId, node.nodeId) || !readable(node.shard)) continue;
    checked.add(id);
    checkNode(ctx, node, { routedShard: routedShard(node.clusterId), removed: removed.has(id), backend: backendOf(node.shard) });
    if (hasNodeRecords(node)) checkSnapshotFiles(ctx, node, layout.deploymentDir);
  }
  const recordsOf = (c: bigint, n: bigint): NodeRecords | undefined => scan.nodes.routed(c, n, routedShard);
  checkSnapshotDirs(ctx, snapshotDirs.filter((d) => judged(d.clusterId, d.nodeId)), recordsOf, routedShard);
  return checked.size;
}

/** The reader's mode decision (§7.1); when a shard cannot even be opened, dragonboat.ds decides. */
async function entryMode(reader: LogDBReader): Promise<'plain' | 'batched'> {
  try {
    return (await reader.entryMode()).mode;
  } catch (err) {
    if (isStoreCorruption(err)) return reader.layout.dataStatus?.binVer === 210 ? 'batched' : 'plain';
    throw err;
  }
}

/** A shard whose KV files cannot be read is a finding; a lock or a bug still stops the check. */
function unreadable(ctx: CheckContext, shard: number, err: unknown): void {
  if (!isStoreCorruption(err)) throw err;
  ctx.sink.add({
    code: 'shard-unreadable',
    severity: 'error',
    shard,
    message: `logdb-${shard} cannot be read: ${(err as Error).message}`,
    hint: `the KV files of logdb-${shard} are damaged; restore the shard from a backup or rebuild its nodes from healthy replicas`,
  });
}
