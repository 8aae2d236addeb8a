/**
 * A tan db's CURRENT and MANIFEST (v4-format.md §6 "Files"; internal/tan version_set.go, version_edit.go).
 *
 * CURRENT is one framed record holding `MANIFEST-%06d\n` (Pebble's is plain text). The MANIFEST is a stream of framed
 * version edits, each a sequence of uvarint tag/value pairs: 1 next file number, 2 deleted log file, 3 new log file.
 * The live logs are the result of applying every edit in order; tan stops at a torn tail record, as it does here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChunkChecksum } from '../kv/pebble/record.js';
import { encodeTanRecords, readSingleRecord, readTanRecords, tanCorruption } from './record.js';
import { manifestName } from './files.js';

const TAG_NEXT_FILE_NUM = 1;
const TAG_DELETED_FILE = 2;
const TAG_NEW_FILE = 3;

export interface VersionEdit {
  nextFileNum?: number;
  deleted: number[];
  added: number[];
}

export interface TanVersion {
  manifestNum: number;
  /** the live log files, ascending */
  logs: number[];
  /** the next file number the db would hand out (the MANIFEST's, raised above every number seen) */
  nextFileNum: number;
  manifestTorn: boolean;
}

function readUvarint(buf: Buffer, pos: number, file: string, offset: number): [number, number] {
  let x = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw tanCorruption('truncated version edit', file, offset);
    const b = buf[pos++]!;
    x += (b & 0x7f) * mul;
    if (b < 0x80) return [x, pos];
    mul *= 128;
  }
  throw tanCorruption('overlong varint in a version edit', file, offset);
}

export function decodeVersionEdit(buf: Buffer, file: string, offset: number): VersionEdit {
  const edit: VersionEdit = { deleted: [], added: [] };
  let pos = 0;
  while (pos < buf.length) {
    let tag: number;
    let value: number;
    [tag, pos] = readUvarint(buf, pos, file, offset);
    [value, pos] = readUvarint(buf, pos, file, offset);
    if (tag === TAG_NEXT_FILE_NUM) edit.nextFileNum = value;
    else if (tag === TAG_DELETED_FILE) edit.deleted.push(value);
    else if (tag === TAG_NEW_FILE) edit.added.push(value);
    else throw tanCorruption(`unknown version edit tag ${tag}`, file, offset);
  }
  return edit;
}

export function encodeVersionEdit(edit: VersionEdit): Buffer {
  const bytes: number[] = [];
  const put = (x: number) => {
    while (x >= 0x80) {
      bytes.push((x % 128) | 0x80);
      x = Math.floor(x / 128);
    }
    bytes.push(x);
  };
  if (edit.nextFileNum !== undefined) (put(TAG_NEXT_FILE_NUM), put(edit.nextFileNum));
  for (const f of edit.deleted) (put(TAG_DELETED_FILE), put(f));
  for (const f of edit.added) (put(TAG_NEW_FILE), put(f));
  return Buffer.from(bytes);
}

export function readCurrent(dir: string, checksum: ChunkChecksum): number {
  const file = join(dir, 'CURRENT');
  const text = readSingleRecord(readFileSync(file), file, checksum).toString('latin1');
  const m = /^MANIFEST-(\d+)\n$/.exec(text);
  if (!m) throw tanCorruption(`CURRENT does not name a MANIFEST (${JSON.stringify(text.slice(0, 40))})`, file, 0);
  return Number(m[1]);
}

export function readVersion(dir: string, checksum: ChunkChecksum): TanVersion {
  // a db dir without CURRENT was never finished (tan creates a new db there at open)
  if (!existsSync(join(dir, 'CURRENT'))) return { manifestNum: 0, logs: [], nextFileNum: 1, manifestTorn: false };
  const manifestNum = readCurrent(dir, checksum);
  const file = join(dir, manifestName(manifestNum));
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (err) {
    throw tanCorruption(`CURRENT names ${manifestName(manifestNum)}, which cannot be read (${(err as NodeJS.ErrnoException).code})`, file);
  }
  const result = readTanRecords(data, file, checksum, true);
  const live = new Set<number>();
  let nextFileNum = manifestNum + 1;
  result.records.forEach((record, i) => {
    const edit = decodeVersionEdit(record, file, result.offsets[i]!);
    for (const f of edit.added) live.add(f);
    for (const f of edit.deleted) live.delete(f);
    for (const f of [...edit.added, ...edit.deleted]) if (f >= nextFileNum) nextFileNum = f + 1;
    if (edit.nextFileNum !== undefined && edit.nextFileNum > nextFileNum) nextFileNum = edit.nextFileNum;
  });
  return { manifestNum, logs: [...live].sort((a, b) => a - b), nextFileNum, manifestTorn: result.end === 'torn' };
}

/** A whole new MANIFEST holding `edits` (the first one a snapshot of the live logs). */
export function encodeManifest(edits: VersionEdit[], checksum: ChunkChecksum): Buffer {
  return encodeTanRecords(edits.map(encodeVersionEdit), checksum);
}

export function encodeCurrent(manifestNum: number, checksum: ChunkChecksum): Buffer {
  return encodeTanRecords([Buffer.from(`${manifestName(manifestNum)}\n`, 'latin1')], checksum);
}
