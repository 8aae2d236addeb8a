/**
 * Entry batches (spec §5.6, §7.3): the value of an `07 07` key in batched mode.
 *
 * An EntryBatch is a protobuf message with one length-delimited field 1 (tag `0a`) per entry; the bytes of each
 * are the entry's Colfer encoding (§5.7), not protobuf:
 *
 *     0a <varint len> <Colfer entry> 0a <varint len> <Colfer entry> ...
 *
 * "Field compaction": when a batch holds more than one entry, the first and last entries have the same term and
 * the last index equals first index + count − 1, Dragonboat stores entries 2..n with term and index set to 0
 * (so Colfer leaves them out). A reader restores them when count > 1 and the LAST entry's term is 0: entry i
 * (i ≥ 1) gets term = first.term and index = first.index + i.
 *
 * The framing is written by hand (no protobufjs) because batches sit on the hot path. Unknown fields are
 * skipped like gogo's generated Unmarshal does; anything malformed is a CodecError.
 */

import { CodecError } from './errors.js';
import { type Entry, decodeEntry, encodeEntryInto, entryEncodedSize } from './colfer.js';
import { varintLength } from '../util/varint.js';

const ENTRIES_TAG = 0x0a; // field 1, wire type 2

/** True when Dragonboat would store `entries` with term/index of entries 2..n zeroed. */
export function isBatchCompactable(entries: readonly Entry[]): boolean {
  const n = entries.length;
  if (n <= 1) return false;
  const first = entries[0]!;
  const last = entries[n - 1]!;
  return first.term === last.term && last.index === first.index + BigInt(n - 1);
}

/** The EntryBatch bytes of `entries`, field-compacted exactly as Dragonboat writes them. */
export function encodeEntryBatch(entries: readonly Entry[]): Buffer {
  const compact = isBatchCompactable(entries);
  const stored: Entry[] = compact
    ? entries.map((e, i) => (i === 0 ? e : { ...e, term: 0n, index: 0n }))
    : (entries as Entry[]);
  const sizes = new Array<number>(stored.length);
  let total = 0;
  for (let i = 0; i < stored.length; i++) {
    const size = entryEncodedSize(stored[i]!);
    sizes[i] = size;
    total += 1 + varintLength(size) + size;
  }
  const buf = Buffer.allocUnsafe(total);
  let pos = 0;
  for (let i = 0; i < stored.length; i++) {
    buf[pos++] = ENTRIES_TAG;
    let x = sizes[i]!;
    while (x >= 0x80) {
      buf[pos++] = (x % 128) | 0x80;
      x = Math.floor(x / 128);
    }
    buf[pos++] = x;
    pos = encodeEntryInto(stored[i]!, buf, pos);
  }
  if (pos !== total) throw new Error(`entry batch: internal size mismatch (${pos} != ${total})`);
  return buf;
}

let cursor = 0;

function readVarint(buf: Buffer, pos: number, what: string): number {
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new CodecError(`codec/entry-batch: truncated ${what} at byte ${pos}`);
    const b = buf[pos++]!;
    if (b < 0x80) {
      cursor = pos;
      return value + b * multiplier;
    }
    value += (b & 0x7f) * multiplier;
    multiplier *= 128;
  }
  throw new CodecError(`codec/entry-batch: ${what} varint longer than 10 bytes at byte ${pos}`);
}

/**
 * Decodes an EntryBatch and restores field-compacted terms and indexes. Entries' `cmd` are views into `buf`.
 * An empty buffer is a batch of zero entries.
 */
export function decodeEntryBatch(buf: Buffer): Entry[] {
  const entries: Entry[] = [];
  let pos = 0;
  const end = buf.length;
  while (pos < end) {
    const tagStart = pos;
    const tag = readVarint(buf, pos, 'field tag');
    pos = cursor;
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (field === 0) throw new CodecError(`codec/entry-batch: illegal field number 0 at byte ${tagStart}`);
    if (field === 1) {
      if (wireType !== 2) {
        throw new CodecError(`codec/entry-batch: wrong wire type ${wireType} for entries at byte ${tagStart}`);
      }
      const length = readVarint(buf, pos, 'entry length');
      pos = cursor;
      if (length > end - pos) {
        throw new CodecError(`codec/entry-batch: entry ${entries.length} of ${length} bytes overruns the batch`);
      }
      try {
        entries.push(decodeEntry(buf, pos, pos + length));
      } catch (err) {
        if (err instanceof CodecError) {
          throw new CodecError(`codec/entry-batch: entry ${entries.length} at byte ${pos}: ${err.message}`, { cause: err });
        }
        throw err;
      }
      pos += length;
      continue;
    }
    // Unknown field: skip it.
    switch (wireType) {
      case 0:
        readVarint(buf, pos, 'unknown varint field');
        pos = cursor;
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const length = readVarint(buf, pos, 'unknown field length');
        pos = cursor + length;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw new CodecError(`codec/entry-batch: unsupported wire type ${wireType} at byte ${tagStart}`);
    }
    if (pos > end) throw new CodecError(`codec/entry-batch: unknown field ${field} overruns the batch`);
  }
  restoreCompactedFields(entries);
  return entries;
}

/** Undoes field compaction in place (count > 1 and the last entry's term is 0). */
export function restoreCompactedFields(entries: Entry[]): void {
  const n = entries.length;
  if (n <= 1 || entries[n - 1]!.term !== 0n) return;
  const first = entries[0]!;
  for (let i = 1; i < n; i++) {
    const e = entries[i]!;
    e.term = first.term;
    e.index = first.index + BigInt(i);
  }
}
