/**
 * validateExport against Dragonboat's own exports (ops/exports) and the damaged ones of ops/invalid, on both
 * backends: the real exports pass with the stats their export.json decodes; every damaged case is refused with a
 * message of its own — including payload-data-corrupted, which Dragonboat's tools.ImportSnapshot lets through —
 * and nothing in the export is touched. Random damage never ends in anything but a LogdbError.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogdbError } from '../../src/errors.js';
import { exportStats, validateExport } from '../../src/snapshot/export.js';
import { copyToTemp, fixtureDir, readJson } from '../helpers/fixtures.js';
import { BACKENDS, DEPLOYMENT_SUBDIR, listTree, snapshotJson } from './support.js';

const EXPORTS = [
  { kind: 'snappy', dir: 'snapshot-0000000000000062', cluster: '100', index: '98' },
  { kind: 'uncompressed', dir: 'snapshot-0000000000000022', cluster: '101', index: '34' },
] as const;

for (const backend of BACKENDS) {
  for (const e of EXPORTS) {
    const root = fixtureDir(`${backend}/ops/exports/${e.kind}`);
    test(`${backend}: the ${e.kind} export validates, with the stats export.json decodes`, async () => {
      const src = join(root!, e.dir);
      const before = listTree(src, true);
      const exp = await validateExport(src);
      assert.deepEqual(listTree(src, true), before, 'validation reads only');

      const json = readJson(join(root!, 'export.json'));
      const files = json.files as any[];
      const gbsnap = files.find((f) => f.path.endsWith('.gbsnap'));
      const meta = files.find((f) => f.path.endsWith('snapshot.metadata'));
      assert.equal(exp.dir, src);
      assert.equal(exp.gbsnapName, `${e.dir}.gbsnap`);
      assert.equal(exp.gbsnapPath, join(src, `${e.dir}.gbsnap`));
      assert.equal(exp.gbsnapSize, BigInt(gbsnap.size));
      assert.deepEqual(snapshotJson(exp.record), meta.decoded.snapshot);
      assert.equal(exp.record.clusterId.toString(), e.cluster);
      assert.equal(exp.record.index.toString(), e.index);
      assert.deepEqual(
        exp.externalFiles.map((f) => ({ ...f, fileId: f.fileId.toString(), size: f.size.toString() })),
        [{ fileId: '1', sourcePath: join(src, 'external-file-1'), name: 'external-file-1', size: '4096' }],
      );

      const stats = await exportStats(exp);
      const blocks = gbsnap.decoded.blocks as { dataLength: number }[];
      assert.deepEqual(stats, {
        fileSize: BigInt(gbsnap.size),
        headerVersion: 2,
        compressionType: gbsnap.decoded.header.compressionType,
        compressionTypeName: gbsnap.decoded.header.compressionTypeName,
        blockCount: blocks.length,
        payloadBytes: BigInt(blocks.reduce((s, b) => s + b.dataLength, 0)),
        blockBytes: BigInt(gbsnap.decoded.tailTotal),
        checksum: gbsnap.decoded.payloadChecksumFromStoredBlockCrcs,
      });
      assert.equal(stats.compressionTypeName, e.kind === 'snappy' ? 'Snappy' : 'NoCompression');
      assert.equal(stats.blockCount, 2);
    });
  }
}

/** One distinctive piece of the message for every case of ops/invalid. */
const INVALID: Record<string, string> = {
  'payload-checksum-mismatch': 'payload checksum mismatch',
  'metadata-hash-broken': 'corrupted flag file content',
  'missing-gbsnap': 'no .gbsnap file',
  'two-gbsnap': 'more than one .gbsnap file',
  'missing-metadata': 'snapshot.metadata is missing',
  'header-size-invalid': 'invalid snapshot header size 2000',
  'header-version-1': 'not a v2 snapshot file (header version 1)',
  'payload-data-corrupted': 'block 0 at offset 1024 (49220 bytes) is corrupt',
  truncated: 'truncated',
};

for (const backend of BACKENDS) {
  const invalidRoot = fixtureDir(`${backend}/ops/invalid`);
  test(`${backend}: every case of ops/invalid is refused with its own message, and left unchanged`, async (t) => {
    const errors = readJson(join(invalidRoot!, 'errors.json'));
    const cases = (errors.cases as any[]).filter((c) => String(c.shippedAs ?? '').includes('/invalid/'));
    assert.deepEqual(cases.map((c) => c.case).sort(), Object.keys(INVALID).sort(), 'errors.json and this test know the same cases');
    for (const c of cases) {
      await t.test(c.case, async () => {
        const caseDir = join(invalidRoot!, c.case);
        const [snapDir] = readdirSync(caseDir);
        const { dir, cleanup } = copyToTemp(join(caseDir, snapDir!), `invalid-${c.case}`);
        try {
          const before = listTree(dir, true);
          const err = await validateExport(dir).then(
            () => assert.fail(`${c.case} was accepted (Dragonboat: ${c.toolsImportSnapshotResult})`),
            (e: unknown) => e,
          );
          assert.ok(err instanceof LogdbError, `${c.case}: ${String(err)}`);
          assert.equal(err.kind, 'invalidSnapshot');
          assert.ok(err.hint, 'a hint is given');
          assert.doesNotMatch(err.message, /\n/, 'one line');
          assert.ok(err.message.includes(INVALID[c.case]!), `${c.case}: "${err.message}" lacks "${INVALID[c.case]}"`);
          for (const [other, piece] of Object.entries(INVALID)) {
            if (other !== c.case) assert.ok(!err.message.includes(piece), `${c.case}'s message "${err.message}" also reads like ${other}`);
          }
          assert.ok(err.message.includes(dir), 'the message names the export or the file');
          assert.deepEqual(listTree(dir, true), before, 'the export is unchanged');
        } finally {
          cleanup();
        }
      });
    }
  });

  test(`${backend}: payload-data-corrupted passes when block data is not verified (Dragonboat's own behaviour)`, async () => {
    const caseDir = join(invalidRoot!, 'payload-data-corrupted');
    const [snapDir] = readdirSync(caseDir);
    const exp = await validateExport(join(caseDir, snapDir!), { verifyBlocks: false });
    assert.equal(exp.record.index, 0x123n);
  });
}

test('a path that does not exist, and a file instead of a directory, are refused', async () => {
  const err = await validateExport('/nonexistent/logdb-test/snapshot-0000000000000001').catch((e) => e);
  assert.ok(err instanceof LogdbError && err.kind === 'invalidSnapshot');
  assert.match(err.message, /path does not exist/);
  const { dir, cleanup } = copyToTemp(fixtureDir('pebble-v3.3.8/ops/exports/uncompressed') ?? '/nonexistent', 'export-file');
  try {
    const err2 = await validateExport(join(dir, 'export.json')).catch((e) => e);
    assert.ok(err2 instanceof LogdbError && err2.kind === 'invalidSnapshot');
    assert.match(err2.message, /is not a directory/);
  } finally {
    cleanup();
  }
});

/** A small real snapshot dir (33 KB .gbsnap, snapshot.metadata, external-file-1) to damage at random. */
const SMALL = `pebble-v3.3.8/ops/before-plain/${DEPLOYMENT_SUBDIR}/snapshot-part-101/snapshot-101-2/snapshot-0000000000000040`;

test('random damage to an export never ends in anything but a LogdbError', async () => {
  const { dir, cleanup } = copyToTemp(fixtureDir(SMALL)!, 'fuzz');
  try {
    await validateExport(dir); // intact, it passes
    const gbsnap = join(dir, 'snapshot-0000000000000040.gbsnap');
    const meta = join(dir, 'snapshot.metadata');
    const ext = join(dir, 'external-file-1');
    const originals = new Map([gbsnap, meta, ext].map((p) => [p, readFileSync(p)]));
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const refusals = new Set<string>();
    for (let i = 0; i < 300; i++) {
      for (const [p, bytes] of originals) writeFileSync(p, bytes);
      const target = [gbsnap, gbsnap, gbsnap, meta, ext][rand(5)]!;
      const bytes = Buffer.from(originals.get(target)!);
      const mode = rand(4);
      if (mode === 0) {
        truncateSync(target, rand(bytes.length));
      } else if (mode === 1) {
        // flip bytes in the header area / tail / anywhere
        const hot = [rand(64), 1024 + rand(bytes.length - 1024), bytes.length - 1 - rand(24), rand(bytes.length)];
        for (let k = 0; k <= rand(3); k++) bytes[hot[rand(hot.length)]! % bytes.length]! ^= 1 << rand(8);
        writeFileSync(target, bytes);
      } else if (mode === 2) {
        writeFileSync(target, Buffer.from(Array.from({ length: rand(2048) }, () => rand(256))));
      } else {
        writeFileSync(target, Buffer.concat([bytes, Buffer.alloc(1 + rand(64), rand(256))]));
      }
      try {
        await validateExport(dir);
      } catch (err) {
        assert.ok(err instanceof LogdbError, `iteration ${i}: ${String(err)}`);
        assert.equal(err.kind, 'invalidSnapshot');
        assert.doesNotMatch(err.message, /\n/);
        refusals.add(err.message.replace(/^.*?: /, '').replace(/[0-9a-f]{8}/g, '…').slice(0, 40));
      }
    }
    assert.ok(refusals.size >= 5, `varied damage gives varied refusals: ${[...refusals].join(' | ')}`);
  } finally {
    cleanup();
  }
});
