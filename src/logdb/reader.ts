/**
 * Dragonboat's LogDB read operations (spec §8) over the shards of one NodeHost: ListNodeInfo, GetBootstrapInfo,
 * ReadRaftState, IterateEntries, ListSnapshots — with Dragonboat's exact semantics, never its panics: where
 * Dragonboat would panic, a LogdbError of kind 'corrupt' says what is wrong.
 */
import type { Entry } from '../codec/colfer.js';
import { FIELD_INDEX, type EntryColumns } from '../codec/entry-columns.js';
import {
  allBatchedEntriesRange,
  allPlainEntriesRange,
  bootstrapKey,
  bootstrapScanRange,
  decodeKey,
  maxIndexKey,
  snapshotRange,
  stateKey,
} from '../codec/keys.js';
import { decodeBootstrap, decodeSnapshot, decodeState, type Bootstrap, type Snapshot, type State } from '../codec/messages.js';
import { MAX_UINT64, readU64BE } from '../codec/uint64.js';
import { LogdbError } from '../errors.js';
import type { KeyRange, KVStore } from '../kv/kv.js';
import { batchedEntries } from './batched-entries.js';
import type { EntryMode, EntryStore } from './entry-store.js';
import type { Layout } from './layout.js';
import type { LogReader, NodeRef, RaftState } from './log-reader.js';
import { makePartitioner, type Partitioner } from './partition.js';
import { plainEntries } from './plain-entries.js';
import { ShardSet, translateStoreError } from './shards.js';

export type { NodeRef, RaftState } from './log-reader.js';

export interface EntryModeInfo {
  mode: EntryMode;
  /** shards holding plain (`01 01`) and batched (`07 07`) entry records */
  plainShards: number[];
  batchedShards: number[];
  /** both kinds present: Dragonboat refuses to start on this (§8.14) */
  mixed: boolean;
}

export class LogDBReader implements LogReader {
  readonly kind = 'kv' as const;
  readonly shards: ShardSet;
  readonly partitioner: Partitioner;
  readonly batchSize: bigint;
  private modeInfo: Promise<EntryModeInfo> | undefined;
  private readonly shardModes = new Map<number, EntryMode>();

  constructor(
    readonly layout: Layout,
    mode: 'read' | 'write' = 'read',
  ) {
    this.shards = new ShardSet(layout, mode);
    this.partitioner = makePartitioner(layout.dataStatus, layout.shardCount);
    this.batchSize = layout.dataStatus && layout.dataStatus.entryBatchSize > 0n ? layout.dataStatus.entryBatchSize : 48n;
  }

  close(): Promise<void> {
    return this.shards.closeAll();
  }

  /** The shard that holds a cluster; a single-shard input holds whatever it holds. */
  shardOf(clusterId: bigint): number {
    if (this.layout.kind === 'shard') return this.layout.shards[0].index;
    return this.partitioner.shardOf(clusterId);
  }

  storeFor(clusterId: bigint): Promise<KVStore> {
    return this.shards.store(this.shardOf(clusterId));
  }

  /**
   * Plain or batched, the way Dragonboat's default factory decides (§7.1): batched if any shard holds a `07 07`
   * key, plain if any holds `01 01`; an empty LogDB follows dragonboat.ds (bin_ver 210 = batched).
   */
  entryMode(): Promise<EntryModeInfo> {
    this.modeInfo ??= (async () => {
      const plainShards: number[] = [];
      const batchedShards: number[] = [];
      for (const shard of this.layout.shards) {
        const store = await this.shards.store(shard.index);
        if (await this.hasAny(store, allPlainEntriesRange(), shard.index)) plainShards.push(shard.index);
        if (await this.hasAny(store, allBatchedEntriesRange(), shard.index)) batchedShards.push(shard.index);
      }
      const statusSaysBatched = this.layout.dataStatus?.binVer === 210;
      let mode: EntryMode;
      if (batchedShards.length && !plainShards.length) mode = 'batched';
      else if (plainShards.length && !batchedShards.length) mode = 'plain';
      else mode = statusSaysBatched ? 'batched' : 'plain';
      return { mode, plainShards, batchedShards, mixed: plainShards.length > 0 && batchedShards.length > 0 };
    })();
    return this.modeInfo;
  }

  async entryStore(): Promise<EntryStore> {
    const { mode } = await this.entryMode();
    return mode === 'batched' ? batchedEntries(this.batchSize) : plainEntries;
  }

  /**
   * The entry format of one cluster's shard, looking only at that shard: a node's entries all live there, and
   * a command reading one node should not open every shard. Only a shard without any entry record falls back
   * to the LogDB-wide answer. (A LogDB mixing both formats across shards is one Dragonboat refuses to start;
   * `info` and `check` report it.)
   */
  async entryStoreFor(clusterId: bigint): Promise<EntryStore> {
    const shard = this.shardOf(clusterId);
    let mode = this.shardModes.get(shard);
    if (!mode) {
      const store = await this.shards.store(shard);
      if (await this.hasAny(store, allBatchedEntriesRange(), shard)) mode = 'batched';
      else if (await this.hasAny(store, allPlainEntriesRange(), shard)) mode = 'plain';
      else mode = (await this.entryMode()).mode;
      this.shardModes.set(shard, mode);
    }
    return mode === 'batched' ? batchedEntries(this.batchSize) : plainEntries;
  }

  /** ListNodeInfo (§8.2): every node with a Bootstrap record, shard order then key order. */
  async listNodeInfo(): Promise<NodeRef[]> {
    const nodes: NodeRef[] = [];
    for (const shard of this.layout.shards) nodes.push(...(await this.listNodeInfoIn(shard.index)));
    return nodes;
  }

  async *nodeGroups(): AsyncIterable<NodeRef[]> {
    for (const shard of this.layout.shards) yield await this.listNodeInfoIn(shard.index);
  }

  /** ListNodeInfo of one shard: a sweep can finish with a shard before it opens the next. */
  async listNodeInfoIn(shard: number): Promise<NodeRef[]> {
    const nodes: NodeRef[] = [];
    const store = await this.shards.store(shard);
    for await (const chunk of this.iterate(store, bootstrapScanRange(), shard)) {
      for (const { key } of chunk) {
        if (key.length !== 20) continue; // Dragonboat asserts 20-byte bootstrap keys; `logdb check` reports others
        const k = decodeKey(key);
        nodes.push({ clusterId: k.clusterId, nodeId: k.nodeId, shard });
      }
    }
    return nodes;
  }

  async getBootstrap(c: bigint, n: bigint): Promise<Bootstrap | undefined> {
    const value = await this.getValue(c, bootstrapKey(c, n));
    return value && this.decode(c, n, 'bootstrap', () => decodeBootstrap(value));
  }

  async getState(c: bigint, n: bigint): Promise<State | undefined> {
    const value = await this.getValue(c, stateKey(c, n));
    return value && this.decode(c, n, 'state', () => decodeState(value));
  }

  /** The max index record (§5.3): the highest index Dragonboat considers part of the log. */
  async getMaxIndex(c: bigint, n: bigint): Promise<bigint | undefined> {
    const value = await this.getValue(c, maxIndexKey(c, n));
    if (!value) return undefined;
    if (value.length !== 8) throw new LogdbError('corrupt', `cluster ${c} node ${n}: max index record is ${value.length} bytes, not 8`);
    return readU64BE(value);
  }

  /** ListSnapshots (§8.11): snapshot records with index in [0, upTo], ascending. */
  async listSnapshots(c: bigint, n: bigint, upTo: bigint = MAX_UINT64): Promise<Snapshot[]> {
    const store = await this.storeFor(c);
    const out: Snapshot[] = [];
    for await (const chunk of this.iterate(store, snapshotRange(c, n, upTo), this.shardOf(c))) {
      for (const { value } of chunk) if (value.length) out.push(this.decode(c, n, 'snapshot', () => decodeSnapshot(value)));
    }
    return out;
  }

  /** The index of the newest snapshot record, 0 when there is none — what NodeHost passes to ReadRaftState. */
  async newestSnapshotIndex(c: bigint, n: bigint): Promise<bigint> {
    const snapshots = await this.listSnapshots(c, n);
    return snapshots.length ? snapshots[snapshots.length - 1].index : 0n;
  }

  /** ReadRaftState (§8.6). */
  async readRaftState(c: bigint, n: bigint, snapshotIndex: bigint): Promise<RaftState> {
    const maxIndex = await this.getMaxIndex(c, n);
    let firstIndex = snapshotIndex;
    let entryCount = 0n;
    if (maxIndex !== undefined && maxIndex !== snapshotIndex) {
      const first = await this.firstStoredIndex(c, n, snapshotIndex, maxIndex);
      if (first === undefined) {
        if (maxIndex !== 0n) {
          throw new LogdbError(
            'corrupt',
            `cluster ${c} node ${n}: max index is ${maxIndex} but no entry is stored between ${snapshotIndex} and ${maxIndex} (Dragonboat would panic here)`,
            'run `logdb check` for details',
          );
        }
      } else {
        firstIndex = first;
        entryCount = maxIndex - first + 1n;
      }
    }
    const state = await this.getState(c, n);
    return { state: state ?? null, firstIndex, entryCount };
  }

  /** The first stored entry index in [low, high] (inclusive), if any. */
  async firstStoredIndex(c: bigint, n: bigint, low: bigint, high: bigint): Promise<bigint | undefined> {
    const entries = await this.entryStoreFor(c);
    const store = await this.storeFor(c);
    const end = high === MAX_UINT64 ? high : high + 1n;
    for await (const chunk of this.guard(entries.scan(store, c, n, low, end), c)) return chunk[0].index;
    return undefined;
  }

  /**
   * IterateEntries (§8.5) without a size limit: entries from `low` up to `high` (exclusive, clipped to the max
   * index + 1), contiguous, stopping at the first gap. A missing max index means no log at all.
   */
  async *iterateEntries(c: bigint, n: bigint, low: bigint, high: bigint): AsyncIterable<Entry[]> {
    const maxIndex = await this.getMaxIndex(c, n);
    if (maxIndex === undefined) return;
    const clipped = high > maxIndex + 1n ? maxIndex + 1n : high;
    let expected = low;
    for await (const chunk of this.storedEntries(c, n, low, clipped)) {
      let cut = chunk.length;
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i].index !== expected) {
          cut = i;
          break;
        }
        expected++;
      }
      if (cut > 0) yield cut === chunk.length ? chunk : chunk.slice(0, cut);
      if (cut < chunk.length) return;
    }
  }

  /**
   * iterateEntries (`contiguous`) or storedEntries as EntryColumns, for printing many entries without an object
   * each; undefined when the node's entry mode cannot hand them out that way (batched): use those two instead.
   * A chunk's columns are refilled for the next chunk: use each before asking for the next.
   */
  async entryColumns(c: bigint, n: bigint, low: bigint, high: bigint, contiguous: boolean): Promise<AsyncIterable<EntryColumns> | undefined> {
    const entries = await this.entryStoreFor(c);
    if (!entries.scanColumns) return undefined;
    const store = await this.storeFor(c);
    if (!contiguous) return this.guard(entries.scanColumns(store, c, n, low, high), c);
    const maxIndex = await this.getMaxIndex(c, n);
    if (maxIndex === undefined) return emptyColumns();
    const clipped = high > maxIndex + 1n ? maxIndex + 1n : high;
    return contiguousColumns(this.guard(entries.scanColumns(store, c, n, low, clipped), c), low);
  }

  /** Every stored entry with index in [low, high), gaps and all (for `dump-entries --all` and `check`). */
  async *storedEntries(c: bigint, n: bigint, low: bigint, high: bigint): AsyncIterable<Entry[]> {
    const entries = await this.entryStoreFor(c);
    const store = await this.storeFor(c);
    yield* this.guard(entries.scan(store, c, n, low, high), c);
  }

  /** True when the node has any record at all besides entries (bootstrap, state, max index, snapshot). */
  async nodeExists(c: bigint, n: bigint): Promise<boolean> {
    if (await this.getValue(c, bootstrapKey(c, n))) return true;
    if (await this.getValue(c, stateKey(c, n))) return true;
    if (await this.getValue(c, maxIndexKey(c, n))) return true;
    return (await this.listSnapshots(c, n)).length > 0;
  }

  private async getValue(c: bigint, key: Buffer): Promise<Buffer | undefined> {
    const shard = this.shardOf(c);
    const store = await this.shards.store(shard);
    let value: Buffer | undefined;
    try {
      value = await store.get(key);
    } catch (err) {
      throw translateStoreError(err, this.shards.location(shard));
    }
    // Dragonboat treats a zero-length value as missing (§8)
    return value && value.length ? value : undefined;
  }

  private async hasAny(store: KVStore, range: KeyRange, shard: number): Promise<boolean> {
    for await (const chunk of this.iterate(store, range, shard)) if (chunk.length) return true;
    return false;
  }

  private async *iterate(store: KVStore, range: KeyRange, shard: number) {
    try {
      yield* store.iterate(range);
    } catch (err) {
      throw translateStoreError(err, this.shards.location(shard));
    }
  }

  private async *guard<T>(source: AsyncIterable<T>, c: bigint): AsyncIterable<T> {
    try {
      yield* source;
    } catch (err) {
      throw translateStoreError(err, this.shards.location(this.shardOf(c)));
    }
  }

  private decode<T>(c: bigint, n: bigint, what: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw new LogdbError('corrupt', `cluster ${c} node ${n}: the ${what} record in logdb-${this.shardOf(c)} does not decode: ${(err as Error).message}`, 'run `logdb check` for details');
    }
  }
}

const TWO_53 = 2n ** 53n;

async function* emptyColumns(): AsyncIterable<EntryColumns> {}

/** The columns up to the first gap in the indexes, starting at `low` (iterateEntries' contiguity rule). */
async function* contiguousColumns(source: AsyncIterable<EntryColumns>, low: bigint): AsyncIterable<EntryColumns> {
  let expected = low;
  for await (const columns of source) {
    const total = columns.count;
    // compared as numbers while the indexes stay below 2^53, exactly as bigints above
    const asNumbers = expected + BigInt(total) < TWO_53;
    const first = Number(expected);
    let cut = 0;
    while (cut < total && (asNumbers ? columns.indexNumber(cut) === first + cut : columns.field(cut, FIELD_INDEX) === expected + BigInt(cut))) cut++;
    expected += BigInt(cut);
    if (cut > 0) {
      columns.truncate(cut);
      yield columns;
    }
    if (cut < total) return;
  }
}
