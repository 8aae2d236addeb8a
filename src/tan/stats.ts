/**
 * `logdb stats` on a tan LogDB: the same report as for the key/value LogDBs (src/logdb/stats/run-stats.ts), with
 * no shards (tan keeps one db per node) and every node's entries counted from its replayed db (node-db.ts). Entry
 * bytes are the Colfer encodings as stored in the log. What `logdb compact --to <snapshot>` would hide are the
 * entries at or below the newest snapshot not yet behind a compaction record; tan gives the space back only when
 * whole log files become obsolete.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { entryEncodedSize } from '../codec/colfer.js';
import { entryTypeName } from '../codec/enums.js';
import { emptyKeyCounts, MAX_TERM_CHANGES } from '../logdb/stats/collect.js';
import { SizeHistogram } from '../logdb/stats/histogram.js';
import type { NodeReport, StatsReport } from '../logdb/stats/run-stats.js';
import { listOrEmpty } from '../util/fs.js';
import { runEntries } from './node-db.js';
import type { TanReader } from './reader.js';
import { MAX_UINT64 } from '../codec/uint64.js';

function treeBytes(dir: string): number {
  let total = 0;
  for (const name of listOrEmpty(dir)) {
    const path = join(dir, name);
    try {
      const st = statSync(path);
      total += st.isDirectory() ? treeBytes(path) : st.size;
    } catch {
      // vanished while listed
    }
  }
  return total;
}

export async function collectTanStats(reader: TanReader): Promise<StatsReport> {
  const nodes: NodeReport[] = [];
  for (const ref of await reader.listNodeInfo()) {
    const db = reader.db(ref.clusterId, ref.nodeId);
    const snapshotIndex = db?.snapshot?.index ?? 0n;
    const report: NodeReport = {
      clusterId: ref.clusterId,
      nodeId: ref.nodeId,
      shard: ref.shard,
      keys: emptyKeyCounts(),
      maxIndex: db?.runs.length ? db.runs[db.runs.length - 1]!.end : null,
      snapshotIndex,
      records: db?.runs.length ?? 0,
      entries: 0,
      entryBytes: 0,
      firstIndex: null,
      lastIndex: null,
      inLog: 0,
      belowSnapshot: 0,
      stale: 0,
      entryTypes: {},
      sizeHistogram: [],
      termStarts: [],
      termStartsTruncated: false,
      reclaimable: { records: 0, entries: 0, bytes: 0 },
      undecodable: 0,
    };
    nodes.push(report);
    if (!db) continue;
    const sizes = new SizeHistogram();
    const types = new Map<number, number>();
    let lastTerm: bigint | undefined;
    for (const chunk of runEntries(db.runs, 0n, MAX_UINT64)) {
      for (const e of chunk) {
        const size = entryEncodedSize(e);
        report.entries++;
        report.entryBytes += size;
        report.firstIndex ??= e.index;
        report.lastIndex = e.index;
        sizes.add(size);
        types.set(e.type, (types.get(e.type) ?? 0) + 1);
        if (e.index <= snapshotIndex) {
          report.belowSnapshot++;
          if (e.index > db.compactedTo) (report.reclaimable.entries++, (report.reclaimable.bytes += size));
        } else report.inLog++;
        if (e.term !== lastTerm) {
          if (report.termStarts.length < MAX_TERM_CHANGES) report.termStarts.push({ term: e.term, firstIndex: e.index });
          else report.termStartsTruncated = true;
          lastTerm = e.term;
        }
      }
    }
    report.sizeHistogram = sizes.buckets();
    for (const [type, count] of [...types].sort((a, b) => a[0] - b[0])) report.entryTypes[entryTypeName(type)] = count;
  }
  nodes.sort((a, b) => b.entryBytes - a.entryBytes || b.entries - a.entries || (a.clusterId < b.clusterId ? -1 : a.clusterId > b.clusterId ? 1 : 0) || (a.nodeId < b.nodeId ? -1 : 1));
  const sum = (f: (n: NodeReport) => number) => nodes.reduce((t, n) => t + f(n), 0);
  return {
    entryMode: 'plain',
    totals: {
      shards: 0,
      nodes: nodes.length,
      diskBytes: treeBytes(reader.tanDir),
      keys: 0,
      entries: sum((n) => n.entries),
      entryBytes: sum((n) => n.entryBytes),
      reclaimableEntries: sum((n) => n.reclaimable.entries),
      reclaimableBytes: sum((n) => n.reclaimable.bytes),
    },
    shards: [],
    nodes,
  };
}
