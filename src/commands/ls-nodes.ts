/** logdb ls-nodes DIR — every Raft node the NodeHost holds, with its hard state and log extent. */
import { defineCommand } from '../cli/command.js';
import { emitRecords } from '../cli/emit.js';
import { withReader } from '../cli/open-reader.js';
import { warn } from '../cli/report-error.js';
import { bootstrapSummary, nodeView } from '../cli/views/node.js';
import { LogdbError } from '../errors.js';
import { summarizeRef, type NodeSummary } from '../logdb/node-summary.js';

export default defineCommand({
  name: 'ls-nodes',
  summary: 'list every node (cluster, node) with its shard, hard state, log extent and snapshot',
  arguments: '<dir>',
  options: [],
  examples: [
    'logdb ls-nodes /var/lib/dragonboat/nodehost',
    'logdb ls-nodes /var/lib/dragonboat/nodehost --output ndjson | jq -r .clusterId',
    'logdb ls-nodes /data/nodehost --wal-dir /fast/wal',
  ],
  async run(ctx) {
    await withReader(ctx, async (reader) => {
      const nodes: NodeSummary[] = [];
      let failed: LogdbError | undefined;
      // group by group (a KV shard each), so each shard is opened once, in ListNodeInfo's order
      for await (const group of reader.nodeGroups()) {
        for (const ref of group) {
          try {
            nodes.push(await summarizeRef(reader, ref));
          } catch (err) {
            if (!(err instanceof LogdbError) || err.kind !== 'corrupt') throw err;
            warn(err.message);
            failed = err;
          }
        }
      }
      emitRecords(
        ctx.format,
        nodes.map((n) => nodeView(n)),
        [
          { header: 'CLUSTER', align: 'right' },
          { header: 'NODE', align: 'right' },
          { header: 'SHARD', align: 'right' },
          { header: 'TERM', align: 'right' },
          { header: 'VOTE', align: 'right' },
          { header: 'COMMIT', align: 'right' },
          { header: 'FIRST', align: 'right' },
          { header: 'LAST', align: 'right' },
          { header: 'ENTRIES', align: 'right' },
          { header: 'SNAPSHOT', align: 'right' },
          { header: 'BOOTSTRAP' },
        ],
        (i) => {
          const n = nodes[i];
          return [
            n.clusterId, n.nodeId, n.shard, n.state?.term ?? '-', n.state?.vote ?? '-', n.state?.commit ?? '-',
            n.firstIndex, n.lastIndex, n.entryCount, n.snapshotIndex,
          ].map(String).concat(bootstrapSummary(n.bootstrap));
        },
        'no nodes: this LogDB holds no bootstrap records',
      );
      if (failed) throw new LogdbError('corrupt', 'some nodes could not be read (see the warnings above)', 'run `logdb check` for details');
    });
  },
});
