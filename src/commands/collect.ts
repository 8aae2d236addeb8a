/**
 * logdb collect DIR [--cluster C] [--node N…] — on one host, the facts quorum-loss recovery needs, as one JSON
 * document (`--output json`) that `logdb recover-plan` joins with the other hosts' documents. Reads only.
 */
import { parseId } from '../cli/args.js';
import { defineCommand } from '../cli/command.js';
import { NODES_OPTION, parseNodeList, withSources } from '../cli/replica-args.js';
import { out } from '../cli/stdout.js';
import { renderTable } from '../cli/table.js';
import { collectFacts, factsToJson, type HostFacts } from '../replicas/facts.js';
import { voters } from '../replicas/membership.js';
import { noReplicas } from '../replicas/replica.js';

export default defineCommand({
  name: 'collect',
  summary: 'the facts quorum-loss recovery needs from this host (address, state, extent, last term, membership) as one JSON document',
  arguments: '<dir>',
  options: [{ flags: '-c, --cluster <id>', description: 'only this cluster ID (default: every cluster)' }, NODES_OPTION],
  examples: [
    'logdb collect /var/lib/dragonboat/nodehost --cluster 1 --output json > "$(hostname)-cluster1.json"',
    'logdb collect /var/lib/dragonboat/nodehost',
    'logdb collect /var/lib/dragonboat/nodehost -c 1 --json | jq \'.nodes[] | {nodeId, lastTerm, lastIndex}\'',
  ],
  async run(ctx) {
    const clusterId = ctx.opts.cluster === undefined ? undefined : parseId(ctx.opts.cluster, 'cluster ID', '--cluster');
    const nodes = parseNodeList(ctx.opts.node);
    const facts = await withSources(ctx, [ctx.args[0]], async ([source]) => collectFacts(source, clusterId, nodes));
    if (clusterId !== undefined && facts.nodes.length === 0) throw noReplicas(clusterId, nodes, [ctx.args[0]]);
    if (ctx.format === 'table') out(renderFacts(facts));
    else out(JSON.stringify(factsToJson(facts), null, ctx.format === 'json' ? 2 : undefined) + '\n');
  },
});

function renderFacts(f: HostFacts): string {
  const h = f.nodeHost;
  const head = `NodeHost ${h.dir} on ${h.hostname ?? '?'}, RaftAddress ${h.address ?? '?'} (${h.backend})\n\n`;
  if (!f.nodes.length) return head + 'no nodes\n';
  const rows = f.nodes.map((n) => {
    const m = n.membership;
    const extra = [
      m.observers.size ? `observers ${[...m.observers.keys()].join(',')}` : '',
      m.witnesses.size ? `witnesses ${[...m.witnesses.keys()].join(',')}` : '',
      n.pendingConfigChanges.length ? `${n.pendingConfigChanges.length} uncommitted config change(s)` : '',
    ].filter(Boolean);
    return [
      String(n.clusterId), String(n.nodeId), n.state ? String(n.state.term) : '-', n.state ? String(n.state.commit) : '-',
      String(n.firstIndex), String(n.lastIndex), n.lastTerm === null ? '?' : String(n.lastTerm), String(n.snapshotIndex),
      voters(m).join(',') || '-', extra.join('; '),
    ];
  });
  return head + renderTable(
    [
      { header: 'CLUSTER', align: 'right' }, { header: 'NODE', align: 'right' }, { header: 'TERM', align: 'right' },
      { header: 'COMMIT', align: 'right' }, { header: 'FIRST', align: 'right' }, { header: 'LAST', align: 'right' },
      { header: 'LAST TERM', align: 'right' }, { header: 'SNAPSHOT', align: 'right' }, { header: 'VOTERS' }, { header: 'ALSO KNOWN' },
    ],
    rows,
  );
}
