/**
 * Running a test on a NodeHost dir placed where Dragonboat wrote it. Snapshot records hold absolute paths
 * (/var/lib/dragonboat/nodehost/…), so only there does a copy look exactly as the running NodeHost saw it.
 *
 * That place is shared by the whole machine, so: a lock directory keeps two test processes out of each other's
 * way (a lock older than ten minutes is taken to be left by a killed run); a marker file tells our own
 * leftovers from anyone else's data, which is never touched (the test is skipped instead); and whatever was
 * created is removed afterwards, /var/lib/dragonboat included when it was not there before.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const RECORDED_NODEHOST_DIR = '/var/lib/dragonboat/nodehost';
const ROOT = dirname(RECORDED_NODEHOST_DIR);
const LOCK = join(ROOT, '.logdb-tests.lock');
const OURS = join(ROOT, '.logdb-tests.owned');
const STALE_LOCK_MS = 10 * 60 * 1000;
const WAIT_MS = 5 * 60 * 1000;

export class PlaceUnavailable extends Error {}

/** Holds the place for `fn`; throws PlaceUnavailable when someone else's data is there or it cannot be made. */
export async function holdingRecordedPlace<T>(fn: (place: RecordedPlace) => Promise<T>): Promise<T> {
  const createdRoot = !existsSync(ROOT);
  try {
    mkdirSync(ROOT, { recursive: true });
  } catch (err) {
    throw new PlaceUnavailable(`cannot create ${ROOT}: ${(err as NodeJS.ErrnoException).code}`);
  }
  await takeLock();
  try {
    if (existsSync(RECORDED_NODEHOST_DIR)) {
      if (!existsSync(OURS)) throw new PlaceUnavailable(`${RECORDED_NODEHOST_DIR} holds data these tests did not put there`);
      rmSync(RECORDED_NODEHOST_DIR, { recursive: true, force: true });
    }
    return await fn(new RecordedPlace());
  } finally {
    rmSync(RECORDED_NODEHOST_DIR, { recursive: true, force: true });
    rmSync(OURS, { force: true });
    rmSync(LOCK, { recursive: true, force: true });
    if (createdRoot && readdirSync(ROOT).length === 0) rmdirSync(ROOT);
  }
}

export class RecordedPlace {
  readonly dir = RECORDED_NODEHOST_DIR;

  /** Replaces whatever is at the place with a copy of `nodeHostDir`. */
  put(nodeHostDir: string): string {
    writeFileSync(OURS, 'a logdb test copy lives in ./nodehost; removed when the test ends\n');
    rmSync(this.dir, { recursive: true, force: true });
    cpSync(nodeHostDir, this.dir, { recursive: true });
    return this.dir;
  }
}

async function takeLock(): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // another test process that had made /var/lib/dragonboat removed it when it finished: make it again
      if (code === 'ENOENT') {
        mkdirSync(ROOT, { recursive: true });
        continue;
      }
      if (code !== 'EEXIST') throw err;
    }
    try {
      if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
    } catch {
      // gone meanwhile
    }
    if (Date.now() > deadline) throw new PlaceUnavailable(`${LOCK} stayed taken for ${WAIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
