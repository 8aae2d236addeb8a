/**
 * logdb info DIR — what is this directory: layout, dragonboat.ds, backend, shards, plain or batched, and which
 * Dragonboat wrote it (v3.2, v3.3 or v4) with the evidence (src/logdb/detect-version.ts).
 */
import { defineCommand } from '../cli/command.js';
import { withReader } from '../cli/open-reader.js';
import { out } from '../cli/stdout.js';
import { stringifyJson } from '../cli/json.js';
import { renderFields } from '../cli/table.js';
import { detectVersion, type VersionReport } from '../logdb/detect-version.js';
import type { LogReader } from '../logdb/log-reader.js';

export default defineCommand({
  name: 'info',
  summary: 'show the layout, dragonboat.ds, backend, shard count and entry format of a LogDB',
  arguments: '<dir>',
  options: [],
  examples: [
    'logdb info /var/lib/dragonboat/nodehost',
    'logdb info /var/lib/dragonboat/nodehost --json | jq .dragonboatDs',
    'logdb info /var/lib/dragonboat/nodehost --json | jq \'.dragonboat | {version, logdbType, evidence}\'',
  ],
  async run(ctx) {
    await withReader(ctx, async (reader) => {
      const layout = reader.layout;
      // tan has no key/value entry modes: one pb.Update record per write (v4-format.md §6)
      const mode = reader.kind === 'tan' ? { mode: 'plain' as const, mixed: false } : await reader.entryMode();
      const ds = layout.dataStatus;
      const backends = reader.kind === 'tan' ? ['tan'] : [...new Set(layout.shards.map((s) => s.backend))];
      const detected = detectVersion({
        nodeHostDir: layout.nodeHostDir,
        deploymentDir: layout.deploymentDir ?? (layout.shards.length === 1 ? layout.shards[0]!.dir : undefined),
        dataStatus: ds,
        maxSnapshotRecordsPerNode: await maxSnapshotRecords(reader),
      });
      const info = {
        path: ctx.args[0],
        layout: layout.kind,
        nodeHostDir: layout.nodeHostDir ?? null,
        deploymentDir: layout.deploymentDir ?? null,
        walDir: layout.walDir ?? null,
        tanDir: layout.tanDir ?? null,
        dragonboatDs: ds ? { ...ds } : null,
        nodeHostId: detected.nodeHostId,
        writerVersion: detected.version ?? 'unknown',
        dragonboat: dragonboatJson(detected),
        backend: backends.join(','),
        shardCount: layout.shardCount,
        shardsPresent: layout.shards.length,
        entryMode: mode.mode,
        binaryFormat: mode.mode === 'batched' ? 210 : 100,
        mixedEntryModes: mode.mixed,
        entryBatchSize: reader.kind === 'tan' ? (ds?.entryBatchSize ?? 48n) : reader.batchSize,
      };
      if (ctx.format !== 'table') {
        out(stringifyJson(info, ctx.format === 'json') + '\n');
        return;
      }
      const fields: [string, string][] = [
        ['layout', `${info.layout}${info.nodeHostDir ? ` (NodeHost dir ${info.nodeHostDir})` : ''}`],
        ['logdb dir', layout.tanDir ?? info.deploymentDir ?? layout.shards[0].dir],
        ['backend', info.backend === 'tan' ? 'tan (Dragonboat v4: one tan db per node under tandb/, no logdb-N shards)' : info.backend],
        ['shards', layout.tanDir ? `none (tan; clusters are still reported in shard cluster % ${info.shardCount})` : `${info.shardsPresent} of ${info.shardCount}`],
        ['entries', `${info.entryMode}${info.mixedEntryModes ? ' (MIXED: both plain and batched records — Dragonboat refuses to start)' : ''}`],
        ['binary format', `${info.binaryFormat}${ds && ds.binVer !== info.binaryFormat ? ` (dragonboat.ds says ${ds.binVer})` : ''}`],
        ['written by', detected.verdict],
      ];
      for (const e of detected.evidence) fields.push(['  evidence', `${e.source}: ${e.fact}${e.hint ? ' (a hint only)' : ''}`]);
      if (info.walDir) fields.push(['wal dir', info.walDir]);
      if (ds) {
        fields.push(
          ['address', ds.address],
          ['logdb type', ds.logdbType],
          ['hostname', ds.hostname],
          ['deployment id', ds.deploymentId.toString()],
          ['hard settings', `shards ${ds.logdbShardCount}, step workers ${ds.stepWorkerCount}, batch size ${ds.entryBatchSize}, max sessions ${ds.maxSessionCount}, hard hash ${ds.hardHash}`],
        );
        if (ds.addressByNodeHostId !== null) fields.push(['address by nhid', String(ds.addressByNodeHostId)]);
      }
      if (info.nodeHostId) fields.push(['nodehost id', info.nodeHostId]);
      out(renderFields(fields));
    });
  },
});

/** The `dragonboat` object of the JSON output. */
function dragonboatJson(r: VersionReport) {
  return { version: r.version, candidates: r.candidates, logdbType: r.logdbType, verdict: r.verdict, summary: r.summary, evidence: r.evidence.map((e) => ({ source: e.source, fact: e.fact, consistentWith: e.consistentWith, hint: e.hint === true })) };
}

/** The most snapshot records one listed node has (v4 keeps one, v3 up to three). */
async function maxSnapshotRecords(reader: LogReader): Promise<number> {
  let most = 0;
  for (const n of await reader.listNodeInfo()) most = Math.max(most, (await reader.listSnapshots(n.clusterId, n.nodeId)).length);
  return most;
}
