/**
 * What every read command asks of a LogDB, whatever stores it: Dragonboat's ILogDB read operations (ListNodeInfo,
 * GetBootstrapInfo, ReadRaftState, IterateEntries, GetSnapshot) plus the few views logdb adds. Two backends
 * implement it: LogDBReader (reader.ts, the key/value LogDBs of v3 and v4's sharded-pebble) and TanReader
 * (src/tan/reader.ts, v4's tan). `kind` tells them apart for the commands whose output is backend-specific
 * (info, check, stats).
 */
import type { Entry } from '../codec/colfer.js';
import type { EntryColumns } from '../codec/entry-columns.js';
import type { Bootstrap, Snapshot, State } from '../codec/messages.js';
import type { Layout } from './layout.js';

export interface NodeRef {
  clusterId: bigint;
  nodeId: bigint;
  shard: number;
}

export interface RaftState {
  /** null when the node has no State record (Dragonboat's ErrNoSavedLog) */
  state: State | null;
  firstIndex: bigint;
  entryCount: bigint;
}

export interface LogReader {
  readonly kind: 'kv' | 'tan';
  readonly layout: Layout;
  close(): Promise<void>;
  /** the LogDB shard Dragonboat reports for a cluster */
  shardOf(clusterId: bigint): number;
  /** ListNodeInfo, in its order, in groups a caller can finish one at a time (a KV shard each) */
  nodeGroups(): AsyncIterable<NodeRef[]>;
  listNodeInfo(): Promise<NodeRef[]>;
  getBootstrap(c: bigint, n: bigint): Promise<Bootstrap | undefined>;
  getState(c: bigint, n: bigint): Promise<State | undefined>;
  /** the last index of the node's log as the backend stores it; undefined when it has none */
  getMaxIndex(c: bigint, n: bigint): Promise<bigint | undefined>;
  /** the node's snapshot records, oldest first */
  listSnapshots(c: bigint, n: bigint): Promise<Snapshot[]>;
  newestSnapshotIndex(c: bigint, n: bigint): Promise<bigint>;
  readRaftState(c: bigint, n: bigint, snapshotIndex: bigint): Promise<RaftState>;
  /** IterateEntries without a size limit: [low, high), contiguous */
  iterateEntries(c: bigint, n: bigint, low: bigint, high: bigint): AsyncIterable<Entry[]>;
  /** every stored entry in [low, high), gaps and all */
  storedEntries(c: bigint, n: bigint, low: bigint, high: bigint): AsyncIterable<Entry[]>;
  nodeExists(c: bigint, n: bigint): Promise<boolean>;
  /**
   * iterateEntries (`contiguous`) or storedEntries as EntryColumns, for printing many entries without an object
   * each; undefined where the backend cannot hand them out that way: use those two instead
   */
  entryColumns(c: bigint, n: bigint, low: bigint, high: bigint, contiguous: boolean): Promise<AsyncIterable<EntryColumns> | undefined>;
}
