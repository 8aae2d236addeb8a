/**
 * Backups taken before every write, and restoring them.
 *
 * A backup holds what the write can change: each affected shard directory (immutable table files as hard
 * links, everything else copied — never the LOCK file, whose lock must not be disturbed) and each affected
 * snapshot directory (hard links: Dragonboat never modifies a finalized snapshot file, it only deletes it).
 * `backup.json` inside says where each piece came from, so `logdb restore-backup` can put it all back.
 * Backups live outside the NodeHost dir (beside it by default), so Dragonboat never sees them.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { LogdbError } from '../errors.js';

export interface BackupManifest {
  format: 'logdb-backup-1';
  created: string;
  command: string;
  nodeHostDir: string | null;
  /** directories saved: the original absolute path, the copy relative to the backup, whether it existed */
  dirs: { original: string; copy: string; existed: boolean }[];
}

const IMMUTABLE = /\.(ldb|sst|gbsnap)$|^external-file-\d+$/;
const NEVER_COPIED = new Set(['LOCK']);

function linkOrCopy(from: string, to: string, immutable: boolean): void {
  if (immutable) {
    try {
      linkSync(from, to);
      return;
    } catch {
      // another filesystem: fall through to a copy
    }
  }
  copyFileSync(from, to);
}

/** Copies a tree (links for immutable files); `onBytes` hears of each file's size as it is saved. */
function copyTree(from: string, to: string, onBytes?: (bytes: number) => void): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (NEVER_COPIED.has(name)) continue;
    const src = join(from, name);
    const st = statSync(src);
    if (st.isDirectory()) copyTree(src, join(to, name), onBytes);
    else if (st.isFile()) {
      linkOrCopy(src, join(to, name), IMMUTABLE.test(name));
      onBytes?.(st.size);
    }
  }
}

export function defaultBackupRoot(nodeHostDir: string): string {
  return dirname(resolve(nodeHostDir));
}

/** Saves `dirs` into a new backup directory under `root` and returns its path. */
export function createBackup(root: string, command: string, nodeHostDir: string | undefined, dirs: string[], onBytes?: (bytes: number) => void): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const backupDir = join(resolve(root), `logdb-backup-${stamp}-${command}`);
  if (nodeHostDir && (backupDir + '/').startsWith(resolve(nodeHostDir) + '/')) {
    throw new LogdbError('usage', `the backup would be inside the NodeHost dir (${backupDir})`, 'give --backup-dir outside it');
  }
  try {
    mkdirSync(backupDir, { recursive: true });
    const manifest: BackupManifest = { format: 'logdb-backup-1', created: new Date().toISOString(), command, nodeHostDir: nodeHostDir ?? null, dirs: [] };
    dirs.forEach((dir, i) => {
      const copy = `${i}-${basename(dir)}`;
      const existed = existsSync(dir);
      if (existed) copyTree(dir, join(backupDir, copy), onBytes);
      manifest.dirs.push({ original: resolve(dir), copy, existed });
    });
    writeFileSync(join(backupDir, 'backup.json'), JSON.stringify(manifest, null, 2) + '\n');
    return backupDir;
  } catch (err) {
    if (err instanceof LogdbError) throw err;
    rmSync(backupDir, { recursive: true, force: true });
    const e = err as NodeJS.ErrnoException;
    throw new LogdbError('failure', `cannot write the backup to ${backupDir}: ${e.code ?? e.message}; nothing was changed`, 'free space there, give --backup-dir, or pass --no-backup');
  }
}

export function readBackupManifest(backupDir: string): BackupManifest {
  const file = join(backupDir, 'backup.json');
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new LogdbError('notFound', `${backupDir} is not a logdb backup (no readable backup.json)`);
  }
  if (manifest.format !== 'logdb-backup-1') throw new LogdbError('unsupported', `${file} has unknown format ${manifest.format}`);
  return manifest;
}

/** Puts every saved directory back as it was (each replaced whole; one that did not exist is removed). */
export function restoreBackup(backupDir: string): BackupManifest {
  const manifest = readBackupManifest(backupDir);
  for (const d of manifest.dirs) {
    const saved = join(backupDir, d.copy);
    const aside = `${d.original}.logdb-restore-${process.pid}`;
    if (existsSync(d.original)) {
      const lockFile = join(d.original, 'LOCK');
      const keepLock = existsSync(lockFile);
      renameSync(d.original, aside);
      if (d.existed) {
        copyTree(saved, d.original);
        if (keepLock) copyFileSync(join(aside, 'LOCK'), lockFile);
      }
      rmSync(aside, { recursive: true, force: true });
    } else if (d.existed) {
      copyTree(saved, d.original);
    }
  }
  return manifest;
}
