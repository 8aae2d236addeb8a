/**
 * LogDB keys (spec §4).
 *
 * Every key is a 2-byte kind marker (the kind byte twice: `01 01`, `02 02`, …), two zero padding bytes, then
 * big-endian uint64 fields: cluster ID at bytes 4–11, node ID at 12–19 and, for the 28-byte kinds, an entry
 * index, snapshot index or batch ID at 20–27.
 *
 *     kind            bytes 0-1  length  bytes 20-27      value
 *     Entry           01 01      28      entry index      Colfer Entry (§5.7)
 *     State           02 02      20      -                protobuf State
 *     MaxIndex        03 03      20      -                8-byte BE uint64
 *     NodeInfo        04 04      20      -                (defined, never written)
 *     Snapshot        05 05      28      snapshot index   protobuf Snapshot
 *     Bootstrap       06 06      20      -                protobuf Bootstrap
 *     EntryBatch      07 07      28      batch ID         protobuf EntryBatch
 *
 * Keys sort bytewise, so all records of one kind, then one cluster, then one node, then ascending index are
 * contiguous — which is what the scan bounds of §4.3 (below) rely on. Batch ID = entry index / B with
 * B = entry batch size (48, recorded in dragonboat.ds).
 */

import { CodecError } from './errors.js';
import { MAX_UINT64, assertU64 } from './uint64.js';

export enum KeyKind {
  Entry = 0x01,
  State = 0x02,
  MaxIndex = 0x03,
  NodeInfo = 0x04,
  Snapshot = 0x05,
  Bootstrap = 0x06,
  EntryBatch = 0x07,
}

/** Length of keys that end with node ID (state, max index, node info, bootstrap). */
export const NODE_KEY_LENGTH = 20;
/** Length of keys that carry an index or batch ID (entry, snapshot, entry batch). */
export const INDEXED_KEY_LENGTH = 28;

const KIND_NAMES: Record<KeyKind, string> = {
  [KeyKind.Entry]: 'entry',
  [KeyKind.State]: 'state',
  [KeyKind.MaxIndex]: 'maxIndex',
  [KeyKind.NodeInfo]: 'nodeInfo',
  [KeyKind.Snapshot]: 'snapshot',
  [KeyKind.Bootstrap]: 'bootstrap',
  [KeyKind.EntryBatch]: 'entryBatch',
};

/** 'entry', 'state', 'maxIndex', 'nodeInfo', 'snapshot', 'bootstrap', 'entryBatch'; `unknown(0xNN)` otherwise. */
export function keyKindName(kind: KeyKind | number): string {
  return KIND_NAMES[kind as KeyKind] ?? `unknown(0x${kind.toString(16).padStart(2, '0')})`;
}

/** True for the kinds whose keys are 28 bytes long (they carry an index or batch ID). */
export function isIndexedKind(kind: KeyKind): boolean {
  return kind === KeyKind.Entry || kind === KeyKind.Snapshot || kind === KeyKind.EntryBatch;
}

function nodeKey(kind: KeyKind, clusterId: bigint, nodeId: bigint): Buffer {
  assertU64(clusterId, 'cluster ID');
  assertU64(nodeId, 'node ID');
  const key = Buffer.allocUnsafe(NODE_KEY_LENGTH);
  key[0] = kind;
  key[1] = kind;
  key[2] = 0;
  key[3] = 0;
  key.writeBigUInt64BE(clusterId, 4);
  key.writeBigUInt64BE(nodeId, 12);
  return key;
}

function indexedKey(kind: KeyKind, clusterId: bigint, nodeId: bigint, index: bigint, what: string): Buffer {
  assertU64(clusterId, 'cluster ID');
  assertU64(nodeId, 'node ID');
  assertU64(index, what);
  const key = Buffer.allocUnsafe(INDEXED_KEY_LENGTH);
  key[0] = kind;
  key[1] = kind;
  key[2] = 0;
  key[3] = 0;
  key.writeBigUInt64BE(clusterId, 4);
  key.writeBigUInt64BE(nodeId, 12);
  key.writeBigUInt64BE(index, 20);
  return key;
}

export function entryKey(clusterId: bigint, nodeId: bigint, index: bigint): Buffer {
  return indexedKey(KeyKind.Entry, clusterId, nodeId, index, 'entry index');
}
export function stateKey(clusterId: bigint, nodeId: bigint): Buffer {
  return nodeKey(KeyKind.State, clusterId, nodeId);
}
export function maxIndexKey(clusterId: bigint, nodeId: bigint): Buffer {
  return nodeKey(KeyKind.MaxIndex, clusterId, nodeId);
}
export function nodeInfoKey(clusterId: bigint, nodeId: bigint): Buffer {
  return nodeKey(KeyKind.NodeInfo, clusterId, nodeId);
}
export function snapshotKey(clusterId: bigint, nodeId: bigint, index: bigint): Buffer {
  return indexedKey(KeyKind.Snapshot, clusterId, nodeId, index, 'snapshot index');
}
export function bootstrapKey(clusterId: bigint, nodeId: bigint): Buffer {
  return nodeKey(KeyKind.Bootstrap, clusterId, nodeId);
}
export function entryBatchKey(clusterId: bigint, nodeId: bigint, batchId: bigint): Buffer {
  return indexedKey(KeyKind.EntryBatch, clusterId, nodeId, batchId, 'batch ID');
}

/** The key of `kind` for one node; `index` is required for (and only used by) the 28-byte kinds. */
export function keyOf(kind: KeyKind, clusterId: bigint, nodeId: bigint, index?: bigint): Buffer {
  if (isIndexedKind(kind)) {
    if (index === undefined) throw new RangeError(`a ${keyKindName(kind)} key needs an index`);
    return indexedKey(kind, clusterId, nodeId, index, 'index');
  }
  if (!(kind in KIND_NAMES)) throw new RangeError(`unknown key kind ${kind}`);
  return nodeKey(kind, clusterId, nodeId);
}

export interface DecodedKey {
  kind: KeyKind;
  clusterId: bigint;
  nodeId: bigint;
  /** Entry index, snapshot index or batch ID (28-byte kinds only). */
  index?: bigint;
}

function hex(buf: Buffer): string {
  return buf.length > 40 ? `${buf.subarray(0, 40).toString('hex')}… (${buf.length} bytes)` : buf.toString('hex');
}

/**
 * Parses a LogDB key. Throws CodecError unless bytes 0 and 1 are the same known kind, bytes 2–3 are zero and
 * the length is 20 or 28 as the kind requires.
 */
export function decodeKey(key: Buffer): DecodedKey {
  if (key.length < 2) throw new CodecError(`codec/key: key ${hex(key)} is too short (${key.length} bytes)`);
  const kind = key[0]!;
  if (key[1] !== kind) {
    throw new CodecError(`codec/key: key ${hex(key)} has mismatched kind bytes ${kind} and ${key[1]}`);
  }
  if (!(kind in KIND_NAMES)) throw new CodecError(`codec/key: key ${hex(key)} has unknown kind 0x${hex(key.subarray(0, 1))}`);
  const want = isIndexedKind(kind) ? INDEXED_KEY_LENGTH : NODE_KEY_LENGTH;
  if (key.length !== want) {
    throw new CodecError(
      `codec/key: ${keyKindName(kind)} key ${hex(key)} is ${key.length} bytes long, expected ${want}`,
    );
  }
  if (key[2] !== 0 || key[3] !== 0) {
    throw new CodecError(`codec/key: key ${hex(key)} has non-zero padding bytes 2-3`);
  }
  const decoded: DecodedKey = {
    kind,
    clusterId: key.readBigUInt64BE(4),
    nodeId: key.readBigUInt64BE(12),
  };
  if (want === INDEXED_KEY_LENGTH) decoded.index = key.readBigUInt64BE(20);
  return decoded;
}

// ---- Batch IDs (§4.2) -------------------------------------------------------------------------------------

function assertBatchSize(batchSize: bigint): void {
  if (typeof batchSize !== 'bigint' || batchSize <= 0n) throw new RangeError(`invalid entry batch size ${batchSize}`);
}

/** The ID of the batch that holds entry `index`: index / batchSize. */
export function batchIdOf(index: bigint, batchSize: bigint): bigint {
  assertBatchSize(batchSize);
  return index / batchSize;
}

/**
 * Dragonboat's getBatchIDRange: the half-open batch-ID range [first, end) covering the half-open index range
 * [low, high): [low/B, high/B) when B divides high, else [low/B, high/B + 1).
 */
export function batchIdRange(low: bigint, high: bigint, batchSize: bigint): [bigint, bigint] {
  assertBatchSize(batchSize);
  const first = low / batchSize;
  const end = high % batchSize === 0n ? high / batchSize : high / batchSize + 1n;
  return [first, end];
}

// ---- Scan bounds (§4.3) -----------------------------------------------------------------------------------

/**
 * Scan bounds over encoded keys: from `gte` (inclusive) up to `lt` (exclusive) or `lte` (inclusive). The same shape
 * as the KV layer's KeyRange, which accepts these directly; the codec knows keys, not stores.
 */
export interface KeyRange {
  gte: Buffer;
  lt?: Buffer;
  lte?: Buffer;
}

/** A key range to delete: every key in [start, end) (a Pebble DeleteRange). */
export interface DeleteBounds {
  start: Buffer;
  end: Buffer;
}

/** ListNodeInfo: every bootstrap key, Bootstrap(0,0) ..= Bootstrap(MAX,MAX). */
export function bootstrapScanRange(): KeyRange {
  return { gte: bootstrapKey(0n, 0n), lte: bootstrapKey(MAX_UINT64, MAX_UINT64) };
}

/** ListSnapshots(c, n, maxIndex): snapshot records with index in [0, maxIndex], inclusive. */
export function snapshotRange(clusterId: bigint, nodeId: bigint, maxIndex: bigint): KeyRange {
  return { gte: snapshotKey(clusterId, nodeId, 0n), lte: snapshotKey(clusterId, nodeId, maxIndex) };
}

/**
 * Plain IterateEntries: entry keys with index in [low, high). A `high` of 2^64 (maxIndex + 1 with maxIndex =
 * 2^64−1) means "to the node's last possible entry".
 */
export function plainEntryRange(clusterId: bigint, nodeId: bigint, low: bigint, high: bigint): KeyRange {
  const gte = entryKey(clusterId, nodeId, low);
  if (high > MAX_UINT64) return { gte, lte: entryKey(clusterId, nodeId, MAX_UINT64) };
  return { gte, lt: entryKey(clusterId, nodeId, high) };
}

/** Plain ReadRaftState: entry keys with index in [low, high], inclusive. */
export function plainEntryRangeInclusive(clusterId: bigint, nodeId: bigint, low: bigint, high: bigint): KeyRange {
  return { gte: entryKey(clusterId, nodeId, low), lte: entryKey(clusterId, nodeId, high) };
}

/** Batched IterateEntries / ReadRaftState: batch keys with ID in [lowId, highId) (see batchIdRange). */
export function batchRange(clusterId: bigint, nodeId: bigint, lowId: bigint, highId: bigint): KeyRange {
  const gte = entryBatchKey(clusterId, nodeId, lowId);
  if (highId > MAX_UINT64) return { gte, lte: entryBatchKey(clusterId, nodeId, MAX_UINT64) };
  return { gte, lt: entryBatchKey(clusterId, nodeId, highId) };
}

/** Plain RemoveEntriesTo / CompactEntriesTo(index): deletes entry indexes < index, [Entry(c,n,0), Entry(c,n,index)). */
export function plainRemoveRange(clusterId: bigint, nodeId: bigint, index: bigint): DeleteBounds {
  return { start: entryKey(clusterId, nodeId, 0n), end: entryKey(clusterId, nodeId, index) };
}

/**
 * Batched RemoveEntriesTo / CompactEntriesTo(index): deletes batch IDs < index/B − 1, keeping the batch that
 * holds `index` and the one before it. Undefined (nothing to delete) when index/B is 0 or 1.
 */
export function batchedRemoveRange(
  clusterId: bigint,
  nodeId: bigint,
  index: bigint,
  batchSize: bigint,
): DeleteBounds | undefined {
  const id = batchIdOf(index, batchSize);
  if (id <= 1n) return undefined;
  return { start: entryBatchKey(clusterId, nodeId, 0n), end: entryBatchKey(clusterId, nodeId, id - 1n) };
}

/** "Has plain records?": Entry(0,0,0) ..= Entry(MAX,MAX,MAX). */
export function allPlainEntriesRange(): KeyRange {
  return { gte: entryKey(0n, 0n, 0n), lte: entryKey(MAX_UINT64, MAX_UINT64, MAX_UINT64) };
}

/** "Has batched records?": Batch(0,0,0) ..= Batch(MAX,MAX,MAX). */
export function allBatchedEntriesRange(): KeyRange {
  return { gte: entryBatchKey(0n, 0n, 0n), lte: entryBatchKey(MAX_UINT64, MAX_UINT64, MAX_UINT64) };
}

/**
 * Every key of `kind` that belongs to one node: index 0 ..= 2^64−1 for the 28-byte kinds, the single key for
 * the 20-byte kinds.
 */
export function nodeKeyRange(kind: KeyKind, clusterId: bigint, nodeId: bigint): KeyRange {
  if (isIndexedKind(kind)) {
    return { gte: keyOf(kind, clusterId, nodeId, 0n), lte: keyOf(kind, clusterId, nodeId, MAX_UINT64) };
  }
  const key = keyOf(kind, clusterId, nodeId);
  return { gte: key, lte: key };
}
