/**
 * The record of a tan log: a `pb.Update` in tan's own encoding (v4-format.md §6 "Files"; raftpb/update.go
 * MarshalTo/Unmarshal), in this order:
 *   uvarint ShardID | uvarint ReplicaID
 *   u8 state flag [1: u32 LE length + State protobuf]            (flag 0 = the empty State {0,0,0})
 *   u32 LE entry count, then per entry: u32 LE length + Colfer Entry
 *   u8 snapshot flag [1: u32 LE length + Snapshot protobuf]      (flag 0 = no snapshot, Snapshot.Index 0)
 * A compaction record (written by RemoveEntriesTo) is an Update with no entries, no snapshot and
 * State{Term = 2^64−3, Commit = the index compacted to} (internal/tan compaction.go).
 */
import { decodeEntry, encodeEntry, type Entry } from '../codec/colfer.js';
import { decodeSnapshot, decodeState, encodeSnapshot, encodeState, type Snapshot, type State } from '../codec/messages.js';
import { MAX_UINT64 } from '../codec/uint64.js';

export const COMPACTION_TERM = MAX_UINT64 - 2n;

export interface Update {
  clusterId: bigint;
  nodeId: bigint;
  /** null when the record carries the empty State */
  state: State | null;
  /** the entries' byte ranges in the record, decoded on demand */
  entryCount: number;
  firstIndex: bigint;
  lastIndex: bigint;
  snapshot: Snapshot | null;
  /** the record's bytes, for decoding its entries */
  raw: Buffer;
  entriesStart: number;
}

export class UpdateDecodeError extends Error {}

function uvarint64(buf: Buffer, pos: number): [bigint, number] {
  let x = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new UpdateDecodeError('truncated varint');
    const b = buf[pos++]!;
    x |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) {
      if (x > MAX_UINT64) throw new UpdateDecodeError('varint overflows uint64');
      return [x, pos];
    }
    shift += 7n;
  }
  throw new UpdateDecodeError('overlong varint');
}

function need(buf: Buffer, pos: number, n: number, what: string): void {
  if (pos + n > buf.length) throw new UpdateDecodeError(`truncated ${what}`);
}

/** Decodes a record's header, state and snapshot and the first and last entry index; entries stay bytes. */
export function decodeUpdate(raw: Buffer): Update {
  let pos = 0;
  let clusterId: bigint;
  let nodeId: bigint;
  [clusterId, pos] = uvarint64(raw, pos);
  [nodeId, pos] = uvarint64(raw, pos);
  need(raw, pos, 1, 'state flag');
  let state: State | null = null;
  if (raw[pos++] !== 0) {
    need(raw, pos, 4, 'state length');
    const len = raw.readUInt32LE(pos);
    pos += 4;
    need(raw, pos, len, 'state');
    state = decodeState(raw.subarray(pos, pos + len));
    pos += len;
  }
  need(raw, pos, 4, 'entry count');
  const entryCount = raw.readUInt32LE(pos);
  pos += 4;
  const entriesStart = pos;
  let firstIndex = 0n;
  let lastIndex = 0n;
  for (let i = 0; i < entryCount; i++) {
    need(raw, pos, 4, 'entry length');
    const len = raw.readUInt32LE(pos);
    need(raw, pos + 4, len, 'entry');
    if (i === 0 || i === entryCount - 1) {
      const e = decodeEntry(raw, pos + 4, pos + 4 + len);
      if (i === 0) firstIndex = e.index;
      lastIndex = e.index;
    }
    pos += 4 + len;
  }
  let snapshot: Snapshot | null = null;
  need(raw, pos, 1, 'snapshot flag');
  if (raw[pos++] === 1) {
    need(raw, pos, 4, 'snapshot length');
    const len = raw.readUInt32LE(pos);
    pos += 4;
    need(raw, pos, len, 'snapshot');
    snapshot = decodeSnapshot(raw.subarray(pos, pos + len));
    if (snapshot.index === 0n) snapshot = null;
  }
  if (state && state.term === 0n && state.vote === 0n && state.commit === 0n) state = null;
  return { clusterId, nodeId, state, entryCount, firstIndex, lastIndex, snapshot, raw, entriesStart };
}

/** The entries of a decoded record. */
export function updateEntries(u: Update): Entry[] {
  const out: Entry[] = [];
  let pos = u.entriesStart;
  for (let i = 0; i < u.entryCount; i++) {
    const len = u.raw.readUInt32LE(pos);
    out.push(decodeEntry(u.raw, pos + 4, pos + 4 + len));
    pos += 4 + len;
  }
  return out;
}

/** The compacted-to index of a compaction record, undefined for any other record. */
export function compactedTo(u: Update): bigint | undefined {
  return u.entryCount === 0 && !u.snapshot && u.state?.term === COMPACTION_TERM ? u.state.commit : undefined;
}

function uvarintBytes(x: bigint): Buffer {
  const bytes: number[] = [];
  while (x >= 0x80n) {
    bytes.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  bytes.push(Number(x));
  return Buffer.from(bytes);
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

export function encodeUpdate(u: { clusterId: bigint; nodeId: bigint; state: State | null; entries: Entry[]; snapshot: Snapshot | null }): Buffer {
  const parts: Buffer[] = [uvarintBytes(u.clusterId), uvarintBytes(u.nodeId)];
  const state = u.state && (u.state.term || u.state.vote || u.state.commit) ? encodeState(u.state) : undefined;
  parts.push(state ? Buffer.concat([Buffer.from([1]), u32(state.length), state]) : Buffer.from([0]));
  parts.push(u32(u.entries.length));
  for (const e of u.entries) {
    const bytes = encodeEntry(e);
    parts.push(u32(bytes.length), bytes);
  }
  const snapshot = u.snapshot && u.snapshot.index !== 0n ? encodeSnapshot(u.snapshot) : undefined;
  parts.push(snapshot ? Buffer.concat([Buffer.from([1]), u32(snapshot.length), snapshot]) : Buffer.from([0]));
  return Buffer.concat(parts);
}
