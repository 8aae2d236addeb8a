/**
 * Dragonboat's protobuf messages (spec §5.1–§5.5, §5.8–§5.10): State, Bootstrap, Snapshot (with Membership and
 * SnapshotFile), ConfigChange, RaftDataStatus and SnapshotHeader.
 *
 * Dragonboat marshals these with gogoproto from a proto2 schema in which no field is `required`. Byte-exact
 * output needs three things a stock protobuf encoder does not do:
 *  - every scalar field that gogo marks nullable=false is written even when it is zero (`State{}` encodes to
 *    `08 00 10 00 18 00`), as is the nested `Snapshot.membership` and `Membership.config_change_id`;
 *  - `bytes` fields (checksums, file metadata) are written only when non-null — an empty but present value is
 *    written as tag + `00`, and decodes back to an empty Buffer, never to null;
 *  - fields go out in ascending field-number order.
 * Map fields (`map<uint64,string>` addresses, `map<uint64,bool>` removed) are written by Go in random map
 * order. On the wire a map is nothing but a repeated sub-message {key = 1, value = 2}, both always written, so
 * the schema (messages-protobufjs.ts) declares them exactly that way: protobufjs then hands the entries over in wire order (and
 * writes them in the order given) without turning uint64 keys into "hash strings". The encoders write map
 * entries in ascending key order by default — deterministic, and a valid Dragonboat marshal — or, with
 * `{ mapOrder: 'insertion' }`, in the Map's own order, which for a decoded value is the order on disk and so
 * reproduces the original bytes.
 *
 * Decoders accept absent fields (they read as zero / empty / false; bytes as null), skip unknown fields, let the
 * last of duplicate map keys win, and turn every malformed input into a CodecError. All uint64 values are exact
 * bigints. Strings are decoded as UTF-8 (Go would keep invalid bytes; such strings do not round-trip).
 *
 * Encoding goes through protobufjs, loaded on the first encode; decoding is by hand (messages-wire.ts) with
 * protobufjs behind it for input the hand decoders refuse, so a read command never loads protobufjs.
 */

import { CodecError } from './errors.js';
import { encodeWith, protobufjsDecoders } from './messages-protobufjs.js';
import { wireBootstrap, wireConfigChange, wireRaftDataStatus, wireSnapshot, wireSnapshotHeader, wireState } from './messages-wire.js';
import { WireError } from './proto-wire.js';
import { assertU64 } from './uint64.js';

// ---- Public shapes --------------------------------------------------------------------------------------

/** Raft hard state (key 02 02). */
export interface State {
  term: bigint;
  vote: bigint;
  commit: bigint;
}

/** Bootstrap record (key 06 06). `type` is a StateMachineType; v2 data lacks it (reads as 0). */
export interface Bootstrap {
  addresses: Map<bigint, string>;
  join: boolean;
  type: number;
}

export interface Membership {
  configChangeId: bigint;
  /** Full voting members. */
  addresses: Map<bigint, string>;
  removed: Map<bigint, boolean>;
  observers: Map<bigint, string>;
  witnesses: Map<bigint, string>;
}

/** An external file of an on-disk snapshot (`external-file-<fileId>`). */
export interface SnapshotFile {
  filepath: string;
  fileSize: bigint;
  fileId: bigint;
  metadata: Buffer | null;
}

/** Snapshot record (key 05 05; also the payload of snapshot.metadata and dragonboat.snapshot.message). */
export interface Snapshot {
  filepath: string;
  fileSize: bigint;
  index: bigint;
  term: bigint;
  membership: Membership;
  files: SnapshotFile[];
  checksum: Buffer | null;
  dummy: boolean;
  clusterId: bigint;
  type: number;
  imported: boolean;
  onDiskIndex: bigint;
  witness: boolean;
}

/** The Cmd of a ConfigChangeEntry (§5.8). `type` is a ConfigChangeType. */
export interface ConfigChange {
  configChangeId: bigint;
  type: number;
  nodeId: bigint;
  address: string;
  initialize: boolean;
}

/** dragonboat.ds / DELETED.dragonboat payload (§2.3, §5.9). */
export interface RaftDataStatus {
  address: string;
  binVer: number;
  hardHash: bigint;
  logdbType: string;
  hostname: string;
  deploymentId: bigint;
  stepWorkerCount: bigint;
  logdbShardCount: bigint;
  maxSessionCount: bigint;
  entryBatchSize: bigint;
  /** Field 11, written by v3.3 only; null when absent (v3.2-written files). */
  addressByNodeHostId: boolean | null;
}

/** The header inside a `.gbsnap` file (§5.10, §10.1). */
export interface SnapshotHeader {
  sessionSize: bigint;
  dataStoreSize: bigint;
  /** Nanosecond timestamp of when the snapshot was written. */
  unreliableTime: bigint;
  gitVersion: string;
  headerChecksum: Buffer | null;
  payloadChecksum: Buffer | null;
  /** ChecksumType: 0 CRC32IEEE. */
  checksumType: number;
  /** 1 or 2 (a Go uint64; values past 2^53 would be rounded). */
  version: number;
  /** CompressionType: 0 none, 1 Snappy. */
  compressionType: number;
}

export interface EncodeOptions {
  /**
   * Order of map entries: 'ascending' key order (default; deterministic) or the Map's 'insertion' order
   * (a decoded Map keeps the on-disk order, so this reproduces the original bytes).
   */
  mapOrder?: 'ascending' | 'insertion';
}

// ---- uint64 <-> protobufjs ------------------------------------------------------------------------------

interface LongLike {
  low: number;
  high: number;
}

function toLong(value: bigint, what: string): LongLike {
  assertU64(value, what);
  return { low: Number(value & 0xffffffffn) | 0, high: Number(value >> 32n) | 0 };
}

function toInt32(value: number, what: string): number {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new RangeError(`${what} ${value} is not a 32-bit integer`);
  }
  return value;
}

function toBool(value: boolean, what: string): boolean {
  if (typeof value !== 'boolean') throw new RangeError(`${what} ${String(value)} is not a boolean`);
  return value;
}

function toStr(value: string, what: string): string {
  if (typeof value !== 'string') throw new RangeError(`${what} ${String(value)} is not a string`);
  return value;
}

// ---- Maps -----------------------------------------------------------------------------------------------

function sortedEntries<V>(map: Map<bigint, V>, options: EncodeOptions | undefined): [bigint, V][] {
  const entries = [...map.entries()];
  if ((options?.mapOrder ?? 'ascending') === 'ascending') {
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  return entries;
}

function encodeStringMap(map: Map<bigint, string>, what: string, options: EncodeOptions | undefined) {
  if (!(map instanceof Map)) throw new RangeError(`${what} must be a Map<bigint, string>`);
  return sortedEntries(map, options).map(([key, value]) => ({
    key: toLong(key, `${what} key`),
    value: toStr(value, `${what} value`),
  }));
}

function encodeBoolMap(map: Map<bigint, boolean>, what: string, options: EncodeOptions | undefined) {
  if (!(map instanceof Map)) throw new RangeError(`${what} must be a Map<bigint, boolean>`);
  return sortedEntries(map, options).map(([key, value]) => ({
    key: toLong(key, `${what} key`),
    value: toBool(value, `${what} value`),
  }));
}

// ---- Decoding -------------------------------------------------------------------------------------------

/**
 * The hand-written decoder's result (messages-wire.ts); for input it refuses, protobufjs's — which throws the
 * CodecError damaged input has always given, or decodes what protobufjs tolerates (overlong varints of unknown
 * fields, groups).
 */
function decodeWire<T>(wire: (buf: Buffer) => T, reference: (buf: Buffer) => T, buf: Buffer): T {
  if (Buffer.isBuffer(buf)) {
    try {
      return wire(buf);
    } catch (err) {
      if (!(err instanceof WireError)) throw err;
    }
  }
  return reference(buf);
}

// ---- State ----------------------------------------------------------------------------------------------

export function encodeState(state: State): Buffer {
  return encodeWith('State', {
    term: toLong(state.term, 'state term'),
    vote: toLong(state.vote, 'state vote'),
    commit: toLong(state.commit, 'state commit'),
  });
}

export function decodeState(buf: Buffer): State {
  return decodeWire(wireState, protobufjsDecoders.state, buf);
}

// ---- Bootstrap ------------------------------------------------------------------------------------------

export function encodeBootstrap(bootstrap: Bootstrap, options?: EncodeOptions): Buffer {
  return encodeWith('Bootstrap', {
    addresses: encodeStringMap(bootstrap.addresses, 'bootstrap addresses', options),
    join: toBool(bootstrap.join, 'bootstrap join'),
    type: toInt32(bootstrap.type, 'bootstrap type'),
  });
}

export function decodeBootstrap(buf: Buffer): Bootstrap {
  return decodeWire(wireBootstrap, protobufjsDecoders.bootstrap, buf);
}

// ---- Snapshot -------------------------------------------------------------------------------------------

/** An empty membership (config change ID 0, no members). */
export function emptyMembership(): Membership {
  return { configChangeId: 0n, addresses: new Map(), removed: new Map(), observers: new Map(), witnesses: new Map() };
}

function membershipMessage(membership: Membership, options: EncodeOptions | undefined): Record<string, unknown> {
  return {
    config_change_id: toLong(membership.configChangeId, 'membership config change ID'),
    addresses: encodeStringMap(membership.addresses, 'membership addresses', options),
    removed: encodeBoolMap(membership.removed, 'membership removed', options),
    observers: encodeStringMap(membership.observers, 'membership observers', options),
    witnesses: encodeStringMap(membership.witnesses, 'membership witnesses', options),
  };
}

function fileMessage(file: SnapshotFile): Record<string, unknown> {
  const message: Record<string, unknown> = {
    filepath: toStr(file.filepath, 'snapshot file path'),
    file_size: toLong(file.fileSize, 'snapshot file size'),
    file_id: toLong(file.fileId, 'snapshot file ID'),
  };
  if (file.metadata !== null && file.metadata !== undefined) message.metadata = file.metadata;
  return message;
}

function snapshotMessage(snapshot: Snapshot, options: EncodeOptions | undefined): Record<string, unknown> {
  const message: Record<string, unknown> = {
    filepath: toStr(snapshot.filepath, 'snapshot filepath'),
    file_size: toLong(snapshot.fileSize, 'snapshot file size'),
    index: toLong(snapshot.index, 'snapshot index'),
    term: toLong(snapshot.term, 'snapshot term'),
    membership: membershipMessage(snapshot.membership, options),
    files: snapshot.files.map(fileMessage),
    dummy: toBool(snapshot.dummy, 'snapshot dummy'),
    cluster_id: toLong(snapshot.clusterId, 'snapshot cluster ID'),
    type: toInt32(snapshot.type, 'snapshot type'),
    imported: toBool(snapshot.imported, 'snapshot imported'),
    on_disk_index: toLong(snapshot.onDiskIndex, 'snapshot on-disk index'),
    witness: toBool(snapshot.witness, 'snapshot witness'),
  };
  if (snapshot.checksum !== null && snapshot.checksum !== undefined) message.checksum = snapshot.checksum;
  return message;
}

export function encodeSnapshot(snapshot: Snapshot, options?: EncodeOptions): Buffer {
  return encodeWith('Snapshot', snapshotMessage(snapshot, options));
}

export function decodeSnapshot(buf: Buffer): Snapshot {
  return decodeWire(wireSnapshot, protobufjsDecoders.snapshot, buf);
}

// ---- ConfigChange ---------------------------------------------------------------------------------------

export function encodeConfigChange(cc: ConfigChange): Buffer {
  return encodeWith('ConfigChange', {
    config_change_id: toLong(cc.configChangeId, 'config change ID'),
    type: toInt32(cc.type, 'config change type'),
    node_id: toLong(cc.nodeId, 'config change node ID'),
    address: toStr(cc.address, 'config change address'),
    initialize: toBool(cc.initialize, 'config change initialize'),
  });
}

export function decodeConfigChange(buf: Buffer): ConfigChange {
  return decodeWire(wireConfigChange, protobufjsDecoders.configChange, buf);
}

// ---- RaftDataStatus -------------------------------------------------------------------------------------

export function encodeRaftDataStatus(status: RaftDataStatus): Buffer {
  if (!Number.isInteger(status.binVer) || status.binVer < 0 || status.binVer > 0xffffffff) {
    throw new RangeError(`bin_ver ${status.binVer} is not an unsigned 32-bit integer`);
  }
  const message: Record<string, unknown> = {
    address: toStr(status.address, 'address'),
    bin_ver: status.binVer,
    hard_hash: toLong(status.hardHash, 'hard hash'),
    logdb_type: toStr(status.logdbType, 'logdb type'),
    hostname: toStr(status.hostname, 'hostname'),
    deployment_id: toLong(status.deploymentId, 'deployment ID'),
    step_worker_count: toLong(status.stepWorkerCount, 'step worker count'),
    logdb_shard_count: toLong(status.logdbShardCount, 'logdb shard count'),
    max_session_count: toLong(status.maxSessionCount, 'max session count'),
    entry_batch_size: toLong(status.entryBatchSize, 'entry batch size'),
  };
  if (status.addressByNodeHostId !== null && status.addressByNodeHostId !== undefined) {
    message.address_by_node_host_id = toBool(status.addressByNodeHostId, 'address by NodeHost ID');
  }
  return encodeWith('RaftDataStatus', message);
}

export function decodeRaftDataStatus(buf: Buffer): RaftDataStatus {
  return decodeWire(wireRaftDataStatus, protobufjsDecoders.raftDataStatus, buf);
}

// ---- SnapshotHeader -------------------------------------------------------------------------------------

export function encodeSnapshotHeader(header: SnapshotHeader): Buffer {
  if (!Number.isSafeInteger(header.version) || header.version < 0) {
    throw new RangeError(`snapshot header version ${header.version} is not an unsigned integer`);
  }
  const message: Record<string, unknown> = {
    session_size: toLong(header.sessionSize, 'session size'),
    data_store_size: toLong(header.dataStoreSize, 'data store size'),
    unreliable_time: toLong(header.unreliableTime, 'unreliable time'),
    git_version: toStr(header.gitVersion, 'git version'),
    checksum_type: toInt32(header.checksumType, 'checksum type'),
    version: toLong(BigInt(header.version), 'version'),
    compression_type: toInt32(header.compressionType, 'compression type'),
  };
  if (header.headerChecksum !== null && header.headerChecksum !== undefined) message.header_checksum = header.headerChecksum;
  if (header.payloadChecksum !== null && header.payloadChecksum !== undefined) message.payload_checksum = header.payloadChecksum;
  return encodeWith('SnapshotHeader', message);
}

export function decodeSnapshotHeader(buf: Buffer): SnapshotHeader {
  return decodeWire(wireSnapshotHeader, protobufjsDecoders.snapshotHeader, buf);
}
