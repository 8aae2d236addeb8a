/**
 * `logdb check` from end to end: one pass over every shard (records, then entries — shard-scan.ts), then the
 * node-level invariants, the snapshot files, the snapshot directories and dragonboat.ds. Every family of
 * invariants is one file in this folder; this one only puts them in order and counts.
 *
 * Memory stays bounded whatever the log size: the sweeps hold a few records per node and one node's log
 * position at a time, and findings are capped per node and code (finding.ts).
 */
import { LogdbError } from '../../errors.js';
import type { KVStore } from '../../kv/kv.js';
import type { LogDBReader } from '../reader.js';
import type { CheckContext } from './context.js';
import { checkDataStatus, type StoredModes } from './data-status.js';
import { sweepEntries } from './entries.js';
import { countBySeverity, FindingSink, type Finding } from './finding.js';
import { Hints } from './hints.js';
import { checkNode } from './node-check.js';
import { hasNodeRecords, NodeTable, type NodeRecords } from './node-records.js';
import { noProgress, type Progress } from './progress.js';
import { readRecords } from './records.js';
import { checkSnapshotDirs, deletedNodes, listNodeSnapshotDirs } from './snapshot-dirs.js';
import { checkSnapshotFiles } from './snapshot-files.js';
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
  const layout = reader.layout;
  const sink = new FindingSink();
  const progress = options.progress ?? noProgress;
  const ctx: CheckContext = {
    reader,
    sink,
    hints: new Hints(options.dir),
    deep: options.deep ?? false,
    mode: await entryMode(reader),
    batchSize: reader.batchSize,
    progress,
  };
  const nodes = new NodeTable();
  const stored: StoredModes = { plain: false, batched: false };
  const ranges = options.node ? nodeRanges(options.node.clusterId, options.node.nodeId) : wholeShardRanges();
  let records = 0;
  let shardsRead = 0;

  try {
    for (const shard of layout.shards) {
      const store = await openShard(ctx, shard.index);
      if (!store) continue;
      try {
        for await (const chunk of scanRanges(store, ranges.records)) {
          records += chunk.length;
          progress.advance(chunk.length, `logdb-${shard.index}`);
          readRecords(ctx, shard.index, chunk, nodes);
        }
        records += await sweepEntries(ctx, shard.index, store, ranges, nodes);
        shardsRead++;
      } catch (err) {
        unreadable(ctx, shard.index, err);
      }
    }
  } finally {
    progress.done();
  }

  for (const node of nodes.all()) {
    if (node.log && node.log.records > 0) stored[ctx.mode] = true;
    if (node.foreignEntryRecords > 0) stored[ctx.mode === 'plain' ? 'batched' : 'plain'] = true;
  }
  if (!options.node) checkDataStatus(ctx, layout, stored);

  const routedShard = (c: bigint): number | undefined => {
    // a lone shard dir without dragonboat.ds cannot tell where its clusters belong
    if (layout.kind === 'shard' && !layout.dataStatus) return undefined;
    try {
      return reader.partitioner.shardOf(c);
    } catch {
      return undefined;
    }
  };
  const snapshotDirs = layout.deploymentDir ? listNodeSnapshotDirs(layout.deploymentDir) : [];
  const wanted = (c: bigint, n: bigint) => !options.node || (options.node.clusterId === c && options.node.nodeId === n);
  const removed = deletedNodes(snapshotDirs);
  const backendOf = (shard: number) => layout.shards.find((s) => s.index === shard)?.backend ?? 'unknown';
  const checked = new Set<string>();
  for (const node of nodes.all()) {
    if (!wanted(node.clusterId, node.nodeId)) continue;
    checked.add(`${node.clusterId}/${node.nodeId}`);
    checkNode(ctx, node, { routedShard: routedShard(node.clusterId), removed: removed.has(`${node.clusterId}/${node.nodeId}`), backend: backendOf(node.shard) });
    if (hasNodeRecords(node)) checkSnapshotFiles(ctx, node, layout.deploymentDir);
  }
  const recordsOf = (c: bigint, n: bigint): NodeRecords | undefined => nodes.routed(c, n, routedShard);
  checkSnapshotDirs(ctx, snapshotDirs.filter((d) => wanted(d.clusterId, d.nodeId)), recordsOf, routedShard);

  const findings = sink.list();
  const counts = countBySeverity(findings);
  return {
    ok: counts.error === 0,
    findings,
    summary: {
      errors: counts.error,
      warnings: counts.warning,
      infos: counts.info,
      nodes: checked.size,
      shards: shardsRead,
      records,
      entryMode: ctx.mode,
      deep: ctx.deep,
    },
  };
}

/** The reader's mode decision (§7.1); when a shard cannot even be opened, dragonboat.ds decides. */
async function entryMode(reader: LogDBReader): Promise<'plain' | 'batched'> {
  try {
    return (await reader.entryMode()).mode;
  } catch (err) {
    if (err instanceof LogdbError && err.kind === 'corrupt') return reader.layout.dataStatus?.binVer === 210 ? 'batched' : 'plain';
    throw err;
  }
}

async function openShard(ctx: CheckContext, shard: number): Promise<KVStore | undefined> {
  try {
    return await ctx.reader.shards.store(shard);
  } catch (err) {
    unreadable(ctx, shard, err);
    return undefined;
  }
}

/** A shard whose KV files cannot be read is a finding; a lock or a bug still stops the check. */
function unreadable(ctx: CheckContext, shard: number, err: unknown): void {
  const corrupt = (err instanceof LogdbError && err.kind === 'corrupt') || ['KVCorruptionError', 'CodecError'].includes((err as Error)?.name);
  if (!corrupt) throw err;
  ctx.sink.add({
    code: 'shard-unreadable',
    severity: 'error',
    shard,
    message: `logdb-${shard} cannot be read: ${(err as Error).message}`,
    hint: `the KV files of logdb-${shard} are damaged; restore the shard from a backup or rebuild its nodes from healthy replicas`,
  });
}
