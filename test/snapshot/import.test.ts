/**
 * The snapshot side of an import, against what Dragonboat's tools.ImportSnapshot left in ops/import/after
 * (both backends): exports/snappy imported for cluster 100 as node 1 with members {1, 4, 5}.
 *
 * Paths. Snapshot records hold absolute paths, and Dragonboat ran with the NodeHost dir at
 * /var/lib/dragonboat/nodehost. Rather than placing the test copy there (a shared, root-only place that two test
 * runs could fight over), the file work runs on a private temporary copy of before-plain and every recorded path
 * is compared relative to the deployment dir: the temp deployment dir is mapped back onto
 * /var/lib/dragonboat/nodehost/fixturehost/00000000000000000001 before comparing. The record itself is also built
 * once for the real /var/lib/... final dir (buildImportRecord is pure) and compared, exactly, with the decoded
 * dragonboat.snapshot.message of import/after and with the snapshot record in import/after's LogDB (rawdump.json,
 * key 05 05 cluster 100 node 1 index 98). Go writes map entries in random order, so records are compared decoded
 * (and as canonical re-encodings, which sort the maps).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFlagFile } from '../../src/codec/flag-file.js';
import { decodeRaftDataStatus, decodeSnapshot, encodeSnapshot, type Snapshot } from '../../src/codec/messages.js';
import { LogdbError } from '../../src/errors.js';
import { validateExport } from '../../src/snapshot/export.js';
import { buildImportRecord } from '../../src/snapshot/import-record.js';
import { checkMembers, parseMembers } from '../../src/snapshot/members.js';
import { applySnapshotDirCleanup, finalizeSnapshotDir, planSnapshotDirCleanup, stageImport } from '../../src/snapshot/node-dir.js';
import { nodeSnapshotDir, snapshotDirName, tempSnapshotDirName } from '../../src/snapshot/paths.js';
import { copyFixture, copyToTemp, fixtureDir, readJson } from '../helpers/fixtures.js';
import { BACKENDS, DEPLOYMENT_SUBDIR, FIXTURE_DEPLOYMENT_DIR, listTree, rebasePaths, snapshotJson, type TreeEntry } from './support.js';

const MEMBERS = '1=fixture-ops.example.internal:63100,4=fixture-ops-n4.example.internal:63104,5=fixture-ops-n5.example.internal:63105';
const EXPORT = 'exports/snappy/snapshot-0000000000000062';
const NODE_REL = 'snapshot-part-100/snapshot-100-1';
const FINAL_REL = `${NODE_REL}/snapshot-0000000000000062`;
const MESSAGE_REL = `${FINAL_REL}/dragonboat.snapshot.message`;
const canonical = (s: Snapshot) => encodeSnapshot(s).toString('hex');

/** The LogDB snapshot record of 100/1 at index 98 in a rawdump.json. */
function rawdumpRecord(rawdumpPath: string): Snapshot {
  const key = '0505' + '0000' + (100).toString(16).padStart(16, '0') + (1).toString(16).padStart(16, '0') + (98).toString(16).padStart(16, '0');
  for (const shard of readJson(rawdumpPath).shards as any[]) {
    for (const pair of (shard.pairs ?? []) as any[]) if (pair.k === key) return decodeSnapshot(Buffer.from(pair.v, 'hex'));
  }
  throw new Error(`no key ${key} in ${rawdumpPath}`);
}

for (const backend of BACKENDS) {
  const ops = fixtureDir(`${backend}/ops`);

  test(`${backend}: buildImportRecord gives exactly the record Dragonboat imported`, async () => {
    const exp = await validateExport(join(ops!, EXPORT));
    const finalDir = `${FIXTURE_DEPLOYMENT_DIR}/${FINAL_REL}`;
    const record = buildImportRecord(exp.record, parseMembers(MEMBERS), finalDir, exp.gbsnapName);

    const listing = readJson(join(ops!, 'import/after/snapshot-dirs.json')).files as any[];
    const message = listing.find((f) => f.path === MESSAGE_REL);
    assert.deepEqual(snapshotJson(record), message.decoded.snapshot);

    const onDisk = decodeSnapshot(decodeFlagFile(readFileSync(join(ops!, 'import/after', DEPLOYMENT_SUBDIR, MESSAGE_REL))));
    assert.equal(canonical(record), canonical(onDisk));
    assert.equal(encodeSnapshot(record).length + 8, message.size, 'same size as Go wrote (map order aside)');

    assert.equal(canonical(record), canonical(rawdumpRecord(join(ops!, 'import/after/rawdump.json'))));

    // the pieces of §10.3 step 9, spelled out
    assert.equal(record.imported, true);
    assert.equal(record.onDiskIndex, 0n);
    assert.equal(record.witness, false);
    assert.equal(record.membership.configChangeId, 98n);
    assert.deepEqual([...record.membership.removed.keys()], [7n, 8n, 9n]);
    assert.equal(record.membership.observers.size + record.membership.witnesses.size, 0);
    assert.equal(record.filepath, `${finalDir}/snapshot-0000000000000062.gbsnap`);
    assert.equal(record.files[0]!.filepath, `${finalDir}/external-file-1`);
    // the export's record is not modified
    assert.equal(exp.record.imported, false);
    assert.ok(exp.record.files[0]!.filepath.startsWith('/var/lib/dragonboat/export/snappy/'));
  });

  test(`${backend}: cleanup, stage and finalize on a copy of before-plain give import/after's snapshot dirs`, async () => {
    const before = copyFixture(`${backend}/ops/before-plain`);
    const src = copyToTemp(join(ops!, EXPORT), 'export');
    try {
      const deploymentDir = join(before.dir, DEPLOYMENT_SUBDIR);
      const status = decodeRaftDataStatus(decodeFlagFile(readFileSync(join(before.dir, 'nodehost/dragonboat.ds'))));
      const srcBefore = listTree(src.dir, true);

      const exp = await validateExport(src.dir);
      const members = parseMembers(MEMBERS);
      checkMembers(members, 1n, status.address, exp.record.membership);

      const nodeDir = nodeSnapshotDir(deploymentDir, exp.record.clusterId, 1n);
      assert.equal(nodeDir, join(deploymentDir, NODE_REL));
      const plan = planSnapshotDirCleanup(nodeDir);
      assert.deepEqual(plan, {
        nodeDir,
        exists: true,
        deletedMarker: false,
        remove: [join(nodeDir, 'snapshot-0000000000000038'), join(nodeDir, 'snapshot-000000000000008A')],
      });

      const finalDir = join(nodeDir, snapshotDirName(exp.record.index));
      const record = buildImportRecord(exp.record, members, finalDir, exp.gbsnapName);
      await applySnapshotDirCleanup(plan);
      const seen: [number, number][] = [];
      const staged = await stageImport(nodeDir, exp, record, (done, total) => seen.push([done, total]));
      assert.deepEqual(staged, { tempDir: join(nodeDir, 'snapshot-0000000000000062-1.generating'), finalDir });
      assert.deepEqual(seen.at(-1), [2355338 + 4096, 2355338 + 4096]);
      assert.ok(seen.every(([d], i) => i === 0 || d > seen[i - 1]![0]), 'progress only grows');
      assert.equal(statSync(staged.tempDir).mode & 0o777, 0o750);
      await finalizeSnapshotDir(staged.tempDir, staged.finalDir, record);

      // The whole snapshot-part-* listing agrees with import/after (every other node is untouched).
      const expected = (readJson(join(ops!, 'import/after/snapshot-dirs.json')).files as TreeEntry[]).filter((f) => f.path.startsWith('snapshot-part-'));
      const actual = listTree(deploymentDir).filter((f) => f.path.startsWith('snapshot-part-'));
      assertSameTree(actual, expected, [MESSAGE_REL]);

      // The message file: a valid flag file whose record is Dragonboat's once the paths are made relative.
      const message = decodeSnapshot(decodeFlagFile(readFileSync(join(deploymentDir, MESSAGE_REL))));
      const fixtureMessage = (expected as any[]).find((f) => f.path === MESSAGE_REL).decoded.snapshot;
      assert.deepEqual(snapshotJson(rebasePaths(message, deploymentDir, FIXTURE_DEPLOYMENT_DIR)), fixtureMessage);
      assert.equal(canonical(rebasePaths(message, deploymentDir, FIXTURE_DEPLOYMENT_DIR)), canonical(rawdumpRecord(join(ops!, 'import/after/rawdump.json'))));
      assert.ok(!existsSync(join(deploymentDir, FINAL_REL, 'snapshot.metadata')), 'snapshot.metadata is not copied');

      // Copies keep the source's permission bits; the export itself is unchanged.
      for (const name of ['snapshot-0000000000000062.gbsnap', 'external-file-1']) {
        assert.equal(statSync(join(deploymentDir, FINAL_REL, name)).mode & 0o7777, statSync(join(src.dir, name)).mode & 0o7777);
      }
      assert.deepEqual(listTree(src.dir, true), srcBefore);

      // Finalizing again is a no-op (already done); staging again then finalizing is refused: out of date.
      await finalizeSnapshotDir(staged.tempDir, staged.finalDir, record);
      const again = await stageImport(nodeDir, exp, record);
      const err = await finalizeSnapshotDir(again.tempDir, again.finalDir, record).catch((e) => e);
      assert.ok(err instanceof LogdbError && err.kind === 'invalidSnapshot', String(err));
      assert.match(err.message, /snapshot out of date: .*snapshot-0000000000000062 already exists/);
    } finally {
      before.cleanup();
      src.cleanup();
    }
  });
}

/** `actual` has the files of `expected` with the same bytes (except `skipContent`), and no others. */
function assertSameTree(actual: TreeEntry[], expected: TreeEntry[], skipContent: string[]): void {
  const exp = new Map(expected.map((e) => [e.path, e]));
  const act = new Map(actual.map((e) => [e.path, e]));
  for (const a of actual) {
    const e = exp.get(a.path);
    assert.ok(e, `unexpected ${a.path}`);
    assert.equal(Boolean(a.isDir), Boolean(e.isDir), a.path);
    if (!a.isDir && !skipContent.includes(a.path)) {
      assert.equal(a.sha256, e.sha256, `${a.path}: content`);
      assert.equal(a.size, e.size, `${a.path}: size`);
    }
  }
  for (const e of expected) {
    if (act.has(e.path)) continue;
    // Git keeps no empty directories, so an empty directory of the listing may be missing from the shipped copy.
    const empty = e.isDir && !expected.some((o) => o.path.startsWith(e.path + '/') && !o.isDir);
    assert.ok(empty, `missing ${e.path}`);
  }
}

test('stageImport replaces a leftover temp dir and creates missing part and node dirs', async () => {
  const src = copyToTemp(join(fixtureDir('pebble-v3.3.8/ops')!, EXPORT), 'export');
  const target = copyToTemp(fixtureDir('pebble-v3.3.8/ops/exports/uncompressed')!, 'deployment'); // any writable dir
  try {
    const exp = await validateExport(src.dir);
    const deploymentDir = join(target.dir, 'deployment');
    mkdirSync(deploymentDir);
    const nodeDir = nodeSnapshotDir(deploymentDir, 100n, 7n);
    assert.deepEqual(planSnapshotDirCleanup(nodeDir), { nodeDir, exists: false, deletedMarker: false, remove: [] });
    const finalDir = join(nodeDir, snapshotDirName(98n));
    const record = buildImportRecord(exp.record, parseMembers('7=x:7'), finalDir, exp.gbsnapName);
    const first = await stageImport(nodeDir, exp, record);
    for (const d of [join(deploymentDir, 'snapshot-part-100'), nodeDir, first.tempDir]) assert.equal(statSync(d).mode & 0o777, 0o750, d);

    const leftover = join(nodeDir, tempSnapshotDirName(98n, 7n));
    assert.equal(first.tempDir, leftover);
    writeFileSync(join(leftover, 'junk'), 'x');
    const { tempDir } = await stageImport(nodeDir, exp, record);
    assert.equal(tempDir, leftover);
    assert.deepEqual(listTree(tempDir).map((e) => e.path), ['external-file-1', 'snapshot-0000000000000062.gbsnap']);

    // a record built for another dir is refused
    const wrong = buildImportRecord(exp.record, parseMembers('7=x:7'), '/elsewhere', exp.gbsnapName);
    await assert.rejects(stageImport(nodeDir, exp, wrong), (e: unknown) => e instanceof LogdbError);
  } finally {
    src.cleanup();
    target.cleanup();
  }
});
