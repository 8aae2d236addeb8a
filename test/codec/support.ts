/**
 * Shared helpers of the codec tests: reading rawdump.json pairs, turning decoded values into the shapes
 * expected.json uses, a seeded random generator and the "CodecError or a valid decode" check of the fuzz tests.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CodecError } from '../../src/codec/errors.js';
import type { Entry } from '../../src/codec/colfer.js';
import type { Bootstrap, Membership, Snapshot } from '../../src/codec/messages.js';
import { stateMachineTypeName } from '../../src/codec/enums.js';
import { fixtureDir, readJson } from '../helpers/fixtures.js';

export const hex = (b: Buffer | null): string | null => (b === null ? null : b.toString('hex'));
export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export interface RawPair {
  shard: number;
  key: Buffer;
  /** Undefined when rawdump.json lists only vLen + vSha256. */
  value?: Buffer;
}

/** Every pair rawdump.json lists for `dataset` (for shards with > 5000 pairs: the first and last 50). */
export function rawPairs(dataset: string): RawPair[] {
  const dir = fixtureDir(dataset);
  const dump = readJson(join(dir, 'rawdump.json'));
  const pairs: RawPair[] = [];
  for (const shard of dump.shards) {
    for (const p of [...(shard.pairs ?? []), ...(shard.firstPairs ?? []), ...(shard.lastPairs ?? [])]) {
      pairs.push({
        shard: Number(shard.shard),
        key: Buffer.from(p.k, 'hex'),
        value: p.v === undefined ? undefined : Buffer.from(p.v, 'hex'),
      });
    }
  }
  return pairs;
}

const mapToObject = <V>(m: Map<bigint, V>): Record<string, V> =>
  Object.fromEntries([...m].map(([k, v]) => [k.toString(), v]));

/** A Bootstrap as expected.json writes it. */
export function bootstrapAsExpected(b: Bootstrap) {
  return { addresses: mapToObject(b.addresses), join: b.join, type: b.type, typeName: stateMachineTypeName(b.type) };
}

function membershipAsExpected(m: Membership) {
  return {
    configChangeId: m.configChangeId.toString(),
    addresses: mapToObject(m.addresses),
    removed: mapToObject(m.removed),
    observers: mapToObject(m.observers),
    witnesses: mapToObject(m.witnesses),
  };
}

/** A Snapshot as expected.json / snapshot-dirs.json write it. */
export function snapshotAsExpected(s: Snapshot) {
  return {
    filepath: s.filepath,
    fileSize: s.fileSize.toString(),
    index: s.index.toString(),
    term: s.term.toString(),
    membership: membershipAsExpected(s.membership),
    files: s.files.map((f) => ({
      filepath: f.filepath,
      fileSize: f.fileSize.toString(),
      fileId: f.fileId.toString(),
      metadata: hex(f.metadata),
    })),
    checksum: hex(s.checksum),
    dummy: s.dummy,
    clusterId: s.clusterId.toString(),
    type: s.type,
    typeName: stateMachineTypeName(s.type),
    imported: s.imported,
    onDiskIndex: s.onDiskIndex.toString(),
    witness: s.witness,
  };
}

/** expected.json's snapshot with absent optional fields normalised the way snapshotAsExpected writes them. */
export function normaliseExpectedSnapshot(s: any) {
  return {
    ...s,
    files: (s.files ?? []).map((f: any) => ({ ...f, metadata: f.metadata ?? null })),
    checksum: s.checksum ?? null,
  };
}

/** The scalar fields of an entry as expected.json writes them. */
export function entryScalarsAsExpected(e: Entry) {
  return {
    index: e.index.toString(),
    term: e.term.toString(),
    type: e.type,
    key: e.key.toString(),
    clientID: e.clientId.toString(),
    seriesID: e.seriesId.toString(),
    respondedTo: e.respondedTo.toString(),
    cmdLen: e.cmd.length,
  };
}

export { prng } from '../helpers/prng.js';

export function randomBytes(rand: () => number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) buf[i] = Math.floor(rand() * 256);
  return buf;
}

/**
 * Runs `decode(input)`: it must either return or throw a CodecError — any other exception fails the test,
 * and so does a single decode taking more than 250 ms (a runaway loop).
 */
export function assertDecodesOrCodecError(decode: (input: Buffer) => unknown, input: Buffer, label: string): 'ok' | 'error' {
  const started = performance.now();
  let outcome: 'ok' | 'error';
  try {
    decode(input);
    outcome = 'ok';
  } catch (err) {
    if (!(err instanceof CodecError)) {
      assert.fail(`${label}: input ${input.toString('hex').slice(0, 120)} threw ${(err as Error)?.name}: ${(err as Error)?.message}`);
    }
    outcome = 'error';
  }
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 250, `${label}: decoding ${input.length} bytes took ${elapsed.toFixed(0)} ms`);
  return outcome;
}

/** Every uint64 boundary the tests push through every field: around 2^49 (Colfer's switch), 2^53, 2^63, 2^64−1. */
export const U64_EDGES: readonly bigint[] = [
  0n,
  1n,
  127n,
  128n,
  2n ** 49n - 1n,
  2n ** 49n,
  2n ** 53n + 1n,
  2n ** 63n,
  2n ** 64n - 1n,
];
