/**
 * The file work on one node's snapshot dir `<deploymentDir>/snapshot-part-<cid % 512>/snapshot-<cid>-<nid>/` for
 * `import-snapshot` and `remove-node` (spec §2.5, §8.12, §10.3 steps 8–11). Each step is separately callable, and
 * each destructive step has a plan function, so a command can list what it will do before doing it.
 *
 * Import (tools.ImportSnapshot):
 *   8.  planSnapshotDirCleanup + applySnapshotDirCleanup — delete every `snapshot-<IDX>`, `*.generating` and
 *       `*.receiving` sub-directory (regexes in paths.ts). Dragonboat neither checks nor removes a
 *       `DELETED.dragonboat` marker here, so importing into a removed node leaves a dir NodeHost later refuses
 *       (ErrDirMarkedAsDeleted); the plan reports the marker so the command can refuse or warn.
 *   9–10. stageImport — create the part and node dirs if missing (0750), create
 *       `snapshot-<IDX>-<nodeID>.generating`, copy the .gbsnap (by its actual name) and each external file (by
 *       base name) into it with the source's permission bits, fsync every file and the dir. snapshot.metadata is
 *       not copied.
 *   11. finalizeSnapshotDir — write `dragonboat.snapshot.message` (flag file, the new record) into the temp dir,
 *       refuse if the final dir exists (ErrSnapshotOutOfDate), rename temp → `snapshot-<IDX>`, fsync the node dir.
 * Remove (NodeHost.RemoveData → Env.RemoveSnapshotDir), only when the node dir exists:
 *   markNodeDeleted — write `DELETED.dragonboat`: flag file whose payload is an empty RaftDataStatus with every
 *       field emitted: fields 1–10 (20 bytes, file 28 bytes) from v3.2, 1–11 (22 bytes, file 30 bytes) from v3.3;
 *   removeSnapshotDirs — delete the `snapshot-<IDX>` sub-directories only (temp dirs stay), fsync the node dir.
 * Everything written is fsynced, and so is every directory whose entries changed. Errors are one-line
 * LogdbErrors ('failure' for I/O, 'invalidSnapshot' for an out-of-date final dir).
 */
import { readdirSync, statSync, type Stats } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { encodeFlagFile } from '../codec/flag-file.js';
import { encodeRaftDataStatus, encodeSnapshot, type RaftDataStatus, type Snapshot } from '../codec/messages.js';
import { LogdbError } from '../errors.js';
import type { ValidatedExport } from './export.js';
import { copyFileDurably, ensureDir, exists, fsFailure, isDirectory, removeTree, renameDurably, syncDir, writeFlagFile } from './durable.js';
import {
  DELETED_MARKER_FILENAME,
  SNAPSHOT_FLAG_FILENAME,
  parseNodeDirName,
  snapshotDirName,
  snapshotSubdirKind,
  tempSnapshotDirName,
} from './paths.js';

export interface SnapshotDirPlan {
  nodeDir: string;
  /** the node dir exists (if not, an import creates it and a removal does nothing) */
  exists: boolean;
  /** `DELETED.dragonboat` is present: the node was removed and NodeHost will refuse to use this dir */
  deletedMarker: boolean;
  /** absolute paths of the sub-directories to delete, sorted */
  remove: string[];
}

/** Which sub-directories `kinds` selects, as Dragonboat lists them (stat follows links; only directories). */
function planSubdirs(nodeDir: string, kinds: ReadonlySet<string>): SnapshotDirPlan {
  let st: Stats;
  try {
    st = statSync(nodeDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { nodeDir, exists: false, deletedMarker: false, remove: [] };
    throw fsFailure('stat', nodeDir, err);
  }
  if (!st.isDirectory()) throw new LogdbError('failure', `snapshot: ${nodeDir} is not a directory`);
  let names: string[];
  try {
    names = readdirSync(nodeDir).sort();
  } catch (err) {
    throw fsFailure('list', nodeDir, err);
  }
  const remove: string[] = [];
  for (const name of names) {
    const kind = snapshotSubdirKind(name);
    if (kind === undefined || !kinds.has(kind)) continue;
    const path = join(nodeDir, name);
    try {
      if (statSync(path).isDirectory()) remove.push(path);
    } catch (err) {
      throw fsFailure('stat', path, err);
    }
  }
  return { nodeDir, exists: true, deletedMarker: names.includes(DELETED_MARKER_FILENAME), remove };
}

const IMPORT_CLEANUP = new Set(['final', 'generating', 'receiving']);
const REMOVE_CLEANUP = new Set(['final']);

/** §10.3 step 8: the `snapshot-<IDX>`, `.generating` and `.receiving` sub-directories an import deletes. */
export function planSnapshotDirCleanup(nodeDir: string): SnapshotDirPlan {
  return planSubdirs(nodeDir, IMPORT_CLEANUP);
}

/** §8.12 (RemoveData): the `snapshot-<IDX>` sub-directories a node removal deletes. */
export function planNodeDirRemoval(nodeDir: string): SnapshotDirPlan {
  return planSubdirs(nodeDir, REMOVE_CLEANUP);
}

/**
 * Deletes the sub-directories of a plan (each must be a direct child of plan.nodeDir with a snapshot dir name),
 * then fsyncs the node dir. Already-deleted entries are fine.
 */
export async function applySnapshotDirCleanup(plan: SnapshotDirPlan): Promise<void> {
  for (const path of plan.remove) {
    if (dirname(path) !== plan.nodeDir || snapshotSubdirKind(basename(path)) === undefined) {
      throw new LogdbError('failure', `snapshot: refusing to delete ${path}: not a snapshot sub-directory of ${plan.nodeDir}`);
    }
  }
  for (const path of plan.remove) {
    try {
      await rm(path, { recursive: true, force: true });
    } catch (err) {
      throw fsFailure('remove', path, err);
    }
  }
  if (plan.remove.length > 0) await syncDir(plan.nodeDir);
}

export interface StagedImport {
  /** `<nodeDir>/snapshot-<IDX>-<nodeID>.generating` */
  tempDir: string;
  /** `<nodeDir>/snapshot-<IDX>` */
  finalDir: string;
}

/**
 * §10.3 steps 9–10. `nodeDir` must be named `snapshot-<cid>-<nid>` (the node ID of the temp dir's name comes from
 * it) and `record` must be the import record built for `<nodeDir>/snapshot-<IDX>` (buildImportRecord). A temp dir
 * left by an interrupted earlier attempt is deleted first. On failure the temp dir is deleted again.
 */
export async function stageImport(
  nodeDir: string,
  exp: ValidatedExport,
  record: Snapshot,
  onProgress?: (bytesCopied: number, totalBytes: number) => void,
): Promise<StagedImport> {
  const ids = parseNodeDirName(basename(nodeDir));
  if (!ids) throw new LogdbError('failure', `snapshot: ${nodeDir} is not a node snapshot dir (snapshot-<clusterID>-<nodeID>)`);
  if (ids.clusterId !== record.clusterId) {
    throw new LogdbError('failure', `snapshot: the record is for cluster ${record.clusterId} but ${nodeDir} belongs to cluster ${ids.clusterId}`);
  }
  const finalDir = join(nodeDir, snapshotDirName(record.index));
  const tempDir = join(nodeDir, tempSnapshotDirName(record.index, ids.nodeId, 'generating'));
  if (dirname(record.filepath) !== finalDir || basename(record.filepath) !== exp.gbsnapName) {
    throw new LogdbError('failure', `snapshot: the import record points at ${record.filepath}, not at ${join(finalDir, exp.gbsnapName)}`);
  }

  await ensureDir(dirname(nodeDir));
  await ensureDir(nodeDir);
  if (await exists(tempDir)) await removeTree(tempDir);
  await ensureDir(tempDir);

  // Byte counts for a progress display: plain numbers (file sizes are far below 2^53).
  const total = Number(exp.externalFiles.reduce((sum, f) => sum + f.size, exp.gbsnapSize));
  let copied = 0;
  const progress = (n: number) => {
    copied += n;
    onProgress?.(copied, total);
  };
  try {
    await copyFileDurably(exp.gbsnapPath, join(tempDir, exp.gbsnapName), exp.gbsnapSize, progress);
    for (const file of exp.externalFiles) {
      await copyFileDurably(file.sourcePath, join(tempDir, file.name), file.size, progress);
    }
  } catch (err) {
    await removeTree(tempDir).catch(() => undefined);
    throw err;
  }
  return { tempDir, finalDir };
}

/**
 * §2.5 finalize / §10.3 step 11: writes `dragonboat.snapshot.message` (the record) into `tempDir`, refuses if
 * `finalDir` exists (Dragonboat's ErrSnapshotOutOfDate), renames `tempDir` to `finalDir` and fsyncs the node dir.
 * If `tempDir` is gone and `finalDir` already holds exactly this record's message, the step is already done.
 */
export async function finalizeSnapshotDir(tempDir: string, finalDir: string, record: Snapshot): Promise<void> {
  if (dirname(tempDir) !== dirname(finalDir)) {
    throw new LogdbError('failure', `snapshot: ${tempDir} and ${finalDir} are not in the same node dir`);
  }
  const message = encodeSnapshot(record);
  if (!(await exists(tempDir))) {
    const done = await readFile(join(finalDir, SNAPSHOT_FLAG_FILENAME)).catch(() => undefined);
    if (done !== undefined && done.equals(encodeFlagFile(message))) return;
    throw new LogdbError('failure', `snapshot: cannot finalize: ${tempDir} does not exist`);
  }
  await writeFlagFile(tempDir, SNAPSHOT_FLAG_FILENAME, message);
  if (await exists(finalDir)) {
    throw new LogdbError(
      'invalidSnapshot',
      `snapshot out of date: ${finalDir} already exists, so ${basename(tempDir)} cannot become it`,
      `delete ${finalDir} (and ${tempDir}) if it is a leftover, then import again`,
    );
  }
  await renameDurably(tempDir, finalDir);
}

/** Which DELETED.dragonboat payload to write: v3.2 emits RaftDataStatus fields 1–10, v3.3 also field 11. */
export type DeletedMarkerFormat = 'v3.2' | 'v3.3';

/**
 * The marker format matching the Dragonboat that wrote `status` (dragonboat.ds): a v3.3-written file has field 11
 * (address_by_node_host_id), a v3.2-written one does not. Without a status, v3.3 (the primary target).
 */
export function deletedMarkerFormat(status: RaftDataStatus | undefined): DeletedMarkerFormat {
  if (status === undefined) return 'v3.3';
  return status.addressByNodeHostId === null ? 'v3.2' : 'v3.3';
}

/** The payload of DELETED.dragonboat: an empty RaftDataStatus with every field of that version emitted. */
export function deletedMarkerPayload(format: DeletedMarkerFormat): Buffer {
  return encodeRaftDataStatus({
    address: '',
    binVer: 0,
    hardHash: 0n,
    logdbType: '',
    hostname: '',
    deploymentId: 0n,
    stepWorkerCount: 0n,
    logdbShardCount: 0n,
    maxSessionCount: 0n,
    entryBatchSize: 0n,
    addressByNodeHostId: format === 'v3.3' ? false : null,
  });
}

/**
 * Writes `<nodeDir>/DELETED.dragonboat` (fsynced, node dir fsynced). As Dragonboat, does nothing when the node dir
 * does not exist; resolves to whether the marker was written. Rewriting an existing marker is harmless.
 */
export async function markNodeDeleted(nodeDir: string, format: DeletedMarkerFormat): Promise<boolean> {
  if (!(await isDirectory(nodeDir))) return false;
  await writeFlagFile(nodeDir, DELETED_MARKER_FILENAME, deletedMarkerPayload(format));
  return true;
}

/** Deletes the node dir's `snapshot-<IDX>` sub-directories (as RemoveData does) and fsyncs it; returns them. */
export async function removeSnapshotDirs(nodeDir: string): Promise<string[]> {
  const plan = planNodeDirRemoval(nodeDir);
  await applySnapshotDirCleanup(plan);
  return plan.remove;
}

/** Env.RemoveSnapshotDir in one call: if the node dir exists, mark it deleted, then remove its snapshot dirs. */
export async function removeNodeSnapshotDir(nodeDir: string, format: DeletedMarkerFormat): Promise<{ marked: boolean; removed: string[] }> {
  if (!(await markNodeDeleted(nodeDir, format))) return { marked: false, removed: [] };
  return { marked: true, removed: await removeSnapshotDirs(nodeDir) };
}
