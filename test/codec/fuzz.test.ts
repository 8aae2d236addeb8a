/**
 * Damaged input never crashes a decoder: random bytes, every truncation and single-bit flips of real values
 * either decode or throw a CodecError — never another exception type, never a runaway loop or allocation.
 * Seeded, so a failure reproduces.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEntry } from '../../src/codec/colfer.js';
import { decodeEntryBatch } from '../../src/codec/entry-batch.js';
import { decodeEncodedEntryCmd } from '../../src/codec/encoded-entry.js';
import { decodeFlagFile, encodeFlagFile } from '../../src/codec/flag-file.js';
import { readGbsnapLayout } from '../../src/codec/gbsnap.js';
import { KeyKind, decodeKey } from '../../src/codec/keys.js';
import {
  decodeBootstrap,
  decodeConfigChange,
  decodeRaftDataStatus,
  decodeSnapshot,
  decodeSnapshotHeader,
  decodeState,
  encodeRaftDataStatus,
  encodeSnapshotHeader,
} from '../../src/codec/messages.js';
import { snappyCompressBlock, snappyDecompressBlock } from '../../src/codec/snappy.js';
import { assertDecodesOrCodecError, prng, randomBytes, rawPairs } from './support.js';

const SAMPLE_DATASETS = [
  'leveldb-v3.2.8/basic',
  'leveldb-v3.2.8/snapshots',
  'leveldb-v3.2.8/overwrite-batched',
  'pebble-v3.3.8/ops/before-plain',
  'pebble-v3.3.8/ops/before-batched',
];

/** Up to `perKind` real values (≤ 2 KiB, batches ≤ 8 KiB, so every truncation stays cheap) of each key kind. */
function realValues(perKind: number): Map<KeyKind, Buffer[]> {
  const byKind = new Map<KeyKind, Buffer[]>();
  for (const dataset of SAMPLE_DATASETS) {
    for (const { key, value } of rawPairs(dataset)) {
      const kind = decodeKey(key).kind;
      if (!value || value.length > (kind === KeyKind.EntryBatch ? 8192 : 2048)) continue;
      const list = byKind.get(kind) ?? [];
      if (list.length < perKind) list.push(value);
      byKind.set(kind, list);
    }
  }
  return byKind;
}

/** Random inputs, every truncation and 40 bit flips of each sample through `decode`. */
function fuzz(label: string, decode: (input: Buffer) => unknown, samples: Buffer[], seed: number): void {
  const rand = prng(seed);
  let errors = 0;
  let oks = 0;
  const run = (input: Buffer, what: string) => {
    if (assertDecodesOrCodecError(decode, input, `${label} ${what}`) === 'ok') oks++;
    else errors++;
  };
  for (let i = 0; i < 1500; i++) run(randomBytes(rand, Math.floor(rand() * 80)), 'random');
  for (const sample of samples) {
    for (let n = 0; n < sample.length; n++) run(sample.subarray(0, n), `truncated to ${n}`);
    for (let i = 0; i < 40; i++) {
      const flipped = Buffer.from(sample);
      const at = Math.floor(rand() * flipped.length);
      flipped[at]! ^= 1 << Math.floor(rand() * 8);
      run(flipped, `bit flip at ${at}`);
    }
  }
  assert.ok(errors > 0, `${label}: damaged input is noticed at least sometimes`);
  assert.ok(oks + errors > 1500);
}

describe('fuzz: every decoder throws CodecError or decodes', () => {
  const values = realValues(40);
  const of = (kind: KeyKind) => values.get(kind) ?? [];

  it('decodeKey', () => {
    const keys = SAMPLE_DATASETS.flatMap((d) => rawPairs(d).slice(0, 30).map((p) => p.key));
    fuzz('decodeKey', decodeKey, keys, 1);
  });

  it('decodeEntry (Colfer)', () => {
    fuzz('decodeEntry', (b) => decodeEntry(b), of(KeyKind.Entry), 2);
  });

  it('decodeEntryBatch', () => {
    assert.ok(of(KeyKind.EntryBatch).length > 0, 'real batches sampled');
    fuzz('decodeEntryBatch', decodeEntryBatch, of(KeyKind.EntryBatch), 3);
  });

  it('decodeState', () => {
    fuzz('decodeState', decodeState, of(KeyKind.State), 4);
  });

  it('decodeBootstrap', () => {
    fuzz('decodeBootstrap', decodeBootstrap, of(KeyKind.Bootstrap), 5);
  });

  it('decodeSnapshot', () => {
    fuzz('decodeSnapshot', decodeSnapshot, of(KeyKind.Snapshot), 6);
  });

  it('decodeConfigChange', () => {
    const cmds = of(KeyKind.Entry)
      .map((v) => decodeEntry(v))
      .filter((e) => e.type === 1)
      .map((e) => Buffer.from(e.cmd));
    fuzz('decodeConfigChange', decodeConfigChange, cmds, 7);
  });

  it('decodeRaftDataStatus and decodeSnapshotHeader', () => {
    const status = encodeRaftDataStatus({
      address: 'fixture-basic.example.internal:63000',
      binVer: 210,
      hardHash: 5077494880920226364n,
      logdbType: 'sharded-pebble',
      hostname: 'fixturehost',
      deploymentId: 1n,
      stepWorkerCount: 16n,
      logdbShardCount: 16n,
      maxSessionCount: 4096n,
      entryBatchSize: 48n,
      addressByNodeHostId: true,
    });
    fuzz('decodeRaftDataStatus', decodeRaftDataStatus, [status], 8);
    const header = encodeSnapshotHeader({
      sessionSize: 52n,
      dataStoreSize: 2n ** 40n,
      unreliableTime: 1795685201835077876n,
      gitVersion: 'v3.3.8',
      headerChecksum: Buffer.from('8b9bc7f1', 'hex'),
      payloadChecksum: Buffer.from('f0e24736', 'hex'),
      checksumType: 0,
      version: 2,
      compressionType: 1,
    });
    fuzz('decodeSnapshotHeader', decodeSnapshotHeader, [header], 9);
  });

  it('decodeFlagFile', () => {
    fuzz('decodeFlagFile', decodeFlagFile, [encodeFlagFile(Buffer.from('0a0012001800', 'hex'))], 10);
  });

  it('decodeEncodedEntryCmd and the Snappy block decoder', () => {
    const cmds = of(KeyKind.Entry)
      .map((v) => decodeEntry(v))
      .filter((e) => e.type === 2)
      .map((e) => Buffer.from(e.cmd));
    const rand = prng(11);
    const snappy = [
      Buffer.concat([Buffer.of(2), snappyCompressBlock(Buffer.from('hello hello hello hello '.repeat(20)))]),
      Buffer.concat([Buffer.of(2), snappyCompressBlock(randomBytes(rand, 300))]),
    ];
    fuzz('decodeEncodedEntryCmd', decodeEncodedEntryCmd, [...cmds, ...snappy], 12);
    fuzz('snappyDecompressBlock', snappyDecompressBlock, snappy.map((c) => c.subarray(1)), 13);
  });

  it('readGbsnapLayout on a damaged header area', () => {
    const header = encodeSnapshotHeader({
      sessionSize: 0n,
      dataStoreSize: 0n,
      unreliableTime: 1n,
      gitVersion: '',
      headerChecksum: null,
      payloadChecksum: Buffer.alloc(4),
      checksumType: 0,
      version: 2,
      compressionType: 0,
    });
    const file = Buffer.alloc(1100);
    file.writeBigUInt64LE(BigInt(header.length), 0);
    header.copy(file, 8);
    const rand = prng(14);
    for (let i = 0; i < 500; i++) {
      const damaged = Buffer.from(file);
      randomBytes(rand, 1 + Math.floor(rand() * 40)).copy(damaged, Math.floor(rand() * 60));
      const size = rand() < 0.2 ? Math.floor(rand() * 1100) : damaged.length;
      assertDecodesOrCodecError((b) => readGbsnapLayout(b, size), damaged, 'readGbsnapLayout');
    }
  });
});
