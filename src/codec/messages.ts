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
 * the schema below declares them exactly that way: protobufjs then hands the entries over in wire order (and
 * writes them in the order given) without turning uint64 keys into "hash strings". The encoders write map
 * entries in ascending key order by default — deterministic, and a valid Dragonboat marshal — or, with
 * `{ mapOrder: 'insertion' }`, in the Map's own order, which for a decoded value is the order on disk and so
 * reproduces the original bytes.
 *
 * Decoders accept absent fields (they read as zero / empty / false; bytes as null), skip unknown fields, let the
 * last of duplicate map keys win, and turn every malformed input into a CodecError. All uint64 values are exact
 * bigints. Strings are decoded as UTF-8 (Go would keep invalid bytes; such strings do not round-trip).
 */

import { createRequire } from 'node:module';
import type * as Protobuf from 'protobufjs';
import { CodecError, wrapCodecError } from './errors.js';
import { assertU64 } from './uint64.js';

// protobufjs's one-file build: the same library as its package entry point, which loads 45 modules one by one
// (a third of the CLI's start-up). The bundle cannot find long.js by itself: it is given protobufjs's own.
const require = createRequire(import.meta.url);
const protobuf = require('protobufjs/dist/protobuf.min.js') as typeof Protobuf;
if (!protobuf.util.Long) {
  protobuf.util.Long = createRequire(require.resolve('protobufjs'))('long');
  protobuf.configure();
}

// ---- Schema ---------------------------------------------------------------------------------------------

const SCHEMA = `
syntax = "proto2";
package dragonboat;

// A map<uint64, string> / map<uint64, bool> entry, spelled out.
message U64StringPair { optional uint64 key = 1; optional string value = 2; }
message U64BoolPair   { optional uint64 key = 1; optional bool   value = 2; }

message State {
  optional uint64 term = 1;
  optional uint64 vote = 2;
  optional uint64 commit = 3;
}

message Bootstrap {
  repeated U64StringPair addresses = 1;
  optional bool join = 2;
  optional int32 type = 3;
}

message Membership {
  optional uint64 config_change_id = 1;
  repeated U64StringPair addresses = 2;
  repeated U64BoolPair removed = 3;
  repeated U64StringPair observers = 4;
  repeated U64StringPair witnesses = 5;
}

message SnapshotFile {
  optional string filepath = 2;
  optional uint64 file_size = 3;
  optional uint64 file_id = 4;
  optional bytes metadata = 5;
}

message Snapshot {
  optional string filepath = 2;
  optional uint64 file_size = 3;
  optional uint64 index = 4;
  optional uint64 term = 5;
  optional Membership membership = 6;
  repeated SnapshotFile files = 7;
  optional bytes checksum = 8;
  optional bool dummy = 9;
  optional uint64 cluster_id = 10;
  optional int32 type = 11;
  optional bool imported = 12;
  optional uint64 on_disk_index = 13;
  optional bool witness = 14;
}

message ConfigChange {
  optional uint64 config_change_id = 1;
  optional int32 type = 2;
  optional uint64 node_id = 3;
  optional string address = 4;
  optional bool initialize = 5;
}

message RaftDataStatus {
  optional string address = 1;
  optional uint32 bin_ver = 2;
  optional uint64 hard_hash = 3;
  optional string logdb_type = 4;
  optional string hostname = 5;
  optional uint64 deployment_id = 6;
  optional uint64 step_worker_count = 7;
  optional uint64 logdb_shard_count = 8;
  optional uint64 max_session_count = 9;
  optional uint64 entry_batch_size = 10;
  optional bool address_by_node_host_id = 11;
}

message SnapshotHeader {
  optional uint64 session_size = 1;
  optional uint64 data_store_size = 2;
  optional uint64 unreliable_time = 3;
  optional string git_version = 4;
  optional bytes header_checksum = 5;
  optional bytes payload_checksum = 6;
  optional int32 checksum_type = 7;
  optional uint64 version = 8;
  optional int32 compression_type = 9;
}
`;

if (!protobuf.util.Long) {
  // Without long.js protobufjs returns uint64 values as doubles and loses precision past 2^53.
  throw new Error('codec/protobuf: protobufjs was loaded without long.js; uint64 values would lose precision');
}

const root = protobuf.parse(SCHEMA, { keepCase: true }).root;
const StateType = root.lookupType('dragonboat.State');
const BootstrapType = root.lookupType('dragonboat.Bootstrap');
const SnapshotType = root.lookupType('dragonboat.Snapshot');
const ConfigChangeType = root.lookupType('dragonboat.ConfigChange');
const RaftDataStatusType = root.lookupType('dragonboat.RaftDataStatus');
const SnapshotHeaderType = root.lookupType('dragonboat.SnapshotHeader');

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

const TWO_32 = 4294967296n;

/** A protobufjs uint64 (a Long, or a number when it fits) as an exact bigint; absent → 0n. */
function fromLong(value: unknown): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'number') return BigInt(value);
  const { low, high } = value as LongLike;
  return BigInt(high >>> 0) * TWO_32 + BigInt(low >>> 0);
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

/** A bytes field: null when absent; a private copy (not a view into the input) when present. */
function optionalBytes(message: Record<string, unknown>, field: string): Buffer | null {
  if (!Object.prototype.hasOwnProperty.call(message, field) || message[field] == null) return null;
  return Buffer.from(message[field] as Uint8Array); // copies
}

function has(message: Record<string, unknown>, field: string): boolean {
  return Object.prototype.hasOwnProperty.call(message, field) && message[field] != null;
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

function decodeStringMap(pairs: unknown): Map<bigint, string> {
  const map = new Map<bigint, string>();
  for (const pair of (pairs as Array<{ key?: unknown; value?: string }> | undefined) ?? []) {
    map.set(fromLong(pair.key), pair.value ?? '');
  }
  return map;
}

function decodeBoolMap(pairs: unknown): Map<bigint, boolean> {
  const map = new Map<bigint, boolean>();
  for (const pair of (pairs as Array<{ key?: unknown; value?: boolean }> | undefined) ?? []) {
    map.set(fromLong(pair.key), pair.value ?? false);
  }
  return map;
}

// ---- Generic encode / decode ----------------------------------------------------------------------------

function encodeWith(type: protobuf.Type, message: Record<string, unknown>): Buffer {
  const bytes = type.encode(message).finish();
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function decodeWith(type: protobuf.Type, buf: Buffer): Record<string, any> {
  if (!(buf instanceof Uint8Array)) throw new CodecError(`codec/protobuf: ${type.name} input is not a Buffer`);
  try {
    return type.decode(buf) as unknown as Record<string, any>;
  } catch (err) {
    throw wrapCodecError('protobuf', `corrupt ${type.name}`, err);
  }
}

// ---- State ----------------------------------------------------------------------------------------------

export function encodeState(state: State): Buffer {
  return encodeWith(StateType, {
    term: toLong(state.term, 'state term'),
    vote: toLong(state.vote, 'state vote'),
    commit: toLong(state.commit, 'state commit'),
  });
}

export function decodeState(buf: Buffer): State {
  const m = decodeWith(StateType, buf);
  return { term: fromLong(m.term), vote: fromLong(m.vote), commit: fromLong(m.commit) };
}

// ---- Bootstrap ------------------------------------------------------------------------------------------

export function encodeBootstrap(bootstrap: Bootstrap, options?: EncodeOptions): Buffer {
  return encodeWith(BootstrapType, {
    addresses: encodeStringMap(bootstrap.addresses, 'bootstrap addresses', options),
    join: toBool(bootstrap.join, 'bootstrap join'),
    type: toInt32(bootstrap.type, 'bootstrap type'),
  });
}

export function decodeBootstrap(buf: Buffer): Bootstrap {
  const m = decodeWith(BootstrapType, buf);
  return { addresses: decodeStringMap(m.addresses), join: m.join ?? false, type: m.type ?? 0 };
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
  return encodeWith(SnapshotType, snapshotMessage(snapshot, options));
}

function membershipFrom(m: Record<string, any> | null | undefined): Membership {
  if (!m) return emptyMembership();
  return {
    configChangeId: fromLong(m.config_change_id),
    addresses: decodeStringMap(m.addresses),
    removed: decodeBoolMap(m.removed),
    observers: decodeStringMap(m.observers),
    witnesses: decodeStringMap(m.witnesses),
  };
}

function fileFrom(m: Record<string, any>): SnapshotFile {
  return {
    filepath: m.filepath ?? '',
    fileSize: fromLong(m.file_size),
    fileId: fromLong(m.file_id),
    metadata: optionalBytes(m, 'metadata'),
  };
}

export function decodeSnapshot(buf: Buffer): Snapshot {
  const m = decodeWith(SnapshotType, buf);
  return {
    filepath: m.filepath ?? '',
    fileSize: fromLong(m.file_size),
    index: fromLong(m.index),
    term: fromLong(m.term),
    membership: membershipFrom(has(m, 'membership') ? m.membership : null),
    files: ((m.files as Array<Record<string, any>> | undefined) ?? []).map(fileFrom),
    checksum: optionalBytes(m, 'checksum'),
    dummy: m.dummy ?? false,
    clusterId: fromLong(m.cluster_id),
    type: m.type ?? 0,
    imported: m.imported ?? false,
    onDiskIndex: fromLong(m.on_disk_index),
    witness: m.witness ?? false,
  };
}

// ---- ConfigChange ---------------------------------------------------------------------------------------

export function encodeConfigChange(cc: ConfigChange): Buffer {
  return encodeWith(ConfigChangeType, {
    config_change_id: toLong(cc.configChangeId, 'config change ID'),
    type: toInt32(cc.type, 'config change type'),
    node_id: toLong(cc.nodeId, 'config change node ID'),
    address: toStr(cc.address, 'config change address'),
    initialize: toBool(cc.initialize, 'config change initialize'),
  });
}

export function decodeConfigChange(buf: Buffer): ConfigChange {
  const m = decodeWith(ConfigChangeType, buf);
  return {
    configChangeId: fromLong(m.config_change_id),
    type: m.type ?? 0,
    nodeId: fromLong(m.node_id),
    address: m.address ?? '',
    initialize: m.initialize ?? false,
  };
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
  return encodeWith(RaftDataStatusType, message);
}

export function decodeRaftDataStatus(buf: Buffer): RaftDataStatus {
  const m = decodeWith(RaftDataStatusType, buf);
  return {
    address: m.address ?? '',
    binVer: m.bin_ver ?? 0,
    hardHash: fromLong(m.hard_hash),
    logdbType: m.logdb_type ?? '',
    hostname: m.hostname ?? '',
    deploymentId: fromLong(m.deployment_id),
    stepWorkerCount: fromLong(m.step_worker_count),
    logdbShardCount: fromLong(m.logdb_shard_count),
    maxSessionCount: fromLong(m.max_session_count),
    entryBatchSize: fromLong(m.entry_batch_size),
    addressByNodeHostId: has(m, 'address_by_node_host_id') ? Boolean(m.address_by_node_host_id) : null,
  };
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
  return encodeWith(SnapshotHeaderType, message);
}

export function decodeSnapshotHeader(buf: Buffer): SnapshotHeader {
  const m = decodeWith(SnapshotHeaderType, buf);
  return {
    sessionSize: fromLong(m.session_size),
    dataStoreSize: fromLong(m.data_store_size),
    unreliableTime: fromLong(m.unreliable_time),
    gitVersion: m.git_version ?? '',
    headerChecksum: optionalBytes(m, 'header_checksum'),
    payloadChecksum: optionalBytes(m, 'payload_checksum'),
    checksumType: m.checksum_type ?? 0,
    version: Number(fromLong(m.version)),
    compressionType: m.compression_type ?? 0,
  };
}
