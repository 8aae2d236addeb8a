/**
 * The log-record framing shared by Pebble's WAL files (`NNNNNN.log`) and its MANIFEST.
 *
 * Wire format: the file is a sequence of 32 KiB blocks (the last one may be short). A block holds chunks; a chunk never
 * crosses a block boundary. Each chunk is a header followed by its payload:
 *   - legacy header (7 bytes):      masked CRC-32C u32 LE | payload length u16 LE | type u8 (1 full, 2 first,
 *                                   3 middle, 4 last)
 *   - recyclable header (11 bytes): the same, with types 5–8 (full, first, middle, last), then the low 32 bits of the
 *                                   log's file number as u32 LE.
 * The CRC covers the type byte, the log number (recyclable only) and the payload. A record is one FULL chunk or a
 * FIRST, any MIDDLEs and a LAST. When fewer bytes than a header remain in a block the writer zero-fills them (Pebble
 * skips up to 10 zero bytes, the recyclable header size minus one).
 *
 * End of log: the end of the file at a chunk boundary, or a recyclable chunk carrying another log number where a
 * record should start (Pebble's EOF trailer, or the stale contents of a recycled file). Anything else — a bad CRC, a
 * zeroed header, a chunk running past its block, a file ending inside a record — is an invalid tail. Pebble stops
 * there for the newest WAL (a crash tears its end) and refuses to open with an older one; the MANIFEST must be whole.
 */
import { crc32c, maskCrc } from '../../util/crc32c.js';
import { readUint32LE } from './coding.js';
import { corruption } from './errors.js';

// --- wire format ---
export const BLOCK_SIZE = 32 * 1024;
export const LEGACY_HEADER_SIZE = 7;
export const RECYCLABLE_HEADER_SIZE = 11;
const FULL = 1;
const FIRST = 2;
const MIDDLE = 3;
const LAST = 4;
const RECYCLABLE_FULL = 5;
const RECYCLABLE_LAST = 8;
/** how a recyclable chunk type maps onto the legacy one */
const RECYCLABLE_TYPE_OFFSET = RECYCLABLE_FULL - FULL;

/** How a log ended: cleanly at the end of the file, cleanly at a chunk of another log, or at an invalid tail. */
export type LogEnd = 'eof' | 'trailer' | 'torn';

export interface LogRecords {
  records: Buffer[];
  /** file offset of the first chunk header of each record */
  offsets: number[];
  end: LogEnd;
  /** for 'torn': where the unread data starts (the first chunk of the record that could not be read) */
  tornOffset?: number;
  tornReason?: string;
}

/** A chunk's checksum over data[start, end) (the type byte, the log number if any, and the payload). */
export type ChunkChecksum = (data: Buffer, start: number, end: number) => number;

/** Pebble's: masked CRC-32C. (Dragonboat's tan frames its files the same way with another checksum.) */
export const pebbleChunkChecksum: ChunkChecksum = (data, start, end) => maskCrc(crc32c(data, start, end));

/**
 * Every complete record of a log held in `data`, stopping at the first invalid chunk. `logNum` is the file number of a
 * WAL (0 for a MANIFEST); only its low 32 bits are compared.
 */
export function readLogRecords(data: Buffer, logNum: number, checksumOf: ChunkChecksum = pebbleChunkChecksum): LogRecords {
  const records: Buffer[] = [];
  const offsets: number[] = [];
  const end = scanLogRecords(
    data,
    logNum,
    (buf, start, stop, offset) => {
      records.push(buf.subarray(start, stop));
      offsets.push(offset);
    },
    false,
    checksumOf,
  );
  return { records, offsets, ...end };
}

/**
 * Receives one record: `buf[start, end)`, whose first chunk header is at file offset `offset`. `buf` is the log's
 * own buffer when the record is one chunk or was assembled in place, else a fresh one.
 */
export type LogRecordVisitor = (buf: Buffer, start: number, end: number, offset: number) => void;

/**
 * readLogRecords without collecting: calls `visit` for each complete record, and says how the log ended.
 *
 * With `inPlace`, a record of several chunks is assembled inside `data` itself: each later chunk's payload, once its
 * checksum is verified, is moved down over the headers (and block padding) before it, right after the record's
 * bytes so far. The write position never passes the read position, so nothing unread is overwritten. A WAL replay
 * then keeps exactly one buffer per file, with no copy of its records (which are mostly larger than a block). The
 * caller must own `data`: its bytes after the first chunk of each such record are changed.
 */
export function scanLogRecords(
  data: Buffer,
  logNum: number,
  visit: LogRecordVisitor,
  inPlace = false,
  checksumOf: ChunkChecksum = pebbleChunkChecksum,
): Omit<LogRecords, 'records' | 'offsets'> {
  const wantLogNum = logNum >>> 0;
  const size = data.length;
  let parts: Buffer[] = [];
  let assembledStart = 0;
  let assembledEnd = 0;
  let recordStart = -1;
  const inRecord = () => recordStart >= 0;
  const torn = (reason: string, chunkOffset: number): Omit<LogRecords, 'records' | 'offsets'> => ({
    end: 'torn',
    tornOffset: inRecord() ? recordStart : chunkOffset,
    tornReason: reason,
  });

  let pos = 0;
  for (;;) {
    const blockStart = pos - (pos % BLOCK_SIZE);
    const blockEnd = Math.min(blockStart + BLOCK_SIZE, size);
    if (pos + LEGACY_HEADER_SIZE > blockEnd) {
      const shortBlock = blockEnd - blockStart < BLOCK_SIZE;
      if (shortBlock) {
        if (inRecord()) return torn('the file ends inside a record', pos);
        if (pos === blockEnd) return { end: 'eof' };
        return torn('stray bytes after the last chunk', pos);
      }
      if (blockEnd === size) {
        if (inRecord()) return torn('the file ends inside a record', pos);
        return { end: 'eof' };
      }
      pos = blockEnd;
      continue;
    }

    const checksum = readUint32LE(data, pos);
    const length = data[pos + 4]! | (data[pos + 5]! << 8);
    const rawType = data[pos + 6]!;
    if (checksum === 0 && length === 0 && rawType === 0) {
      if (pos + RECYCLABLE_HEADER_SIZE > blockEnd) {
        pos = blockEnd; // zero-filled block tail
        continue;
      }
      return torn('zeroed chunk header', pos);
    }

    let headerSize = LEGACY_HEADER_SIZE;
    let type = rawType;
    if (rawType >= RECYCLABLE_FULL && rawType <= RECYCLABLE_LAST) {
      headerSize = RECYCLABLE_HEADER_SIZE;
      if (pos + headerSize > blockEnd) return torn('chunk header crosses the block end', pos);
      if (readUint32LE(data, pos + 7) !== wantLogNum) {
        if (!inRecord()) return { end: 'trailer' };
        return torn('chunk of another log inside a record', pos);
      }
      type = rawType - RECYCLABLE_TYPE_OFFSET;
    } else if (rawType < FULL || rawType > LAST) {
      return torn(`unknown chunk type ${rawType}`, pos);
    }

    const payloadStart = pos + headerSize;
    const payloadEnd = payloadStart + length;
    if (payloadEnd > blockEnd) {
      return torn(blockEnd === size ? 'the file ends inside a chunk' : 'chunk runs past the block end', pos);
    }
    if (checksumOf(data, pos + 6, payloadEnd) !== checksum) return torn('bad chunk checksum', pos);

    if (!inRecord()) {
      if (type === FULL) {
        visit(data, payloadStart, payloadEnd, pos);
      } else if (type === FIRST) {
        if (inPlace) {
          assembledStart = payloadStart;
          assembledEnd = payloadEnd;
        } else {
          parts = [data.subarray(payloadStart, payloadEnd)];
        }
        recordStart = pos;
      }
      // A MIDDLE or LAST chunk where a record should start is skipped, as Pebble's reader does.
    } else {
      if (type === FULL || type === FIRST) return torn('a new record starts inside a record', pos);
      if (inPlace) {
        data.copy(data, assembledEnd, payloadStart, payloadEnd);
        assembledEnd += length;
      } else {
        parts.push(data.subarray(payloadStart, payloadEnd));
      }
      if (type === LAST) {
        if (inPlace) {
          visit(data, assembledStart, assembledEnd, recordStart);
        } else {
          const record = Buffer.concat(parts);
          visit(record, 0, record.length, recordStart);
        }
        parts = [];
        recordStart = -1;
      }
    }
    pos = payloadEnd;
  }
}

/** The records of a log that must be whole (the MANIFEST): an invalid chunk anywhere is corruption. */
export function readWholeLog(data: Buffer, logNum: number, file: string): LogRecords {
  const result = readLogRecords(data, logNum);
  if (result.end === 'torn') throw corruption('pebble/record', result.tornReason!, file, result.tornOffset);
  return result;
}
