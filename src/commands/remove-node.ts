/** logdb remove-node DIR --cluster C --node N — delete every record of one node, as NodeHost.RemoveData does. */
import { defineCommand } from '../cli/command.js';
import { NODE_OPTIONS, parseNodeArgs, requireNode } from '../cli/node-args.js';
import { runWrite } from '../cli/write-runner.js';
import { planRemoveNode } from '../logdb/write/remove-node.js';
import { deletedMarkerFormat, planNodeDirRemoval, removeNodeSnapshotDir } from '../snapshot/node-dir.js';
import { nodeSnapshotDir } from '../snapshot/paths.js';
import type { RunContext } from '../cli/command.js';
import { discoverLayout, type Layout } from '../logdb/layout.js';
import type { FileStep, WritePlan } from '../logdb/write/plan.js';
import { planTanRemove } from '../tan/write/plan.js';

const snapshotDirOf = (plan: WritePlan) => plan.files.filter((f) => f.step === 'writeFlagFile').map((f) => (f as { path: string }).path.replace(/\/DELETED\.dragonboat$/, ''));

const layoutOf = (ctx: RunContext) => discoverLayout(ctx.args[0], { walDir: ctx.opts.walDir });

/** What NodeHost.RemoveData does to the node's snapshot dir after the LogDB removal: DELETED.dragonboat, no snapshots. */
async function markRemoved(plan: WritePlan, layout: Layout): Promise<void> {
  for (const dir of snapshotDirOf(plan)) await removeNodeSnapshotDir(dir, deletedMarkerFormat(layout.dataStatus));
}

export default defineCommand({
  name: 'remove-node',
  summary: "delete a node's state, bootstrap, snapshots and entries, and mark its snapshot dir deleted",
  arguments: '<dir>',
  options: NODE_OPTIONS,
  writes: true,
  examples: [
    'logdb remove-node /var/lib/dragonboat/nodehost --cluster 102 --node 3 --dry-run',
    'logdb remove-node /var/lib/dragonboat/nodehost -c 102 -n 3',
    'logdb remove-node /var/lib/dragonboat/nodehost -c 102 -n 3 --yes --output json',
  ],
  async run(ctx) {
    const { clusterId: c, nodeId: n } = parseNodeArgs(ctx);
    await runWrite(ctx, {
      shards: (reader) => [reader.shardOf(c)],
      async plan(reader) {
        await requireNode(reader, c, n);
        const dir = reader.layout.deploymentDir ? planNodeDirRemoval(nodeSnapshotDir(reader.layout.deploymentDir, c, n)) : undefined;
        return planRemoveNode(reader, c, n, dir?.exists ? dir.nodeDir : undefined, dir?.remove ?? []);
      },
      question: () => `Remove node ${n} of cluster ${c} — its state, bootstrap, snapshot records, entries and snapshot files?`,
      backupDirs: snapshotDirOf,
      async afterBatch(plan, writer) {
        await markRemoved(plan, writer.layout);
      },
      tan: {
        async plan(reader) {
          await requireNode(reader, c, n);
          const dir = reader.layout.deploymentDir ? planNodeDirRemoval(nodeSnapshotDir(reader.layout.deploymentDir, c, n)) : undefined;
          const files: FileStep[] = dir?.exists ? [{ step: 'writeFlagFile', path: `${dir.nodeDir}/DELETED.dragonboat`, when: 'after' }, ...dir.remove.map((d): FileStep => ({ step: 'removeDir', path: d, when: 'after' }))] : [];
          return { command: 'remove-node', clusterId: c, nodeId: n, shards: [], files, notes: [], tan: planTanRemove(reader, c, n) };
        },
        question: () => `Remove node ${n} of cluster ${c} — its bootstrap file, its tan logs and its snapshot files?`,
        backupDirs: (plan) => snapshotDirOf(plan),
        async afterApply(plan) {
          await markRemoved(plan, layoutOf(ctx));
        },
      },
    });
  },
});
