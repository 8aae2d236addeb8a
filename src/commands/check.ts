/**
 * logdb check DIR [--cluster C --node N] [--deep] — verifies every invariant Dragonboat relies on (the log, the
 * node records, placement, dragonboat.ds, snapshot files and directories) and names each problem with a stable
 * code. Exit 0 when nothing is an error, 9 when something is. The checks live in src/logdb/check/.
 */
import { parseId } from '../cli/args.js';
import { stdoutColour } from '../cli/colour.js';
import { defineCommand } from '../cli/command.js';
import { stringifyJson } from '../cli/json.js';
import { withReader } from '../cli/open-reader.js';
import { out } from '../cli/stdout.js';
import { LogdbError, notFound, usageError } from '../errors.js';
import type { Finding, Severity } from '../logdb/check/finding.js';
import { terminalProgress } from '../cli/progress.js';
import { checkLogDB, type CheckReport } from '../logdb/check/run-check.js';
import { checkTan } from '../tan/check.js';

export default defineCommand({
  name: 'check',
  summary: 'verify a LogDB: log contiguity, terms, node records, shards, dragonboat.ds, snapshot files (exit 9 on errors)',
  arguments: '<dir>',
  options: [
    { flags: '-c, --cluster <id>', description: 'check only this cluster ID (with --node)' },
    { flags: '-n, --node <id>', description: 'check only this node ID (with --cluster)' },
    { flags: '--deep', description: 'also verify snapshot checksums and block CRCs, and decompress entry payloads' },
  ],
  examples: [
    'logdb check /var/lib/dragonboat/nodehost',
    'logdb check /var/lib/dragonboat/nodehost --deep',
    'logdb check /var/lib/dragonboat/nodehost --cluster 100 --node 1',
    'logdb check /var/lib/dragonboat/nodehost --json | jq -r \'.findings[] | select(.severity == "error") | .code\'',
  ],
  async run(ctx) {
    const node = parseNodeFilter(ctx.opts);
    const options = { dir: ctx.args[0], deep: Boolean(ctx.opts.deep), node, progress: terminalProgress('checking') };
    const report = await withReader(ctx, (reader) => (reader.kind === 'tan' ? checkTan(reader, options) : checkLogDB(reader, options)));
    if (node && report.summary.nodes === 0 && report.findings.length === 0) {
      throw notFound(`no records of cluster ${node.clusterId} node ${node.nodeId} in any shard of this LogDB`, 'list the nodes with `logdb ls-nodes DIR`');
    }
    if (ctx.format === 'json') out(stringifyJson(report, true) + '\n');
    else if (ctx.format === 'ndjson') for (const f of report.findings) out(JSON.stringify(f) + '\n');
    else out(renderReport(report));
    if (!report.ok) {
      throw new LogdbError('findings', `check found ${plural(report.summary.errors, 'error')}`, 'see the findings above');
    }
  },
});

function parseNodeFilter(opts: Record<string, unknown>): { clusterId: bigint; nodeId: bigint } | undefined {
  if (opts.cluster === undefined && opts.node === undefined) return undefined;
  if (opts.cluster === undefined || opts.node === undefined) throw usageError('--cluster and --node go together', 'give both, or neither to check every node');
  return { clusterId: parseId(opts.cluster as string, 'cluster ID', '--cluster'), nodeId: parseId(opts.node as string, 'node ID', '--node') };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const PAINT: Record<Severity, (s: string) => string> = {
  error: (s) => stdoutColour.red.bold(s),
  warning: (s) => stdoutColour.yellow(s),
  info: (s) => stdoutColour.cyan(s),
};

function where(f: Finding): string {
  const shard = f.shard === null ? '' : `logdb-${f.shard}`;
  if (f.clusterId === null) return shard || 'LogDB';
  return `cluster ${f.clusterId} node ${f.nodeId}${shard ? ` (${shard})` : ''}`;
}

/** For people: one block per finding, most severe first, then a one-line summary. */
function renderReport(report: CheckReport): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    lines.push(`${PAINT[f.severity](f.severity.toUpperCase().padEnd(7))}  ${stdoutColour.bold(f.code)}  ${where(f)}`);
    lines.push(`         ${f.message}`);
    if (f.key) lines.push(`         key ${f.key}`);
    lines.push(`         ${stdoutColour.dim('next:')} ${f.hint}`);
    lines.push('');
  }
  const s = report.summary;
  const read = `${plural(s.nodes, 'node')}, ${plural(s.shards, 'shard')}, ${s.records.toLocaleString('en-US')} records read${s.deep ? ', snapshots read in full (--deep)' : ''}`;
  if (report.findings.length === 0) lines.push(`${stdoutColour.green('ok')}: no problems found (${read})`);
  else lines.push(`${report.ok ? stdoutColour.green('ok') : PAINT.error('not ok')}: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.infos} info (${read})`);
  return lines.join('\n') + '\n';
}
