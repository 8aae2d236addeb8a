/**
 * logdb show-snapshot PATH — what is in a snapshot: a NodeHost dir's snapshot record (--cluster/--node, newest
 * or --index), an exported (or local) snapshot directory, or a bare .gbsnap file. Header, blocks, client
 * sessions, external files, membership; `--extract-payload FILE|-` writes exactly the stream the state
 * machine's RecoverFromSnapshot reads. Damaged snapshots: findings, exit 5; extraction refuses unless --force.
 * Streams the file in constant memory.
 */
import { closeSync, existsSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { parseOptionalIndex } from '../cli/args.js';
import { defineCommand, type RunContext } from '../cli/command.js';
import { stringifyJson } from '../cli/json.js';
import { NODE_OPTIONS, parseNodeArgs, requireNode } from '../cli/node-args.js';
import { withReader } from '../cli/open-reader.js';
import { warn } from '../cli/report-error.js';
import { out } from '../cli/stdout.js';
import { snapshotReportJson, snapshotReportText } from '../cli/views/snapshot-report.js';
import { LogdbError, notFound, usageError } from '../errors.js';
import { locateSnapshotFile } from '../logdb/check/snapshot-paths.js';
import { SNAPSHOT_FILE_SUFFIX, SNAPSHOT_FLAG_FILENAME, SNAPSHOT_METADATA_FILENAME } from '../snapshot/paths.js';
import type { PayloadWriter } from '../snapshot/payload-reader.js';
import { analyseSnapshot, directorySource, fileSource, type SnapshotReport, type SnapshotSource } from '../snapshot/show.js';

export default defineCommand({
  name: 'show-snapshot',
  summary: 'show what a snapshot holds (header, blocks, client sessions, files, membership); extract its payload',
  arguments: '<path>',
  options: [
    ...NODE_OPTIONS.map((o) => ({ ...o, description: `${o.description}: read the node's snapshot record from the LogDB in PATH` })),
    { flags: '--index <index>', description: 'the snapshot record at this index (default: the newest)' },
    { flags: '--extract-payload <file>', description: "write the state machine's stream (decompressed, without the session table) to FILE, or - for stdout" },
    { flags: '--force', description: 'extract the payload even from a damaged snapshot (what can be read)' },
  ],
  examples: [
    'logdb show-snapshot /var/lib/dragonboat/nodehost --cluster 5 --node 1',
    'logdb show-snapshot /var/lib/dragonboat/nodehost -c 5 -n 1 --index 1200 --json | jq .sessions',
    'logdb show-snapshot /backup/export/snapshot-00000000000004B0',
    'logdb show-snapshot snapshot-00000000000004B0.gbsnap --extract-payload - | my-sm-dump-tool',
  ],
  async run(ctx) {
    const source = await resolveSource(ctx);
    const target: string | undefined = ctx.opts.extractPayload;
    const toStdout = target === '-';
    const first = await analyseSnapshot(source);
    const errors = first.findings.filter((f) => f.severity === 'error').length;
    if (!toStdout) print(ctx, first);
    else for (const f of first.findings) warn(`${f.severity}: ${f.message}`);

    if (target !== undefined) {
      if (errors > 0 && !ctx.opts.force) {
        throw new LogdbError('corrupt', `refusing to extract the payload: the snapshot has ${errors} error finding(s)`, 'use --force to write what can be read');
      }
      if (!source.gbsnapPath || !first.header) throw new LogdbError('corrupt', 'nothing to extract: the snapshot file cannot be read');
      const written = await extract(source, target);
      process.stderr.write(`wrote ${written} bytes (what RecoverFromSnapshot reads) to ${toStdout ? 'stdout' : target}\n`);
    }
    if (errors > 0) throw new LogdbError('corrupt', `the snapshot has ${errors} error finding(s)${toStdout ? '' : ' (listed above)'}`);
  },
});

function print(ctx: RunContext, report: SnapshotReport): void {
  if (ctx.format === 'table') out(snapshotReportText(report));
  else out(stringifyJson(snapshotReportJson(report), ctx.format === 'json') + '\n');
}

async function extract(source: SnapshotSource, target: string): Promise<number> {
  let written = 0;
  let write: PayloadWriter;
  let fd: number | undefined;
  if (target === '-') {
    write = (chunk) => {
      written += chunk.length;
      if (process.stdout.write(chunk)) return undefined;
      return new Promise((resolve) => process.stdout.once('drain', resolve));
    };
  } else {
    try {
      fd = openSync(target, 'w');
    } catch (err) {
      throw usageError(`--extract-payload: cannot write ${target}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const file = fd;
    write = (chunk) => {
      for (let at = 0; at < chunk.length; ) at += writeSync(file, chunk, at, chunk.length - at);
      written += chunk.length;
    };
  }
  try {
    await analyseSnapshot(source, write);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return written;
}

async function resolveSource(ctx: RunContext): Promise<SnapshotSource> {
  const path = ctx.args[0]!;
  const index = parseOptionalIndex(ctx.opts.index, '--index');
  const byNode = ctx.opts.cluster !== undefined || ctx.opts.node !== undefined;
  if (index !== undefined && !byNode) throw usageError('--index needs --cluster and --node', 'it picks one of the node\'s snapshot records');
  let st;
  try {
    st = statSync(path);
  } catch {
    throw notFound(`${path}: no such file or directory`);
  }
  if (byNode) return logdbSource(ctx, index);
  if (st.isFile()) return fileSource(path);
  const names = readdirSync(path);
  if (names.some((n) => n.endsWith(SNAPSHOT_FILE_SUFFIX) || n === SNAPSHOT_METADATA_FILENAME || n === SNAPSHOT_FLAG_FILENAME)) return directorySource(path);
  throw usageError(`${path} is neither a snapshot directory nor a .gbsnap file`, 'for a NodeHost dir give --cluster and --node');
}

async function logdbSource(ctx: RunContext, index: bigint | undefined): Promise<SnapshotSource> {
  const { clusterId: c, nodeId: n } = parseNodeArgs(ctx);
  return withReader(ctx, async (reader) => {
    await requireNode(reader, c, n);
    const snapshots = await reader.listSnapshots(c, n);
    if (snapshots.length === 0) throw notFound(`cluster ${c} node ${n} has no snapshot records`);
    const record = index === undefined ? snapshots[snapshots.length - 1]! : snapshots.find((s) => s.index === index);
    if (!record) throw notFound(`cluster ${c} node ${n} has no snapshot record at index ${index}`, `it has ${snapshots.map((s) => s.index).join(', ')}`);
    const deploymentDir = reader.layout.deploymentDir;
    const gbsnap = locateSnapshotFile(record.filepath, deploymentDir, c, n);
    const findings: SnapshotSource['findings'] = [];
    const present = existsSync(gbsnap.path);
    if (!present) findings.push({ severity: 'error', message: `the snapshot file ${basename(record.filepath)} is missing (looked at ${gbsnap.path})` });
    if (record.dummy) findings.push({ severity: 'warning', message: "a dummy record (on-disk state machine): the file holds only the session table; the state machine's data is in its own store" });
    const files = record.files.map((f) => ({
      fileId: f.fileId,
      recordedPath: f.filepath,
      path: locateSnapshotFile(f.filepath, deploymentDir, c, n).path,
      recordedSize: f.fileSize,
      metadata: f.metadata,
    }));
    return { kind: 'logdb' as const, gbsnapPath: present ? gbsnap.path : null, record, recordFrom: 'logdb', files, findings };
  });
}
