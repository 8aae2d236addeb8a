/**
 * logdb recover-plan FILE|DIR… --cluster C [--node N…] — joins the facts of the surviving replicas (documents
 * from `logdb collect`, or NodeHost dirs read here) and says whether cluster C still has a quorum, and if not,
 * which replica to rebuild from, what is lost, and the exact commands for each host. It changes nothing.
 */
import { statSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { parseId } from '../cli/args.js';
import { defineCommand } from '../cli/command.js';
import { stringifyJson } from '../cli/json.js';
import { CLUSTER_OPTION, NODES_OPTION, parseNodeList, withSources } from '../cli/replica-args.js';
import { out } from '../cli/stdout.js';
import { planView, renderPlan } from '../cli/views/recovery-plan.js';
import { LogdbError, usageError } from '../errors.js';
import { collectFacts, factsFromJson, type HostFacts } from '../replicas/facts.js';
import { planRecovery, replicasOf } from '../replicas/recovery-plan.js';
import { noReplicas } from '../replicas/replica.js';

export default defineCommand({
  name: 'recover-plan',
  summary: 'after quorum loss: which replica to rebuild a cluster from, what is lost, and the import-snapshot command for each host',
  arguments: '<inputs...>',
  options: [
    CLUSTER_OPTION,
    { flags: '-n, --node <ids...>', description: 'only these node IDs count as survivors (default: every replica given)' },
    { flags: '--export-dir <dir>', description: 'where the chosen host exports the snapshot (default: "export" beside its NodeHost dir)' },
  ],
  examples: [
    'logdb recover-plan host1-cluster1.json host2-cluster1.json --cluster 1',
    'logdb recover-plan /var/lib/dragonboat/nodehost --cluster 1 --node 2 --node 3',
    'logdb recover-plan facts/*.json -c 1 --export-dir /var/lib/dragonboat/export --json | jq -r \'.steps[].lines[]\'',
  ],
  async run(ctx) {
    const clusterId = parseId(ctx.opts.cluster, 'cluster ID', '--cluster');
    const nodes = parseNodeList(ctx.opts.node);
    const inputs = ctx.args;
    const files = inputs.filter((p) => isFile(p));
    const dirs = inputs.filter((p) => !files.includes(p));
    const facts: HostFacts[] = files.map(readFacts);
    if (dirs.length) facts.push(...(await withSources(ctx, dirs, (sources) => Promise.all(sources.map((s) => collectFacts(s, clusterId))))));
    const replicas = replicasOf(facts, clusterId);
    if (!replicas.length) throw noReplicas(clusterId, undefined, inputs);
    if (nodes) {
      const unknown = nodes.filter((n) => !replicas.some((r) => r.node.nodeId === n));
      if (unknown.length) throw new LogdbError('notFound', `--node ${unknown.join(', ')}: no facts of ${unknown.length > 1 ? 'these nodes' : 'this node'} of cluster ${clusterId} in ${inputs.join(', ')}`, 'a survivor needs its facts: run `logdb collect` on its host');
    }
    const plan = planRecovery(replicas, { clusterId, nodes, exportDir: ctx.opts.exportDir });
    if (ctx.format === 'table') out(renderPlan(plan));
    else out(stringifyJson(planView(plan), ctx.format === 'json') + '\n');
  },
});

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false; // a missing path is reported by the directory reader, as for every command
  }
}

function readFacts(file: string): HostFacts {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw usageError(`${file} is not a \`logdb collect\` document: ${(err as Error).message.split('\n')[0]}`, 'create it with `logdb collect DIR --output json > FILE`');
  }
  return factsFromJson(doc, file);
}
