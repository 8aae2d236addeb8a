/**
 * Names and places of snapshot files and directories (spec §2.1, §2.5; Dragonboat internal/server/snapshotenv.go
 * and environment.go).
 *
 *     <deploymentDir>/snapshot-part-<cid % 512>/snapshot-<cid>-<nid>/      one node's snapshot dir ("node dir")
 *         snapshot-<IDX>/                                              a final snapshot dir
 *             snapshot-<IDX>.gbsnap                                    the data file (§10.1)
 *             snapshot.metadata                                        flag file, Snapshot (local/exported only)
 *             external-file-<fileID>                                   external files, fileID decimal
 *             dragonboat.snapshot.message                              flag file, Snapshot: "finalized, not yet
 *                                                                      recorded in LogDB" (orphan marker)
 *         snapshot-<IDX>-<from>.generating/                            temp dir while generating (or importing)
 *         snapshot-<IDX>-<from>.receiving/                             temp dir while receiving from node <from>
 *         DELETED.dragonboat                                           flag file: node removed, dir not reusable
 *
 * <cid>, <nid>, <from>, the part number and <fileID> are decimal; <IDX> is the snapshot index as 16 upper-case hex
 * digits (`%016X`). The part number is a fixed modulo 512, independent of the LogDB shard count. Dragonboat's
 * cleanup recognises the three kinds of sub-directory with exactly the regexes below (note that the temp dirs'
 * <from> is written in decimal but matched with [0-9A-F]).
 */
import { join } from 'node:path';

/** The snapshot partitioner's fixed modulus (§2.1). */
export const SNAPSHOT_PARTITIONS = 512n;

/** Dragonboat's SnapshotFileSuffix: a snapshot data file is any regular file whose name ends with this. */
export const SNAPSHOT_FILE_SUFFIX = 'gbsnap';
/** The flag file holding the Snapshot record of a locally generated or exported snapshot. */
export const SNAPSHOT_METADATA_FILENAME = 'snapshot.metadata';
/** The flag file written by finalize: present = the dir is not yet recorded in LogDB. */
export const SNAPSHOT_FLAG_FILENAME = 'dragonboat.snapshot.message';
/** The flag file RemoveData writes into a removed node's snapshot dir. */
export const DELETED_MARKER_FILENAME = 'DELETED.dragonboat';

/** Final snapshot dir: SnapshotDirNameRe. */
export const SNAPSHOT_DIR_RE = /^snapshot-[0-9A-F]+$/;
/** Temp dir while generating: GenSnapshotDirNameRe. */
export const GENERATING_DIR_RE = /^snapshot-[0-9A-F]+-[0-9A-F]+\.generating$/;
/** Temp dir while receiving: RecvSnapshotDirNameRe. */
export const RECEIVING_DIR_RE = /^snapshot-[0-9A-F]+-[0-9A-F]+\.receiving$/;
/** The three sub-directory kinds an import's cleanup deletes (§10.3 step 8). RemoveData deletes only the first. */
export const SNAPSHOT_DIR_PATTERNS: readonly RegExp[] = [SNAPSHOT_DIR_RE, GENERATING_DIR_RE, RECEIVING_DIR_RE];
/** A node dir's own name, `snapshot-<cid>-<nid>` (decimal). */
export const NODE_DIR_RE = /^snapshot-([0-9]+)-([0-9]+)$/;

function hex16(index: bigint): string {
  if (typeof index !== 'bigint' || index < 0n || index > 0xffffffffffffffffn) {
    throw new RangeError(`snapshot index ${String(index)} is not an unsigned 64-bit integer`);
  }
  return index.toString(16).toUpperCase().padStart(16, '0');
}

/** `snapshot-<%016X>`: the final snapshot dir of `index`. */
export function snapshotDirName(index: bigint): string {
  return `snapshot-${hex16(index)}`;
}

/** `snapshot-<%016X>.gbsnap`: the data file Dragonboat writes for `index`. */
export function gbsnapName(index: bigint): string {
  return `snapshot-${hex16(index)}.${SNAPSHOT_FILE_SUFFIX}`;
}

/** `snapshot-<%016X>-<from>.generating` (or `.receiving`): a temp dir name. */
export function tempSnapshotDirName(index: bigint, from: bigint, kind: 'generating' | 'receiving' = 'generating'): string {
  return `snapshot-${hex16(index)}-${from.toString(10)}.${kind}`;
}

/** `external-file-<fileId>`. */
export function externalFileName(fileId: bigint): string {
  return `external-file-${fileId.toString(10)}`;
}

/** `snapshot-part-<cid % 512>`. */
export function snapshotPartDirName(clusterId: bigint): string {
  return `snapshot-part-${(clusterId % SNAPSHOT_PARTITIONS).toString(10)}`;
}

/** `<deploymentDir>/snapshot-part-<cid % 512>/snapshot-<cid>-<nid>`. */
export function nodeSnapshotDir(deploymentDir: string, clusterId: bigint, nodeId: bigint): string {
  return join(deploymentDir, snapshotPartDirName(clusterId), `snapshot-${clusterId.toString(10)}-${nodeId.toString(10)}`);
}

/** The cluster and node IDs in a node dir's name (`snapshot-<cid>-<nid>`), or undefined if it is not one. */
export function parseNodeDirName(name: string): { clusterId: bigint; nodeId: bigint } | undefined {
  const m = NODE_DIR_RE.exec(name);
  if (!m) return undefined;
  return { clusterId: BigInt(m[1]!), nodeId: BigInt(m[2]!) };
}

/** Which of Dragonboat's snapshot sub-directory kinds `name` is, if any. */
export function snapshotSubdirKind(name: string): 'final' | 'generating' | 'receiving' | undefined {
  if (SNAPSHOT_DIR_RE.test(name)) return 'final';
  if (GENERATING_DIR_RE.test(name)) return 'generating';
  if (RECEIVING_DIR_RE.test(name)) return 'receiving';
  return undefined;
}
