/**
 * The codec against data Dragonboat itself wrote (byte copies in test/fixtures): every key and value in rawdump.json
 * decodes, re-encodes to the very same bytes, and agrees with what Dragonboat's own LogDB API read back
 * (expected.json). Also the dragonboat.ds / NODEHOST.ID flag files.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Entry, decodeEntry, encodeEntry, sizeUpperLimit } from '../../src/codec/colfer.js';
import { decodeEntryBatch, encodeEntryBatch } from '../../src/codec/entry-batch.js';
import { decodeEncodedEntryCmd } from '../../src/codec/encoded-entry.js';
import { configChangeTypeName, entryTypeName } from '../../src/codec/enums.js';
import { decodeFlagFile, encodeFlagFile } from '../../src/codec/flag-file.js';
import { KeyKind, decodeKey, keyKindName } from '../../src/codec/keys.js';
import {
  type Bootstrap,
  type Snapshot,
  type State,
  decodeBootstrap,
  decodeConfigChange,
  decodeRaftDataStatus,
  decodeSnapshot,
  decodeState,
  encodeBootstrap,
  encodeRaftDataStatus,
  encodeSnapshot,
  encodeState,
} from '../../src/codec/messages.js';
import { readU64BE, readU64LE, u64BE } from '../../src/codec/uint64.js';
import { fixtureDir, readJson } from '../helpers/fixtures.js';
import {
  bootstrapAsExpected,
  entryScalarsAsExpected,
  normaliseExpectedSnapshot,
  rawPairs,
  sha256,
  snapshotAsExpected,
} from './support.js';

/** The datasets whose every rawdump pair is checked (values listed as vLen/vSha256 only are skipped). */
const DATASETS = [
  'leveldb-v3.2.8/basic',
  'leveldb-v3.2.8/batched',
  'leveldb-v3.2.8/snapshots',
  'leveldb-v3.2.8/imported',
  'leveldb-v3.2.8/overwrite-batched',
  'leveldb-v3.2.8/removed',
  'leveldb-v3.2.8/ops/before-plain',
  'leveldb-v3.2.8/ops/import/after',
  'pebble-v3.3.8/basic',
  'pebble-v3.3.8/lsm',
  'pebble-v3.3.8/batched',
  'pebble-v3.3.8/snapshots',
  'pebble-v3.3.8/waldir',
  'pebble-v3.3.8/ops/before-batched',
];

interface NodeRecords {
  bootstrap?: Bootstrap;
  state?: State;
  maxIndex?: bigint;
  snapshots: Map<bigint, Snapshot>;
  entries: Map<bigint, Entry>;
}

const isSorted = (keys: bigint[]) => keys.every((k, i) => i === 0 || keys[i - 1]! < k);
const mapsSorted = (maps: Map<bigint, unknown>[]) => maps.every((m) => isSorted([...m.keys()]));

/**
 * Decodes every pair, checks that it re-encodes byte for byte, and collects the records per node.
 * Maps written in Go's random order re-encode identically in insertion order (the decoded order); the default
 * ascending order gives the same bytes only when Go happened to write them sorted, and the same message always.
 */
function decodeDataset(dataset: string): { records: Map<string, NodeRecords>; counts: Record<string, number> } {
  const records = new Map<string, NodeRecords>();
  const counts: Record<string, number> = {};
  const node = (c: bigint, n: bigint) => {
    const id = `${c}/${n}`;
    let r = records.get(id);
    if (!r) records.set(id, (r = { snapshots: new Map(), entries: new Map() }));
    return r;
  };
  for (const { key, value } of rawPairs(dataset)) {
    const k = decodeKey(key);
    const kind = keyKindName(k.kind);
    if (value === undefined) continue;
    counts[kind] = (counts[kind] ?? 0) + 1;
    const where = `${dataset} ${kind} ${key.toString('hex')}`;
    const r = node(k.clusterId, k.nodeId);
    switch (k.kind) {
      case KeyKind.Entry: {
        const e = decodeEntry(value);
        assert.equal(e.index, k.index, `${where}: entry index matches its key`);
        assert.deepEqual(encodeEntry(e), value, `${where}: re-encoded`);
        r.entries.set(e.index, e);
        break;
      }
      case KeyKind.EntryBatch: {
        const entries = decodeEntryBatch(value);
        assert.ok(entries.length > 0, `${where}: non-empty batch`);
        for (const e of entries) assert.equal(e.index / 48n, k.index, `${where}: entry ${e.index} belongs to the batch`);
        assert.deepEqual(encodeEntryBatch(entries), value, `${where}: re-encoded (compaction reproduced)`);
        for (const e of entries) r.entries.set(e.index, e);
        break;
      }
      case KeyKind.State: {
        r.state = decodeState(value);
        assert.deepEqual(encodeState(r.state), value, `${where}: re-encoded`);
        break;
      }
      case KeyKind.MaxIndex: {
        assert.equal(value.length, 8, `${where}: 8 bytes`);
        r.maxIndex = readU64BE(value);
        assert.deepEqual(u64BE(r.maxIndex), value);
        break;
      }
      case KeyKind.Snapshot: {
        const s = decodeSnapshot(value);
        assert.equal(s.index, k.index, `${where}: snapshot index matches its key`);
        assert.deepEqual(encodeSnapshot(s, { mapOrder: 'insertion' }), value, `${where}: re-encoded in stored map order`);
        const ascending = encodeSnapshot(s);
        const m = s.membership;
        if (mapsSorted([m.addresses, m.removed, m.observers, m.witnesses])) assert.deepEqual(ascending, value, `${where}: sorted maps`);
        else assert.deepEqual(decodeSnapshot(ascending), s, `${where}: same message in ascending map order`);
        r.snapshots.set(s.index, s);
        break;
      }
      case KeyKind.Bootstrap: {
        const b = decodeBootstrap(value);
        assert.deepEqual(encodeBootstrap(b, { mapOrder: 'insertion' }), value, `${where}: re-encoded in stored map order`);
        const ascending = encodeBootstrap(b);
        if (mapsSorted([b.addresses])) assert.deepEqual(ascending, value, `${where}: sorted map`);
        else assert.deepEqual(decodeBootstrap(ascending), b, `${where}: same message in ascending map order`);
        r.bootstrap = b;
        break;
      }
      default:
        assert.fail(`${where}: unexpected key kind`);
    }
  }
  return { records, counts };
}

/** Checks one decoded entry against an entry of expected.json, including its decoded payload. */
function assertEntryAsExpected(e: Entry, want: any, where: string): void {
  const { cmd: wantCmd, cmdSha256, sizeUpperLimit: wantLimit, encoded, configChange, typeName, ...scalars } = want;
  assert.deepEqual(entryScalarsAsExpected(e), scalars, `${where}: scalar fields`);
  assert.equal(entryTypeName(e.type), typeName, `${where}: type name`);
  if (cmdSha256 !== undefined) assert.equal(sha256(e.cmd), cmdSha256, `${where}: cmd sha256`);
  else assert.equal(e.cmd.toString('hex'), wantCmd, `${where}: cmd`);
  assert.equal(sizeUpperLimit(e), wantLimit, `${where}: SizeUpperLimit`);
  if (encoded) {
    const d = decodeEncodedEntryCmd(e.cmd);
    assert.deepEqual(
      { headerByte: d.headerByte, version: d.version, compression: d.compression, hasSession: d.hasSession },
      { headerByte: encoded.headerByte, version: encoded.version, compression: encoded.compression, hasSession: encoded.hasSession },
      `${where}: encoded header`,
    );
    assert.equal(d.payload.length, encoded.payloadLen, `${where}: payload length`);
    assert.equal(sha256(d.payload), encoded.payloadSha256, `${where}: payload sha256`);
    if (encoded.payload !== undefined) assert.equal(d.payload.toString('hex'), encoded.payload, `${where}: payload`);
  }
  if (configChange) {
    const cc = decodeConfigChange(e.cmd);
    assert.deepEqual(
      {
        configChangeId: cc.configChangeId.toString(),
        type: cc.type,
        typeName: configChangeTypeName(cc.type),
        nodeID: cc.nodeId.toString(),
        address: cc.address,
        initialize: cc.initialize,
      },
      configChange,
      `${where}: config change`,
    );
  }
}

/** The entries expected.json lists for a node: all of them, or the samples of a digest. */
function expectedEntries(node: any): any[] {
  if (Array.isArray(node.entries)) return node.entries;
  const digest = node.entriesDigest;
  if (!digest) return [];
  return [...(digest.first ?? []), ...(digest.last ?? []), ...(digest.every1000 ?? digest.samples ?? [])];
}

for (const dataset of DATASETS) {
  describe(`fixture ${dataset}`, () => {
    it('every key and value decodes, and re-encodes to the same bytes; the records agree with expected.json', () => {
      const { records, counts } = decodeDataset(dataset);
      assert.ok(Object.keys(counts).length > 0, 'the dump has values');
      const expected = readJson(join(fixtureDir(dataset)!, 'expected.json'));
      let entriesChecked = 0;
      for (const n of expected.nodes) {
        const id = `${n.clusterId}/${n.nodeId}`;
        const where = `${dataset} ${id}`;
        const r: NodeRecords = records.get(id) ?? { snapshots: new Map(), entries: new Map() };

        if (n.bootstrap && n.bootstrap.addresses !== undefined) {
          assert.ok(r.bootstrap, `${where}: bootstrap record`);
          assert.deepEqual(bootstrapAsExpected(r.bootstrap), n.bootstrap, `${where}: bootstrap`);
        } else {
          assert.equal(r.bootstrap, undefined, `${where}: no bootstrap record`);
        }

        if (n.raftState?.state) {
          assert.ok(r.state, `${where}: state record`);
          const s = r.state;
          assert.deepEqual({ term: `${s.term}`, vote: `${s.vote}`, commit: `${s.commit}` }, n.raftState.state, `${where}: state`);
        } else {
          assert.equal(r.state, undefined, `${where}: no state record`);
        }

        const snapshots = [...r.snapshots.values()].sort((a, b) => (a.index < b.index ? -1 : 1));
        assert.deepEqual(snapshots.map(snapshotAsExpected), (n.snapshots ?? []).map(normaliseExpectedSnapshot), `${where}: snapshots`);

        for (const want of expectedEntries(n)) {
          const e = r.entries.get(BigInt(want.index));
          if (!e) continue; // value listed as vLen/vSha256 only, or not among the sampled pairs
          assertEntryAsExpected(e, want, `${where} index ${want.index}`);
          entriesChecked++;
        }
      }
      assert.ok(entriesChecked > 0 || !expected.nodes.some((n: any) => expectedEntries(n).length), 'entries were compared');
    });
  });
}

describe('dragonboat.ds and NODEHOST.ID', () => {
  const cases = [
    { dataset: 'leveldb-v3.2.8/basic', v33: false },
    { dataset: 'leveldb-v3.2.8/ops/before-plain', v33: false },
    { dataset: 'pebble-v3.3.8/basic', v33: true },
    { dataset: 'pebble-v3.3.8/waldir', v33: true },
  ];
  for (const { dataset, v33 } of cases) {
    it(`${dataset}: decodes to expected.json's dragonboatDs and re-encodes to the same bytes`, () => {
      const dir = fixtureDir(dataset)!;
      const expected = readJson(join(dir, 'expected.json')).dragonboatDs;
      const file = readFileSync(join(dir, 'nodehost', 'dragonboat.ds'));
      const status = decodeRaftDataStatus(decodeFlagFile(file, 'dragonboat.ds'));
      const { ['NODEHOST.ID']: nodeHostId, ...want } = expected;
      const got: Record<string, unknown> = {
        address: status.address,
        binVer: status.binVer,
        deploymentId: `${status.deploymentId}`,
        entryBatchSize: `${status.entryBatchSize}`,
        hardHash: `${status.hardHash}`,
        hostname: status.hostname,
        logdbShardCount: `${status.logdbShardCount}`,
        logdbType: status.logdbType,
        maxSessionCount: `${status.maxSessionCount}`,
        stepWorkerCount: `${status.stepWorkerCount}`,
      };
      if (v33) got.addressByNodeHostId = status.addressByNodeHostId;
      else assert.equal(status.addressByNodeHostId, null, 'v3.2 writes no field 11');
      assert.deepEqual(got, want);
      assert.deepEqual(encodeFlagFile(encodeRaftDataStatus(status)), file, 're-encoded byte for byte');

      if (v33) {
        const id = decodeFlagFile(readFileSync(join(dir, 'nodehost', 'NODEHOST.ID')), 'NODEHOST.ID');
        assert.equal(id.length, 8);
        assert.equal(`nhid-${readU64LE(id)}`, nodeHostId);
      }
    });
  }

  it('a flipped bit in dragonboat.ds is a corrupted flag file', () => {
    const file = Buffer.from(readFileSync(join(fixtureDir('pebble-v3.3.8/basic')!, 'nodehost', 'dragonboat.ds')));
    file[20]! ^= 0x40;
    assert.throws(() => decodeFlagFile(file, 'dragonboat.ds'), /corrupted flag file/);
  });
});

