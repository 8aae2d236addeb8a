/**
 * Applying a planned tan change (change.ts) so that a kill at any moment leaves the node as it was or as planned:
 *   0. finish what an interrupted import left (../pending.ts): a committed pending BOOTSTRAP is renamed into place,
 *      one that never committed is deleted — neither changes what is read, so the order of the rest is unchanged;
 *   1. remove-node: delete the BOOTSTRAP file first — from then on tan (and logdb) treat the node as removed, and
 *      everything after only tidies its db;
 *   2. write the new log under a temporary name, sync, rename: a log no MANIFEST names is ignored by tan (and
 *      deleted at its next open), as is a MANIFEST that CURRENT does not name;
 *   3. write the new MANIFEST (one snapshot edit: every live log), sync;
 *   4. import: write the new BOOTSTRAP as `BOOTSTRAP-<c>-<n>.logdb-pending-<new MANIFEST number>`, sync it and
 *      the bootstrap dir;
 *   5. commit: CURRENT written under a temporary name, synced and renamed over CURRENT, dir synced;
 *   6. import: the pending BOOTSTRAP renamed over BOOTSTRAP, dir synced;
 *   7. delete what is no longer live.
 * An import changes two files in two dirs (BOOTSTRAP and CURRENT), and no rename does both. Its commit point is
 * the CURRENT rename: killed before it, the pending file is a leftover nobody reads (the next logdb write deletes
 * it); killed between 5 and 6, every logdb read takes the pending file as the node's bootstrap (it is named after
 * the MANIFEST CURRENT now names), warns, and the next logdb write on the NodeHost renames it into place first
 * (step 0). Dragonboat does not know the pending file: a NodeHost started in that window, before any logdb write,
 * reads the old BOOTSTRAP with the new log (its own ImportSnapshot has the opposite window: it writes BOOTSTRAP
 * before the log); `logdb check` names the case (tan-import-unfinished), and rerunning the import finishes it.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ChunkChecksum } from '../../kv/pebble/record.js';
import { currentTempFile } from '../files.js';
import { encodeCurrent, encodeManifest } from '../manifest.js';
import { tanCrashPoint } from './crash-points.js';
import type { TanChange, UnfinishedImport } from './change.js';

function writeSynced(path: string, data: Buffer): void {
  const fd = openSync(path, 'w', 0o644);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function finishUnfinished(unfinished: UnfinishedImport[]): void {
  if (!unfinished.length) return;
  for (const u of unfinished) {
    if (u.action === 'finish') renameSync(u.from, u.to);
    else rmSync(u.path, { force: true });
  }
  for (const dir of new Set(unfinished.map((u) => dirname(u.action === 'finish' ? u.to : u.path)))) syncDir(dir);
  tanCrashPoint('tan-unfinished-done');
}

export function applyTanChange(t: TanChange, checksum: ChunkChecksum): void {
  finishUnfinished(t.unfinished);
  if (t.bootstrap.action === 'delete') {
    rmSync(t.bootstrap.path, { force: true });
    syncDir(dirname(t.bootstrap.path));
    tanCrashPoint('tan-bootstrap-deleted');
  }
  if (!t.dbExists) {
    mkdirSync(t.nodeDir, { recursive: true, mode: 0o755 });
    syncDir(dirname(t.nodeDir));
  }
  const logTmp = t.newLog.path.replace(/\.log$/, '.logtmp');
  writeSynced(logTmp, Buffer.concat(t.newLog.records));
  tanCrashPoint('tan-log-written');
  renameSync(logTmp, t.newLog.path);
  const indexTmp = t.newLog.index.path.replace(/\.index$/, '.idxtmp');
  writeSynced(indexTmp, t.newLog.index.bytes);
  renameSync(indexTmp, t.newLog.index.path);
  syncDir(t.nodeDir);
  tanCrashPoint('tan-log-renamed');
  writeSynced(t.manifest.path, encodeManifest(t.manifest.edits, checksum));
  syncDir(t.nodeDir);
  tanCrashPoint('tan-manifest-written');
  if (t.bootstrap.action === 'write') {
    if (mkdirSync(dirname(t.bootstrap.path), { recursive: true, mode: 0o755 })) syncDir(dirname(dirname(t.bootstrap.path)));
    writeSynced(t.bootstrap.pending, t.bootstrap.value);
    // the pending file must be on disk for good before the CURRENT that commits it
    syncDir(dirname(t.bootstrap.pending));
    tanCrashPoint('tan-bootstrap-pending');
  }
  const currentTmp = currentTempFile(t.nodeDir, t.manifest.fileNum);
  writeSynced(currentTmp, encodeCurrent(t.manifest.fileNum, checksum));
  renameSync(currentTmp, join(t.nodeDir, 'CURRENT'));
  syncDir(t.nodeDir);
  if (t.bootstrap.action === 'write') {
    tanCrashPoint('tan-current-renamed');
    renameSync(t.bootstrap.pending, t.bootstrap.path);
    syncDir(dirname(t.bootstrap.path));
  }
  tanCrashPoint('tan-committed');
  for (const f of t.obsolete) {
    try {
      unlinkSync(f);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  syncDir(t.nodeDir);
  tanCrashPoint('tan-cleaned');
}
