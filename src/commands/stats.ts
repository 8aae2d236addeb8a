/**
 * logdb stats DIR — where the space goes: per shard, bytes on disk by file kind and keys by kind; per node, entry
 * counts and bytes, sizes, types, the term timeline, and what `logdb compact` would reclaim. Biggest first.
 * The counting lives in src/logdb/stats/.
 */
import { stdoutColour } from '../cli/colour.js';
import { defineCommand } from '../cli/command.js';
import { stringifyJson } from '../cli/json.js';
import { withReader } from '../cli/open-reader.js';
import { out } from '../cli/stdout.js';
import { renderTable } from '../cli/table.js';
import { terminalProgress } from '../cli/progress.js';
import { collectStats, type NodeReport, type StatsReport } from '../logdb/stats/run-stats.js';
import { collectTanStats } from '../tan/stats.js';

export default defineCommand({
  name: 'stats',
  summary: 'show where the space goes: bytes per shard and file kind, entries per node, sizes, terms, what compact would reclaim',
  arguments: '<dir>',
  options: [],
  examples: [
    'logdb stats /var/lib/dragonboat/nodehost',
    'logdb stats /var/lib/dragonboat/nodehost --json | jq \'.nodes[0] | {clusterId, nodeId, entries, entryBytes}\'',
    'logdb stats /var/lib/dragonboat/nodehost --json | jq \'.nodes[] | select(.reclaimable.entries > 0)\'',
  ],
  async run(ctx) {
    const report = await withReader(ctx, (reader) => (reader.kind === 'tan' ? collectTanStats(reader) : collectStats(reader, terminalProgress('counting'))));
    if (ctx.format === 'json') out(stringifyJson(report, true) + '\n');
    else if (ctx.format === 'ndjson') {
      for (const s of report.shards) out(stringifyJson({ kind: 'shard', ...s }, false) + '\n');
      for (const n of report.nodes) out(stringifyJson({ kind: 'node', ...n }, false) + '\n');
    } else out(renderReport(report));
  },
});

const count = (n: number) => n.toLocaleString('en-US');

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

function renderReport(r: StatsReport): string {
  const t = r.totals;
  const parts: string[] = [];
  parts.push(
    `${stdoutColour.bold('LogDB')}: ${r.entryMode} entries, ${t.shards} shards, ${t.nodes} nodes, ${bytes(t.diskBytes)} on disk, ` +
      `${count(t.keys)} keys, ${count(t.entries)} entries (${bytes(t.entryBytes)}); compact would reclaim ${count(t.reclaimableEntries)} entries (${bytes(t.reclaimableBytes)})\n`,
  );
  // a tan LogDB has no shards: one db per node
  if (r.shards.length) {
    parts.push(
      renderTable(
        ['SHARD', 'DISK', 'TABLES', 'LOGS', 'MANIFESTS', 'OTHER', 'KEYS', 'NODES', 'ENTRIES', 'ENTRY BYTES'].map((header, i) => ({ header, align: i === 0 ? 'left' : 'right' })),
        r.shards.map((s) => [
          `logdb-${s.shard}${s.error ? ' (unreadable)' : ''}`,
          bytes(s.disk.bytes),
          bytes(s.disk.tables.bytes),
          bytes(s.disk.logs.bytes),
          bytes(s.disk.manifests.bytes),
          bytes(s.disk.other.bytes),
          count(Object.values(s.keys).reduce((a, b) => a + b, 0)),
          count(s.nodes),
          count(s.entries),
          bytes(s.entryBytes),
        ]),
      ),
    );
  }
  if (r.nodes.length) {
    parts.push(
      renderTable(
        ['CLUSTER', 'NODE', 'SHARD', 'ENTRIES', 'ENTRY BYTES', 'IN LOG', 'BELOW SNAPSHOT', 'STALE', 'RECLAIMABLE', 'TERMS'].map((header) => ({ header, align: 'right' as const })),
        r.nodes.map((n) => [
          String(n.clusterId),
          String(n.nodeId),
          String(n.shard),
          count(n.entries),
          bytes(n.entryBytes),
          count(n.inLog),
          count(n.belowSnapshot),
          count(n.stale),
          `${count(n.reclaimable.entries)} (${bytes(n.reclaimable.bytes)})`,
          `${n.termStarts.length}${n.termStartsTruncated ? '+' : ''}`,
        ]),
      ),
    );
    for (const n of r.nodes) if (n.entries > 0) parts.push(nodeDetails(n));
  }
  return parts.join('\n');
}

/** The node's mix of types and sizes and its term timeline, a line each. */
function nodeDetails(n: NodeReport): string {
  const types = Object.entries(n.entryTypes).map(([name, c]) => `${name} ${count(c)}`).join(' · ');
  const sizes = n.sizeHistogram.map((b) => `≤${bytes(b.maxBytes)} ${count(b.count)}`).join(' · ');
  const terms = n.termStarts.map((t) => `${t.term}@${t.firstIndex}`).join(' ') + (n.termStartsTruncated ? ' …' : '');
  const lines = [
    stdoutColour.bold(`cluster ${n.clusterId} node ${n.nodeId}`) + ` (logdb-${n.shard}, indexes ${n.firstIndex}-${n.lastIndex}, snapshot ${n.snapshotIndex}, max index ${n.maxIndex ?? '-'})`,
    `  types  ${types}`,
    `  sizes  ${sizes}`,
    `  terms  ${terms || '-'}  (term@first index)`,
  ];
  if (n.reclaimable.entries) lines.push(`  compact: \`logdb compact DIR --cluster ${n.clusterId} --node ${n.nodeId} --to ${n.snapshotIndex}\` removes ${count(n.reclaimable.entries)} entries (${bytes(n.reclaimable.bytes)})`);
  if (n.undecodable) lines.push(`  ${n.undecodable} records do not decode: run \`logdb check\``);
  return lines.join('\n') + '\n';
}
