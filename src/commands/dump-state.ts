/** logdb dump-state DIR --cluster C --node N — everything Dragonboat knows about one node, except its entries. */
import { defineCommand } from '../cli/command.js';
import { stringifyJson } from '../cli/json.js';
import { NODE_OPTIONS, parseNodeArgs, requireNode } from '../cli/node-args.js';
import { withReader } from '../cli/open-reader.js';
import { out } from '../cli/stdout.js';
import { renderFields } from '../cli/table.js';
import { bootstrapSummary, nodeView } from '../cli/views/node.js';
import { summarizeNode } from '../logdb/node-summary.js';
import { snapshotRows } from './ls-snapshots.js';

export default defineCommand({
  name: 'dump-state',
  summary: "show one node's bootstrap record, hard state, log extent and snapshots",
  arguments: '<dir>',
  options: NODE_OPTIONS,
  examples: [
    'logdb dump-state /var/lib/dragonboat/nodehost --cluster 100 --node 1',
    'logdb dump-state /var/lib/dragonboat/nodehost -c 100 -n 1 --json | jq .state.commit',
  ],
  async run(ctx) {
    const { clusterId, nodeId } = parseNodeArgs(ctx);
    await withReader(ctx, async (reader) => {
      await requireNode(reader, clusterId, nodeId);
      const node = await summarizeNode(reader, clusterId, nodeId);
      if (ctx.format !== 'table') {
        out(stringifyJson(nodeView(node, true), ctx.format === 'json') + '\n');
        return;
      }
      const b = node.bootstrap;
      const fields: [string, string][] = [
        ['cluster', String(node.clusterId)],
        ['node', String(node.nodeId)],
        ['shard', `logdb-${node.shard}`],
        ['bootstrap', bootstrapSummary(b)],
      ];
      if (b) for (const [id, addr] of [...b.addresses].sort((x, y) => (x[0] < y[0] ? -1 : 1))) fields.push(['  member', `${id} ${addr}`]);
      fields.push(
        ['term', node.state ? String(node.state.term) : '- (no state record)'],
        ['vote', node.state ? String(node.state.vote) : '-'],
        ['commit', node.state ? String(node.state.commit) : '-'],
        ['first index', String(node.firstIndex)],
        ['last index', String(node.lastIndex)],
        ['entries', String(node.entryCount)],
        ['snapshot index', String(node.snapshotIndex)],
      );
      out(renderFields(fields));
      if (node.snapshots.length) out('\n' + snapshotRows(node.snapshots));
    });
  },
});
