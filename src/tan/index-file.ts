/**
 * A tan `.index` file (v4-format.md §6 "Files"; internal/tan node_states.go save/load, index.go encode): tan's cache
 * of where each node's records are in one log, written when a log is closed. Framed records:
 *   [uvarint node count], then per node four records: [uvarint shard, uvarint replica]; the entries index (uvarint
 *   count × (start, end, fileNum, pos, length), then compactedTo); the snapshot index and the state index (one entry
 *   each, pointing at the newest snapshot and state record, end 2^64−2 and 2^64−1; all zero when there is none).
 * logdb writes one for each log it adds, as tan's close would, so that tan reopens the db without rebuilding it.
 */
import type { ChunkChecksum } from '../kv/pebble/record.js';
import { MAX_UINT64 } from '../codec/uint64.js';
import { encodeTanRecords } from './record.js';

export interface IndexPointer {
  start: bigint;
  fileNum: number;
  pos: number;
}

export interface LogIndex {
  clusterId: bigint;
  nodeId: bigint;
  /** this log's entry runs (none for the logs logdb writes) */
  entries: { start: bigint; end: bigint; fileNum: number; pos: number }[];
  compactedTo: bigint;
  snapshot: IndexPointer | null;
  state: IndexPointer | null;
}

const SNAPSHOT_END = MAX_UINT64 - 1n;
const STATE_END = MAX_UINT64;

function uvarints(values: bigint[]): Buffer {
  const bytes: number[] = [];
  for (let x of values) {
    while (x >= 0x80n) {
      bytes.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    bytes.push(Number(x));
  }
  return Buffer.from(bytes);
}

const pointer = (p: IndexPointer | null, end: bigint) => (p ? [1n, p.start, end, BigInt(p.fileNum), BigInt(p.pos), 0n, 0n] : [1n, 0n, 0n, 0n, 0n, 0n, 0n]);

export function encodeIndexFile(index: LogIndex, checksum: ChunkChecksum): Buffer {
  const entries = [BigInt(index.entries.length), ...index.entries.flatMap((e) => [e.start, e.end, BigInt(e.fileNum), BigInt(e.pos), 0n]), index.compactedTo];
  return encodeTanRecords(
    [uvarints([1n]), uvarints([index.clusterId, index.nodeId]), uvarints(entries), uvarints(pointer(index.snapshot, SNAPSHOT_END)), uvarints(pointer(index.state, STATE_END))],
    checksum,
  );
}
