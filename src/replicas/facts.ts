/**
 * The facts quorum-loss recovery needs from one host, as one JSON document (`logdb collect`), so that facts from
 * several hosts can be joined anywhere (`logdb recover-plan`). Per NodeHost: its dir, RaftAddress and hostname
 * (dragonboat.ds); per node: hard state, log extent, last term, snapshot, bootstrap record and the membership it
 * last knows (membership.ts: bootstrap or newest snapshot + committed config changes), with the config changes
 * it holds above its commit index listed apart (appended, not applied).
 *
 * The document is versioned (`format`) and keeps uint64 as decimal strings; factsFromJson reads it back.
 */
import { resolve } from 'node:path';
import { configChangeTypeName, configChangeTypeByName, stateMachineTypeByName, stateMachineTypeName } from '../codec/enums.js';
import type { Bootstrap, State } from '../codec/messages.js';
import { parseUint64 } from '../codec/uint64.js';
import { LogdbError } from '../errors.js';
import { summarizeNode } from '../logdb/node-summary.js';
import { applyConfigChange, compareIds, configChangeOf, startingMembership, voters, type MembershipState } from './membership.js';
import { lastTermOf, type ReplicaSource } from './replica.js';

export const FACTS_FORMAT = 'logdb-recovery-facts/1';

export interface PendingConfigChange {
  index: bigint;
  term: bigint;
  type: number;
  nodeId: bigint;
  address: string;
}

export interface NodeFacts {
  clusterId: bigint;
  nodeId: bigint;
  state: State | null;
  firstIndex: bigint;
  lastIndex: bigint;
  entryCount: bigint;
  lastTerm: bigint | null;
  snapshotIndex: bigint;
  snapshotTerm: bigint;
  bootstrap: Bootstrap | null;
  membership: MembershipState;
  pendingConfigChanges: PendingConfigChange[];
  /** the last index the log could be read to (below lastIndex when it has a gap) */
  readTo: bigint | null;
}

export interface NodeHostFacts {
  dir: string;
  walDir: string | null;
  address: string | null;
  hostname: string | null;
  deploymentId: bigint | null;
  backend: string;
  logdbType: string | null;
}

export interface HostFacts {
  format: string;
  collectedAt: string;
  nodeHost: NodeHostFacts;
  nodes: NodeFacts[];
}

/** Reads the facts of every node of the NodeHost (or of one cluster, or of some of its nodes). */
export async function collectFacts(source: ReplicaSource, clusterId?: bigint, nodes?: bigint[]): Promise<HostFacts> {
  const reader = source.reader;
  const layout = reader.layout;
  const refs = clusterId === undefined ? await reader.listNodeInfo() : await reader.listNodeInfoIn(reader.shardOf(clusterId));
  const out: NodeFacts[] = [];
  for (const ref of refs) {
    if (clusterId !== undefined && ref.clusterId !== clusterId) continue;
    if (nodes && !nodes.includes(ref.nodeId)) continue;
    out.push(await nodeFacts(source, ref.clusterId, ref.nodeId, ref.shard));
  }
  out.sort((a, b) => compareIds(a.clusterId, b.clusterId) || compareIds(a.nodeId, b.nodeId));
  return {
    format: FACTS_FORMAT,
    collectedAt: new Date().toISOString(),
    nodeHost: {
      dir: resolve(layout.nodeHostDir ?? layout.deploymentDir ?? source.dir),
      walDir: layout.walDir ? resolve(layout.walDir) : null,
      address: layout.dataStatus?.address ?? null,
      hostname: layout.dataStatus?.hostname ?? layout.hostname ?? null,
      deploymentId: layout.dataStatus?.deploymentId ?? layout.deploymentId ?? null,
      backend: layout.shards[0]?.backend ?? 'unknown',
      logdbType: layout.dataStatus?.logdbType ?? null,
    },
    nodes: out,
  };
}

async function nodeFacts(source: ReplicaSource, c: bigint, n: bigint, shard: number): Promise<NodeFacts> {
  const reader = source.reader;
  const s = await summarizeNode(reader, c, n, shard);
  const newest = s.snapshots.length ? s.snapshots[s.snapshots.length - 1] : undefined;
  const membership = startingMembership(s.bootstrap, newest);
  const commit = s.state?.commit ?? 0n;
  const pending: PendingConfigChange[] = [];
  let readTo: bigint | null = null;
  if (s.entryCount > 0n) {
    // one pass over the log: committed config changes above the snapshot are applied, later ones listed
    for await (const chunk of reader.iterateEntries(c, n, s.firstIndex, s.lastIndex + 1n)) {
      for (const e of chunk) {
        readTo = e.index;
        if (e.index <= s.snapshotIndex) continue;
        if (e.index <= commit) applyConfigChange(membership, e);
        else {
          const cc = configChangeOf(e);
          if (cc) pending.push({ index: e.index, term: e.term, type: cc.type, nodeId: cc.nodeId, address: cc.address });
        }
      }
    }
  }
  return {
    clusterId: c,
    nodeId: n,
    state: s.state,
    firstIndex: s.firstIndex,
    lastIndex: s.lastIndex,
    entryCount: s.entryCount,
    lastTerm: await lastTermOf(reader, s),
    snapshotIndex: s.snapshotIndex,
    snapshotTerm: newest?.term ?? 0n,
    bootstrap: s.bootstrap,
    membership,
    pendingConfigChanges: pending,
    readTo,
  };
}

// ---- JSON --------------------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const dec = (v: bigint | null) => (v === null ? null : v.toString());
const mapJson = (m: Map<bigint, string>) => Object.fromEntries([...m].sort((a, b) => compareIds(a[0], b[0])).map(([k, v]) => [k.toString(), v]));

export function membershipJson(m: MembershipState): Obj {
  return {
    configChangeId: m.configChangeId.toString(),
    source: m.source,
    voters: voters(m).map(String),
    addresses: mapJson(m.addresses),
    observers: mapJson(m.observers),
    witnesses: mapJson(m.witnesses),
    removed: [...m.removed].sort(compareIds).map(String),
  };
}

export function factsToJson(f: HostFacts): Obj {
  return {
    format: f.format,
    collectedAt: f.collectedAt,
    nodeHost: { ...f.nodeHost, deploymentId: dec(f.nodeHost.deploymentId) },
    nodes: f.nodes.map((n) => ({
      clusterId: n.clusterId.toString(),
      nodeId: n.nodeId.toString(),
      state: n.state ? { term: n.state.term.toString(), vote: n.state.vote.toString(), commit: n.state.commit.toString() } : null,
      firstIndex: n.firstIndex.toString(),
      lastIndex: n.lastIndex.toString(),
      entryCount: n.entryCount.toString(),
      lastTerm: dec(n.lastTerm),
      snapshotIndex: n.snapshotIndex.toString(),
      snapshotTerm: n.snapshotTerm.toString(),
      bootstrap: n.bootstrap ? { addresses: mapJson(n.bootstrap.addresses), join: n.bootstrap.join, type: stateMachineTypeName(n.bootstrap.type) } : null,
      membership: membershipJson(n.membership),
      pendingConfigChanges: n.pendingConfigChanges.map((p) => ({
        index: p.index.toString(),
        term: p.term.toString(),
        type: configChangeTypeName(p.type),
        nodeId: p.nodeId.toString(),
        address: p.address,
      })),
      readTo: dec(n.readTo),
    })),
  };
}

/** Reads a `logdb collect` document back; anything else is a usage error naming the file and the field. */
export function factsFromJson(doc: unknown, file: string): HostFacts {
  const bad = (what: string) => new LogdbError('usage', `${file} is not a \`logdb collect\` document: ${what}`, 'create it with `logdb collect DIR --output json > FILE`');
  const obj = (v: unknown, what: string): Obj => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad(`${what} is not an object`);
    return v as Obj;
  };
  const u64 = (v: unknown, what: string): bigint => {
    if (typeof v !== 'string') throw bad(`${what} is not a decimal string`);
    try {
      return parseUint64(v, what);
    } catch {
      throw bad(`${what} "${v}" is not a uint64`);
    }
  };
  const u64OrNull = (v: unknown, what: string) => (v === null || v === undefined ? null : u64(v, what));
  const text = (v: unknown, what: string): string => {
    if (typeof v !== 'string') throw bad(`${what} is not a string`);
    return v;
  };
  const idMap = (v: unknown, what: string): Map<bigint, string> => {
    const m = new Map<bigint, string>();
    for (const [k, a] of Object.entries(obj(v ?? {}, what))) m.set(u64(k, `${what} key`), text(a, `${what}[${k}]`));
    return m;
  };
  const root = obj(doc, 'the document');
  if (root.format !== FACTS_FORMAT) throw bad(`format is ${JSON.stringify(root.format)}, expected "${FACTS_FORMAT}"`);
  const nh = obj(root.nodeHost, 'nodeHost');
  if (!Array.isArray(root.nodes)) throw bad('nodes is not a list');
  const nodes = root.nodes.map((raw, i): NodeFacts => {
    const n = obj(raw, `nodes[${i}]`);
    const where = `nodes[${i}]`;
    const st = n.state === null ? null : obj(n.state, `${where}.state`);
    const b = n.bootstrap === null || n.bootstrap === undefined ? null : obj(n.bootstrap, `${where}.bootstrap`);
    const m = obj(n.membership, `${where}.membership`);
    const source = m.source === 'snapshot' || m.source === 'bootstrap' || m.source === 'log' ? m.source : 'log';
    if (!Array.isArray(m.removed)) throw bad(`${where}.membership.removed is not a list`);
    const pendingRaw = n.pendingConfigChanges ?? [];
    if (!Array.isArray(pendingRaw)) throw bad(`${where}.pendingConfigChanges is not a list`);
    return {
      clusterId: u64(n.clusterId, `${where}.clusterId`),
      nodeId: u64(n.nodeId, `${where}.nodeId`),
      state: st ? { term: u64(st.term, `${where}.state.term`), vote: u64(st.vote, `${where}.state.vote`), commit: u64(st.commit, `${where}.state.commit`) } : null,
      firstIndex: u64(n.firstIndex, `${where}.firstIndex`),
      lastIndex: u64(n.lastIndex, `${where}.lastIndex`),
      entryCount: u64(n.entryCount, `${where}.entryCount`),
      lastTerm: u64OrNull(n.lastTerm, `${where}.lastTerm`),
      snapshotIndex: u64(n.snapshotIndex, `${where}.snapshotIndex`),
      snapshotTerm: u64(n.snapshotTerm ?? '0', `${where}.snapshotTerm`),
      bootstrap: b
        ? { addresses: idMap(b.addresses, `${where}.bootstrap.addresses`), join: b.join === true, type: stateMachineTypeByName(String(b.type ?? '')) ?? 0 }
        : null,
      membership: {
        configChangeId: u64(m.configChangeId, `${where}.membership.configChangeId`),
        source,
        addresses: idMap(m.addresses, `${where}.membership.addresses`),
        observers: idMap(m.observers, `${where}.membership.observers`),
        witnesses: idMap(m.witnesses, `${where}.membership.witnesses`),
        removed: new Set(m.removed.map((r, k) => u64(r, `${where}.membership.removed[${k}]`))),
      },
      pendingConfigChanges: pendingRaw.map((p, k) => {
        const o = obj(p, `${where}.pendingConfigChanges[${k}]`);
        return {
          index: u64(o.index, 'index'),
          term: u64(o.term, 'term'),
          type: configChangeTypeByName(String(o.type)) ?? -1,
          nodeId: u64(o.nodeId, 'nodeId'),
          address: String(o.address ?? ''),
        };
      }),
      readTo: u64OrNull(n.readTo, `${where}.readTo`),
    };
  });
  return {
    format: FACTS_FORMAT,
    collectedAt: typeof root.collectedAt === 'string' ? root.collectedAt : '',
    nodeHost: {
      dir: text(nh.dir, 'nodeHost.dir'),
      walDir: nh.walDir === null || nh.walDir === undefined ? null : text(nh.walDir, 'nodeHost.walDir'),
      address: nh.address === null || nh.address === undefined ? null : text(nh.address, 'nodeHost.address'),
      hostname: nh.hostname === null || nh.hostname === undefined ? null : text(nh.hostname, 'nodeHost.hostname'),
      deploymentId: u64OrNull(nh.deploymentId, 'nodeHost.deploymentId'),
      backend: typeof nh.backend === 'string' ? nh.backend : 'unknown',
      logdbType: typeof nh.logdbType === 'string' ? nh.logdbType : null,
    },
    nodes,
  };
}
