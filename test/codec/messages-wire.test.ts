/**
 * The hand-written message decoders (messages-wire.ts) against protobufjs reading the same schema: for every
 * real record of the fixtures, and for random, truncated, bit-flipped and randomly assembled messages (unknown
 * fields of every wire type, known fields with the wrong wire type, repeats, merged memberships, overlong and
 * non-minimal varints, groups), the public decoders give exactly what protobufjs gives — the same value, or the
 * same error. Plus the edge cases by value, and a check that reading well-formed records never loads protobufjs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { openSync, readFileSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodecError } from '../../src/codec/errors.js';
import { decodeFlagFile } from '../../src/codec/flag-file.js';
import { KeyKind, decodeKey } from '../../src/codec/keys.js';
import {
  decodeBootstrap,
  decodeConfigChange,
  decodeRaftDataStatus,
  decodeSnapshot,
  decodeSnapshotHeader,
  decodeState,
  encodeConfigChange,
} from '../../src/codec/messages.js';
import { protobufjsDecoders } from '../../src/codec/messages-protobufjs.js';
import {
  wireBootstrap,
  wireConfigChange,
  wireRaftDataStatus,
  wireSnapshot,
  wireSnapshotHeader,
  wireState,
} from '../../src/codec/messages-wire.js';
import { WireError } from '../../src/codec/proto-wire.js';
import { repoRoot } from '../helpers/fixtures.js';
import { prng, randomBytes, rawPairs } from './support.js';

const bytes = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

type Decode = (buf: Buffer) => unknown;
interface Kind {
  name: string;
  decode: Decode;
  wire: Decode;
  reference: Decode;
}

const KINDS: Record<string, Kind> = {
  state: { name: 'State', decode: decodeState, wire: wireState, reference: protobufjsDecoders.state },
  bootstrap: { name: 'Bootstrap', decode: decodeBootstrap, wire: wireBootstrap, reference: protobufjsDecoders.bootstrap },
  snapshot: { name: 'Snapshot', decode: decodeSnapshot, wire: wireSnapshot, reference: protobufjsDecoders.snapshot },
  configChange: { name: 'ConfigChange', decode: decodeConfigChange, wire: wireConfigChange, reference: protobufjsDecoders.configChange },
  raftDataStatus: { name: 'RaftDataStatus', decode: decodeRaftDataStatus, wire: wireRaftDataStatus, reference: protobufjsDecoders.raftDataStatus },
  snapshotHeader: { name: 'SnapshotHeader', decode: decodeSnapshotHeader, wire: wireSnapshotHeader, reference: protobufjsDecoders.snapshotHeader },
};

/** A decoded value with its Maps as entry lists (so their order counts) and Buffers as tagged hex. */
function plain(value: unknown): unknown {
  if (value instanceof Map) return { map: [...value].map(([k, v]) => [plain(k), plain(v)]) };
  if (Buffer.isBuffer(value)) return { buffer: value.toString('hex') };
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

function outcome(decode: Decode, input: Buffer): { value: unknown } | { error: string } {
  try {
    return { value: plain(decode(input)) };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

/** Compares the public decoder with protobufjs on `input`; returns whether the hand decoder took it by itself. */
function agree(kind: Kind, input: Buffer, label: string): boolean {
  const expected = outcome(kind.reference, input);
  assert.deepEqual(outcome(kind.decode, input), expected, `${kind.name} ${label}: ${input.toString('hex')}`);
  try {
    kind.wire(input);
    assert.ok('value' in expected, `${kind.name} ${label}: the hand decoder accepts what protobufjs refuses: ${input.toString('hex')}`);
    return true;
  } catch (err) {
    assert.ok(err instanceof WireError, `${kind.name} ${label}: the hand decoder threw ${(err as Error).name}: ${(err as Error).message}`);
    return false;
  }
}

// ---- real records ---------------------------------------------------------------------------------------

function allDatasets(): string[] {
  const root = join(repoRoot, 'test', 'fixtures');
  const found: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (!statSync(path).isDirectory()) continue;
      // tan's rawdump.json lists files, not key/value pairs
      const dump = join(path, 'rawdump.json');
      if (readdirSync(path).includes('rawdump.json') && Array.isArray(JSON.parse(readFileSync(dump, 'utf8')).shards)) found.push(rel ? `${rel}/${name}` : name);
      walk(path, rel ? `${rel}/${name}` : name);
    }
  };
  walk(root, '');
  return found;
}

function filesNamed(names: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (names.includes(name) || names.some((n) => n.startsWith('*') && name.endsWith(n.slice(1)))) found.push(path);
    }
  };
  walk(join(repoRoot, 'test', 'fixtures'));
  return found;
}

/** Real records of every kind from the fixtures: KV values, flag files, .gbsnap headers. */
function realRecords(): Map<string, Buffer[]> {
  const records = new Map<string, Buffer[]>(Object.keys(KINDS).map((k) => [k, []]));
  const byKeyKind: Partial<Record<KeyKind, string>> = { [KeyKind.State]: 'state', [KeyKind.Bootstrap]: 'bootstrap', [KeyKind.Snapshot]: 'snapshot' };
  const seen = new Set<string>();
  const add = (kind: string, value: Buffer) => {
    const id = `${kind}:${value.toString('hex')}`;
    if (seen.has(id)) return;
    seen.add(id);
    records.get(kind)!.push(value);
  };
  for (const dataset of allDatasets()) {
    for (const { key, value } of rawPairs(dataset)) {
      if (!value || !value.length) continue;
      let kind: string | undefined;
      try {
        kind = byKeyKind[decodeKey(key).kind];
      } catch {
        continue; // the damaged fixtures hold keys that are not LogDB keys
      }
      if (kind) add(kind, value);
    }
  }
  for (const file of filesNamed(['dragonboat.ds', 'DELETED.dragonboat', 'snapshot.metadata', 'dragonboat.snapshot.message'])) {
    let payload: Buffer;
    try {
      payload = decodeFlagFile(readFileSync(file));
    } catch {
      continue; // the damaged fixtures' flag files
    }
    add(file.endsWith('.ds') || file.endsWith('DELETED.dragonboat') ? 'raftDataStatus' : 'snapshot', payload);
  }
  for (const file of filesNamed(['*.gbsnap'])) {
    const fd = openSync(file, 'r');
    try {
      const area = Buffer.alloc(1024);
      const n = readSync(fd, area, 0, 1024, 0);
      if (n < 8) continue;
      const length = Number(area.readBigUInt64LE(0));
      if (length <= n - 8) add('snapshotHeader', area.subarray(8, 8 + length));
    } finally {
      closeSync(fd);
    }
  }
  for (const [id, type, nodeId, address, initialize] of [
    [0n, 0, 0n, '', false],
    [179n, 0, 3n, 'localhost:26003', true],
    [2n ** 64n - 1n, 3, 2n ** 63n, 'nodehost-ä:1', false],
    [2n ** 53n + 1n, 2, 2n ** 53n + 1n, 'x'.repeat(300), true],
  ] as const) {
    add('configChange', encodeConfigChange({ configChangeId: id, type, nodeId, address, initialize }));
  }
  return records;
}

describe('hand-written message decoders: every real record', () => {
  const records = realRecords();
  for (const [kind, values] of records) {
    it(`${KINDS[kind]!.name}: ${values.length} records decode by hand, exactly as protobufjs decodes them`, () => {
      assert.ok(values.length > 0, `the fixtures hold ${KINDS[kind]!.name} records`);
      for (const value of values) assert.ok(agree(KINDS[kind]!, value, 'real record'), `${kind} ${value.toString('hex')} takes the fast path`);
    });
  }
});

// ---- random messages ------------------------------------------------------------------------------------

type FieldKind = 'varint' | 'string' | 'bytes' | { message: FieldSpec[] };
type FieldSpec = [number, FieldKind];

const STRING_PAIR: FieldSpec[] = [[1, 'varint'], [2, 'string']];
const BOOL_PAIR: FieldSpec[] = [[1, 'varint'], [2, 'varint']];
const MEMBERSHIP: FieldSpec[] = [[1, 'varint'], [2, { message: STRING_PAIR }], [3, { message: BOOL_PAIR }], [4, { message: STRING_PAIR }], [5, { message: STRING_PAIR }]];
const SNAPSHOT_FILE: FieldSpec[] = [[2, 'string'], [3, 'varint'], [4, 'varint'], [5, 'bytes']];
const SCHEMAS: Record<string, FieldSpec[]> = {
  state: [[1, 'varint'], [2, 'varint'], [3, 'varint']],
  bootstrap: [[1, { message: STRING_PAIR }], [2, 'varint'], [3, 'varint']],
  snapshot: [
    [2, 'string'], [3, 'varint'], [4, 'varint'], [5, 'varint'], [6, { message: MEMBERSHIP }], [7, { message: SNAPSHOT_FILE }],
    [8, 'bytes'], [9, 'varint'], [10, 'varint'], [11, 'varint'], [12, 'varint'], [13, 'varint'], [14, 'varint'],
  ],
  configChange: [[1, 'varint'], [2, 'varint'], [3, 'varint'], [4, 'string'], [5, 'varint']],
  raftDataStatus: [
    [1, 'string'], [2, 'varint'], [3, 'varint'], [4, 'string'], [5, 'string'], [6, 'varint'], [7, 'varint'], [8, 'varint'],
    [9, 'varint'], [10, 'varint'], [11, 'varint'],
  ],
  snapshotHeader: [[1, 'varint'], [2, 'varint'], [3, 'varint'], [4, 'string'], [5, 'bytes'], [6, 'bytes'], [7, 'varint'], [8, 'varint'], [9, 'varint']],
};

function varint(x: bigint): number[] {
  const out: number[] = [];
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return out;
}

/** A random varint: small, at a uint64 edge, negative int32, padded to a non-minimal length, or past 64 bits. */
function randomVarint(rand: () => number): number[] {
  const r = rand();
  let x: bigint;
  if (r < 0.3) x = BigInt(Math.floor(rand() * 300));
  else if (r < 0.5) x = [2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 32n - 1n, 2n ** 31n, 2n ** 32n][Math.floor(rand() * 6)]!;
  else if (r < 0.6) x = 2n ** 64n - BigInt(1 + Math.floor(rand() * 5)); // a negative int32 as Go writes it
  else x = BigInt(Math.floor(rand() * 2 ** 32)) * BigInt(Math.floor(rand() * 2 ** 32));
  const out = varint(x);
  const roll = rand();
  if (roll < 0.1 && out.length < 10) {
    // padded: the same value with continuation bytes of zero bits
    out[out.length - 1]! |= 0x80;
    while (out.length < 9 && rand() < 0.5) out.push(0x80);
    out.push(0x00);
  } else if (roll < 0.15) {
    // 10 bytes with bits past 2^64 set
    while (out.length < 10) {
      out[out.length - 1]! |= 0x80;
      out.push(0);
    }
    out[9] = 0x7f;
  }
  return out;
}

function randomMessage(rand: () => number, schema: FieldSpec[], depth = 0): number[] {
  const out: number[] = [];
  const count = Math.floor(rand() * 8);
  for (let i = 0; i < count; i++) {
    let [field, kind] = schema[Math.floor(rand() * schema.length)]!;
    let wireType = kind === 'varint' ? 0 : 2;
    const roll = rand();
    if (roll < 0.08) field = [15, 16, 100, 2 ** 29 - 1][Math.floor(rand() * 4)]!; // unknown
    if (roll < 0.08 || (roll > 0.95 && roll < 0.99)) wireType = [0, 1, 2, 5][Math.floor(rand() * 4)]!; // any wire type
    if (roll >= 0.99) wireType = 3; // a group: protobufjs skips it, the hand decoder hands over
    out.push(...varint(BigInt(field) * 8n + BigInt(wireType)));
    if (wireType === 0) out.push(...randomVarint(rand));
    else if (wireType === 1) out.push(...randomBytes(rand, 8));
    else if (wireType === 5) out.push(...randomBytes(rand, 4));
    else if (wireType === 3) out.push(...varint(BigInt(7 * 8)), 5, ...varint(BigInt(field) * 8n + 4n));
    else {
      let body: number[];
      if (typeof kind === 'object' && depth < 3) body = randomMessage(rand, kind.message, depth + 1);
      else if (rand() < 0.1) body = [0xc3, 0x28, 0xff, 0x61]; // invalid UTF-8
      else body = [...Buffer.from(['', 'a', 'nodehost-1:26000', 'ü€𝄞'][Math.floor(rand() * 4)]!)];
      out.push(...varint(BigInt(body.length)), ...body);
    }
  }
  return out;
}

describe('hand-written message decoders: random input, exactly as protobufjs', () => {
  const records = realRecords();
  for (const [kind, schema] of Object.entries(SCHEMAS)) {
    it(`${KINDS[kind]!.name}`, () => {
      const k = KINDS[kind]!;
      const rand = prng(0x5eed + kind.length);
      let fast = 0;
      for (let i = 0; i < 3000; i++) if (agree(k, Buffer.from(randomMessage(rand, schema)), 'assembled')) fast++;
      assert.ok(fast > 2000, `${k.name}: ${fast} of 3000 well-formed messages took the fast path`);
      for (let i = 0; i < 1000; i++) agree(k, randomBytes(rand, Math.floor(rand() * 60)), 'random bytes');
      for (const sample of records.get(kind)!.slice(0, 30)) {
        for (let n = 0; n < sample.length; n++) agree(k, sample.subarray(0, n), `truncated to ${n}`);
        for (let i = 0; i < 30; i++) {
          const flipped = Buffer.from(sample);
          const at = Math.floor(rand() * flipped.length);
          flipped[at]! ^= 1 << Math.floor(rand() * 8);
          agree(k, flipped, `bit flip at ${at}`);
        }
      }
    });
  }
});

// ---- edge cases by value --------------------------------------------------------------------------------

describe('hand-written message decoders: edge cases', () => {
  it('uint64: 2^53 + 1, 2^64 − 1, a 10-byte varint with bits past 2^64 (dropped), a non-minimal zero', () => {
    assert.deepEqual(wireState(bytes('08 81 80 80 80 80 80 80 10 10 ff ff ff ff ff ff ff ff ff 01 18 80 80 00')), {
      term: 2n ** 53n + 1n,
      vote: 2n ** 64n - 1n,
      commit: 0n,
    });
    assert.equal(wireState(bytes('08 ff ff ff ff ff ff ff ff ff 7f')).term, 2n ** 64n - 1n);
  });

  it('int32 from the low 32 bits (-1 as Go writes it), uint32 likewise, bool set by any bit', () => {
    const b = wireBootstrap(bytes('18 ff ff ff ff ff ff ff ff ff 01 10 80 01'));
    assert.equal(b.type, -1);
    assert.equal(b.join, true);
    assert.equal(wireBootstrap(bytes('10 80 00')).join, false);
    assert.equal(wireRaftDataStatus(bytes('10 ff ff ff ff 1f')).binVer, 0xffffffff);
    assert.equal(wireRaftDataStatus(bytes('10 d2 01')).binVer, 210);
  });

  it('the last of a repeated field wins; unknown fields of wire types 0, 1, 2 and 5 are skipped', () => {
    const s = wireState(bytes('08 01 08 02 21 0102030405060708 2a 02 aabb 35 01020304 38 05 10 03'));
    assert.deepEqual(s, { term: 2n, vote: 3n, commit: 0n });
  });

  it('a known field with another wire type is skipped, as protobufjs skips it', () => {
    assert.deepEqual(wireState(bytes('09 0102030405060708 10 04')), { term: 0n, vote: 4n, commit: 0n });
  });

  it('map entries in wire order, the last of a duplicate key winning in its first place; absent key and value', () => {
    // addresses: {1: a}, {2: b}, {1: c}, {} (key 0, value '')
    const b = wireBootstrap(bytes('0a 05 0801 1201 61  0a 05 0802 1201 62  0a 05 0801 1201 63  0a 00'));
    assert.deepEqual([...b.addresses], [[1n, 'c'], [2n, 'b'], [0n, '']]);
  });

  it('a repeated membership merges into the first: scalars overwritten, members added', () => {
    const s = wireSnapshot(bytes('32 09 08 05 12 05 0801 1201 61   32 0a 08 06 1a 04 0802 1001 12 00'));
    assert.equal(s.membership.configChangeId, 6n);
    assert.deepEqual([...s.membership.addresses], [[1n, 'a'], [0n, '']]);
    assert.deepEqual([...s.membership.removed], [[2n, true]]);
  });

  it('bytes: absent is null, present but empty is an empty Buffer, a copy of the input', () => {
    const input = bytes('42 00 3a 04 2a 02 abcd');
    const s = wireSnapshot(input);
    assert.deepEqual(s.checksum, Buffer.alloc(0));
    assert.deepEqual(s.files[0]!.metadata, bytes('abcd'));
    input.fill(0);
    assert.deepEqual(s.files[0]!.metadata, bytes('abcd'));
    assert.equal(wireSnapshot(Buffer.alloc(0)).checksum, null);
  });

  it('RaftDataStatus field 11 is null when absent, its value when present', () => {
    assert.equal(wireRaftDataStatus(bytes('10 d2 01')).addressByNodeHostId, null);
    assert.equal(wireRaftDataStatus(bytes('58 00')).addressByNodeHostId, false);
  });

  it('invalid UTF-8 decodes with replacement characters, as protobufjs does with a Buffer', () => {
    assert.equal(wireConfigChange(bytes('22 03 61 ff 62')).address, 'a\ufffdb');
  });

  it('hands groups, overlong varints and field number 0 to protobufjs: its result or its error', () => {
    assert.throws(() => wireState(bytes('08 01 1b 08 05 1c 10 02')), WireError);
    assert.deepEqual(decodeState(bytes('08 01 1b 08 05 1c 10 02')), { term: 1n, vote: 2n, commit: 0n });
    // an unknown field's varint of 12 bytes: protobufjs skips it whatever its length
    assert.deepEqual(decodeState(bytes(`38 ${'ff '.repeat(11)} 01 08 07`)), { term: 7n, vote: 0n, commit: 0n });
    assert.throws(() => decodeState(bytes('00 01')), (err: unknown) => err instanceof CodecError && err.message === 'codec/protobuf: corrupt State: illegal tag: field number 0');
  });
});

describe('hand-written message decoders: reading does not load protobufjs', () => {
  it('decoding every kind of well-formed record leaves protobufjs unloaded; encoding loads it', () => {
    const records = realRecords();
    const samples = Object.fromEntries([...records].map(([k, v]) => [k, v.slice(0, 3).map((b) => b.toString('hex'))]));
    const messages = pathToFileURL(join(repoRoot, 'dist', 'src', 'codec', 'messages.js')).href;
    const script = `
      import { createRequire } from 'node:module';
      import * as m from ${JSON.stringify(messages)};
      const samples = ${JSON.stringify(samples)};
      const decoders = { state: m.decodeState, bootstrap: m.decodeBootstrap, snapshot: m.decodeSnapshot, configChange: m.decodeConfigChange, raftDataStatus: m.decodeRaftDataStatus, snapshotHeader: m.decodeSnapshotHeader };
      let decoded = 0;
      for (const [kind, values] of Object.entries(samples)) for (const hex of values) { decoders[kind](Buffer.from(hex, 'hex')); decoded++; }
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes('protobufjs'));
      const before = loaded();
      m.encodeState({ term: 1n, vote: 2n, commit: 3n });
      console.log(JSON.stringify({ decoded, before, after: loaded() }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.ok(result.decoded >= 12, `decoded ${result.decoded} records`);
    assert.equal(result.before, false, 'protobufjs is not loaded by decoding');
    assert.equal(result.after, true, 'encoding loads protobufjs (so the check above can see it)');
  });
});
