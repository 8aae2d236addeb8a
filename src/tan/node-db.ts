/**
 * One node's tan db replayed from its files (v4-format.md §6 "Semantics" and "Offline reader recipe"): CURRENT →
 * MANIFEST → the live logs in ascending file number, each record applied the way tan's in-memory index applies it
 * (internal/tan db.go updateIndex, index.go):
 *   - entries: a record whose first entry is s replaces every entry ≥ s (later writes overwrite);
 *   - state: the last non-empty State of a record that is not a compaction record;
 *   - snapshot: the record with the highest Snapshot.Index (a lower one never replaces it);
 *   - compaction records raise compactedTo; entries ≤ compactedTo stay in the index but IterateEntries refuses
 *     to read from below it.
 * The newest live log may end in a torn record (tan truncates it on open); an invalid chunk in an older log, or a
 * record that does not decode, is corruption reported with the file and the record's offset.
 *
 * The .index files are tan's cache of this replay; the log is authoritative and is what is read here.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Entry } from '../codec/colfer.js';
import type { Snapshot, State } from '../codec/messages.js';
import type { ChunkChecksum, LogEnd } from '../kv/pebble/record.js';
import { logFile } from './files.js';
import { readVersion, type TanVersion } from './manifest.js';
import { readTanRecords, tanCorruption } from './record.js';
import { compactedTo as compactionOf, decodeUpdate, updateEntries, type Update } from './update.js';

/** A run of consecutive entries written by one record. */
export interface EntryRun {
  start: bigint;
  end: bigint;
  record: Update;
  fileNum: number;
  offset: number;
}

export interface LogFileInfo {
  fileNum: number;
  path: string;
  size: number;
  records: number;
  end: LogEnd;
  tornOffset?: number;
  tornReason?: string;
}

export interface NodeDb {
  dir: string;
  version: TanVersion;
  logs: LogFileInfo[];
  runs: EntryRun[];
  state: State | null;
  snapshot: Snapshot | null;
  compactedTo: bigint;
  /** the logs holding the newest snapshot and state records (0: none), which compaction must keep */
  snapshotFileNum: number;
  stateFileNum: number;
  /** where those records start in their logs, and the commit of the state record (what tan's index points at) */
  snapshotOffset: number;
  stateOffset: number;
  /** records of another (cluster, node) found in this node's logs (regular mode keeps one node per db) */
  foreignRecords: number;
}

export function loadNodeDb(dir: string, clusterId: bigint, nodeId: bigint, checksum: ChunkChecksum): NodeDb {
  const version = readVersion(dir, checksum);
  const db: NodeDb = { dir, version, logs: [], runs: [], state: null, snapshot: null, compactedTo: 0n, snapshotFileNum: 0, stateFileNum: 0, snapshotOffset: 0, stateOffset: 0, foreignRecords: 0 };
  version.logs.forEach((fileNum, i) => {
    const path = logFile(dir, fileNum);
    if (!existsSync(path)) throw tanCorruption(`the MANIFEST lists log ${fileNum}, which is missing`, path);
    const data = readFileSync(path);
    const newest = i === version.logs.length - 1;
    const result = readTanRecords(data, path, checksum, newest);
    db.logs.push({ fileNum, path, size: data.length, records: result.records.length, end: result.end, tornOffset: result.tornOffset, tornReason: result.tornReason });
    result.records.forEach((raw, j) => {
      const offset = result.offsets[j]!;
      let u: Update;
      try {
        u = decodeUpdate(raw);
      } catch (err) {
        throw tanCorruption(`record does not decode (${(err as Error).message})`, path, offset);
      }
      if (u.clusterId !== clusterId || u.nodeId !== nodeId) {
        db.foreignRecords++;
        return;
      }
      apply(db, u, fileNum, offset);
    });
  });
  return db;
}

function apply(db: NodeDb, u: Update, fileNum: number, offset: number): void {
  const compacted = compactionOf(u);
  if (compacted !== undefined) {
    if (compacted > db.compactedTo) db.compactedTo = compacted;
    return;
  }
  if (u.entryCount > 0) {
    const s = u.firstIndex;
    while (db.runs.length && db.runs[db.runs.length - 1]!.start >= s) db.runs.pop();
    const last = db.runs[db.runs.length - 1];
    if (last && last.end >= s) last.end = s - 1n;
    db.runs.push({ start: s, end: u.lastIndex, record: u, fileNum, offset });
  }
  if (u.snapshot && (!db.snapshot || u.snapshot.index > db.snapshot.index)) {
    db.snapshot = u.snapshot;
    db.snapshotFileNum = fileNum;
    db.snapshotOffset = offset;
  }
  if (u.state) {
    db.state = u.state;
    db.stateFileNum = fileNum;
    db.stateOffset = offset;
  }
}

/**
 * tan's index query (index.go `query`): the runs holding `low` and the contiguous ones after it, up to `high`
 * (exclusive); none when `low` is not stored.
 */
export function queryRuns(db: NodeDb, low: bigint, high: bigint): EntryRun[] {
  const i = db.runs.findIndex((r) => low <= r.end);
  if (i < 0 || low < db.runs[i]!.start) return [];
  const out: EntryRun[] = [];
  for (let j = i; j < db.runs.length; j++) {
    const r = db.runs[j]!;
    if (high <= r.start) break;
    if (out.length && out[out.length - 1]!.end + 1n !== r.start) break;
    out.push(r);
  }
  return out;
}

/** The entries of `runs` with index in [low, high), in order. */
export function* runEntries(runs: EntryRun[], low: bigint, high: bigint): Iterable<Entry[]> {
  for (const run of runs) {
    const entries = updateEntries(run.record).filter((e) => e.index >= low && e.index < high && e.index >= run.start && e.index <= run.end);
    if (entries.length) yield entries;
  }
}
