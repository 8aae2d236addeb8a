/**
 * Where a snapshot record's files really are. Records hold absolute paths (§2.5, §13 item 11), always of the
 * shape `<NodeHostDir>/<host>/<deployment>/snapshot-part-<cid % 512>/snapshot-<cid>-<nid>/snapshot-<IDX>/<file>`.
 * When the NodeHost dir was moved or copied, the recorded paths point at the old place; the files then sit at
 * the same place relative to the LogDB being checked. Dragonboat itself only ever opens the recorded path.
 */
import { existsSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';

import { nodeSnapshotDir } from '../../snapshot/paths.js';


export interface SnapshotFileLocation {
  /** the path that was (or would be) checked */
  path: string;
  /** the record's own path */
  recorded: string;
  /** the recorded path is not under the LogDB being checked */
  elsewhere: boolean;
  /** the file was found under the LogDB being checked, at the recorded path's relative place */
  foundHere: boolean;
}

const RELATIVE_PART = /[/\\]snapshot-part-\d+[/\\]snapshot-\d+-\d+[/\\](.+)$/;

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Where to look for a recorded snapshot file of node (c, n), given the LogDB's deployment dir (if known). */
export function locateSnapshotFile(recorded: string, deploymentDir: string | undefined, clusterId: bigint, nodeId: bigint): SnapshotFileLocation {
  if (!deploymentDir) return { path: recorded, recorded, elsewhere: false, foundHere: false };
  const nodeDir = nodeSnapshotDir(deploymentDir, clusterId, nodeId);
  const underNodeDir = [nodeDir, realOrSelf(nodeDir)].some((dir) => recorded.startsWith(dir + sep));
  if (underNodeDir) return { path: recorded, recorded, elsewhere: false, foundHere: existsSync(recorded) };
  const relative = RELATIVE_PART.exec(recorded);
  if (!relative) return { path: recorded, recorded, elsewhere: true, foundHere: false };
  // Only the copy under the LogDB being checked counts: whatever sits at the recorded place belongs to another
  // NodeHost dir (the original, or an unrelated one), and says nothing about this one's snapshots.
  const local = join(nodeDir, relative[1]);
  return { path: local, recorded, elsewhere: true, foundHere: existsSync(local) };
}
