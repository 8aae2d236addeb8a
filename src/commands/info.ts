/** logdb info DIR — what is this directory: layout, dragonboat.ds, backend, shards, plain or batched. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFlagFile } from '../codec/flag-file.js';
import { defineCommand } from '../cli/command.js';
import { withReader } from '../cli/open-reader.js';
import { out } from '../cli/stdout.js';
import { stringifyJson } from '../cli/json.js';
import { renderFields } from '../cli/table.js';
import { writerVersion } from '../logdb/partition.js';

export default defineCommand({
  name: 'info',
  summary: 'show the layout, dragonboat.ds, backend, shard count and entry format of a LogDB',
  arguments: '<dir>',
  options: [],
  examples: ['logdb info /var/lib/dragonboat/nodehost', 'logdb info /var/lib/dragonboat/nodehost --json | jq .dragonboatDs'],
  async run(ctx) {
    await withReader(ctx, async (reader) => {
      const layout = reader.layout;
      // tan has no key/value entry modes: one pb.Update record per write (v4-format.md §6)
      const mode = reader.kind === 'tan' ? { mode: 'plain' as const, mixed: false } : await reader.entryMode();
      const ds = layout.dataStatus;
      const backends = reader.kind === 'tan' ? ['tan'] : [...new Set(layout.shards.map((s) => s.backend))];
      const info = {
        path: ctx.args[0],
        layout: layout.kind,
        nodeHostDir: layout.nodeHostDir ?? null,
        deploymentDir: layout.deploymentDir ?? null,
        walDir: layout.walDir ?? null,
        tanDir: layout.tanDir ?? null,
        dragonboatDs: ds ? { ...ds } : null,
        nodeHostId: readNodeHostId(layout.nodeHostDir),
        // tan exists only in Dragonboat v4 (v4-format.md §6)
        writerVersion: reader.kind === 'tan' ? 'v4' : writerVersion(ds),
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
        ['written by', info.writerVersion === 'unknown' ? 'unknown (no dragonboat.ds)' : `Dragonboat ${info.writerVersion}`],
      ];
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

/** NODEHOST.ID (v3.3): a flag file holding the ID as 8 little-endian bytes, shown as `nhid-<decimal>`. */
function readNodeHostId(nodeHostDir: string | undefined): string | null {
  if (!nodeHostDir) return null;
  const file = join(nodeHostDir, 'NODEHOST.ID');
  if (!existsSync(file)) return null;
  try {
    const payload = decodeFlagFile(readFileSync(file), 'NODEHOST.ID');
    return payload.length === 8 ? `nhid-${payload.readBigUInt64LE(0)}` : null;
  } catch {
    return null;
  }
}
