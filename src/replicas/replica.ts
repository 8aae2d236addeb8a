/**
 * The replicas of one cluster across several NodeHost dirs: each dir opened read-only through the LogDB reader,
 * the cluster's nodes found with ListNodeInfo on the cluster's shard, and each summarized the way NodeHost reads
 * it (node-summary.ts), plus its last entry's term — Raft's "last term", what elections and recovery rank by.
 */
import { resolve } from 'node:path';
import { LogdbError } from '../errors.js';
import { discoverLayout, type Backend } from '../logdb/layout.js';
import { summarizeNode, type NodeSummary } from '../logdb/node-summary.js';
import { LogDBReader } from '../logdb/reader.js';

export interface ReplicaSource {
  /** the directory as given */
  dir: string;
  reader: LogDBReader;
}

export interface Replica {
  source: ReplicaSource;
  /** "node 2", or "node 2 (dir 3)" when the same node ID is found in more than one dir */
  name: string;
  nodeHostDir: string;
  /** the NodeHost's RaftAddress from dragonboat.ds; null when the input was not a NodeHost dir */
  address: string | null;
  hostname: string | null;
  backend: Backend;
  summary: NodeSummary;
  /** the term of the entry at lastIndex; with no entries, the newest snapshot's term (0 without one) */
  lastTerm: bigint | null;
}

/** Opens every dir (each once, by resolved path) for reading; close them with closeSources. */
export function openSources(dirs: string[], walDir: string | undefined): ReplicaSource[] {
  const seen = new Set<string>();
  const sources: ReplicaSource[] = [];
  try {
    for (const dir of dirs) {
      const key = resolve(dir);
      if (seen.has(key)) continue;
      seen.add(key);
      sources.push({ dir, reader: new LogDBReader(discoverLayout(dir, { walDir }), 'read') });
    }
  } catch (err) {
    void closeSources(sources);
    throw err;
  }
  return sources;
}



export async function closeSources(sources: ReplicaSource[]): Promise<void> {
  await Promise.allSettled(sources.map((s) => s.reader.close()));
}

/** Every replica of cluster `c` in the sources (only `nodes` when given), in dir order then node ID order. */
export async function findReplicas(sources: ReplicaSource[], c: bigint, nodes: bigint[] | undefined): Promise<Replica[]> {
  const found: Omit<Replica, 'name'>[] = [];
  for (const source of sources) {
    const reader = source.reader;
    const refs = (await reader.listNodeInfoIn(reader.shardOf(c))).filter((r) => r.clusterId === c && (!nodes || nodes.includes(r.nodeId)));
    refs.sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
    for (const ref of refs) {
      const summary = await summarizeNode(reader, c, ref.nodeId, ref.shard);
      const layout = reader.layout;
      found.push({
        source,
        nodeHostDir: resolve(layout.nodeHostDir ?? layout.deploymentDir ?? source.dir),
        address: layout.dataStatus?.address ?? null,
        hostname: layout.dataStatus?.hostname ?? layout.hostname ?? null,
        backend: layout.shards[0]?.backend ?? 'pebble',
        summary,
        lastTerm: await lastTermOf(reader, summary),
      });
    }
  }
  const counts = new Map<bigint, number>();
  for (const r of found) counts.set(r.summary.nodeId, (counts.get(r.summary.nodeId) ?? 0) + 1);
  return found.map((r) => ({
    ...r,
    name: (counts.get(r.summary.nodeId) ?? 0) > 1 ? `node ${r.summary.nodeId} (dir ${sources.indexOf(r.source) + 1})` : `node ${r.summary.nodeId}`,
  }));
}

/** Raft's lastTerm: the last entry's term, or the snapshot's when the log holds no entry above it. */
export async function lastTermOf(reader: LogDBReader, s: NodeSummary): Promise<bigint | null> {
  if (s.entryCount === 0n) return s.snapshots.length ? s.snapshots[s.snapshots.length - 1].term : 0n;
  for await (const chunk of reader.iterateEntries(s.clusterId, s.nodeId, s.lastIndex, s.lastIndex + 1n)) return chunk[0].term;
  return null; // the entry at lastIndex is missing: `logdb check` names the gap
}

export function noReplicas(c: bigint, nodes: bigint[] | undefined, dirs: string[]): LogdbError {
  const which = nodes ? `node${nodes.length > 1 ? 's' : ''} ${nodes.join(', ')} of cluster ${c}` : `cluster ${c}`;
  return new LogdbError('notFound', `no replica of ${which} in ${dirs.join(', ')}`, 'list the nodes with `logdb ls-nodes DIR`');
}
