/** logdb remove-node DIR --cluster C --node N — delete every record of one node, as NodeHost.RemoveData does. */
import { defineCommand } from '../cli/command.js';
import { NODE_OPTIONS, parseNodeArgs, requireNode } from '../cli/node-args.js';
import { runWrite } from '../cli/write-runner.js';
import { planRemoveNode } from '../logdb/write/remove-node.js';
import { deletedMarkerFormat, planNodeDirRemoval, removeNodeSnapshotDir } from '../snapshot/node-dir.js';
import { nodeSnapshotDir } from '../snapshot/paths.js';

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
      backupDirs: (plan) => plan.files.filter((f) => f.step === 'writeFlagFile').map((f) => (f as { path: string }).path.replace(/\/DELETED\.dragonboat$/, '')),
      async afterBatch(plan, writer) {
        const flag = plan.files.find((f) => f.step === 'writeFlagFile');
        if (!flag) return;
        const dir = flag.path.replace(/\/DELETED\.dragonboat$/, '');
        await removeNodeSnapshotDir(dir, deletedMarkerFormat(writer.layout.dataStatus));
      },
    });
  },
});
