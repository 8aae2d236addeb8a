/**
 * Dragonboat's messages through protobufjs: the schema (see messages.ts for why it is spelled the way it is), the
 * encoders' wire writer, and reference decoders. Loaded on first use only: protobufjs and the parsing of the
 * schema cost a short command (`ls-nodes`) a tenth of its time, and reading needs neither — messages-wire.ts
 * decodes well-formed records by hand and passes anything else to the decoders here, so damaged records get
 * protobufjs's errors (and whatever protobufjs accepts, its result).
 */

import { createRequire } from 'node:module';
import type * as Protobuf from 'protobufjs';
import { CodecError, wrapCodecError } from './errors.js';
import type { Bootstrap, ConfigChange, Membership, RaftDataStatus, Snapshot, SnapshotFile, SnapshotHeader, State } from './messages.js';

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

export interface MessageTypes {
  State: Protobuf.Type;
  Bootstrap: Protobuf.Type;
  Snapshot: Protobuf.Type;
  ConfigChange: Protobuf.Type;
  RaftDataStatus: Protobuf.Type;
  SnapshotHeader: Protobuf.Type;
}

let types: MessageTypes | undefined;

/** The schema's message types, loading protobufjs on the first call. */
export function messageTypes(): MessageTypes {
  if (types) return types;
  // protobufjs's one-file build: the same library as its package entry point, which loads 45 modules one by one.
  // The bundle cannot find long.js by itself: it is given protobufjs's own.
  const require = createRequire(import.meta.url);
  const protobuf = require('protobufjs/dist/protobuf.min.js') as typeof Protobuf;
  if (!protobuf.util.Long) {
    protobuf.util.Long = createRequire(require.resolve('protobufjs'))('long');
    protobuf.configure();
  }
  if (!protobuf.util.Long) {
    // Without long.js protobufjs returns uint64 values as doubles and loses precision past 2^53.
    throw new Error('codec/protobuf: protobufjs was loaded without long.js; uint64 values would lose precision');
  }
  const root = protobuf.parse(SCHEMA, { keepCase: true }).root;
  types = {
    State: root.lookupType('dragonboat.State'),
    Bootstrap: root.lookupType('dragonboat.Bootstrap'),
    Snapshot: root.lookupType('dragonboat.Snapshot'),
    ConfigChange: root.lookupType('dragonboat.ConfigChange'),
    RaftDataStatus: root.lookupType('dragonboat.RaftDataStatus'),
    SnapshotHeader: root.lookupType('dragonboat.SnapshotHeader'),
  };
  return types;
}

export function encodeWith(name: keyof MessageTypes, message: Record<string, unknown>): Buffer {
  const bytes = messageTypes()[name].encode(message).finish();
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// ---- Reference decoders ---------------------------------------------------------------------------------

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

/** A bytes field: null when absent; a private copy (not a view into the input) when present. */
function optionalBytes(message: Record<string, unknown>, field: string): Buffer | null {
  if (!Object.prototype.hasOwnProperty.call(message, field) || message[field] == null) return null;
  return Buffer.from(message[field] as Uint8Array); // copies
}

function has(message: Record<string, unknown>, field: string): boolean {
  return Object.prototype.hasOwnProperty.call(message, field) && message[field] != null;
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

function decodeWith(name: keyof MessageTypes, buf: Buffer): Record<string, any> {
  if (!(buf instanceof Uint8Array)) throw new CodecError(`codec/protobuf: ${name} input is not a Buffer`);
  try {
    return messageTypes()[name].decode(buf) as unknown as Record<string, any>;
  } catch (err) {
    throw wrapCodecError('protobuf', `corrupt ${name}`, err);
  }
}

/** An absent membership decodes as an empty one (config change ID 0, no members). */
function membershipFrom(m: Record<string, any>): Membership {
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

/** The decoders as protobufjs reads the schema: what messages-wire.ts must agree with. */
export const protobufjsDecoders = {
  state(buf: Buffer): State {
    const m = decodeWith('State', buf);
    return { term: fromLong(m.term), vote: fromLong(m.vote), commit: fromLong(m.commit) };
  },

  bootstrap(buf: Buffer): Bootstrap {
    const m = decodeWith('Bootstrap', buf);
    return { addresses: decodeStringMap(m.addresses), join: m.join ?? false, type: m.type ?? 0 };
  },

  snapshot(buf: Buffer): Snapshot {
    const m = decodeWith('Snapshot', buf);
    return {
      filepath: m.filepath ?? '',
      fileSize: fromLong(m.file_size),
      index: fromLong(m.index),
      term: fromLong(m.term),
      membership: membershipFrom(has(m, 'membership') ? m.membership : {}),
      files: ((m.files as Array<Record<string, any>> | undefined) ?? []).map(fileFrom),
      checksum: optionalBytes(m, 'checksum'),
      dummy: m.dummy ?? false,
      clusterId: fromLong(m.cluster_id),
      type: m.type ?? 0,
      imported: m.imported ?? false,
      onDiskIndex: fromLong(m.on_disk_index),
      witness: m.witness ?? false,
    };
  },

  configChange(buf: Buffer): ConfigChange {
    const m = decodeWith('ConfigChange', buf);
    return {
      configChangeId: fromLong(m.config_change_id),
      type: m.type ?? 0,
      nodeId: fromLong(m.node_id),
      address: m.address ?? '',
      initialize: m.initialize ?? false,
    };
  },

  raftDataStatus(buf: Buffer): RaftDataStatus {
    const m = decodeWith('RaftDataStatus', buf);
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
  },

  snapshotHeader(buf: Buffer): SnapshotHeader {
    const m = decodeWith('SnapshotHeader', buf);
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
  },
};
