/**
 * tan's record framing (v4-format.md §6): exactly Pebble's log framing — 32 KiB blocks, 7-byte chunk headers
 * `checksum u32 LE | length u16 LE | type u8` with types 1 full / 2 first / 3 middle / 4 last, zero-filled block
 * tails — but with tan's XXH64-based checksum (checksum.ts). Every tan file uses it: CURRENT, MANIFEST, logs,
 * indexes and BOOTSTRAP files. The chunk walk is src/kv/pebble/record.ts's; this module adds the checksum, tan's
 * reading rules and the writer.
 *
 * Reading rules (internal/tan open.go rebuildLog, db.go readLog): the newest log of a node may end in a torn
 * record — a crash while writing — and tan keeps every record before it; anywhere else an invalid chunk is
 * corruption.
 */
import { encodeLog } from '../kv/pebble/log-writer.js';
import { readLogRecords, type ChunkChecksum, type LogRecords } from '../kv/pebble/record.js';
import { LogdbError } from '../errors.js';

/** A corruption error naming the file and the byte offset. */
export function tanCorruption(problem: string, file: string, offset?: number): LogdbError {
  const where = offset === undefined ? `in ${file}` : `in ${file} at offset ${offset}`;
  return new LogdbError('corrupt', `tan: ${problem} ${where}`, 'run `logdb check` for details; tan files cannot be repaired in place, restore from a backup or rebuild the node from a replica');
}

/** The records of a tan file; a torn tail is allowed only when `tornTailAllowed` (the newest log). */
export function readTanRecords(data: Buffer, file: string, checksum: ChunkChecksum, tornTailAllowed: boolean): LogRecords {
  const result = readLogRecords(data, 0, checksum);
  if (result.end === 'torn' && !tornTailAllowed) throw tanCorruption(result.tornReason!, file, result.tornOffset);
  return result;
}

/** Exactly one whole record (CURRENT, BOOTSTRAP). */
export function readSingleRecord(data: Buffer, file: string, checksum: ChunkChecksum): Buffer {
  const result = readTanRecords(data, file, checksum, false);
  if (result.records.length !== 1) throw tanCorruption(`${result.records.length} records where one is expected`, file);
  return result.records[0]!;
}

/**
 * Frames `records` as tan's writer does — Pebble's legacy chunks with tan's checksum — continuing a file that
 * already holds `startOffset` bytes. Returns the bytes to append.
 */
export function encodeTanRecords(records: Buffer[], checksum: ChunkChecksum, startOffset = 0): Buffer {
  return encodeLog(records, 0, { legacy: true, checksum, startOffset });
}
