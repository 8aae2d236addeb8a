/**
 * One node as an operator wants to see it: what ListNodeInfo, GetBootstrapInfo, ListSnapshots and ReadRaftState
 * (called the way NodeHost calls it, with the newest snapshot index) say about it.
 */
import type { Bootstrap, Snapshot, State } from '../codec/messages.js';
import type { LogReader, NodeRef } from './log-reader.js';

export interface NodeSummary {
  clusterId: bigint;
  nodeId: bigint;
  shard: number;
  bootstrap: Bootstrap | null;
  state: State | null;
  /** ReadRaftState's first index; with no entries, the newest snapshot index */
  firstIndex: bigint;
  /** the last index of the log: firstIndex + entryCount − 1, or the snapshot index when there are no entries */
  lastIndex: bigint;
  entryCount: bigint;
  /** the newest snapshot record's index, 0 when there is none */
  snapshotIndex: bigint;
  snapshots: Snapshot[];
}

export async function summarizeNode(reader: LogReader, c: bigint, n: bigint, shard = reader.shardOf(c)): Promise<NodeSummary> {
  const snapshots = await reader.listSnapshots(c, n);
  const snapshotIndex = snapshots.length ? snapshots[snapshots.length - 1].index : 0n;
  const raft = await reader.readRaftState(c, n, snapshotIndex);
  const bootstrap = await reader.getBootstrap(c, n);
  return {
    clusterId: c,
    nodeId: n,
    shard,
    bootstrap: bootstrap ?? null,
    state: raft.state,
    firstIndex: raft.firstIndex,
    lastIndex: raft.entryCount > 0n ? raft.firstIndex + raft.entryCount - 1n : raft.firstIndex,
    entryCount: raft.entryCount,
    snapshotIndex,
    snapshots,
  };
}

export function summarizeRef(reader: LogReader, ref: NodeRef): Promise<NodeSummary> {
  return summarizeNode(reader, ref.clusterId, ref.nodeId, ref.shard);
}
