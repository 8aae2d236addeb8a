/**
 * Durable file operations for snapshot directories, done the way Dragonboat's fileutil does them (spec §2.2,
 * §2.5, §10.3 step 10):
 *  - a flag file is created/truncated, written as md5(payload)[8..16] ‖ payload, fsynced, closed, and then its
 *    parent directory is fsynced;
 *  - a directory is created with mode 0750 and its parent fsynced;
 *  - a copied file gets the source's permission bits (Go: out.Chmod(in.Stat().Mode())), is fsynced, and its
 *    directory is fsynced;
 *  - after a rename or a recursive delete the parent directory is fsynced.
 * Every failure becomes a one-line LogdbError('failure', "<what> <path>: <errno code>").
 */
import { constants } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { encodeFlagFile } from '../codec/flag-file.js';
import { LogdbError } from '../errors.js';

/** Mode of every directory Dragonboat creates. */
export const DIR_MODE = 0o750;
/** Copy buffer: one .gbsnap block (2 MiB). */
export const COPY_BUFFER_SIZE = 2 * 1024 * 1024;

/** A one-line LogdbError for a failed file-system call. */
export function fsFailure(action: string, path: string, err: unknown, kind: 'failure' | 'invalidSnapshot' = 'failure'): LogdbError {
  if (err instanceof LogdbError) return err;
  const e = err as NodeJS.ErrnoException;
  const detail = e?.code ?? (e instanceof Error ? e.message : String(err));
  return new LogdbError(kind, `snapshot: cannot ${action} ${path}: ${detail}`);
}

/** fsync a directory (its entries: created, renamed or removed children). */
export async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    await fh.sync();
  } catch (err) {
    throw fsFailure('fsync directory', dir, err);
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** True if `path` exists (following symlinks) and is a directory; false if it does not exist. */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw fsFailure('stat', path, err);
  }
}

/** True if something exists at `path` (no symlink following needed for this purpose). */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw fsFailure('stat', path, err);
  }
}

/** Creates `dir` (mode 0750) unless it is already a directory, then fsyncs its parent. Returns true if created. */
export async function ensureDir(dir: string): Promise<boolean> {
  if (await isDirectory(dir)) return false;
  try {
    await mkdir(dir, { mode: DIR_MODE });
  } catch (err) {
    throw fsFailure('create directory', dir, err);
  }
  await syncDir(dirname(dir));
  return true;
}

/** Removes `path` recursively (no error if it is absent), then fsyncs its parent. */
export async function removeTree(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true });
  } catch (err) {
    throw fsFailure('remove', path, err);
  }
  await syncDir(dirname(path));
}

/** Renames `from` to `to` (same parent expected) and fsyncs the parent of `to`. */
export async function renameDurably(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    throw fsFailure(`rename ${from} to`, to, err);
  }
  await syncDir(dirname(to));
  if (dirname(from) !== dirname(to)) await syncDir(dirname(from));
}

/** Writes the flag file `dir/name` holding `payload` (create/truncate, write, fsync, fsync dir). */
export async function writeFlagFile(dir: string, name: string, payload: Buffer): Promise<void> {
  const path = join(dir, name);
  let fh;
  try {
    fh = await open(path, 'w');
    await fh.writeFile(encodeFlagFile(payload));
    await fh.sync();
  } catch (err) {
    throw fsFailure('write', path, err);
  } finally {
    await fh?.close().catch(() => undefined);
  }
  await syncDir(dir);
}

/**
 * Copies the regular file `src` to the new file `dst` (which must not exist), with `src`'s permission bits, in
 * COPY_BUFFER_SIZE chunks; fsyncs `dst` and its directory. `expectedSize` guards against a source that changed
 * since it was validated. `onBytes(n)` is called after each chunk written.
 */
export async function copyFileDurably(src: string, dst: string, expectedSize: bigint, onBytes?: (n: number) => void): Promise<void> {
  let input;
  let output;
  try {
    try {
      input = await open(src, 'r');
    } catch (err) {
      throw fsFailure('open', src, err);
    }
    let mode: number;
    try {
      const st = await input.stat();
      if (!st.isFile()) throw new LogdbError('failure', `snapshot: cannot copy ${src}: not a regular file`);
      if (BigInt(st.size) !== expectedSize) {
        throw new LogdbError('failure', `snapshot: ${src} is now ${st.size} bytes, ${expectedSize} when it was validated (changed while importing?)`);
      }
      mode = st.mode & 0o7777;
    } catch (err) {
      throw fsFailure('stat', src, err);
    }
    try {
      output = await open(dst, 'wx', 0o600);
      await output.chmod(mode);
    } catch (err) {
      throw fsFailure('create', dst, err);
    }
    const buf = Buffer.allocUnsafe(COPY_BUFFER_SIZE);
    let position = 0;
    for (;;) {
      let n: number;
      try {
        ({ bytesRead: n } = await input.read(buf, 0, buf.length, position));
      } catch (err) {
        throw fsFailure('read', src, err);
      }
      if (n === 0) break;
      try {
        let written = 0;
        while (written < n) {
          const { bytesWritten } = await output.write(buf, written, n - written, position + written);
          written += bytesWritten;
        }
      } catch (err) {
        throw fsFailure('write', dst, err);
      }
      position += n;
      onBytes?.(n);
    }
    if (BigInt(position) !== expectedSize) {
      throw new LogdbError('failure', `snapshot: copied ${position} bytes of ${src}, expected ${expectedSize} (changed while importing?)`);
    }
    try {
      await output.sync();
    } catch (err) {
      throw fsFailure('fsync', dst, err);
    }
  } finally {
    await input?.close().catch(() => undefined);
    await output?.close().catch(() => undefined);
  }
  await syncDir(dirname(dst));
}
