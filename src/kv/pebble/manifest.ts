/**
 * The MANIFEST: which tables make up the shard, level by level, and where the WAL replay starts.
 *
 * Wire format: `CURRENT` holds the name of the live MANIFEST followed by a newline (`MANIFEST-000044\n`). The MANIFEST
 * is a log (record.ts) whose records are version edits, replayed in order from an empty version. A version edit is a
 * sequence of fields, each a uvarint tag and a tag-specific value; "bytes" below means a uvarint length + the bytes,
 * a "key" is an encoded internal key (user key ‖ 8-byte trailer):
 *    1 comparator name (bytes)          2 log number (uvarint): the oldest WAL with data not yet in a table
 *    3 next file number (uvarint)       4 last sequence number (uvarint)
 *    5 compact pointer (level, key)     6 deleted file (level, file number)
 *    7 new file (level, file number, size, smallest key, largest key)
 *    9 previous log number (uvarint; LevelDB relic, informational only)
 *  100 new file 2: as 7, then smallest and largest sequence numbers
 *  102 new file 3: as 100 with a path id (uvarint) after the file number
 *  103 new file 4: as 100, then custom fields (uvarint tag, bytes value) up to the terminating tag 1; tags below 64
 *      may be ignored (2 needs compaction, 6 creation time), tags from 64 up (65 path id) may not
 *  200–203 column families: not supported by Pebble
 * This is the set Pebble decodes at the version Dragonboat v3.3.8 pins (2021-03-31). Levels run 0–6. A RocksDB
 * MANIFEST (same framing) may also carry 10 (min log number to keep), 203 (max column family), 200 with the default
 * family 0, 300 (atomic group) and tags with bit 13 set (safe to ignore); those are accepted only when the caller
 * says the directory is RocksDB's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cursor } from './coding.js';
import { corruption, DecodeError, decodeFailure, UnsupportedFormatError } from './errors.js';
import { readWholeLog } from './record.js';
import { compareBytes } from './internal-key.js';

// --- wire format: version edit tags ---
const TAG_COMPARATOR = 1;
const TAG_LOG_NUMBER = 2;
const TAG_NEXT_FILE_NUMBER = 3;
const TAG_LAST_SEQUENCE = 4;
const TAG_COMPACT_POINTER = 5;
const TAG_DELETED_FILE = 6;
const TAG_NEW_FILE = 7;
const TAG_PREV_LOG_NUMBER = 9;
const TAG_NEW_FILE_2 = 100;
const TAG_NEW_FILE_3 = 102;
const TAG_NEW_FILE_4 = 103;
const TAG_COLUMN_FAMILY = 200;
const TAG_COLUMN_FAMILY_ADD = 201;
const TAG_COLUMN_FAMILY_DROP = 202;
const TAG_MAX_COLUMN_FAMILY = 203;
// RocksDB only
const TAG_ROCKSDB_MIN_LOG_NUMBER_TO_KEEP = 10;
const TAG_ROCKSDB_IN_ATOMIC_GROUP = 300;
const TAG_ROCKSDB_SAFE_IGNORE_MASK = 1 << 13;
// --- wire format: custom fields of "new file 4" ---
const CUSTOM_TAG_TERMINATE = 1;
const CUSTOM_TAG_NEEDS_COMPACTION = 2;
const CUSTOM_TAG_CREATION_TIME = 6;
const CUSTOM_TAG_NON_SAFE_IGNORE_MASK = 1 << 6;
const CUSTOM_TAG_PATH_ID = 65;

export const NUM_LEVELS = 7;
export const BYTEWISE_COMPARATOR = 'leveldb.BytewiseComparator';
const CURRENT_FILE = 'CURRENT';
const MANIFEST_NAME = /^MANIFEST-(\d+)$/;

/** A table's boundary key as the manifest stores it, with the exact 56-bit sequence number. */
export interface BoundKey {
  userKey: Buffer;
  seqNum: bigint;
  kind: number;
}

export interface TableMeta {
  level: number;
  fileNum: number;
  size: number;
  smallest: BoundKey;
  largest: BoundKey;
  /** 0 for tag 7 (LevelDB-style) entries, which do not record them */
  smallestSeqNum: bigint;
  largestSeqNum: bigint;
  /** seconds since the epoch, when recorded */
  creationTime?: number;
  /** the version edit tag that added the table: 7 (LevelDB), 100, 102 or 103 (RocksDB/Pebble) */
  tag: number;
}

export interface VersionEdit {
  comparator?: string;
  logNumber?: number;
  prevLogNumber?: number;
  nextFileNumber?: number;
  lastSequence?: bigint;
  deletedFiles: { level: number; fileNum: number }[];
  newFiles: TableMeta[];
}

export interface ManifestState {
  manifestPath: string;
  manifestName: string;
  /** the number of version edits replayed */
  records: number;
  comparator?: string;
  /** the oldest WAL that may still hold data not in any table (Pebble's MinUnflushedLogNum) */
  logNumber: number;
  /** informational: Pebble ignores it */
  prevLogNumber: number;
  nextFileNumber: number;
  lastSequence: bigint;
  /** levels[0] ordered oldest first (by sequence numbers); levels 1–6 ordered by key */
  levels: TableMeta[][];
}

export type ManifestFlavour = 'pebble' | 'rocksdb';

/** The file name CURRENT points at, e.g. `MANIFEST-000044`. */
export function readCurrent(dir: string): string {
  const path = join(dir, CURRENT_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (err) {
    throw corruption('pebble/manifest', `cannot read CURRENT (${(err as NodeJS.ErrnoException).code ?? err})`, path);
  }
  if (!text.endsWith('\n')) throw corruption('pebble/manifest', 'CURRENT does not end with a newline', path);
  const name = text.slice(0, -1);
  if (!MANIFEST_NAME.test(name)) {
    throw corruption('pebble/manifest', `CURRENT does not name a MANIFEST file (${JSON.stringify(name.slice(0, 40))})`, path);
  }
  return name;
}

/** Decodes one version edit; throws DecodeError with the offset within `record`. */
export function decodeVersionEdit(record: Buffer, flavour: ManifestFlavour = 'pebble'): VersionEdit {
  const c = new Cursor(record);
  const edit: VersionEdit = { deletedFiles: [], newFiles: [] };
  while (c.remaining > 0) {
    const tagAt = c.pos;
    const tag = c.uvarint();
    switch (tag) {
      case TAG_COMPARATOR:
        edit.comparator = c.lengthPrefixed().toString('latin1');
        break;
      case TAG_LOG_NUMBER:
        edit.logNumber = c.uvarint();
        break;
      case TAG_NEXT_FILE_NUMBER:
        edit.nextFileNumber = c.uvarint();
        break;
      case TAG_LAST_SEQUENCE:
        edit.lastSequence = c.uvarintBig();
        break;
      case TAG_COMPACT_POINTER:
        readLevel(c);
        c.lengthPrefixed();
        break;
      case TAG_DELETED_FILE: {
        const level = readLevel(c);
        edit.deletedFiles.push({ level, fileNum: c.uvarint() });
        break;
      }
      case TAG_NEW_FILE:
      case TAG_NEW_FILE_2:
      case TAG_NEW_FILE_3:
      case TAG_NEW_FILE_4:
        edit.newFiles.push(readNewFile(c, tag));
        break;
      case TAG_PREV_LOG_NUMBER:
        edit.prevLogNumber = c.uvarint();
        break;
      default:
        if (flavour === 'rocksdb' && skipRocksDBField(c, tag)) break;
        if (tag >= TAG_COLUMN_FAMILY && tag <= TAG_MAX_COLUMN_FAMILY) {
          throw new UnsupportedFormatError(`column families are not supported (MANIFEST tag ${tag})`, tagAt);
        }
        throw new UnsupportedFormatError(`unsupported MANIFEST tag ${tag}`, tagAt);
    }
  }
  return edit;
}

function readLevel(c: Cursor): number {
  const at = c.pos;
  const level = c.uvarint();
  if (level >= NUM_LEVELS) throw new DecodeError(`level ${level} is out of range`, at);
  return level;
}

function readBoundKey(c: Cursor): BoundKey {
  const at = c.pos;
  const encoded = c.lengthPrefixed();
  if (encoded.length < 8) throw new DecodeError('file boundary key shorter than its 8-byte trailer', at);
  const trailer = encoded.readBigUInt64LE(encoded.length - 8);
  return {
    userKey: Buffer.from(encoded.subarray(0, encoded.length - 8)),
    seqNum: trailer >> 8n,
    kind: Number(trailer & 0xffn),
  };
}

function readNewFile(c: Cursor, tag: number): TableMeta {
  const level = readLevel(c);
  const fileNum = c.uvarint();
  if (tag === TAG_NEW_FILE_3) c.uvarint(); // path id, unused
  const size = c.uvarint();
  const smallest = readBoundKey(c);
  const largest = readBoundKey(c);
  const meta: TableMeta = { level, fileNum, size, smallest, largest, smallestSeqNum: 0n, largestSeqNum: 0n, tag };
  if (tag !== TAG_NEW_FILE) {
    meta.smallestSeqNum = c.uvarintBig();
    meta.largestSeqNum = c.uvarintBig();
  }
  if (tag === TAG_NEW_FILE_4) readCustomFields(c, meta);
  return meta;
}

function readCustomFields(c: Cursor, meta: TableMeta): void {
  for (;;) {
    const at = c.pos;
    const customTag = c.uvarint();
    if (customTag === CUSTOM_TAG_TERMINATE) return;
    if (customTag === CUSTOM_TAG_PATH_ID) throw new UnsupportedFormatError('new-file4: path-id field not supported', at);
    if (customTag & CUSTOM_TAG_NON_SAFE_IGNORE_MASK) {
      throw new UnsupportedFormatError(`new-file4 (MANIFEST tag 103): custom field ${customTag} not supported`, at);
    }
    const field = c.lengthPrefixed();
    if (customTag === CUSTOM_TAG_NEEDS_COMPACTION && field.length !== 1) {
      throw new DecodeError('new-file4: needs-compaction field has the wrong size', at);
    }
    if (customTag === CUSTOM_TAG_CREATION_TIME) {
      const inner = new Cursor(field);
      meta.creationTime = inner.uvarint();
      if (inner.remaining !== 0) throw new DecodeError('new-file4: invalid file creation time', at);
    }
  }
}

/** RocksDB-only fields of the default column family; true when the field was consumed. */
function skipRocksDBField(c: Cursor, tag: number): boolean {
  if (tag === TAG_ROCKSDB_MIN_LOG_NUMBER_TO_KEEP || tag === TAG_MAX_COLUMN_FAMILY || tag === TAG_ROCKSDB_IN_ATOMIC_GROUP) {
    c.uvarint();
    return true;
  }
  if (tag === TAG_COLUMN_FAMILY) {
    const at = c.pos;
    const family = c.uvarint();
    if (family !== 0) throw new UnsupportedFormatError(`column family ${family} is not supported (only the default family)`, at);
    return true;
  }
  if (tag !== TAG_COLUMN_FAMILY_ADD && tag !== TAG_COLUMN_FAMILY_DROP && tag & TAG_ROCKSDB_SAFE_IGNORE_MASK) {
    c.lengthPrefixed();
    return true;
  }
  return false;
}

/** Reads CURRENT and replays the MANIFEST it names. Throws KVCorruptionError for any problem. */
export function loadManifest(dir: string, flavour: ManifestFlavour = 'pebble'): ManifestState {
  const manifestName = readCurrent(dir);
  const manifestPath = join(dir, manifestName);
  let data: Buffer;
  try {
    data = readFileSync(manifestPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw corruption('pebble/manifest', `cannot read the MANIFEST named by CURRENT (${code})`, manifestPath);
  }
  const log = readWholeLog(data, 0, manifestPath);
  if (log.records.length === 0) throw corruption('pebble/manifest', 'MANIFEST holds no version edit', manifestPath, 0);

  const state: ManifestState = {
    manifestPath,
    manifestName,
    records: log.records.length,
    logNumber: 0,
    prevLogNumber: 0,
    nextFileNumber: 0,
    lastSequence: 0n,
    levels: Array.from({ length: NUM_LEVELS }, () => []),
  };
  const live = new Map<number, TableMeta>();
  log.records.forEach((record, i) => {
    const offset = log.offsets[i]!;
    let edit: VersionEdit;
    try {
      edit = decodeVersionEdit(record, flavour);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      if (err instanceof UnsupportedFormatError) throw decodeFailure('pebble/manifest', err, manifestPath);
      throw corruption('pebble/manifest', `bad version edit (${err.message} at byte ${err.offset} of the record)`, manifestPath, offset);
    }
    applyEdit(state, live, edit, manifestPath, offset);
  });

  if (state.comparator !== undefined && state.comparator !== BYTEWISE_COMPARATOR) {
    throw corruption('pebble/manifest', `comparator ${JSON.stringify(state.comparator)} is not ${BYTEWISE_COMPARATOR}`, manifestPath);
  }
  for (const meta of live.values()) state.levels[meta.level]!.push(meta);
  state.levels[0]!.sort(compareL0);
  for (let level = 1; level < NUM_LEVELS; level++) state.levels[level]!.sort(compareBySmallest);
  return state;
}

function applyEdit(state: ManifestState, live: Map<number, TableMeta>, edit: VersionEdit, path: string, offset: number): void {
  if (edit.comparator !== undefined) state.comparator = edit.comparator;
  if (edit.logNumber) state.logNumber = edit.logNumber;
  if (edit.prevLogNumber) state.prevLogNumber = edit.prevLogNumber;
  if (edit.nextFileNumber) state.nextFileNumber = edit.nextFileNumber;
  if (edit.lastSequence) state.lastSequence = edit.lastSequence;
  for (const { level, fileNum } of edit.deletedFiles) {
    const meta = live.get(fileNum);
    if (!meta || meta.level !== level) {
      throw corruption('pebble/manifest', `version edit deletes table ${fileNum} from L${level}, where it is not`, path, offset);
    }
    live.delete(fileNum);
  }
  for (const meta of edit.newFiles) {
    if (live.has(meta.fileNum)) {
      throw corruption('pebble/manifest', `version edit adds table ${meta.fileNum} twice`, path, offset);
    }
    live.set(meta.fileNum, meta);
  }
}

function compareL0(a: TableMeta, b: TableMeta): number {
  if (a.largestSeqNum !== b.largestSeqNum) return a.largestSeqNum < b.largestSeqNum ? -1 : 1;
  if (a.smallestSeqNum !== b.smallestSeqNum) return a.smallestSeqNum < b.smallestSeqNum ? -1 : 1;
  return a.fileNum - b.fileNum;
}

function compareBySmallest(a: TableMeta, b: TableMeta): number {
  return compareBytes(a.smallest.userKey, b.smallest.userKey) || a.fileNum - b.fileNum;
}

/** `NNNNNN.sst`, the name of table `fileNum`. */
export function tableFileName(fileNum: number): string {
  return `${String(fileNum).padStart(6, '0')}.sst`;
}
