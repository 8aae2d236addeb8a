/**
 * Planning tan writes from a TanReader (../reader.ts), refusing (exit 8) where tan's own rules make a safe write
 * impossible: a node db that tan would not open cleanly after the change.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { encodeBootstrap, type Snapshot } from '../../codec/messages.js';
import { LogdbError } from '../../errors.js';
import { listOrEmpty } from '../../util/fs.js';
import { bootstrapFile, indexFile, logFile, manifestName, nodeDir as nodeDirOf, parseFileNum, pendingBootstrapFile } from '../files.js';
import type { NodeDb } from '../node-db.js';
import type { TanReader } from '../reader.js';
import { encodeTanRecords } from '../record.js';
import { COMPACTION_TERM, encodeUpdate } from '../update.js';
import type { TanChange, UnfinishedImport } from './change.js';
import type { VersionEdit } from '../manifest.js';
import { encodeIndexFile, type LogIndex } from '../index-file.js';

function unsupported(why: string): LogdbError {
  return new LogdbError('unsupported', why, 'nothing was changed');
}

/** The live logs must be ones tan reopens without rebuilding anything but the newest: each needs its .index. */
function requireClean(db: NodeDb): void {
  if (db.version.manifestTorn) throw unsupported(`${db.dir}: the MANIFEST ends in a torn record; start and stop the NodeHost once so tan rewrites it, then retry`);
  for (const log of db.logs) {
    if (!existsSync(indexFile(db.dir, log.fileNum))) {
      throw unsupported(`${log.path} has no .index (the NodeHost did not close cleanly); a new log after it would leave tan two logs to rebuild, which it refuses: start and stop the NodeHost once, then retry`);
    }
  }
}

/** Numbers above every number tan handed out and every file in the dir (leftovers of an interrupted write too). */
function nextNumbers(dir: string, db: NodeDb | null, pendingNums: number[]): { log: number; manifest: number } {
  let next = db?.version.nextFileNum ?? 1;
  for (const name of listOrEmpty(dir)) {
    const f = parseFileNum(name.replace(/\.(logtmp|idxtmp)$/, (m) => (m === '.logtmp' ? '.log' : '.index')));
    if (f && f.fileNum >= next) next = f.fileNum + 1;
  }
  // a pending BOOTSTRAP names a MANIFEST number: a new MANIFEST must never take it (pending.ts)
  for (const m of pendingNums) if (m >= next) next = m + 1;
  if (!db) next = Math.max(next, 2);
  return { log: next, manifest: next + 1 };
}

/** What interrupted imports left in the bootstrap dir, to finish (committed) or drop (never committed) first. */
function unfinishedImports(reader: TanReader): UnfinishedImport[] {
  return reader
    .pendingBootstraps()
    .filter((p) => p.state !== 'undecided')
    .map((p): UnfinishedImport => (p.state === 'committed' ? { action: 'finish', from: p.path, to: p.target } : { action: 'drop', path: p.path }));
}

/** What the new log's .index says: its records (none with entries) and the node's newest snapshot and state. */
type IndexOf = (fileNum: number) => LogIndex;

function baseChange(reader: TanReader, c: bigint, n: bigint, db: NodeDb | null, keepOld: boolean, records: Buffer[], describe: string[], indexOf: IndexOf): TanChange {
  const dir = nodeDirOf(reader.tanDir, c, n);
  if (db) requireClean(db);
  const nums = nextNumbers(dir, db, reader.pendingBootstraps().filter((p) => p.clusterId === c && p.nodeId === n).map((p) => p.manifestNum));
  const old = db?.version.logs ?? [];
  const liveLogs = [...(keepOld ? old : []), nums.log];
  // what tan's open writes into the MANIFEST it creates (version_set.go logAndApply): a snapshot of the live logs
  // with the counter past the MANIFEST's number, then the new log with the counter past the log's number
  const edits: VersionEdit[] = [
    { nextFileNum: nums.manifest + 1, deleted: [], added: old },
    { nextFileNum: nums.log + 1, deleted: [], added: [nums.log] },
  ];
  if (!keepOld && old.length) edits.push({ nextFileNum: nums.manifest + 1, deleted: old, added: [] });
  const obsolete: string[] = [];
  if (db) {
    if (!keepOld) for (const f of old) obsolete.push(logFile(dir, f), indexFile(dir, f));
    obsolete.push(join(dir, manifestName(db.version.manifestNum)));
  }
  return {
    clusterId: c,
    nodeId: n,
    nodeDir: dir,
    dbExists: db !== null,
    newLog: {
      fileNum: nums.log,
      path: logFile(dir, nums.log),
      records: records.length ? [encodeTanRecords(records, reader.checksum)] : [],
      describe,
      index: { path: indexFile(dir, nums.log), bytes: encodeIndexFile(indexOf(nums.log), reader.checksum) },
    },
    manifest: { fileNum: nums.manifest, path: join(dir, manifestName(nums.manifest)), liveLogs, edits },
    obsolete: obsolete.filter((f) => existsSync(f)),
    bootstrap: { path: bootstrapFile(reader.tanDir, c, n), action: 'keep' },
    unfinished: unfinishedImports(reader),
  };
}

/**
 * RemoveEntriesTo(c, n, to): a compaction record in a new log, and the logs tan then finds obsolete
 * (index.go `compaction`: whole logs whose entries are all ≤ the compaction point and that hold neither the
 * newest snapshot record nor the newest state record).
 */
export function planTanCompact(reader: TanReader, c: bigint, n: bigint, to: bigint): TanChange {
  const db = reader.db(c, n);
  if (!db) throw unsupported(`cluster ${c} node ${n} has no tan db to compact`);
  const record = encodeUpdate({ clusterId: c, nodeId: n, state: { term: COMPACTION_TERM, vote: 0n, commit: to }, entries: [], snapshot: null });
  const compactedTo = to > db.compactedTo ? to : db.compactedTo;
  const change = baseChange(reader, c, n, db, true, [record], [`compaction record: entries up to ${to} are removed`], () => ({
    clusterId: c,
    nodeId: n,
    entries: [],
    compactedTo: to,
    snapshot: db.snapshot ? { start: db.snapshot.index, fileNum: db.snapshotFileNum, pos: db.snapshotOffset } : null,
    state: db.state ? { start: db.state.commit, fileNum: db.stateFileNum, pos: db.stateOffset } : null,
  }));
  const dropped = obsoleteLogs(db, compactedTo);
  if (dropped.length) {
    change.manifest.liveLogs = change.manifest.liveLogs.filter((f) => !dropped.includes(f));
    change.manifest.edits.push({ nextFileNum: change.manifest.fileNum + 1, deleted: dropped, added: [] });
    for (const f of dropped) change.obsolete.push(...[logFile(db.dir, f), indexFile(db.dir, f)].filter((p) => existsSync(p)));
  }
  return change;
}

/** index.go nodeIndex.compaction over the replayed runs. */
function obsoleteLogs(db: NodeDb, compactedTo: bigint): number[] {
  const runs = db.runs;
  if (!runs.length) return [];
  let maxObsolete = Number.MAX_SAFE_INTEGER;
  let fn = runs[0]!.fileNum;
  for (let j = 1; j < runs.length; j++) {
    if (runs[j]!.fileNum !== fn) {
      if (runs[j - 1]!.end <= compactedTo) maxObsolete = runs[j - 1]!.fileNum;
      fn = runs[j]!.fileNum;
    }
  }
  if (maxObsolete === Number.MAX_SAFE_INTEGER) maxObsolete = runs[0]!.fileNum - 1;
  if (db.snapshotFileNum) maxObsolete = Math.min(maxObsolete, db.snapshotFileNum - 1);
  if (db.stateFileNum) maxObsolete = Math.min(maxObsolete, db.stateFileNum - 1);
  if (maxObsolete <= 0) return [];
  return [...new Set(runs.filter((r) => r.fileNum <= maxObsolete).map((r) => r.fileNum))];
}

/** RemoveNodeData(c, n): BOOTSTRAP deleted, every older log dropped, a new empty current log. */
export function planTanRemove(reader: TanReader, c: bigint, n: bigint): TanChange {
  const db = reader.db(c, n);
  const change = baseChange(reader, c, n, db, false, [], [], () => ({ clusterId: c, nodeId: n, entries: [], compactedTo: 0n, snapshot: null, state: null }));
  change.bootstrap = { path: change.bootstrap.path, action: 'delete' };
  return change;
}

/** ImportSnapshot(ss, n): BOOTSTRAP{Join, Type}, every older log dropped, one Update{State, Snapshot}. */
export function planTanImport(reader: TanReader, record: Snapshot, n: bigint): TanChange {
  if (record.type === 0) throw new LogdbError('invalidSnapshot', 'the snapshot record has state machine type UnknownStateMachine (Dragonboat panics on that)');
  const c = record.clusterId;
  const exists = existsSync(nodeDirOf(reader.tanDir, c, n));
  // a node dir of a removed node (no BOOTSTRAP) is still a db: replay it only for its numbers and cleanliness
  const db = exists ? reader.dbIgnoringBootstrap(c, n) : null;
  const update = encodeUpdate({ clusterId: c, nodeId: n, state: { term: record.term, vote: 0n, commit: record.index }, entries: [], snapshot: record });
  const change = baseChange(reader, c, n, db, false, [update], [`state term ${record.term} commit ${record.index}, snapshot ${record.index}`], (fileNum) => ({
    clusterId: c,
    nodeId: n,
    entries: [],
    compactedTo: 0n,
    snapshot: { start: record.index, fileNum, pos: 0 },
    state: { start: record.index, fileNum, pos: 0 },
  }));
  const value = encodeTanRecords([encodeBootstrap({ addresses: new Map(), join: true, type: record.type })], reader.checksum);
  change.bootstrap = { path: change.bootstrap.path, action: 'write', value, pending: pendingBootstrapFile(reader.tanDir, c, n, change.manifest.fileNum) };
  return change;
}

