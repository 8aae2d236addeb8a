/**
 * Applying a planned tan change (change.ts) so that a kill at any moment leaves the node as it was or as planned:
 *   1. remove-node: delete the BOOTSTRAP file first — from then on tan (and logdb) treat the node as removed, and
 *      everything after only tidies its db;
 *   2. write the new log under a temporary name, sync, rename: a log no MANIFEST names is ignored by tan (and
 *      deleted at its next open), as is a MANIFEST that CURRENT does not name;
 *   3. write the new MANIFEST (one snapshot edit: every live log), sync;
 *   4. import: write the new BOOTSTRAP under its temporary name, sync;
 *   5. commit: CURRENT written under a temporary name, synced and renamed over CURRENT (and, for an import, the
 *      BOOTSTRAP renamed right after), directories synced;
 *   6. delete what is no longer live.
 * An import changes two files (BOOTSTRAP and CURRENT); both are complete and synced before the two renames, which
 * follow each other directly — v4's own ImportSnapshot writes them with a whole log write in between.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ChunkChecksum } from '../../kv/pebble/record.js';
import { currentTempFile } from '../files.js';
import { encodeCurrent, encodeManifest } from '../manifest.js';
import { tanCrashPoint } from './crash-points.js';
import type { TanChange } from './change.js';

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

export function applyTanChange(t: TanChange, checksum: ChunkChecksum): void {
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
  const bootstrapTmp = `${t.bootstrap.path}.tmp`;
  if (t.bootstrap.action === 'write') {
    mkdirSync(dirname(t.bootstrap.path), { recursive: true, mode: 0o755 });
    writeSynced(bootstrapTmp, t.bootstrap.value);
  }
  const currentTmp = currentTempFile(t.nodeDir, t.manifest.fileNum);
  writeSynced(currentTmp, encodeCurrent(t.manifest.fileNum, checksum));
  renameSync(currentTmp, join(t.nodeDir, 'CURRENT'));
  if (t.bootstrap.action === 'write') renameSync(bootstrapTmp, t.bootstrap.path);
  syncDir(t.nodeDir);
  if (t.bootstrap.action === 'write') syncDir(dirname(t.bootstrap.path));
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
