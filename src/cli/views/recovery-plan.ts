/** The JSON shape and the readable text of `logdb recover-plan` (README "Recovering from quorum loss"). */
import { membershipJson } from '../../replicas/facts.js';
import { hostLabel, type RecoveryPlan } from '../../replicas/recovery-plan.js';
import { stdoutColour } from '../colour.js';
import type { Json } from '../json.js';
import { renderTable } from '../table.js';

const s = (v: bigint | null | undefined) => (v === null || v === undefined ? null : v.toString());

export function actionOf(p: RecoveryPlan): 'none' | 'rebuild' | 'impossible' {
  if (p.hasQuorum) return 'none';
  return p.rebuildFrom ? 'rebuild' : 'impossible';
}

export function planView(p: RecoveryPlan): Json {
  return {
    clusterId: p.clusterId.toString(),
    action: actionOf(p),
    quorumPresent: p.hasQuorum,
    membership: { knownBy: p.membershipFrom.toString(), quorum: p.quorum, ...(membershipJson(p.membership) as { [k: string]: Json }) },
    survivors: p.survivors.map(String),
    survivingVoters: p.survivingVoters.map(String),
    votersWithoutFacts: p.votersWithoutFacts.map(String),
    ranking: p.ranking.map((r, i) => ({
      rank: i + 1,
      nodeId: r.node.nodeId.toString(),
      role: r.role,
      eligible: r.eligible,
      nodeHost: { dir: r.host.dir, address: r.host.address, hostname: r.host.hostname },
      lastTerm: s(r.node.lastTerm),
      lastIndex: r.node.lastIndex.toString(),
      commit: s(r.node.state?.commit ?? null),
      term: s(r.node.state?.term ?? null),
      firstIndex: r.node.firstIndex.toString(),
      snapshotIndex: r.node.snapshotIndex.toString(),
      reason: r.reason,
    })),
    rebuildFrom: p.rebuildFrom ? p.rebuildFrom.node.nodeId.toString() : null,
    why: p.why,
    losses: p.losses.map((l) => ({
      nodeId: l.nodeId.toString(),
      survivor: l.survivor,
      lastIndex: l.lastIndex.toString(),
      commit: l.commit.toString(),
      from: l.from.toString(),
      to: l.to.toString(),
      count: l.count.toString(),
      committed: l.committed.toString(),
    })),
    uncommittedTail: p.uncommittedTail ? { from: p.uncommittedTail.from.toString(), to: p.uncommittedTail.to.toString() } : null,
    newMembers: Object.fromEntries([...p.newMembers].map(([id, a]) => [id.toString(), a])),
    excluded: p.excluded.map((e) => ({ nodeId: e.nodeId.toString(), role: e.role, reason: e.reason })),
    expectedSnapshotIndex: s(p.expectedSnapshotIndex),
    exportPath: p.exportPath,
    warnings: p.warnings,
    steps: p.steps.map((st, i) => ({ step: i + 1, title: st.title, host: st.host, kind: st.kind, lines: st.lines })),
  };
}

const dash = (v: bigint | null | undefined) => (v === null || v === undefined ? '-' : v.toString());

export function renderPlan(p: RecoveryPlan): string {
  const b = stdoutColour.bold;
  const lines: string[] = [];
  const m = p.membership;
  const others = [
    m.observers.size ? `observer${m.observers.size > 1 ? 's' : ''} ${[...m.observers.keys()].join(', ')} (no vote)` : '',
    m.removed.size ? `removed ${[...m.removed].join(', ')}` : '',
  ].filter(Boolean);
  lines.push(b(`cluster ${p.clusterId}`));
  lines.push(
    `voting members: ${p.voters.join(', ') || 'none'}${m.witnesses.size ? ` (witness ${[...m.witnesses.keys()].join(', ')} votes)` : ''} — ${p.voters.length} voters, quorum ${p.quorum}` +
      `${others.length ? `; ${others.join('; ')}` : ''} (as node ${p.membershipFrom} applied it, config change ${m.configChangeId})`,
  );
  lines.push(`surviving voters: ${p.survivingVoters.join(', ') || 'none'} (${p.survivingVoters.length} of ${p.voters.length})`);
  lines.push('');
  lines.push(b('ranking') + ' (last term, then last index, then commit, then lower node ID):');
  lines.push(
    renderTable(
      [
        { header: '#', align: 'right' }, { header: 'NODE', align: 'right' }, { header: 'ROLE' }, { header: 'LAST TERM', align: 'right' },
        { header: 'LAST', align: 'right' }, { header: 'COMMIT', align: 'right' }, { header: 'HOST:NODEHOST DIR' }, { header: 'WHY ABOVE THE NEXT' },
      ],
      p.ranking.map((r, i) => [
        String(i + 1), String(r.node.nodeId), r.role, dash(r.node.lastTerm), String(r.node.lastIndex), dash(r.node.state?.commit),
        `${r.host.hostname ?? '?'}:${r.host.dir}`, r.reason ?? '',
      ]),
    ).trimEnd(),
  );
  lines.push('');
  if (p.hasQuorum) {
    lines.push(`${stdoutColour.green('quorum present')}: ${p.survivingVoters.length} of ${p.voters.length} voters survive (quorum ${p.quorum}). Nothing to do: restart the missing replicas, or replace them with membership changes.`);
    for (const w of p.warnings) lines.push(`${stdoutColour.yellow('warning:')} ${w}`);
    return lines.join('\n') + '\n';
  }
  lines.push(`${stdoutColour.red.bold('quorum lost')}: ${p.survivingVoters.length} of ${p.voters.length} voters survive, ${p.quorum} are needed.`);
  if (!p.rebuildFrom) {
    for (const w of p.warnings) lines.push(`${stdoutColour.yellow('warning:')} ${w}`);
    return lines.join('\n') + '\n';
  }
  lines.push(`${b('rebuild from')} node ${p.rebuildFrom.node.nodeId} on ${hostLabel(p.rebuildFrom.host)}:`);
  for (const w of p.why) lines.push(`  - ${w}`);
  lines.push('');
  lines.push(b('what is lost:'));
  if (!p.losses.length && !p.uncommittedTail) lines.push('  - nothing any replica given holds above it');
  for (const l of p.losses) {
    lines.push(`  - node ${l.nodeId}${l.survivor ? '' : ' (not a survivor)'} holds ${l.count} entr${l.count === 1n ? 'y' : 'ies'} above ${l.from - 1n} (${l.from}..${l.to}), ${l.committed} of them committed (its commit is ${l.commit})`);
  }
  if (p.uncommittedTail) {
    lines.push(`  - node ${p.rebuildFrom.node.nodeId}'s own entries ${p.uncommittedTail.from}..${p.uncommittedTail.to} are above its commit index: the exported snapshot does not hold them`);
  }
  for (const w of p.warnings) lines.push(`${stdoutColour.yellow('warning:')} ${w}`);
  lines.push('');
  lines.push(`${b('new membership:')} ${[...p.newMembers].map(([id, a]) => `${id}=${a}`).join(', ')}`);
  lines.push('');
  lines.push(b('steps:'));
  p.steps.forEach((st, i) => {
    lines.push(`${i + 1}. ${st.title}${st.host ? ` — on ${st.host}` : ''}`);
    for (const l of st.lines) lines.push(st.kind === 'note' ? `     - ${l}` : `     ${st.kind === 'shell' ? '$ ' : ''}${l}`);
  });
  return lines.join('\n') + '\n';
}
