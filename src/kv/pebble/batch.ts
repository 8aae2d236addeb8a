/**
 * Write batches: the payload of every WAL record.
 *
 * Wire format: an 8-byte LE sequence number S, a 4-byte LE count, then the operations, each
 * `kind u8 | uvarint key length | key | [uvarint value length | value]`. SET (1), MERGE (2) and RANGEDEL (15, whose
 * value is the exclusive end key) carry a value; DEL (0), SINGLEDEL (7) and LOGDATA (3) do not. Operation i gets
 * sequence number S + i, except that LOGDATA is never applied and takes no sequence number; the count covers the
 * applied operations only. A count that disagrees with the operations is corruption (Pebble: "inconsistent batch
 * count").
 */
import { readUint32LE } from './coding.js';
import { DecodeError } from './errors.js';
import {
  KIND_DELETE,
  KIND_LOG_DATA,
  KIND_MERGE,
  KIND_RANGE_DELETE,
  KIND_SET,
  KIND_SINGLE_DELETE,
} from './internal-key.js';

// --- wire format ---
export const BATCH_HEADER_SIZE = 12;

/**
 * Receives one applied operation: its key is `repr[keyStart, keyEnd)`, its value `repr[valueStart, valueEnd)`, with
 * valueStart = -1 for the kinds without a value. Offsets rather than Buffer views, so that a replay of millions of
 * operations creates no per-operation objects.
 */
export type BatchVisitor = (
  kind: number,
  repr: Buffer,
  keyStart: number,
  keyEnd: number,
  valueStart: number,
  valueEnd: number,
  seq: number,
) => void;

export interface BatchOp {
  kind: number;
  key: Buffer;
  value?: Buffer;
  seq: number;
}

export interface BatchHeader {
  seq: number;
  count: number;
}

/**
 * Decodes the batch in `repr[start, end)` (the whole buffer by default), calling `visit` for each applied operation
 * with offsets into `repr`. Throws DecodeError, with offsets relative to `start`.
 */
export function decodeBatch(repr: Buffer, visit: BatchVisitor, start = 0, end = repr.length): BatchHeader {
  if (end - start < BATCH_HEADER_SIZE) throw new DecodeError(`batch shorter than its ${BATCH_HEADER_SIZE}-byte header`, 0);
  const seqLo = readUint32LE(repr, start);
  const seqHi = readUint32LE(repr, start + 4);
  if (seqHi > 0x1fffff) throw new DecodeError('batch sequence number exceeds 2^53 - 1', 0);
  const seq = seqHi * 4294967296 + seqLo;
  const count = readUint32LE(repr, start + 8);
  let applied = 0;
  let p = start + BATCH_HEADER_SIZE;
  while (p < end) {
    const opStart = p;
    const kind = repr[p++]!;
    const keyLength = readLength(repr, p, end);
    p = lengthEnd;
    const keyStart = p;
    p += keyLength;
    let valueStart = -1;
    let valueEnd = -1;
    switch (kind) {
      case KIND_SET:
      case KIND_MERGE:
      case KIND_RANGE_DELETE: {
        const valueLength = readLength(repr, p, end);
        valueStart = lengthEnd;
        valueEnd = valueStart + valueLength;
        p = valueEnd;
        break;
      }
      case KIND_DELETE:
      case KIND_SINGLE_DELETE:
      case KIND_LOG_DATA:
        break;
      default:
        throw new DecodeError(`unknown operation kind ${kind} in batch`, opStart - start);
    }
    if (kind === KIND_LOG_DATA) continue;
    if (applied === count) throw new DecodeError(`inconsistent batch count: more than ${count} operations`, opStart - start);
    visit(kind, repr, keyStart, keyStart + keyLength, valueStart, valueEnd, seq + applied);
    applied++;
  }
  if (applied !== count) throw new DecodeError(`inconsistent batch count: ${applied} operations, header says ${count}`, 8);
  return { seq, count };
}

/** The operations of a batch as objects with Buffer views (for tools and tests; replay uses decodeBatch). */
export function batchOps(repr: Buffer): { header: BatchHeader; ops: BatchOp[] } {
  const ops: BatchOp[] = [];
  const header = decodeBatch(repr, (kind, buf, ks, ke, vs, ve, seq) =>
    ops.push({ kind, key: buf.subarray(ks, ke), value: vs < 0 ? undefined : buf.subarray(vs, ve), seq }),
  );
  return { header, ops };
}

/** Set by readLength: the offset just past the varint. */
let lengthEnd = 0;

/** A uvarint32 length at `pos` whose bytes must also fit before `end`. */
function readLength(buf: Buffer, pos: number, end: number): number {
  let result = 0;
  let shift = 0;
  for (let i = pos; i < end && i < pos + 5; i++) {
    const b = buf[i]!;
    result += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) {
      lengthEnd = i + 1;
      if (result > end - lengthEnd) throw new DecodeError(`length ${result} runs past the end of the batch`, pos);
      return result;
    }
    shift += 7;
  }
  throw new DecodeError('truncated or overlong varint in batch', pos);
}
