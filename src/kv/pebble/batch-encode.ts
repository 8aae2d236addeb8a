/**
 * Encoding one write batch: the payload of the single WAL record logdb adds to a Pebble shard
 * (pebble-offline-writes.md rule 12; spec §9.2). The inverse of batch.ts.
 *
 * Wire format: an 8-byte LE sequence number S, a 4-byte LE count, then one record per operation,
 * `kind u8 | uvarint key length | key | [uvarint value length | value]`. The KVStore operations map onto three kinds:
 *   put         → SET (1) with the value
 *   delete      → DEL (0), no value
 *   deleteRange → RANGEDEL (15) with the start as key and the exclusive end key as value
 * The count is the number of operations (all three kinds are applied ones), and operation i gets S + i — so in a
 * batch that deletes and then puts the same key, the put wins, as in Pebble's own batches.
 */
import type { WriteOp } from '../kv.js';
import { BATCH_HEADER_SIZE } from './batch.js';
import { KIND_DELETE, KIND_RANGE_DELETE, KIND_SET } from './internal-key.js';
import { varintLength, writeVarint } from '../../util/varint.js';

/** The largest sequence number a batch may start at: Pebble's are 56 bits (internal-key.ts), ours must stay exact. */
export const MAX_BATCH_SEQ = BigInt(Number.MAX_SAFE_INTEGER);

/** One operation as it is stored in a batch. */
export interface EncodedOp {
  kind: number;
  key: Buffer;
  value?: Buffer;
}

/** The batch record form of a KVStore operation. */
export function toBatchOp(op: WriteOp): EncodedOp {
  switch (op.op) {
    case 'put':
      return { kind: KIND_SET, key: op.key, value: op.value };
    case 'delete':
      return { kind: KIND_DELETE, key: op.key };
    case 'deleteRange':
      return { kind: KIND_RANGE_DELETE, key: op.start, value: op.end };
  }
}

/** The batch holding `ops` at sequence numbers seq, seq+1, …. */
export function encodeBatch(seq: bigint, ops: EncodedOp[]): Buffer {
  if (seq < 1n || seq > MAX_BATCH_SEQ) throw new RangeError(`pebble/batch: sequence number ${seq} is out of range`);
  if (ops.length > 0xffffffff) throw new RangeError('pebble/batch: too many operations for one batch');
  let size = BATCH_HEADER_SIZE;
  for (const op of ops) {
    size += 1 + varintLength(op.key.length) + op.key.length;
    if (op.value !== undefined) size += varintLength(op.value.length) + op.value.length;
  }
  const out = Buffer.alloc(size);
  out.writeBigUInt64LE(seq, 0);
  out.writeUInt32LE(ops.length, 8);
  let pos = BATCH_HEADER_SIZE;
  for (const op of ops) {
    const hasValue = op.kind === KIND_SET || op.kind === KIND_RANGE_DELETE;
    if (hasValue !== (op.value !== undefined)) throw new Error(`pebble/batch: kind ${op.kind} ${hasValue ? 'needs' : 'takes no'} value`);
    out[pos++] = op.kind;
    pos = writeVarint(out, pos, op.key.length);
    pos += op.key.copy(out, pos);
    if (op.value !== undefined) {
      pos = writeVarint(out, pos, op.value.length);
      pos += op.value.copy(out, pos);
    }
  }
  return out;
}
