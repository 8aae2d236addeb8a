/**
 * logdb's import-snapshot on tan changes two files in two directories — the node db's CURRENT and the node's
 * BOOTSTRAP — and no rename changes both at once. Its commit point is the CURRENT rename; before it, the new
 * BOOTSTRAP is written complete and synced as `BOOTSTRAP-<c>-<n>.logdb-pending-<N>` beside the old one, N being the
 * number of the MANIFEST the import's CURRENT names; right after it, the pending file is renamed over BOOTSTRAP.
 * So a pending file is
 *   - committed when the node's CURRENT names MANIFEST-N: the import happened, and the pending file IS the node's
 *     bootstrap until it is renamed into place (what every read here answers, and what the next logdb write on
 *     the NodeHost finishes first);
 *   - a leftover otherwise: the import was killed before its commit point, and the file is ignored (and removed
 *     by the next logdb write).
 * The number cannot come back: tan's open hands out numbers above every file in the db dir (open.go "Don't reuse
 * any obsolete file numbers"), so once CURRENT names another MANIFEST it never names MANIFEST-N again.
 * Dragonboat itself knows nothing of pending files (its ListNodeInfo matches `^BOOTSTRAP-(\d+)-(\d+)$` only): a
 * NodeHost started on a committed, unfinished import reads the old BOOTSTRAP with the new log, and its open names
 * a new MANIFEST, which turns the pending file into a leftover.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ChunkChecksum } from '../kv/pebble/record.js';
import { listOrEmpty } from '../util/fs.js';
import { BOOTSTRAP_DIR, bootstrapFile, nodeDir, parsePendingBootstrapName } from './files.js';
import { readCurrent } from './manifest.js';

export interface PendingBootstrap {
  clusterId: bigint;
  nodeId: bigint;
  manifestNum: number;
  /** the pending file */
  path: string;
  /** the BOOTSTRAP file it replaces */
  target: string;
  /** committed: CURRENT names its MANIFEST; leftover: CURRENT names another; undecided: CURRENT does not read */
  state: 'committed' | 'leftover' | 'undecided';
}

/** The MANIFEST number the node's CURRENT names; 0 without CURRENT (never committed), -1 when it does not read. */
function currentManifest(dir: string, checksum: ChunkChecksum): number {
  if (!existsSync(join(dir, 'CURRENT'))) return 0;
  try {
    return readCurrent(dir, checksum);
  } catch {
    // a damaged CURRENT is reported by the node's own read; the pending file is then neither used nor removed
    return -1;
  }
}

/** Every pending BOOTSTRAP file in the tan dir, by name; at most one per node can be committed. */
export function findPendingBootstraps(tanDir: string, checksum: ChunkChecksum): PendingBootstrap[] {
  const found: PendingBootstrap[] = [];
  for (const name of listOrEmpty(join(tanDir, BOOTSTRAP_DIR)).sort()) {
    const p = parsePendingBootstrapName(name);
    if (!p) continue;
    const current = currentManifest(nodeDir(tanDir, p.clusterId, p.nodeId), checksum);
    const state = current === p.manifestNum ? 'committed' : current < 0 ? 'undecided' : 'leftover';
    found.push({ ...p, path: join(tanDir, BOOTSTRAP_DIR, name), target: bootstrapFile(tanDir, p.clusterId, p.nodeId), state });
  }
  return found;
}

/** The one warning line a read prints for a committed, unfinished import. */
export function describeUnfinishedImport(p: PendingBootstrap): string {
  return (
    `cluster ${p.clusterId} node ${p.nodeId}: an interrupted import-snapshot committed its new log but not its BOOTSTRAP; ` +
    `${p.path} is read as the node's bootstrap. Rerun that import-snapshot (or any logdb write on this NodeHost) to finish it ` +
    'before starting the NodeHost, which would read the old BOOTSTRAP'
  );
}
