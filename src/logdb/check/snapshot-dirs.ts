/**
 * The snapshot directories on disk (§2.5), read from the other side: what is under
 * `<deployment>/snapshot-part-N/snapshot-<cid>-<nid>/`, and what NodeHost will make of it at its next start.
 *
 *   snapshot-<IDX>-<from>.generating/.receiving   left by an interrupted snapshot; NodeHost deletes them
 *   snapshot-<IDX>/dragonboat.snapshot.message    finalized but not yet recorded ("orphan"): NodeHost keeps the
 *                                                  dir (removing the marker) if IDX is the newest record — what
 *                                                  ImportSnapshot leaves — else deletes dir and record
 *   snapshot-<IDX>/ with no record                 nothing refers to it
 *   DELETED.dragonboat                             NodeHost.RemoveData ran; NodeHost refuses to start the node
 *                                                  again (ErrDirMarkedAsDeleted) — an error only if the LogDB
 *                                                  still holds the node (e.g. ImportSnapshot into a removed node)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFlagFile } from '../../codec/flag-file.js';
import type { CheckContext } from './context.js';
import { hasNodeRecords, newestSnapshotIndex, type NodeRecords } from './node-records.js';
import { DELETED_MARKER_FILENAME, NODE_DIR_RE, SNAPSHOT_FLAG_FILENAME, SNAPSHOT_PARTITIONS } from '../../snapshot/paths.js';
import { isDirectory, listOrEmpty } from '../../util/fs.js';

export interface NodeSnapshotDir {
  clusterId: bigint;
  nodeId: bigint;
  /** the N of the snapshot-part-N it was found in */
  part: bigint;
  dir: string;
  names: string[];
}

const PART_DIR = /^snapshot-part-(\d+)$/;
const FINAL_DIR = /^snapshot-([0-9A-F]+)$/;
const TEMP_DIR = /^snapshot-[0-9A-F]+-[0-9A-F]+\.(generating|receiving)$/;

const list = (dir: string) => listOrEmpty(dir).sort();

/** Every node snapshot dir under the deployment dir. */
export function listNodeSnapshotDirs(deploymentDir: string): NodeSnapshotDir[] {
  const found: NodeSnapshotDir[] = [];
  for (const partName of list(deploymentDir)) {
    const part = PART_DIR.exec(partName);
    if (!part) continue;
    const partDir = join(deploymentDir, partName);
    for (const nodeName of list(partDir)) {
      const node = NODE_DIR_RE.exec(nodeName);
      const dir = join(partDir, nodeName);
      if (!node || !isDirectory(dir)) continue;
      found.push({ clusterId: BigInt(node[1]), nodeId: BigInt(node[2]), part: BigInt(part[1]), dir, names: list(dir) });
    }
  }
  return found;
}

/** "cluster/node" of every node dir holding a DELETED.dragonboat marker. */
export function deletedNodes(dirs: NodeSnapshotDir[]): Set<string> {
  return new Set(dirs.filter((d) => d.names.includes(DELETED_MARKER_FILENAME)).map((d) => `${d.clusterId}/${d.nodeId}`));
}

export function checkSnapshotDirs(
  ctx: CheckContext,
  dirs: NodeSnapshotDir[],
  recordsOf: (c: bigint, n: bigint) => NodeRecords | undefined,
  routedShard: (c: bigint) => number | undefined,
): void {
  for (const d of dirs) {
    const node = recordsOf(d.clusterId, d.nodeId);
    const place = { clusterId: d.clusterId, nodeId: d.nodeId, shard: node?.shard ?? routedShard(d.clusterId) ?? null };
    const who = `cluster ${d.clusterId} node ${d.nodeId}`;
    if (d.part !== d.clusterId % SNAPSHOT_PARTITIONS) {
      ctx.sink.add({
        code: 'wrong-snapshot-part',
        severity: 'warning',
        ...place,
        message: `${d.dir} is under snapshot-part-${d.part}, but Dragonboat keeps ${who}'s snapshots under snapshot-part-${d.clusterId % SNAPSHOT_PARTITIONS}; it never looks here`,
        hint: 'find out what put it there; Dragonboat ignores it',
      });
    }
    if (d.names.includes(DELETED_MARKER_FILENAME)) {
      const stillThere = node !== undefined && hasNodeRecords(node);
      ctx.sink.add({
        code: 'deleted-marker',
        severity: stillThere ? 'error' : 'info',
        ...place,
        message: stillThere
          ? `${who} was removed (${join(d.dir, DELETED_MARKER_FILENAME)}) but the LogDB still holds its records: NodeHost refuses to start it (ErrDirMarkedAsDeleted) — typically a snapshot imported into a removed node`
          : `${who} was removed with NodeHost.RemoveData (${join(d.dir, DELETED_MARKER_FILENAME)}); its ID cannot be reused on this NodeHost`,
        hint: stillThere ? `${ctx.hints.dumpState(d.clusterId, d.nodeId)}; remove the marker only if the node is meant to live again` : 'nothing to do',
      });
    }
    for (const name of d.names) {
      const path = join(d.dir, name);
      if (TEMP_DIR.test(name)) {
        ctx.sink.add({
          code: 'orphan-temp-dir',
          severity: 'warning',
          ...place,
          message: `${path} is left from an interrupted snapshot (${TEMP_DIR.exec(name)![1]}); NodeHost deletes it at its next start`,
          hint: 'nothing to do; delete it to reclaim the space now',
        });
        continue;
      }
      const final = FINAL_DIR.exec(name);
      if (!final || !isDirectory(path)) continue;
      const index = BigInt(`0x${final[1]}`);
      const files = list(path);
      const recorded = node?.snapshotIndexes.includes(index) ?? false;
      if (files.includes(SNAPSHOT_FLAG_FILENAME)) {
        orphanMessage(ctx, place, who, join(path, SNAPSHOT_FLAG_FILENAME), index, node);
      } else if (!recorded) {
        ctx.sink.add({
          code: 'unrecorded-snapshot-dir',
          severity: 'info',
          ...place,
          index,
          message: `${path} (snapshot ${index} of ${who}) has no snapshot record in the LogDB; nothing refers to it`,
          hint: node ? ctx.hints.lsSnapshots(d.clusterId, d.nodeId) : 'the node has no records in the LogDB; the directory is left over',
        });
      }
    }
  }
}

function orphanMessage(ctx: CheckContext, place: { clusterId: bigint; nodeId: bigint; shard: number | null }, who: string, file: string, index: bigint, node: NodeRecords | undefined): void {
  try {
    decodeFlagFile(readFileSync(file), SNAPSHOT_FLAG_FILENAME);
  } catch (err) {
    ctx.sink.add({
      code: 'snapshot-file-corrupt',
      severity: 'warning',
      ...place,
      index,
      message: `${file} does not decode: ${(err as Error).message}; NodeHost panics reading it at its next start`,
      hint: 'look at the snapshot directory; the marker must be a flag file holding a Snapshot record',
    });
  }
  const newest = node ? newestSnapshotIndex(node) : undefined;
  const kept = newest === index;
  ctx.sink.add({
    code: 'orphan-snapshot-message',
    severity: kept ? 'info' : 'warning',
    ...place,
    index,
    message: kept
      ? `snapshot ${index} of ${who} still holds ${SNAPSHOT_FLAG_FILENAME} (as ImportSnapshot leaves it); it is the newest record, so NodeHost keeps the snapshot and removes the marker at its next start`
      : `snapshot ${index} of ${who} holds ${SNAPSHOT_FLAG_FILENAME} but is not the newest snapshot record${newest !== undefined ? ` (${newest})` : ''}: NodeHost deletes this snapshot directory and its record at its next start`,
    hint: kept ? 'nothing to do' : ctx.hints.lsSnapshots(place.clusterId, place.nodeId),
  });
}
