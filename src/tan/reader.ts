/**
 * Dragonboat v4's tan LogDB read the way tan's own ILogDB reads it (v4-format.md §6 "Semantics"; internal/tan
 * logdb.go, db.go), behind the same LogReader interface as the key/value LogDBs:
 *   - ListNodeInfo: the `tandb/bootstrap/BOOTSTRAP-<c>-<n>` files. A node without one was removed (RemoveNodeData
 *     deletes the file and writes no log record, so its old records are forgotten, not erased).
 *   - ReadRaftState(c, n, lastIndex): no State → ErrNoSavedLog; otherwise, when the entry lastIndex+1 is stored, the
 *     first index is lastIndex+1 (the KV LogDBs report lastIndex itself) and the count runs to the end of the
 *     contiguous entries. Compaction records are not consulted.
 *   - IterateEntries(low, high): nothing at or below the compaction point, nothing when `low` is not stored.
 *   - GetSnapshot: the record with the highest snapshot index (v4 keeps one).
 *   - A committed, unfinished logdb import (pending.ts) is read as finished: its pending BOOTSTRAP file is the
 *     node's bootstrap.
 * Nothing is written: files are only read, and the NodeHost's locks are not touched.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Entry } from '../codec/colfer.js';
import type { EntryColumns } from '../codec/entry-columns.js';
import { decodeBootstrap, type Bootstrap, type Snapshot, type State } from '../codec/messages.js';
import { MAX_UINT64 } from '../codec/uint64.js';
import { LogdbError } from '../errors.js';
import type { ChunkChecksum } from '../kv/pebble/record.js';
import type { Layout } from '../logdb/layout.js';
import type { LogReader, NodeRef, RaftState } from '../logdb/log-reader.js';
import { makePartitioner, type Partitioner } from '../logdb/partition.js';
import { listOrEmpty, isDirectory } from '../util/fs.js';
import { tanChunkChecksum } from './checksum.js';
import { BOOTSTRAP_DIR, bootstrapFile, nodeDir, parseBootstrapName } from './files.js';
import { loadNodeDb, queryRuns, runEntries, type NodeDb } from './node-db.js';
import { findPendingBootstraps, type PendingBootstrap } from './pending.js';
import { readSingleRecord, tanCorruption } from './record.js';

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** Replayed node dbs kept at once (each holds its live logs' bytes): a sweep over every node stays bounded. */
const KEPT_DBS = 4;

export class TanReader implements LogReader {
  readonly kind = 'tan' as const;
  readonly partitioner: Partitioner;
  readonly tanDir: string;
  private readonly dbs = new Map<string, NodeDb | null>();
  private pending: PendingBootstrap[] | undefined;

  private constructor(
    readonly layout: Layout,
    readonly checksum: ChunkChecksum,
  ) {
    this.tanDir = layout.tanDir!;
    this.partitioner = makePartitioner(layout.dataStatus, layout.shardCount);
  }

  static async open(layout: Layout): Promise<TanReader> {
    if (!layout.tanDir) throw new LogdbError('failure', 'not a tan layout');
    return new TanReader(layout, await tanChunkChecksum());
  }

  async close(): Promise<void> {
    this.dbs.clear();
  }

  shardOf(clusterId: bigint): number {
    return this.partitioner.shardOf(clusterId);
  }

  /** The pending BOOTSTRAP files of logdb imports (pending.ts), committed or not, read once. */
  pendingBootstraps(): PendingBootstrap[] {
    this.pending ??= findPendingBootstraps(this.tanDir, this.checksum);
    return this.pending;
  }

  /** The node's BOOTSTRAP as tan would have it: a committed pending file, else the BOOTSTRAP file. */
  private bootstrapPath(c: bigint, n: bigint): string {
    return this.pendingBootstraps().find((p) => p.state === 'committed' && p.clusterId === c && p.nodeId === n)?.path ?? bootstrapFile(this.tanDir, c, n);
  }

  /** ListNodeInfo: every BOOTSTRAP file (and committed pending one), by cluster then node. */
  async listNodeInfo(): Promise<NodeRef[]> {
    const files = listOrEmpty(join(this.tanDir, BOOTSTRAP_DIR))
      .map(parseBootstrapName)
      .filter((x): x is { clusterId: bigint; nodeId: bigint } => x !== undefined);
    for (const p of this.pendingBootstraps()) {
      if (p.state === 'committed' && !files.some((f) => f.clusterId === p.clusterId && f.nodeId === p.nodeId)) files.push({ clusterId: p.clusterId, nodeId: p.nodeId });
    }
    return files
      .sort((a, b) => cmp(a.clusterId, b.clusterId) || cmp(a.nodeId, b.nodeId))
      .map((x) => ({ ...x, shard: this.shardOf(x.clusterId) }));
  }

  async *nodeGroups(): AsyncIterable<NodeRef[]> {
    yield await this.listNodeInfo();
  }

  async getBootstrap(c: bigint, n: bigint): Promise<Bootstrap | undefined> {
    const file = this.bootstrapPath(c, n);
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new LogdbError('failure', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`);
    }
    const record = readSingleRecord(data, file, this.checksum);
    try {
      return decodeBootstrap(record);
    } catch (err) {
      throw tanCorruption(`the bootstrap record does not decode (${(err as Error).message})`, file, 0);
    }
  }

  /** The node's replayed db; null for a removed node (no BOOTSTRAP file) or one without a db dir. */
  db(c: bigint, n: bigint): NodeDb | null {
    const key = `${c}/${n}`;
    if (!this.dbs.has(key)) {
      const dir = nodeDir(this.tanDir, c, n);
      const live = existsSync(this.bootstrapPath(c, n));
      this.dbs.set(key, live && isDirectory(dir) ? loadNodeDb(dir, c, n, this.checksum) : null);
      if (this.dbs.size > KEPT_DBS) this.dbs.delete(this.dbs.keys().next().value!);
    }
    return this.dbs.get(key)!;
  }

  /** The node's db even when its BOOTSTRAP is gone (a removed node's dir), for a write that replaces it. */
  dbIgnoringBootstrap(c: bigint, n: bigint): NodeDb | null {
    const dir = nodeDir(this.tanDir, c, n);
    return isDirectory(dir) ? loadNodeDb(dir, c, n, this.checksum) : null;
  }

  async getState(c: bigint, n: bigint): Promise<State | undefined> {
    return this.db(c, n)?.state ?? undefined;
  }

  async getMaxIndex(c: bigint, n: bigint): Promise<bigint | undefined> {
    const runs = this.db(c, n)?.runs;
    return runs?.length ? runs[runs.length - 1]!.end : undefined;
  }

  async listSnapshots(c: bigint, n: bigint): Promise<Snapshot[]> {
    const snapshot = this.db(c, n)?.snapshot;
    return snapshot ? [snapshot] : [];
  }

  async newestSnapshotIndex(c: bigint, n: bigint): Promise<bigint> {
    return this.db(c, n)?.snapshot?.index ?? 0n;
  }

  async readRaftState(c: bigint, n: bigint, lastIndex: bigint): Promise<RaftState> {
    const db = this.db(c, n);
    if (!db?.state) return { state: null, firstIndex: 0n, entryCount: 0n };
    const runs = lastIndex === MAX_UINT64 ? [] : queryRuns(db, lastIndex + 1n, MAX_UINT64);
    if (!runs.length) return { state: db.state, firstIndex: 0n, entryCount: 0n };
    const firstIndex = lastIndex + 1n;
    return { state: db.state, firstIndex, entryCount: runs[runs.length - 1]!.end - firstIndex + 1n };
  }

  async *iterateEntries(c: bigint, n: bigint, low: bigint, high: bigint): AsyncIterable<Entry[]> {
    const db = this.db(c, n);
    if (!db || low >= high || low <= db.compactedTo) return;
    yield* runEntries(queryRuns(db, low, high), low, high);
  }

  async *storedEntries(c: bigint, n: bigint, low: bigint, high: bigint): AsyncIterable<Entry[]> {
    const db = this.db(c, n);
    if (!db) return;
    yield* runEntries(db.runs, low, high);
  }

  async nodeExists(c: bigint, n: bigint): Promise<boolean> {
    return (await this.getBootstrap(c, n)) !== undefined;
  }

  /** tan's entries are Colfer inside its own records, read into entry objects: no column path. */
  async entryColumns(): Promise<AsyncIterable<EntryColumns> | undefined> {
    return undefined;
  }
}
