/**
 * Planning the way back from quorum loss (Dragonboat's tools.ImportSnapshot, spec §10.2–10.3), from the facts of
 * the surviving replicas (facts.ts). It decides and explains; it changes nothing.
 *
 *   1. Membership: the newest one any replica given knows (highest applied config change index). Voters are full
 *      members and witnesses; quorum = ⌊voters/2⌋ + 1. If the surviving voters reach it: nothing to do.
 *   2. The replica to rebuild from, by Raft's own election rule (Raft paper §5.4.1, "more up-to-date log"):
 *      the highest last-entry term, then the highest last index; ties go to the higher commit index, then the
 *      lower node ID. Only full members can be the source: a witness holds no state machine data, and
 *      ImportSnapshot refuses to make an observer or witness of the exported membership a regular member.
 *   3. What is lost: per other replica, the entries it holds above the chosen one's last index (and how many of
 *      those it had committed); the chosen replica's own entries above its commit index (the exported snapshot
 *      holds the state applied up to the commit index); and whatever replicas that gave no facts hold.
 *   4. The steps: export a snapshot on the chosen host (NodeHost.SyncRequestSnapshot with Exported: true), stop
 *      the NodeHosts, copy the export, run `logdb import-snapshot` on each host with the new member map (the
 *      surviving full members, at their addresses in the exported membership), restart.
 */
import { stateMachineTypeName } from '../codec/enums.js';
import { usageError } from '../errors.js';
import { snapshotDirName } from '../snapshot/paths.js';
import type { HostFacts, NodeFacts, NodeHostFacts } from './facts.js';
import { addressOf, compareIds, quorumOf, roleOf, voters, type MembershipState } from './membership.js';

export interface Candidate {
  host: NodeHostFacts;
  node: NodeFacts;
}

export interface RankedCandidate extends Candidate {
  role: ReturnType<typeof roleOf>;
  /** can the cluster be rebuilt from it (a full member) */
  eligible: boolean;
  /** why it ranks above the next one */
  reason: string | null;
}

export interface Loss {
  nodeId: bigint;
  survivor: boolean;
  lastIndex: bigint;
  commit: bigint;
  /** entries it holds above the chosen replica's last index */
  from: bigint;
  to: bigint;
  count: bigint;
  /** how many of those it had committed */
  committed: bigint;
}

export interface Step {
  title: string;
  /** where to run it: a host description, or null for "anywhere" */
  host: string | null;
  kind: 'go' | 'shell' | 'note';
  lines: string[];
}

export interface RecoveryPlan {
  clusterId: bigint;
  /** the node whose facts hold the newest membership */
  membershipFrom: bigint;
  membership: MembershipState;
  voters: bigint[];
  quorum: number;
  survivors: bigint[];
  survivingVoters: bigint[];
  /** voters of which no facts were given at all */
  votersWithoutFacts: bigint[];
  hasQuorum: boolean;
  ranking: RankedCandidate[];
  rebuildFrom: RankedCandidate | null;
  why: string[];
  losses: Loss[];
  /** the chosen replica's entries above its commit index, not in an exported snapshot */
  uncommittedTail: { from: bigint; to: bigint } | null;
  newMembers: Map<bigint, string>;
  /** survivors left out of the new membership, and why */
  excluded: { nodeId: bigint; role: string; reason: string }[];
  expectedSnapshotIndex: bigint | null;
  exportPath: string | null;
  warnings: string[];
  steps: Step[];
}

export interface PlanOptions {
  clusterId: bigint;
  /** the replicas that count as survivors; all of them when undefined */
  nodes?: bigint[];
  /** where the chosen host writes the export; default: `export` beside its NodeHost dir */
  exportDir?: string;
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const commitOf = (n: NodeFacts) => n.state?.commit ?? 0n;

/** Raft's rule, then the tie-breaks: negative when `a` ranks first. */
export function compareCandidates(a: NodeFacts, b: NodeFacts): number {
  const ta = a.lastTerm ?? -1n;
  const tb = b.lastTerm ?? -1n;
  if (ta !== tb) return ta > tb ? -1 : 1;
  if (a.lastIndex !== b.lastIndex) return a.lastIndex > b.lastIndex ? -1 : 1;
  if (commitOf(a) !== commitOf(b)) return commitOf(a) > commitOf(b) ? -1 : 1;
  return compareIds(a.nodeId, b.nodeId);
}

function rankReason(a: NodeFacts, b: NodeFacts): string {
  const ta = a.lastTerm ?? -1n;
  const tb = b.lastTerm ?? -1n;
  if (ta !== tb) return `last term ${a.lastTerm ?? '?'} > ${b.lastTerm ?? '?'} of node ${b.nodeId}`;
  if (a.lastIndex !== b.lastIndex) return `same last term ${ta}, last index ${a.lastIndex} > ${b.lastIndex} of node ${b.nodeId}`;
  if (commitOf(a) !== commitOf(b)) return `same last term ${ta} and last index ${a.lastIndex}, commit ${commitOf(a)} > ${commitOf(b)} of node ${b.nodeId}`;
  return `same last term, last index and commit as node ${b.nodeId}, lower node ID`;
}

/** Joins the facts of several hosts into the replicas of one cluster; a node ID given twice is refused. */
export function replicasOf(facts: HostFacts[], clusterId: bigint): Candidate[] {
  const byNode = new Map<bigint, Candidate>();
  for (const host of facts) {
    for (const node of host.nodes) {
      if (node.clusterId !== clusterId) continue;
      const seen = byNode.get(node.nodeId);
      if (seen) {
        throw usageError(`node ${node.nodeId} of cluster ${clusterId} appears twice: in ${seen.host.dir} and in ${host.nodeHost.dir}`, 'give each replica once (limit a NodeHost to some nodes with `logdb collect DIR --cluster C --node N`)');
      }
      byNode.set(node.nodeId, { host: host.nodeHost, node });
    }
  }
  return [...byNode.values()].sort((a, b) => compareIds(a.node.nodeId, b.node.nodeId));
}

export function hostLabel(h: NodeHostFacts): string {
  const name = h.hostname ?? 'unknown host';
  return h.address ? `${name} (${h.address})` : name;
}

export function planRecovery(all: Candidate[], options: PlanOptions): RecoveryPlan {
  const c = options.clusterId;
  const survivorsC = options.nodes ? all.filter((r) => options.nodes!.includes(r.node.nodeId)) : all;
  // the newest membership any replica knows: the highest applied config change index
  const newest = all.reduce((best, r) => (r.node.membership.configChangeId > best.node.membership.configChangeId ? r : best), all[0]);
  const membership = newest.node.membership;
  const voterIds = voters(membership);
  const quorum = quorumOf(voterIds.length);
  const survivors = survivorsC.map((r) => r.node.nodeId);
  const survivingVoters = voterIds.filter((v) => survivors.includes(v));
  const known = new Set(all.map((r) => r.node.nodeId));
  const hasQuorum = voterIds.length > 0 && survivingVoters.length >= quorum;
  const warnings: string[] = [];

  const sorted = [...survivorsC].sort((a, b) => compareCandidates(a.node, b.node));
  const ranking: RankedCandidate[] = sorted.map((r, i) => {
    const role = roleOf(membership, r.node.nodeId);
    return { ...r, role, eligible: role === 'voter', reason: i + 1 < sorted.length ? rankReason(r.node, sorted[i + 1].node) : null };
  });

  const plan: RecoveryPlan = {
    clusterId: c,
    membershipFrom: newest.node.nodeId,
    membership,
    voters: voterIds,
    quorum,
    survivors,
    survivingVoters,
    votersWithoutFacts: voterIds.filter((v) => !known.has(v)),
    hasQuorum,
    ranking,
    rebuildFrom: null,
    why: [],
    losses: [],
    uncommittedTail: null,
    newMembers: new Map(),
    excluded: [],
    expectedSnapshotIndex: null,
    exportPath: null,
    warnings,
    steps: [],
  };
  for (const r of all) {
    if (r.node.readTo !== null && r.node.readTo !== r.node.lastIndex) {
      warnings.push(`node ${r.node.nodeId}'s log stops at ${r.node.readTo}, below its last index ${r.node.lastIndex} (a gap: run \`logdb check\` on ${r.host.dir})`);
    }
  }
  if (hasQuorum) return plan;

  const chosen = ranking.find((r) => r.eligible) ?? null;
  if (!chosen) {
    warnings.push(
      survivorsC.length
        ? `no surviving replica is a full member of cluster ${c} (witnesses hold no data, observers cannot be imported as members): there is nothing to rebuild from`
        : `no surviving replica of cluster ${c} was given`,
    );
    return plan;
  }
  plan.rebuildFrom = chosen;
  plan.why = whyChosen(chosen, ranking);
  const chosenNode = chosen.node;
  const chosenCommit = commitOf(chosenNode);

  for (const r of all) {
    if (r === chosen || r.node.nodeId === chosenNode.nodeId) continue;
    const n = r.node;
    if (n.lastIndex > chosenNode.lastIndex) {
      const from = chosenNode.lastIndex + 1n;
      const commit = commitOf(n);
      const committed = commit >= from ? (commit < n.lastIndex ? commit : n.lastIndex) - from + 1n : 0n;
      plan.losses.push({ nodeId: n.nodeId, survivor: survivors.includes(n.nodeId), lastIndex: n.lastIndex, commit, from, to: n.lastIndex, count: n.lastIndex - from + 1n, committed });
    }
    if ((n.lastTerm ?? 0n) > (chosenNode.lastTerm ?? 0n)) {
      warnings.push(`node ${n.nodeId} has a later last term (${n.lastTerm}) than node ${chosenNode.nodeId} (${chosenNode.lastTerm}): if their logs part at or below ${chosenNode.lastIndex}, node ${n.nodeId}'s entries from there are lost too (\`logdb diff\` on copies of both finds the index)`);
    }
  }
  if (chosenNode.lastIndex > chosenCommit) plan.uncommittedTail = { from: chosenCommit + 1n, to: chosenNode.lastIndex };
  const missing = voterIds.filter((v) => !survivors.includes(v));
  if (missing.length) {
    warnings.push(
      `entries above ${chosenNode.lastIndex} held by the missing replicas (node ${missing.join(', node ')}) may be lost${plan.votersWithoutFacts.length ? `; no facts were given for node ${plan.votersWithoutFacts.join(', node ')}` : ''}`,
    );
  }
  const topCommit = all.reduce((m, r) => max(m, commitOf(r.node)), 0n);
  if (topCommit > chosenCommit) {
    warnings.push(`entries ${chosenCommit + 1n}..${topCommit} were committed on another replica but are not in the snapshot of node ${chosenNode.nodeId}: acknowledged writes are lost`);
  }

  // the new member map: surviving full members, at their addresses in the exported (chosen) membership
  const exported = chosenNode.membership;
  for (const r of ranking) {
    const id = r.node.nodeId;
    const role = roleOf(exported, id);
    if (role === 'voter') plan.newMembers.set(id, exported.addresses.get(id)!);
    else {
      const reason =
        role === 'witness'
          ? 'a witness holds no state machine data, and import-snapshot refuses to add a witness as a regular node; add a new witness after the restart'
          : role === 'observer'
            ? 'import-snapshot refuses to add an observer as a regular node; add it back as a new observer after the restart'
            : role === 'removed'
              ? 'it was removed from the cluster'
              : `node ${chosenNode.nodeId}'s membership does not know it`;
      plan.excluded.push({ nodeId: id, role, reason });
    }
  }
  plan.newMembers = new Map([...plan.newMembers].sort((a, b) => compareIds(a[0], b[0])));
  for (const [id, addr] of plan.newMembers) {
    const host = ranking.find((r) => r.node.nodeId === id)!.host;
    if (host.address !== null && host.address !== addr) {
      warnings.push(
        `node ${id}'s address in the membership is ${addr}, but its NodeHost's RaftAddress (dragonboat.ds in ${host.dir}) is ${host.address}: import-snapshot checks that they are equal and will refuse (exit 10); run it on the NodeHost that serves ${addr}`,
      );
    }
  }

  plan.expectedSnapshotIndex = max(chosenCommit, chosenNode.snapshotIndex);
  const exportDir = options.exportDir ?? joinPath(parentOf(chosen.host.dir), 'export');
  plan.exportPath = joinPath(exportDir, snapshotDirName(plan.expectedSnapshotIndex));
  plan.steps = steps(plan, chosen, exportDir);
  return plan;
}

function whyChosen(chosen: RankedCandidate, ranking: RankedCandidate[]): string[] {
  const why: string[] = [];
  const n = chosen.node;
  why.push(`node ${n.nodeId} has the most up-to-date log among the surviving full members: last term ${n.lastTerm ?? '?'}, last index ${n.lastIndex}, commit ${commitOf(n)}`);
  for (const other of ranking) {
    if (other === chosen) continue;
    if (!other.eligible) why.push(`node ${other.node.nodeId} is not a candidate: it is ${other.role === 'witness' ? 'a witness (no state machine data)' : other.role === 'observer' ? 'an observer' : `${other.role} in the membership`}`);
    else why.push(`over node ${other.node.nodeId}: ${rankReason(n, other.node).replace(/ of node \d+$/, '')}`);
  }
  return why;
}

const SAFE = /^[A-Za-z0-9_./:=,@%+-]+$/;
export const shellQuote = (s: string) => (SAFE.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
/** The member map in double quotes, as import-snapshot's own help writes it, unless the shell would expand it. */
const quoteMembers = (s: string) => (/^[^"$`\\!]*$/.test(s) ? `"${s}"` : shellQuote(s));
const parentOf = (p: string) => p.replace(/\/+$/, '').replace(/\/[^/]*$/, '') || '/';
const joinPath = (a: string, b: string) => `${a.replace(/\/+$/, '')}/${b}`;

const START_CALL: Record<string, string> = {
  RegularStateMachine: 'StartCluster',
  ConcurrentStateMachine: 'StartConcurrentCluster',
  OnDiskStateMachine: 'StartOnDiskCluster',
};

function steps(plan: RecoveryPlan, chosen: RankedCandidate, exportDir: string): Step[] {
  const c = plan.clusterId;
  const idx = plan.expectedSnapshotIndex!;
  const members = [...plan.newMembers].map(([id, addr]) => `${id}=${addr}`).join(',');
  const targets = plan.ranking.filter((r) => plan.newMembers.has(r.node.nodeId));
  const out: Step[] = [];
  out.push({
    title: `Export a snapshot of cluster ${c} from node ${chosen.node.nodeId} (its NodeHost running, the cluster started; no quorum is needed to export)`,
    host: hostLabel(chosen.host),
    kind: 'go',
    lines: [
      'ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)',
      'defer cancel()',
      `opt := dragonboat.SnapshotOption{Exported: true, ExportPath: ${JSON.stringify(exportDir)}}`,
      `index, err := nh.SyncRequestSnapshot(ctx, ${c}, opt)`,
      `// expect index ${idx} (its commit index): the export is ${plan.exportPath}`,
      `// if index differs, use ${joinPath(exportDir, 'snapshot-<index as %016X>')} below`,
    ],
  });
  out.push({
    title: `Stop the NodeHost on every host of cluster ${c} (import-snapshot refuses while a NodeHost holds the directory)`,
    host: null,
    kind: 'note',
    lines: [...new Set(plan.ranking.map((r) => hostLabel(r.host)))].map((h) => `stop the NodeHost on ${h}`),
  });
  const copies = targets.filter((t) => t.host.hostname !== chosen.host.hostname || t.host.hostname === null);
  out.push({
    title: 'Copy the exported snapshot to the same path on each host',
    host: hostLabel(chosen.host),
    kind: copies.length ? 'shell' : 'note',
    lines: copies.length
      ? [...new Set(copies.map((t) => t.host.hostname ?? t.host.address ?? 'HOST'))].flatMap((host) => [
          `ssh ${shellQuote(host)} mkdir -p ${shellQuote(shellQuote(exportDir))}`,
          `rsync -a ${shellQuote(plan.exportPath! + '/')} ${shellQuote(`${host}:${plan.exportPath}/`)}`,
        ])
      : ['every replica of the new membership is on this host: nothing to copy'],
  });
  for (const t of targets) {
    const wal = t.host.walDir ? ` --wal-dir ${shellQuote(t.host.walDir)}` : '';
    const base = `logdb import-snapshot ${shellQuote(t.host.dir)}${wal} --snapshot ${shellQuote(plan.exportPath!)} --node ${t.node.nodeId} --members ${quoteMembers(members)}`;
    out.push({
      title: `Import it as node ${t.node.nodeId} (check with --dry-run, then apply)`,
      host: hostLabel(t.host),
      kind: 'shell',
      lines: [`${base} --dry-run`, `${base} --yes`],
    });
  }
  const type = stateMachineTypeName(chosen.node.bootstrap?.type ?? 0);
  const call = START_CALL[type] ?? 'StartCluster';
  out.push({
    title: `Restart: start each NodeHost, then cluster ${c} with an empty initial member map (the imported bootstrap record says join; a non-empty map is refused)`,
    host: null,
    kind: 'go',
    lines: targets.map((t) => `nh.${call}(nil, false, createStateMachine, config.Config{ClusterID: ${c}, NodeID: ${t.node.nodeId}, /* the rest as before */}) // on ${hostLabel(t.host)}`),
  });
  const after: string[] = [];
  const gone = plan.voters.filter((v) => !plan.newMembers.has(v));
  if (gone.length) after.push(`node ${gone.join(', node ')} ${gone.length === 1 ? 'is' : 'are'} now marked removed: never start ${gone.length === 1 ? 'it' : 'them'} again with the old data (NodeHost.RemoveData, or wipe the dir)`);
  for (const e of plan.excluded) after.push(`node ${e.nodeId} (${e.role}): ${e.reason}`);
  const lostObservers = [...plan.membership.observers.keys()].filter((id) => !plan.newMembers.has(id));
  if (lostObservers.length) after.push(`observer${lostObservers.length > 1 ? 's' : ''} ${lostObservers.join(', ')} ${lostObservers.length > 1 ? 'are' : 'is'} not in the new membership: add replacements with new node IDs (SyncRequestAddObserver)`);
  after.push(`restore fault tolerance: add full members with new node IDs (SyncRequestAddNode) until cluster ${c} has its old size again`);
  after.push(`verify: the cluster elects a leader, and \`logdb diff\` on copies of the new members' dirs finds them consistent`);
  out.push({ title: 'Afterwards', host: null, kind: 'note', lines: after });
  return out;
}
