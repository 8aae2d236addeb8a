/**
 * Holding a Pebble shard's `LOCK` while logdb writes to it (pebble-offline-writes.md rule 1; spec §9.5).
 *
 * Pebble locks `<shard dir>/LOCK` with fcntl(F_SETLK, F_WRLCK) over the whole file for as long as the store is open;
 * os-lock takes the same lock, so a NodeHost (or `ldb`) cannot open the shard while logdb writes, and logdb cannot
 * write while one has it open. The file is created when missing, as Pebble creates it, and never truncated.
 * fcntl locks belong to the process and drop when any descriptor of the file closes: nothing else in the process
 * may open and close this file while the lock is held (the backup skips LOCK files for that reason).
 */
import { closeSync, constants, openSync } from 'node:fs';
import { join } from 'node:path';
import { lock, unlock } from 'os-lock';

export interface ShardLock {
  release(): Promise<void>;
}

/** Errors of F_SETLK that mean "another process holds it". */
const HELD_ELSEWHERE = new Set(['EAGAIN', 'EACCES', 'EBUSY']);

/** Takes the shard's LOCK; throws an error with code 'LOCKED' when another process holds it. */
export async function lockShard(shardDir: string): Promise<ShardLock> {
  const path = join(shardDir, 'LOCK');
  const fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644);
  try {
    await lock(fd, { exclusive: true, immediate: true });
  } catch (err) {
    closeSync(fd);
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (HELD_ELSEWHERE.has(code)) throw Object.assign(new Error(`pebble: ${path} is locked by another process`), { code: 'LOCKED' });
    throw err;
  }
  let held = true;
  return {
    async release() {
      if (!held) return;
      held = false;
      try {
        await unlock(fd);
      } finally {
        closeSync(fd);
      }
    },
  };
}
