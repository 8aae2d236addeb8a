/**
 * What one pass over a shard learns about each node it holds: which of its records exist, what they decode to,
 * and (after the entry sweep) a summary of its log. A node that lives in two shards (a `wrong-shard` case) has
 * one NodeRecords per shard, since Dragonboat only ever sees the one in the partitioner's shard.
 */
import type { Bootstrap, Snapshot, State } from '../../codec/messages.js';
import type { LogSummary } from './log-check.js';

export interface NodeRecords {
  clusterId: bigint;
  nodeId: bigint;
  shard: number;
  /** the record exists (non-empty value), whether or not it decodes */
  hasBootstrap: boolean;
  bootstrap: Bootstrap | null;
  hasState: boolean;
  state: State | null;
  hasMaxIndex: boolean;
  maxIndex: bigint | null;
  /** the index in the key of every snapshot record, ascending; the last is the one NodeHost reads from */
  snapshotIndexes: bigint[];
  /** the snapshot records that decode, by key index */
  snapshots: Map<bigint, Snapshot>;
  /** the entry records of the LogDB's mode, summarised by the entry sweep; null when there are none */
  log: LogSummary | null;
  /** entry records of the other mode (plain in a batched LogDB or the reverse) */
  foreignEntryRecords: number;
}

export function newestSnapshotIndex(node: NodeRecords): bigint {
  return node.snapshotIndexes.length ? node.snapshotIndexes[node.snapshotIndexes.length - 1] : 0n;
}

/** True when the node has any record besides entries. */
export function hasNodeRecords(node: NodeRecords): boolean {
  return node.hasBootstrap || node.hasState || node.hasMaxIndex || node.snapshotIndexes.length > 0;
}

/** The nodes of one LogDB, keyed by shard and (cluster, node). */
export class NodeTable {
  private readonly nodes = new Map<string, NodeRecords>();

  get(shard: number, clusterId: bigint, nodeId: bigint): NodeRecords {
    const id = `${shard}/${clusterId}/${nodeId}`;
    let node = this.nodes.get(id);
    if (!node) {
      node = {
        clusterId,
        nodeId,
        shard,
        hasBootstrap: false,
        bootstrap: null,
        hasState: false,
        state: null,
        hasMaxIndex: false,
        maxIndex: null,
        snapshotIndexes: [],
        snapshots: new Map(),
        log: null,
        foreignEntryRecords: 0,
      };
      this.nodes.set(id, node);
    }
    return node;
  }

  find(shard: number, clusterId: bigint, nodeId: bigint): NodeRecords | undefined {
    return this.nodes.get(`${shard}/${clusterId}/${nodeId}`);
  }

  /** Every node, in shard order then (cluster, node) order. */
  all(): NodeRecords[] {
    return [...this.nodes.values()].sort(
      (a, b) => a.shard - b.shard || (a.clusterId < b.clusterId ? -1 : a.clusterId > b.clusterId ? 1 : 0) || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0),
    );
  }

  /** The records of (cluster, node) that Dragonboat reads: the ones in the shard the partitioner names. */
  routed(clusterId: bigint, nodeId: bigint, shardOf: (c: bigint) => number | undefined): NodeRecords | undefined {
    const shard = shardOf(clusterId);
    if (shard !== undefined) return this.find(shard, clusterId, nodeId);
    return this.all().find((n) => n.clusterId === clusterId && n.nodeId === nodeId);
  }
}
