/**
 * Before writing to a closed Pebble shard: read everything the write depends on, and refuse what is unsafe
 * (pebble-offline-writes.md rules 2–7 and 13). Nothing here writes.
 *
 *   - format: only the verified Pebble version (writer-format.ts);
 *   - CURRENT → MANIFEST: log number (the oldest WAL with unflushed data), next file number, last sequence number
 *     and every table's largest sequence number (rule 2);
 *   - the live WALs (`*.log` numbered ≥ the log number) of the WAL dir: every one but the newest must end cleanly —
 *     at a chunk boundary or at a chunk of another log (Pebble's EOF trailer, recycled bytes) — or Pebble itself
 *     cannot open the shard; a torn newest WAL is what a crash leaves, and a WAL added behind it would make Pebble
 *     refuse to open, so that is refused too until one normal NodeHost start and stop has repaired it (rule 3);
 *   - where the WALs are: Pebble always keeps the WAL it last wrote, so the WAL dir in use must hold a live one,
 *     and when it is not the shard dir, the shard dir must hold none (Pebble fails to open then; rule 4);
 *   - the sequence number of the new batch, S = 1 + the largest sequence number anywhere in the shard: the MANIFEST
 *     last sequence, every table's largest, and seq + count − 1 of every batch of every live WAL (rule 13);
 *   - the file number of the new WAL, N = max(next file number, log number, 1 + the highest number of any
 *     Pebble-named file in the shard dir and the WAL dir) — the MANIFEST's next file number can be stale, and an
 *     existing WAL must never be reused (rules 6–7).
 * Refusals are LogdbErrors that say what was found and what to do; unreadable files are 'corrupt'.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { LogdbError } from '../../errors.js';
import { KVCorruptionError } from '../kv.js';
import { BATCH_HEADER_SIZE } from './batch.js';
import { MAX_BATCH_SEQ } from './batch-encode.js';
import { loadManifest, type ManifestFlavour, type ManifestState } from './manifest.js';
import { readLatestOptions, type OptionsFile } from './options-file.js';
import { readLogRecords, type LogEnd } from './record.js';
import { liveWalFiles } from './wal.js';
import { requireVerifiedFormat } from './writer-format.js';

/** Every file name Pebble numbers (and ours: a WAL being written is `NNNNNN.log.tmp`). */
const NUMBERED_FILE = [
  /^(\d+)\.log$/,
  /^(\d+)\.sst$/,
  /^MANIFEST-(\d+)$/,
  /^OPTIONS-(\d+)$/,
  /^CURRENT\.(\d+)\.dbtmp$/,
  /^temporary\.(\d+)\.dbtmp$/,
  /^(\d+)\.log\.tmp$/,
  // RocksDB's temporary files (CURRENT and OPTIONS being written) and blob files
  /^(\d+)\.dbtmp$/,
  /^OPTIONS-(\d+)\.dbtmp$/,
  /^(\d+)\.blob$/,
];

/**
 * What differs when this write path serves a store that shares Pebble's file formats: RocksDB
 * (src/kv/rocksdb/writer-format.ts, rocksdb-offline-writes.md) checks its own format, reads its MANIFEST tags and
 * writes legacy (non-recyclable) WAL records.
 */
export interface WalDialect {
  /** the store's name in messages */
  name: string;
  manifestFlavour: ManifestFlavour;
  /** refuses (LogdbError 'unsupported') a shard whose format the write path was not verified on */
  requireFormat(shardDir: string, options: OptionsFile | undefined, shardNames: string[]): void;
  /** write 7-byte legacy chunk headers instead of Pebble's recyclable ones */
  legacyRecords: boolean;
}

export const PEBBLE_DIALECT: WalDialect = { name: 'Pebble', manifestFlavour: 'pebble', requireFormat: requireVerifiedFormat, legacyRecords: false };
/** A WAL logdb started writing and did not publish (a killed run): Pebble ignores the name, logdb removes it. */
export const WAL_TEMP_FILE = /^\d+\.log\.tmp$/;

export interface LiveWal {
  name: string;
  num: number;
  records: number;
  end: LogEnd;
}

export interface WriteTarget {
  shardDir: string;
  walDir: string;
  manifest: ManifestState;
  liveWals: LiveWal[];
  /** the largest sequence number anywhere in the shard */
  lastSequence: bigint;
  /** S: the sequence number of the new batch's first operation */
  nextSequence: bigint;
  /** N: the number of the new WAL file */
  fileNumber: number;
  /** `NNNNNN.log.tmp` files left in the WAL dir by a killed logdb run */
  staleTempFiles: string[];
}

/** `NNNNNN.log`, the name of WAL `num` (at least six digits, as Pebble names it). */
export function walFileName(num: number): string {
  return `${String(num).padStart(6, '0')}.log`;
}

function list(dir: string, what: string): string[] {
  try {
    return readdirSync(dir);
  } catch (err) {
    throw new LogdbError('notLogdb', `cannot list the ${what} ${dir}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
}

function corrupt(err: unknown): never {
  if (err instanceof KVCorruptionError) throw new LogdbError('corrupt', err.message, 'nothing was changed; run `logdb check` for details');
  throw err;
}

/** Reads what a write to this shard depends on; throws a LogdbError when writing would be unsafe. */
export function inspectShardForWrite(shardDir: string, walDir: string = shardDir, dialect: WalDialect = PEBBLE_DIALECT): WriteTarget {
  const shardNames = list(shardDir, 'shard dir');
  const walNames = walDir === shardDir ? shardNames : list(walDir, 'WAL dir');
  dialect.requireFormat(shardDir, readLatestOptions(shardDir, shardNames), shardNames);

  let manifest: ManifestState;
  try {
    manifest = loadManifest(shardDir, dialect.manifestFlavour);
  } catch (err) {
    corrupt(err);
  }
  let lastSequence = manifest.lastSequence;
  for (const table of manifest.levels.flat()) {
    if (table.tag === 7) {
      throw new LogdbError('unsupported', `${manifest.manifestName} of ${shardDir} lists table ${table.fileNum} without sequence numbers (a LevelDB-style entry ${dialect.name} does not write)`, 'nothing was changed');
    }
    if (table.largestSeqNum > lastSequence) lastSequence = table.largestSeqNum;
  }

  const wals = liveWalFiles(walDir, walNames, manifest.logNumber);
  requireWalsWhereExpected(shardDir, walDir, shardNames, manifest, wals.length, dialect.name);
  const liveWals: LiveWal[] = wals.map((wal, i) => {
    let data: Buffer;
    try {
      data = readFileSync(wal.path);
    } catch (err) {
      throw new LogdbError('failure', `cannot read the WAL ${wal.path}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
    const log = readLogRecords(data, wal.num);
    const newest = i === wals.length - 1;
    if (log.end === 'torn') refuseTornWal(wal.path, newest, log.tornOffset!, log.tornReason!, dialect.name);
    log.records.forEach((record, r) => {
      if (record.length < BATCH_HEADER_SIZE) {
        throw new LogdbError('corrupt', `${wal.path}: the record at offset ${log.offsets[r]} is shorter than a batch header (Pebble itself cannot open this shard)`);
      }
      const last = record.readBigUInt64LE(0) + BigInt(record.readUInt32LE(8)) - 1n;
      if (last > lastSequence) lastSequence = last;
    });
    return { name: wal.name, num: wal.num, records: log.records.length, end: log.end };
  });

  const nextSequence = lastSequence + 1n;
  if (nextSequence > MAX_BATCH_SEQ) {
    throw new LogdbError('unsupported', `${shardDir}: the next sequence number ${nextSequence} is beyond what logdb writes exactly (2^53 − 1)`, 'nothing was changed');
  }
  let fileNumber = Math.max(manifest.nextFileNumber, manifest.logNumber);
  for (const name of walDir === shardDir ? shardNames : [...shardNames, ...walNames]) {
    for (const pattern of NUMBERED_FILE) {
      const m = pattern.exec(name);
      if (m) fileNumber = Math.max(fileNumber, Number(m[1]) + 1);
    }
  }
  return {
    shardDir,
    walDir,
    manifest,
    liveWals,
    lastSequence,
    nextSequence,
    fileNumber,
    staleTempFiles: walNames.filter((n) => WAL_TEMP_FILE.test(n)),
  };
}

/**
 * Pebble keeps the WAL it last wrote even after a clean close, so a live WAL must be where WALs are read from;
 * with a separate WAL dir, live WALs in the shard dir make Pebble fail to open (rule 4).
 */
function requireWalsWhereExpected(shardDir: string, walDir: string, shardNames: string[], manifest: ManifestState, liveInWalDir: number, store: string): void {
  if (liveInWalDir === 0) {
    throw new LogdbError(
      'notLogdb',
      `no WAL numbered ${manifest.logNumber} or above in ${walDir}, where ${store} always keeps the one it last wrote: its WALs are elsewhere`,
      walDir === shardDir ? 'the NodeHost probably has a WAL dir: give it with --wal-dir; nothing was changed' : 'check --wal-dir; nothing was changed',
    );
  }
  if (walDir !== shardDir && liveWalFiles(shardDir, shardNames, manifest.logNumber).length > 0) {
    throw new LogdbError(
      'refused',
      `both the shard dir ${shardDir} and the WAL dir ${walDir} hold live WAL files: ${store} reads WALs from one of them only, so logdb cannot tell where a new one would be read`,
      'check --wal-dir against the NodeHost configuration; nothing was changed',
    );
  }
}

function refuseTornWal(path: string, newest: boolean, offset: number, reason: string, store: string): never {
  if (newest) {
    const consequence = store === 'Pebble' ? 'refuses to open it once another WAL follows' : 'may fail to open it once another WAL follows';
    throw new LogdbError(
      'refused',
      `the newest WAL ${path} ends in a torn record at offset ${offset} (${reason}): the NodeHost did not stop cleanly. ${store} drops that tail when it opens the shard, but ${consequence}, so logdb will not add one`,
      'start the NodeHost once and stop it normally (that repairs the WAL), then run logdb again; nothing was changed',
    );
  }
  throw new LogdbError(
    'corrupt',
    `the WAL ${path} is torn at offset ${offset} (${reason}) and a newer WAL follows it: ${store} itself refuses to open this shard${store === 'Pebble' ? ' (strict_wal_tail)' : ''}`,
    'restore the shard from a backup; nothing was changed',
  );
}
