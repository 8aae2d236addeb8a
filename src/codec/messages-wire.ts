/**
 * Hand-written decoders of Dragonboat's messages (the schema in messages-protobufjs.ts), for the read path:
 * every command reads dragonboat.ds, and `ls-nodes` a State, a Bootstrap and the snapshots of every node.
 *
 * They give exactly what protobufjs gives for the same bytes (test/codec/messages-wire.test.ts holds them to
 * it): fields in any order, the last of a repeated scalar winning, a repeated `membership` merged into the first
 * (scalars overwritten, map entries appended), known fields with an unexpected wire type skipped like unknown
 * ones, uint64 modulo 2^64, int32 from the low 32 bits, map entries in wire order with the last of duplicate
 * keys winning. Whatever WireReader refuses (damaged or unusual input) throws a WireError, and messages.ts then
 * asks protobufjs.
 */

import type { Bootstrap, ConfigChange, Membership, RaftDataStatus, Snapshot, SnapshotFile, SnapshotHeader, State } from './messages.js';
import { WireReader } from './proto-wire.js';

// tags: field number × 8 + wire type (0 varint, 2 length-delimited)
const varintTag = (field: number) => field * 8;
const delimitedTag = (field: number) => field * 8 + 2;

/** One map entry {key = 1 (uint64), value = 2} into `map`. */
function readStringPair(r: WireReader, map: Map<bigint, string>): void {
  const end = r.delimited();
  const pair = new WireReader(r.buf, r.pos, end);
  let key = 0n;
  let value = '';
  while (pair.pos < end) {
    const tag = pair.tag();
    if (tag === varintTag(1)) key = pair.uint64();
    else if (tag === delimitedTag(2)) value = pair.string();
    else pair.skip(tag & 7);
  }
  map.set(key, value);
  r.pos = end;
}

function readBoolPair(r: WireReader, map: Map<bigint, boolean>): void {
  const end = r.delimited();
  const pair = new WireReader(r.buf, r.pos, end);
  let key = 0n;
  let value = false;
  while (pair.pos < end) {
    const tag = pair.tag();
    if (tag === varintTag(1)) key = pair.uint64();
    else if (tag === varintTag(2)) value = pair.bool();
    else pair.skip(tag & 7);
  }
  map.set(key, value);
  r.pos = end;
}

function reader(buf: Buffer): WireReader {
  return new WireReader(buf, 0, buf.length);
}

export function wireState(buf: Buffer): State {
  const r = reader(buf);
  const state: State = { term: 0n, vote: 0n, commit: 0n };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case varintTag(1): state.term = r.uint64(); break;
      case varintTag(2): state.vote = r.uint64(); break;
      case varintTag(3): state.commit = r.uint64(); break;
      default: r.skip(tag & 7);
    }
  }
  return state;
}

export function wireBootstrap(buf: Buffer): Bootstrap {
  const r = reader(buf);
  const bootstrap: Bootstrap = { addresses: new Map(), join: false, type: 0 };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case delimitedTag(1): readStringPair(r, bootstrap.addresses); break;
      case varintTag(2): bootstrap.join = r.bool(); break;
      case varintTag(3): bootstrap.type = r.int32(); break;
      default: r.skip(tag & 7);
    }
  }
  return bootstrap;
}

/** One occurrence of Snapshot.membership, merged into `m`. */
function readMembership(r: WireReader, m: Membership): void {
  const end = r.delimited();
  const inner = new WireReader(r.buf, r.pos, end);
  while (inner.pos < end) {
    const tag = inner.tag();
    switch (tag) {
      case varintTag(1): m.configChangeId = inner.uint64(); break;
      case delimitedTag(2): readStringPair(inner, m.addresses); break;
      case delimitedTag(3): readBoolPair(inner, m.removed); break;
      case delimitedTag(4): readStringPair(inner, m.observers); break;
      case delimitedTag(5): readStringPair(inner, m.witnesses); break;
      default: inner.skip(tag & 7);
    }
  }
  r.pos = end;
}

function readFile(r: WireReader): SnapshotFile {
  const end = r.delimited();
  const inner = new WireReader(r.buf, r.pos, end);
  const file: SnapshotFile = { filepath: '', fileSize: 0n, fileId: 0n, metadata: null };
  while (inner.pos < end) {
    const tag = inner.tag();
    switch (tag) {
      case delimitedTag(2): file.filepath = inner.string(); break;
      case varintTag(3): file.fileSize = inner.uint64(); break;
      case varintTag(4): file.fileId = inner.uint64(); break;
      case delimitedTag(5): file.metadata = inner.bytes(); break;
      default: inner.skip(tag & 7);
    }
  }
  r.pos = end;
  return file;
}

export function wireSnapshot(buf: Buffer): Snapshot {
  const r = reader(buf);
  const s: Snapshot = {
    filepath: '',
    fileSize: 0n,
    index: 0n,
    term: 0n,
    membership: { configChangeId: 0n, addresses: new Map(), removed: new Map(), observers: new Map(), witnesses: new Map() },
    files: [],
    checksum: null,
    dummy: false,
    clusterId: 0n,
    type: 0,
    imported: false,
    onDiskIndex: 0n,
    witness: false,
  };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case delimitedTag(2): s.filepath = r.string(); break;
      case varintTag(3): s.fileSize = r.uint64(); break;
      case varintTag(4): s.index = r.uint64(); break;
      case varintTag(5): s.term = r.uint64(); break;
      case delimitedTag(6): readMembership(r, s.membership); break;
      case delimitedTag(7): s.files.push(readFile(r)); break;
      case delimitedTag(8): s.checksum = r.bytes(); break;
      case varintTag(9): s.dummy = r.bool(); break;
      case varintTag(10): s.clusterId = r.uint64(); break;
      case varintTag(11): s.type = r.int32(); break;
      case varintTag(12): s.imported = r.bool(); break;
      case varintTag(13): s.onDiskIndex = r.uint64(); break;
      case varintTag(14): s.witness = r.bool(); break;
      default: r.skip(tag & 7);
    }
  }
  return s;
}

export function wireConfigChange(buf: Buffer): ConfigChange {
  const r = reader(buf);
  const cc: ConfigChange = { configChangeId: 0n, type: 0, nodeId: 0n, address: '', initialize: false };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case varintTag(1): cc.configChangeId = r.uint64(); break;
      case varintTag(2): cc.type = r.int32(); break;
      case varintTag(3): cc.nodeId = r.uint64(); break;
      case delimitedTag(4): cc.address = r.string(); break;
      case varintTag(5): cc.initialize = r.bool(); break;
      default: r.skip(tag & 7);
    }
  }
  return cc;
}

export function wireRaftDataStatus(buf: Buffer): RaftDataStatus {
  const r = reader(buf);
  const ds: RaftDataStatus = {
    address: '',
    binVer: 0,
    hardHash: 0n,
    logdbType: '',
    hostname: '',
    deploymentId: 0n,
    stepWorkerCount: 0n,
    logdbShardCount: 0n,
    maxSessionCount: 0n,
    entryBatchSize: 0n,
    addressByNodeHostId: null,
  };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case delimitedTag(1): ds.address = r.string(); break;
      case varintTag(2): ds.binVer = r.uint32(); break;
      case varintTag(3): ds.hardHash = r.uint64(); break;
      case delimitedTag(4): ds.logdbType = r.string(); break;
      case delimitedTag(5): ds.hostname = r.string(); break;
      case varintTag(6): ds.deploymentId = r.uint64(); break;
      case varintTag(7): ds.stepWorkerCount = r.uint64(); break;
      case varintTag(8): ds.logdbShardCount = r.uint64(); break;
      case varintTag(9): ds.maxSessionCount = r.uint64(); break;
      case varintTag(10): ds.entryBatchSize = r.uint64(); break;
      case varintTag(11): ds.addressByNodeHostId = r.bool(); break;
      default: r.skip(tag & 7);
    }
  }
  return ds;
}

export function wireSnapshotHeader(buf: Buffer): SnapshotHeader {
  const r = reader(buf);
  const h: SnapshotHeader = {
    sessionSize: 0n,
    dataStoreSize: 0n,
    unreliableTime: 0n,
    gitVersion: '',
    headerChecksum: null,
    payloadChecksum: null,
    checksumType: 0,
    version: 0,
    compressionType: 0,
  };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case varintTag(1): h.sessionSize = r.uint64(); break;
      case varintTag(2): h.dataStoreSize = r.uint64(); break;
      case varintTag(3): h.unreliableTime = r.uint64(); break;
      case delimitedTag(4): h.gitVersion = r.string(); break;
      case delimitedTag(5): h.headerChecksum = r.bytes(); break;
      case delimitedTag(6): h.payloadChecksum = r.bytes(); break;
      case varintTag(7): h.checksumType = r.int32(); break;
      case varintTag(8): h.version = Number(r.uint64()); break;
      case varintTag(9): h.compressionType = r.int32(); break;
      default: r.skip(tag & 7);
    }
  }
  return h;
}
