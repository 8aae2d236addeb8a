/**
 * The locks that say "Dragonboat is using this directory" (spec §2.1, §9.5): the NodeHost's `LOCK` (and the
 * WAL dir's), and each shard's own KV-store `LOCK`. All are POSIX fcntl(F_SETLK) write locks on the whole file,
 * which Node cannot take by itself: os-lock (a small native addon doing exactly fcntl on Unix) takes them.
 *
 * Write commands hold the NodeHost lock for their whole run, so a NodeHost cannot start under them, and test
 * every shard lock before touching anything (LevelDB then takes its shard's lock itself when opened in place).
 * fcntl locks belong to the process and drop when any descriptor of the file closes, so the lock files are
 * opened once and never read or copied elsewhere while held.
 */
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { lock, unlock } from 'os-lock';
import { LogdbError } from '../errors.js';
import type { Layout } from './layout.js';

export interface HeldLocks {
  release(): Promise<void>;
}

function inUse(path: string): LogdbError {
  return new LogdbError('inUse', `${path} is locked: a running NodeHost (or another process) is using this directory`, 'stop the NodeHost first; nothing was changed');
}

async function tryLock(path: string): Promise<number | undefined> {
  if (!existsSync(path)) return undefined;
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new LogdbError('failure', `cannot open ${path} to lock it: ${code}`, code === 'EACCES' ? 'run as the user that owns the NodeHost directory' : undefined);
  }
  try {
    await lock(fd, { exclusive: true, immediate: true });
    return fd;
  } catch (err) {
    closeSync(fd);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN' || code === 'EACCES' || code === 'EBUSY') throw inUse(path);
    throw err;
  }
}

/** Takes the NodeHost (and WAL dir) LOCK and checks that no shard LOCK is held; refuses with 'inUse' otherwise. */
export async function lockForWrite(layout: Layout, shardIndexes: number[]): Promise<HeldLocks> {
  const held: number[] = [];
  const releaseAll = async () => {
    for (const fd of held.splice(0)) {
      try {
        await unlock(fd);
      } finally {
        closeSync(fd);
      }
    }
  };
  try {
    const roots = [layout.nodeHostDir, layout.walDir].filter((d): d is string => Boolean(d));
    for (const root of roots) {
      const fd = await tryLock(join(root, 'LOCK'));
      if (fd !== undefined) held.push(fd);
    }
    // a v4 tan LogDB holds tandb/LOCK while open (v4-format.md §6)
    const stores = layout.tanDir ? [layout.tanDir] : [];
    for (const index of shardIndexes) {
      const shard = layout.shards.find((s) => s.index === index);
      if (shard) stores.push(shard.dir);
    }
    for (const dir of stores) {
      const fd = await tryLock(join(dir, 'LOCK'));
      if (fd !== undefined) {
        await unlock(fd);
        closeSync(fd);
      }
    }
  } catch (err) {
    await releaseAll();
    throw err;
  }
  return { release: releaseAll };
}
