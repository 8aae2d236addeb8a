/**
 * Test-side tools for the Pebble reader: an independent writer of record logs and batches (to build damaged or
 * unusual logs), a snapshot of a directory tree (to prove the fixtures were not touched), and rawdump.json access.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c, maskCrc } from '../../../src/util/crc32c.js';

const BLOCK = 32 * 1024;

export interface Op {
  kind: number;
  key: Buffer;
  value?: Buffer;
}

/** A Pebble batch: seq u64 LE, count u32 LE, then kind | uvarint len | key | [uvarint len | value]. */
export function encodeBatch(seq: number, ops: Op[], count = ops.filter((o) => o.kind !== 3).length): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(12);
  header.writeBigUInt64LE(BigInt(seq), 0);
  header.writeUInt32LE(count, 8);
  parts.push(header);
  for (const op of ops) {
    parts.push(Buffer.from([op.kind]), uvarint(op.key.length), op.key);
    if (op.value !== undefined) parts.push(uvarint(op.value.length), op.value);
  }
  return Buffer.concat(parts);
}

export function uvarint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Buffer.from(out);
}

/**
 * A record log holding `records`: recyclable 11-byte headers carrying `logNum` (Pebble's WAL) or legacy 7-byte ones
 * (MANIFEST), with block tails too short for a header zero-filled, and optionally Pebble's EOF trailer.
 */
export function writeLog(records: Buffer[], logNum: number, opts: { recyclable?: boolean; trailer?: boolean } = {}): Buffer {
  const recyclable = opts.recyclable ?? true;
  const headerSize = recyclable ? 11 : 7;
  const out: Buffer[] = [];
  let pos = 0;
  const emit = (type: number, payload: Buffer, chunkLogNum = logNum) => {
    const header = Buffer.alloc(headerSize);
    header.writeUInt16LE(payload.length, 4);
    header[6] = recyclable ? type + 4 : type;
    if (recyclable) header.writeUInt32LE(chunkLogNum >>> 0, 7);
    const crc = maskCrc(crc32c(Buffer.concat([header.subarray(6), payload])));
    header.writeUInt32LE(crc, 0);
    out.push(header, payload);
    pos += headerSize + payload.length;
  };
  const padBlock = () => {
    const left = BLOCK - (pos % BLOCK);
    if (left < headerSize) {
      out.push(Buffer.alloc(left));
      pos += left;
    }
  };
  for (const record of records) {
    let rest = record;
    let first = true;
    do {
      padBlock();
      const room = BLOCK - (pos % BLOCK) - headerSize;
      const piece = rest.subarray(0, room);
      rest = rest.subarray(piece.length);
      const type = first ? (rest.length === 0 ? 1 : 2) : rest.length === 0 ? 4 : 3;
      emit(type, piece);
      first = false;
    } while (rest.length > 0);
  }
  if (opts.trailer ?? recyclable) {
    padBlock();
    emit(1, Buffer.alloc(0), logNum + 1);
    out[out.length - 2]!.writeUInt32LE(0, 0); // Pebble's EOF trailer has a zero CRC
  }
  return Buffer.concat(out);
}

export interface TreeEntry {
  path: string;
  size: number;
  mtimeMs: number;
}

/** Every file and dir under `root` with its size and mtime, sorted by path. */
export function treeSnapshot(root: string): TreeEntry[] {
  const out: TreeEntry[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = statSync(path);
      out.push({ path, size: st.size, mtimeMs: st.mtimeMs });
      if (st.isDirectory()) walk(path);
    }
  };
  walk(root);
  return out;
}

export interface RawPair {
  k: string;
  v?: string;
  vLen?: number;
  vSha256?: string;
}

export interface RawShard {
  shard: number | string;
  dir: string;
  count: number | string;
  keyKinds: Record<string, number>;
  sha256: string;
  pairs?: RawPair[];
  firstPairs?: RawPair[];
  lastPairs?: RawPair[];
}

/** The contiguous runs of pairs a shard lists: all of them, or the first and the last 50. */
export function listedRuns(shard: RawShard): RawPair[][] {
  if (shard.pairs) return [shard.pairs];
  return [shard.firstPairs ?? [], shard.lastPairs ?? []].filter((run) => run.length > 0);
}

export const KEY_KIND_NAMES: Record<number, string> = {
  1: 'entry',
  2: 'state',
  3: 'maxIndex',
  4: 'nodeInfo',
  5: 'snapshot',
  6: 'bootstrap',
  7: 'entryBatch',
};

/** The rawdump digest: sha256 over uint32BE(len(k)) ‖ k ‖ uint32BE(len(v)) ‖ v for every pair in order. */
export class PairDigest {
  private readonly hash = createHash('sha256');
  private readonly len = Buffer.alloc(4);
  count = 0;
  readonly kinds: Record<string, number> = {};

  add(key: Buffer, value: Buffer): void {
    this.len.writeUInt32BE(key.length);
    this.hash.update(this.len);
    this.hash.update(key);
    this.len.writeUInt32BE(value.length);
    this.hash.update(this.len);
    this.hash.update(value);
    this.count++;
    const kind = KEY_KIND_NAMES[key[0]!] ?? `byte${key[0]}`;
    this.kinds[kind] = (this.kinds[kind] ?? 0) + 1;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** Whether `value` is what rawdump lists for a pair (inline hex, or length + sha256 for long values). */
export function valueMatches(pair: RawPair, value: Buffer): boolean {
  if (pair.v !== undefined) return value.toString('hex') === pair.v;
  return value.length === pair.vLen && createHash('sha256').update(value).digest('hex') === pair.vSha256;
}

/** Every Pebble dataset of test/fixtures (all but `large`, which only bench/ reads), with the WAL dir of shard N where it is not the shard dir. */
export const PEBBLE_DATASETS: { name: string; walDir?: (shard: number) => string }[] = [
  ...['basic', 'batched', 'snapshots', 'removed', 'imported', 'overwrite', 'overwrite-batched', 'lsm', 'lsm-large'].map(
    (name) => ({ name }),
  ),
  { name: 'waldir', walDir: (shard) => `wal/fixturehost/00000000000000000001/logdb-${shard}` },
  ...[
    'ops/before-plain',
    'ops/before-batched',
    'ops/import/after',
    'ops/remove-plain/after',
    'ops/remove-batched/after',
    'ops/compact-plain/after',
    'ops/compact-batched/after',
  ].map((name) => ({ name })),
];

export const SHARDS = Array.from({ length: 16 }, (_, i) => i);
