/**
 * Dragonboat's protobuf messages (spec §5): always-emitted zero fields, bytes only when non-null, maps in a
 * chosen order, exact uint64 values everywhere.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodecError } from '../../src/codec/errors.js';
import {
  type RaftDataStatus,
  type Snapshot,
  type SnapshotHeader,
  decodeBootstrap,
  decodeConfigChange,
  decodeRaftDataStatus,
  decodeSnapshot,
  decodeSnapshotHeader,
  decodeState,
  emptyMembership,
  encodeBootstrap,
  encodeConfigChange,
  encodeRaftDataStatus,
  encodeSnapshot,
  encodeSnapshotHeader,
  encodeState,
} from '../../src/codec/messages.js';
import { U64_EDGES } from './support.js';

const bytes = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const h = (b: Buffer) => b.toString('hex');

function sampleSnapshot(): Snapshot {
  return {
    filepath: '/var/lib/dragonboat/snapshot-00000000000000C8.gbsnap',
    fileSize: 458108n,
    index: 200n,
    term: 3n,
    membership: {
      configChangeId: 179n,
      addresses: new Map([
        [1n, 'a:1'],
        [2n, 'b:2'],
      ]),
      removed: new Map([[6n, true]]),
      observers: new Map([[4n, 'd:4']]),
      witnesses: new Map(),
    },
    files: [{ filepath: '/x/external-file-1', fileSize: 4096n, fileId: 1n, metadata: Buffer.from('meta') }],
    checksum: bytes('d775f52d'),
    dummy: false,
    clusterId: 5n,
    type: 1,
    imported: false,
    onDiskIndex: 0n,
    witness: false,
  };
}

function sampleStatus(): RaftDataStatus {
  return {
    address: 'fixture-basic.example.internal:63000',
    binVer: 100,
    hardHash: 0n,
    logdbType: 'sharded-pebble',
    hostname: 'fixturehost',
    deploymentId: 1n,
    stepWorkerCount: 16n,
    logdbShardCount: 16n,
    maxSessionCount: 4096n,
    entryBatchSize: 48n,
    addressByNodeHostId: false,
  };
}

function sampleHeader(): SnapshotHeader {
  return {
    sessionSize: 0n,
    dataStoreSize: 0n,
    unreliableTime: 1795685201835077876n,
    gitVersion: '',
    headerChecksum: bytes('8b9bc7f1'),
    payloadChecksum: bytes('f0e24736'),
    checksumType: 0,
    version: 2,
    compressionType: 1,
  };
}

describe('messages: worked examples (§5, §14)', () => {
  it('State{} still writes all three fields', () => {
    assert.equal(h(encodeState({ term: 0n, vote: 0n, commit: 0n })), '080010001800');
    assert.deepEqual(decodeState(bytes('080010001800')), { term: 0n, vote: 0n, commit: 0n });
  });

  it('the v2 states: (1, 0, 1) and (2, 1, 3)', () => {
    assert.equal(h(encodeState({ term: 1n, vote: 0n, commit: 1n })), '080110001801');
    assert.deepEqual(decodeState(bytes('080210011803')), { term: 2n, vote: 1n, commit: 3n });
  });

  it('the v2 bootstrap (no Type field) decodes with type 0; re-encoding adds Type', () => {
    const encoded = Buffer.concat([bytes('0a13 0801 120f'), Buffer.from('localhost:26000'), bytes('1000')]);
    const b = decodeBootstrap(encoded);
    assert.deepEqual(b, { addresses: new Map([[1n, 'localhost:26000']]), join: false, type: 0 });
    assert.deepEqual(encodeBootstrap(b), Buffer.concat([encoded, bytes('1800')]));
  });

  it('an imported node\'s bootstrap for a regular SM is 10 01 18 01', () => {
    assert.equal(h(encodeBootstrap({ addresses: new Map(), join: true, type: 1 })), '10011801');
    assert.deepEqual(decodeBootstrap(bytes('10011801')), { addresses: new Map(), join: true, type: 1 });
  });

  it('an empty RaftDataStatus as v3.3 writes it (DELETED.dragonboat)', () => {
    const empty: RaftDataStatus = {
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
      addressByNodeHostId: false,
    };
    const v33 = bytes('0a00 1000 1800 2200 2a00 3000 3800 4000 4800 5000 5800');
    assert.deepEqual(encodeRaftDataStatus(empty), v33);
    assert.deepEqual(decodeRaftDataStatus(v33), empty);
    // v3.2 has no field 11: null means "absent" and is not written.
    const v32 = v33.subarray(0, v33.length - 2);
    assert.deepEqual(decodeRaftDataStatus(v32), { ...empty, addressByNodeHostId: null });
    assert.deepEqual(encodeRaftDataStatus({ ...empty, addressByNodeHostId: null }), v32);
  });

  it('a ConfigChange: AddNode 1 localhost:26000, initialize', () => {
    const encoded = Buffer.concat([bytes('0800 1000 1801 220f'), Buffer.from('localhost:26000'), bytes('2801')]);
    const cc = { configChangeId: 0n, type: 0, nodeId: 1n, address: 'localhost:26000', initialize: true };
    assert.deepEqual(decodeConfigChange(encoded), cc);
    assert.deepEqual(encodeConfigChange(cc), encoded);
  });
});

describe('messages: Snapshot', () => {
  it('writes every always-emitted field, the membership even when empty, in field order', () => {
    const empty: Snapshot = {
      filepath: '',
      fileSize: 0n,
      index: 0n,
      term: 0n,
      membership: emptyMembership(),
      files: [],
      checksum: null,
      dummy: false,
      clusterId: 0n,
      type: 0,
      imported: false,
      onDiskIndex: 0n,
      witness: false,
    };
    // 12 00 | 18 00 | 20 00 | 28 00 | 32 02 (08 00) | 48 00 | 50 00 | 58 00 | 60 00 | 68 00 | 70 00
    assert.equal(h(encodeSnapshot(empty)), '120018002000280032020800480050005800600068007000');
    assert.deepEqual(decodeSnapshot(encodeSnapshot(empty)), empty);
  });

  it('writes checksum / metadata only when non-null; an empty one is written and read back empty', () => {
    const s = sampleSnapshot();
    assert.deepEqual(decodeSnapshot(encodeSnapshot(s)), s);
    const withEmpty = { ...s, checksum: Buffer.alloc(0) };
    const encoded = encodeSnapshot(withEmpty);
    assert.ok(h(encoded).includes('4200'), 'tag 42 with length 0');
    assert.deepEqual(decodeSnapshot(encoded).checksum, Buffer.alloc(0));
    const without = encodeSnapshot({ ...s, checksum: null, files: [{ ...s.files[0]!, metadata: null }] });
    assert.equal(decodeSnapshot(without).checksum, null);
    assert.equal(decodeSnapshot(without).files[0]!.metadata, null);
  });

  it('decodes a record with absent fields as zero values (tolerant proto2)', () => {
    const s = decodeSnapshot(bytes('2005'));
    assert.equal(s.index, 5n);
    assert.equal(s.filepath, '');
    assert.deepEqual(s.membership, emptyMembership());
  });

  it('writes maps in ascending key order by default, or in the Map\'s own order', () => {
    const s = sampleSnapshot();
    s.membership.addresses = new Map([
      [2n ** 63n, 'big'],
      [3n, 'c'],
      [2n ** 32n, 'x'],
      [1n, 'a'],
    ]);
    const ascending = decodeSnapshot(encodeSnapshot(s));
    assert.deepEqual([...ascending.membership.addresses.keys()], [1n, 3n, 2n ** 32n, 2n ** 63n]);
    const asGiven = decodeSnapshot(encodeSnapshot(s, { mapOrder: 'insertion' }));
    assert.deepEqual([...asGiven.membership.addresses.keys()], [2n ** 63n, 3n, 2n ** 32n, 1n]);
    // Re-encoding a decoded value in insertion order reproduces the bytes, whatever order Go chose.
    const original = encodeSnapshot(s, { mapOrder: 'insertion' });
    assert.deepEqual(encodeSnapshot(decodeSnapshot(original), { mapOrder: 'insertion' }), original);
  });

  it('lets the last of duplicate map keys win', () => {
    // addresses {1: "a"}, then {1: "b"}
    const dup = Buffer.concat([bytes('0a05 0801 120161'), bytes('0a05 0801 120162'), bytes('1000 1800')]);
    assert.deepEqual(decodeBootstrap(dup).addresses, new Map([[1n, 'b']]));
  });
});

describe('messages: uint64 values stay exact', () => {
  it('in every uint64 field, as map keys and as map values', () => {
    for (const v of U64_EDGES) {
      assert.deepEqual(decodeState(encodeState({ term: v, vote: v, commit: v })), { term: v, vote: v, commit: v });
      const cc = { configChangeId: v, type: 2, nodeId: v, address: 'a', initialize: false };
      assert.deepEqual(decodeConfigChange(encodeConfigChange(cc)), cc);
      const status = {
        ...sampleStatus(),
        hardHash: v,
        deploymentId: v,
        stepWorkerCount: v,
        logdbShardCount: v,
        maxSessionCount: v,
        entryBatchSize: v,
      };
      assert.deepEqual(decodeRaftDataStatus(encodeRaftDataStatus(status)), status);
      const header = { ...sampleHeader(), sessionSize: v, dataStoreSize: v, unreliableTime: v };
      assert.deepEqual(decodeSnapshotHeader(encodeSnapshotHeader(header)), header);
      const s = sampleSnapshot();
      Object.assign(s, { fileSize: v, index: v, term: v, clusterId: v, onDiskIndex: v });
      s.membership.configChangeId = v;
      s.files = [{ filepath: 'f', fileSize: v, fileId: v, metadata: null }];
      s.membership.addresses = new Map([[v, `node-${v}`]]);
      s.membership.removed = new Map([[v, true]]);
      s.membership.observers = new Map([[v, 'o']]);
      s.membership.witnesses = new Map([[v, 'w']]);
      assert.deepEqual(decodeSnapshot(encodeSnapshot(s)), s);
      const b = { addresses: new Map([[v, `n${v}`]]), join: false, type: 3 };
      assert.deepEqual(decodeBootstrap(encodeBootstrap(b)), b);
    }
  });

  it('map keys 2^53 + 1, 2^63 and 2^64 − 1 survive together in one map', () => {
    const addresses = new Map([
      [2n ** 53n + 1n, 'a'],
      [2n ** 63n, 'b'],
      [2n ** 64n - 1n, 'c'],
      [2n ** 53n, 'd'],
    ]);
    const back = decodeBootstrap(encodeBootstrap({ addresses, join: false, type: 1 })).addresses;
    assert.deepEqual(back, addresses);
    assert.equal(back.get(2n ** 53n + 1n), 'a', '2^53 + 1 is not confused with 2^53');
  });

  it('refuses to encode values that are not uint64 / int32', () => {
    assert.throws(() => encodeState({ term: -1n, vote: 0n, commit: 0n }), RangeError);
    assert.throws(() => encodeState({ term: 2n ** 64n, vote: 0n, commit: 0n }), RangeError);
    assert.throws(() => encodeBootstrap({ addresses: new Map([[-1n, 'x']]), join: false, type: 0 }), RangeError);
    assert.throws(() => encodeBootstrap({ addresses: new Map(), join: false, type: 2 ** 31 }), RangeError);
    assert.throws(() => encodeRaftDataStatus({ ...sampleStatus(), binVer: -1 }), RangeError);
  });
});

describe('messages: RaftDataStatus and SnapshotHeader', () => {
  it('RaftDataStatus writes field 11 only when it is not null', () => {
    const v33 = encodeRaftDataStatus(sampleStatus());
    assert.equal(h(v33.subarray(-2)), '5800');
    const v32 = encodeRaftDataStatus({ ...sampleStatus(), addressByNodeHostId: null });
    assert.equal(v32.length, v33.length - 2);
    assert.deepEqual(decodeRaftDataStatus(v33), sampleStatus());
    assert.equal(decodeRaftDataStatus(encodeRaftDataStatus({ ...sampleStatus(), addressByNodeHostId: true })).addressByNodeHostId, true);
  });

  it('SnapshotHeader round-trips, with and without its checksums', () => {
    assert.deepEqual(decodeSnapshotHeader(encodeSnapshotHeader(sampleHeader())), sampleHeader());
    const bare = { ...sampleHeader(), headerChecksum: null, payloadChecksum: null };
    assert.deepEqual(decodeSnapshotHeader(encodeSnapshotHeader(bare)), bare);
    // 08 00 | 10 00 | 18 <timestamp> | 22 00 | 38 00 | 40 02 | 48 01: fields 5 and 6 left out.
    assert.match(h(encodeSnapshotHeader(bare)), /^0800100018[0-9a-f]+2200380040024801$/);
  });
});

describe('messages: corrupt input is a CodecError', () => {
  it('a uint64 varint longer than 10 bytes', () => {
    assert.throws(() => decodeState(bytes('08ffffffffffffffffffff01')), CodecError);
  });

  const decoders = { decodeState, decodeBootstrap, decodeSnapshot, decodeConfigChange, decodeRaftDataStatus, decodeSnapshotHeader };
  const bad: [string, string][] = [
    ['08', 'truncated varint'],
    ['0a05 0801', 'length beyond the end'],
    ['12ffffffff0f', 'huge length'],
    ['0f', 'invalid wire type 7'],
    ['0b', 'unterminated group'],
  ];
  for (const [name, decode] of Object.entries(decoders)) {
    it(`${name} wraps protobufjs errors`, () => {
      for (const [input, why] of bad) {
        assert.throws(
          () => decode(bytes(input)),
          (err: unknown) => err instanceof CodecError && /^codec\/protobuf: corrupt /.test(err.message),
          `${name}: ${why}`,
        );
      }
    });
  }
});
