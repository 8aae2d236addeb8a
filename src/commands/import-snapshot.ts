/**
 * logdb import-snapshot DIR --snapshot EXPORTED_DIR --node N --members "1=addr1,2=addr2"
 *
 * Dragonboat's tools.ImportSnapshot (spec §10.3, §8.13): rebuild a node from an exported snapshot when its
 * cluster lost quorum. The export is validated first — beyond Dragonboat, every block's CRC is checked against
 * its data — then the snapshot files are staged and finalized in the node's snapshot dir, and the LogDB import is
 * one synced batch. Old snapshot dirs are removed only after the batch, so a crash before it leaves the LogDB as
 * it was (the orphan snapshot dir is one Dragonboat itself discards at start).
 */
import { basename, join } from 'node:path';
import { parseId } from '../cli/args.js';
import { defineCommand } from '../cli/command.js';
import { progress } from '../cli/progress.js';
import { runWrite } from '../cli/write-runner.js';
import { LogdbError, usageError } from '../errors.js';
import { detectVersion } from '../logdb/detect-version.js';
import { discoverLayout } from '../logdb/layout.js';
import { planImportSnapshot } from '../logdb/write/import-snapshot.js';
import type { TanPlan } from '../cli/tan-write-runner.js';
import { planTanImport } from '../tan/write/plan.js';
import type { FileStep, WritePlan } from '../logdb/write/plan.js';
import { validateExport, type ValidatedExport } from '../snapshot/export.js';
import { buildImportRecord } from '../snapshot/import-record.js';
import { checkMembers, parseMembers } from '../snapshot/members.js';
import { applySnapshotDirCleanup, finalizeSnapshotDir, planSnapshotDirCleanup, stageImport } from '../snapshot/node-dir.js';
import { nodeSnapshotDir, snapshotDirName } from '../snapshot/paths.js';

interface ImportPlan extends WritePlan {
  nodeDir: string;
  finalDir: string;
  oldDirs: string[];
}

export default defineCommand({
  name: 'import-snapshot',
  summary: 'rebuild a node from an exported snapshot (Dragonboat tools.ImportSnapshot), e.g. after quorum loss',
  arguments: '<dir>',
  options: [
    { flags: '-s, --snapshot <dir>', description: 'the exported snapshot directory (…/snapshot-<INDEX>)' },
    { flags: '-n, --node <id>', description: 'the node ID this NodeHost runs in the cluster' },
    { flags: '-m, --members <list>', description: 'the new membership: "nodeID=address,…" (must include this node at this NodeHost\'s address)' },
  ],
  writes: true,
  examples: [
    'logdb import-snapshot /var/lib/dragonboat/nodehost --snapshot /backup/export/snapshot-0000000000000062 --node 1 \\\n      --members "1=node1.example:63100,4=node4.example:63104,5=node5.example:63105" --dry-run',
    'logdb import-snapshot /var/lib/dragonboat/nodehost -s /backup/export/snapshot-0000000000000062 -n 1 -m "1=node1.example:63100" --yes',
  ],
  async run(ctx) {
    if (!ctx.opts.snapshot) throw usageError('missing --snapshot <dir>: the exported snapshot directory to import');
    if (!ctx.opts.members) throw usageError('missing --members "nodeID=address,…": the membership the imported node starts with');
    const nodeId = parseId(ctx.opts.node, 'node ID', '--node');
    const members = parseMembers(ctx.opts.members);
    const layout = discoverLayout(ctx.args[0], { walDir: ctx.opts.walDir });

    const exp: ValidatedExport = await validateExport(ctx.opts.snapshot);
    const old = exp.record;
    // v4 differs in the records it writes (one snapshot record per node) and in its error wording (non-voting)
    const version = detectVersion({ nodeHostDir: layout.nodeHostDir, deploymentDir: layout.deploymentDir, dataStatus: layout.dataStatus }).version;
    checkMembers(members, nodeId, layout.dataStatus?.address, old.membership, version === 'v4' ? 'v4' : 'v3');
    const c = old.clusterId;
    if (!layout.deploymentDir) throw new LogdbError('usage', 'import-snapshot needs the NodeHost directory (holding dragonboat.ds)');
    const nodeDir = nodeSnapshotDir(layout.deploymentDir, c, nodeId);
    const finalDir = join(nodeDir, snapshotDirName(old.index));
    const record = buildImportRecord(old, members, finalDir, exp.gbsnapName);

    /** The snapshot dir work, the same on every backend: stage, finalize, then drop the older dirs. */
    const planFiles = () => {
      const cleanup = planSnapshotDirCleanup(nodeDir);
      if (cleanup.deletedMarker) {
        throw new LogdbError(
          'refused',
          `${nodeDir} holds DELETED.dragonboat: node ${nodeId} of cluster ${c} was removed here, and NodeHost refuses to start a node whose snapshot dir is marked deleted`,
          'if the node really is to come back, move that marker away first',
        );
      }
      const tempDir = join(nodeDir, `${snapshotDirName(old.index)}-${nodeId}.generating`);
      const files: FileStep[] = [
        { step: 'copyFile', from: exp.gbsnapPath, to: join(tempDir, exp.gbsnapName), bytes: exp.gbsnapSize, when: 'before' },
        ...exp.externalFiles.map((f): FileStep => ({ step: 'copyFile', from: f.sourcePath, to: join(tempDir, f.name), bytes: f.size, when: 'before' })),
        { step: 'finalizeSnapshot', from: tempDir, to: finalDir, when: 'before' },
        ...cleanup.remove.filter((d) => d !== finalDir).map((d): FileStep => ({ step: 'removeDir', path: d, when: 'after' })),
      ];
      return { files, oldDirs: cleanup.remove };
    };
    const stage = async (plan: { nodeDir: string; finalDir: string; oldDirs: string[] }) => {
      const p = progress('copying snapshot', ' bytes');
      // a previous snapshot dir at the same index would block the rename: it is being replaced anyway
      if (plan.oldDirs.includes(plan.finalDir)) await applySnapshotDirCleanup({ nodeDir: plan.nodeDir, exists: true, deletedMarker: false, remove: [plan.finalDir] });
      const { tempDir } = await stageImport(plan.nodeDir, exp, record, (done, total) => p.update(done, total));
      p.finish();
      await finalizeSnapshotDir(tempDir, plan.finalDir, record);
    };
    const cleanupOld = async (plan: { nodeDir: string; finalDir: string; oldDirs: string[] }) => {
      await applySnapshotDirCleanup({ nodeDir: plan.nodeDir, exists: true, deletedMarker: false, remove: plan.oldDirs.filter((d) => d !== plan.finalDir) });
      return { importedIndex: old.index.toString(), snapshotDir: plan.finalDir, source: basename(exp.dir) };
    };
    const question = () => `Import snapshot ${old.index} (term ${old.term}) of cluster ${c} as node ${nodeId}, replacing that node's state, bootstrap and snapshots on this NodeHost?`;

    await runWrite<ImportPlan>(ctx, {
      shards: (reader) => [reader.shardOf(c)],
      async plan(reader) {
        const { files, oldDirs } = planFiles();
        const plan = await planImportSnapshot(reader, record, nodeId, files, version);
        return { ...plan, nodeDir, finalDir, oldDirs };
      },
      question,
      backupDirs: (plan) => [plan.nodeDir],
      beforeBatch: stage,
      afterBatch: cleanupOld,
      tan: {
        async plan(reader) {
          const { files, oldDirs } = planFiles();
          const notes = ['tan: the node gets a new log holding only the imported state and snapshot; its older logs are dropped (v4 ImportSnapshot)'];
          return { command: 'import-snapshot', clusterId: c, nodeId, shards: [], files, notes, tan: planTanImport(reader, record, nodeId), nodeDir, finalDir, oldDirs };
        },
        question,
        backupDirs: () => [nodeDir],
        beforeApply: (plan) => stage(plan as ImportPlan & TanPlan),
        afterApply: (plan) => cleanupOld(plan as ImportPlan & TanPlan),
      },
    });
  },
});
