/**
 * logdb diff DIR [DIR…] --cluster C [--node N…] — the replicas of one cluster side by side: where their logs
 * part, and whether any difference breaks Raft's safety (exit 9, as `check`). One pass, constant memory; the
 * comparison lives in src/replicas/compare.ts.
 */
import { defineCommand } from '../cli/command.js';
import { parseId } from '../cli/args.js';
import { progress } from '../cli/progress.js';
import { stringifyJson } from '../cli/json.js';
import { CLUSTER_OPTION, NODES_OPTION, parseNodeList, withSources } from '../cli/replica-args.js';
import { warn } from '../cli/report-error.js';
import { out } from '../cli/stdout.js';
import { diffView, renderDiff } from '../cli/views/diff.js';
import { LogdbError } from '../errors.js';
import { compareReplicas } from '../replicas/compare.js';
import { findReplicas, noReplicas } from '../replicas/replica.js';

export default defineCommand({
  name: 'diff',
  summary: "compare the replicas of a cluster across NodeHost dirs: where the logs part, and any safety violation (exit 9)",
  arguments: '<dirs...>',
  options: [CLUSTER_OPTION, NODES_OPTION],
  examples: [
    'logdb diff /var/lib/dragonboat/nodehost --cluster 1',
    'logdb diff /copies/host1/nodehost /copies/host2/nodehost /copies/host3/nodehost -c 1',
    'logdb diff /copies/host1/nodehost /copies/host2/nodehost -c 1 --node 1 --json | jq .pairs',
  ],
  async run(ctx) {
    const dirs = ctx.args;
    const clusterId = parseId(ctx.opts.cluster, 'cluster ID', '--cluster');
    const nodes = parseNodeList(ctx.opts.node);
    const { text, json, violations } = await withSources(ctx, dirs, async (sources) => {
      const replicas = await findReplicas(sources, clusterId, nodes);
      if (!replicas.length) throw noReplicas(clusterId, nodes, dirs);
      for (const source of sources) {
        if (!replicas.some((r) => r.source === source)) warn(`${source.dir} holds no replica of cluster ${clusterId}${nodes ? ` (nodes ${nodes.join(', ')})` : ''}`);
      }
      if (replicas.length === 1) warn(`only one replica of cluster ${clusterId} found (${replicas[0].name}): nothing to compare it with`);
      const counter = progress(`comparing ${replicas.length} replicas`, ' entries read');
      const result = await compareReplicas(replicas, (entries) => counter.update(Number(entries)));
      counter.finish();
      for (const s of result.streams) {
        const sum = s.replica.summary;
        if (sum.entryCount > 0n && s.readTo !== sum.lastIndex) {
          warn(`${s.replica.name}: its log stops at ${s.readTo ?? sum.firstIndex - 1n}, before its last index ${sum.lastIndex} (a gap; run \`logdb check\`)`);
        }
      }
      return { text: ctx.format === 'table' ? renderDiff(clusterId, result) : '', json: diffView(clusterId, result), violations: result.violations };
    });
    if (ctx.format === 'table') out(text);
    else out(stringifyJson(json, ctx.format === 'json') + '\n');
    if (violations > 0) {
      throw new LogdbError('findings', `${violations} pair${violations === 1 ? '' : 's'} of replicas of cluster ${clusterId} break Raft's safety`, 'see the report above');
    }
  },
});
