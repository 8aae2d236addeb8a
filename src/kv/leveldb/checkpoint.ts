/**
 * A private, disposable copy of one LevelDB shard, so that reads never change the operator's directory.
 *
 * Opening a LevelDB in place is not a read: it replays the log into a new table, may compact, writes a new
 * MANIFEST and CURRENT, and needs the LOCK that a running NodeHost holds. A checkpoint takes the immutable table
 * files (`*.ldb`, `*.sst`) as hard links (copies where the filesystem refuses links, e.g. across devices) and
 * copies everything that LevelDB rewrites (`*.log`, `MANIFEST-*`, `CURRENT`). LOCK and the info logs are left
 * behind. Whatever LevelDB then does to the checkpoint only touches the links and copies: LevelDB never
 * modifies a table file, it only creates new ones and unlinks old ones.
 *
 * The checkpoint lives in the system temp dir ($TMPDIR). On another filesystem than the shard, hard links are
 * impossible and the tables are copied: `tableBytesCopied` says how much, so the CLI can suggest a TMPDIR on
 * the NodeHost's filesystem.
 *
 * What this can promise on a live shard: the files are taken one by one, not atomically, so a NodeHost writing
 * at the same moment can make the checkpoint miss its newest writes or (rarely) fail to open; the operator's
 * files are never changed either way.
 */
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const IMMUTABLE_TABLE = /\.(ldb|sst)$/;
const REWRITTEN_BY_LEVELDB = /^(CURRENT|MANIFEST-\d+|\d+\.log)$/;

export interface Checkpoint {
  dir: string;
  /** true when every table file was hard-linked (no table bytes copied) */
  linked: boolean;
  remove(): void;
}

const PREFIX = 'logdb-checkpoint-';

/** Removes checkpoints left by logdb processes that were killed before they could clean up. */
function sweepAbandoned(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^logdb-checkpoint-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let swept = false;

/** Bytes of table files copied (not linked) into checkpoints by this process. */
export let tableBytesCopied = 0;

/** Checkpoints still open, removed when the process exits however it exits (process.exit on a closed pipe too). */
const live = new Set<string>();
process.once('exit', () => {
  for (const root of live) rmSync(root, { recursive: true, force: true });
});

export function createCheckpoint(shardDir: string): Checkpoint {
  if (!swept) {
    swept = true;
    sweepAbandoned();
  }
  const root = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  const dir = join(root, 'shard');
  let linked = true;
  try {
    mkdirSync(dir);
    for (const name of readdirSync(shardDir)) {
      const from = join(shardDir, name);
      const to = join(dir, name);
      if (IMMUTABLE_TABLE.test(name)) {
        try {
          linkSync(from, to);
        } catch {
          linked = false;
          copyFileSync(from, to);
          tableBytesCopied += statSync(to).size;
        }
      } else if (REWRITTEN_BY_LEVELDB.test(name)) {
        copyFileSync(from, to);
      }
    }
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  live.add(root);
  return {
    dir,
    linked,
    remove: () => {
      live.delete(root);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
