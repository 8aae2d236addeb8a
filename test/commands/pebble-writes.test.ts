/**
 * remove-node, compact --to and import-snapshot on Pebble NodeHosts do what Dragonboat's own RemoveData,
 * RemoveEntriesTo+CompactEntriesTo and tools.ImportSnapshot did to the same directories (pebble-v3.3.8/ops): the
 * LogDB afterwards holds exactly the `after` dir's records, key by key, and the snapshot dirs the same files. Every
 * read command shows the change at once (the reader replays the new WAL), and a full compaction — which Pebble
 * does itself — is refused with the reason (exit 8). RocksDB's `ldb` reading the result shards is checked by
 * bench/verify-ldb.mjs (it needs ldb, which a bare clone does not have).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeFlagFile } from '../../src/codec/flag-file.js';
import { decodeSnapshot } from '../../src/codec/messages.js';
import { toJson } from '../../src/cli/json.js';
import { cliJson, cliNdjson, runCli } from '../helpers/cli.js';
import { copyFixture, fixtureDir, readJson } from '../helpers/fixtures.js';
import { assertSameContents, dumpLogdb, rawdumpPairs } from '../helpers/kv-dump.js';
import { treeFingerprint } from '../helpers/tree.js';
import {
  assertNoTornWal,
  assertSameSnapshotDirs,
  DEPLOYMENT,
  IMPORT_MEMBERS,
  ORIGINAL_NODEHOST,
  PEBBLE_OPS,
  shardDir,
  walNames,
} from './pebble-helpers.js';

const after = (op: string) => join(fixtureDir(PEBBLE_OPS)!, op, 'after');

/** Runs `fn` on a private copy of before-<mode>; returns nothing, cleans up. */
async function onBefore(mode: string, fn: (nodehost: string, dir: string) => Promise<void>): Promise<void> {
  const { dir, cleanup } = copyFixture(`${PEBBLE_OPS}/before-${mode}`);
  try {
    await fn(join(dir, 'nodehost'), dir);
  } finally {
    cleanup();
  }
}

for (const mode of ['plain', 'batched']) {
  test(`remove-node gives Dragonboat's RemoveData result on Pebble ${mode}, and reads show it at once`, () =>
    onBefore(mode, async (nodehost, dir) => {
      const walsBefore = walNames(shardDir(nodehost, 6));
      const r = await runCli(['remove-node', nodehost, '--cluster', '102', '--node', '3', '--yes', '--backup-dir', join(dir, 'backups'), '--output', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const result = JSON.parse(r.stdout);
      assert.equal(result.applied, true);
      assert.ok(result.backup && existsSync(join(result.backup, 'backup.json')), 'a backup was taken');
      const rangeDeletes = result.shards[0].batch.filter((op: { op: string }) => op.op === 'deleteRange');
      assert.equal(rangeDeletes.length, 1, "one range delete, Dragonboat's RemoveEntriesTo(MaxUint64)");

      const walsAfter = walNames(shardDir(nodehost, 6));
      assert.equal(walsAfter.length, walsBefore.length + 1, 'one WAL added to logdb-6');
      assertNoTornWal(shardDir(nodehost, 6));
      const got = await dumpLogdb(nodehost);
      assertSameContents(got, rawdumpPairs(readJson(join(after(`remove-${mode}`), 'rawdump.json'))), `remove-node ${mode}`);
      assertSameSnapshotDirs(join(nodehost, DEPLOYMENT), after(`remove-${mode}`));

      const nodes = await cliJson(['ls-nodes', nodehost]);
      assert.ok(!JSON.stringify(nodes).includes('"102"'), 'ls-nodes no longer lists cluster 102');
      const state = await runCli(['dump-state', nodehost, '-c', '102', '-n', '3']);
      assert.equal(state.code, 4, state.stderr);
    }));

  const firstAfter = mode === 'plain' ? '203' : '144';
  test(`compact --to 203 gives Dragonboat's RemoveEntriesTo+CompactEntriesTo result on Pebble ${mode}, and says when the space comes back`, () =>
    onBefore(mode, async (nodehost) => {
      const stored = async () => (await cliNdjson(['dump-entries', nodehost, '-c', '102', '-n', '3', '--all', '--limit', '1']))[0].index;
      assert.notEqual(await stored(), firstAfter);
      const r = await runCli(['compact', nodehost, '--cluster', '102', '--node', '3', '--to', '203', '--yes', '--no-backup']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /note: Pebble: a range tombstone hides the entries at once; the disk space comes back when Pebble next compacts/);
      assert.match(r.stdout, /spaceReclaimed: Pebble reclaims the space itself when it next compacts, after the NodeHost next runs/);
      assertNoTornWal(shardDir(nodehost, 6));
      const got = await dumpLogdb(nodehost);
      assertSameContents(got, rawdumpPairs(readJson(join(after(`compact-${mode}`), 'rawdump.json'))), `compact ${mode}`);
      assert.equal(await stored(), firstAfter, `the first stored entry is now ${firstAfter}`);
    }));
}

test("import-snapshot gives tools.ImportSnapshot's result on Pebble (snappy export of cluster 100 as node 1)", () =>
  onBefore('plain', async (nodehost) => {
    const exp = copyFixture(`${PEBBLE_OPS}/exports/snappy`);
    try {
      const r = await runCli(['import-snapshot', nodehost, '--snapshot', join(exp.dir, 'snapshot-0000000000000062'), '--node', '1', '--members', IMPORT_MEMBERS, '--yes', '--no-backup', '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).importedIndex, '98');
      assertNoTornWal(shardDir(nodehost, 4));

      const importAfter = after('import');
      const got = await dumpLogdb(nodehost);
      assertSameContents(got, rawdumpPairs(readJson(join(importAfter, 'rawdump.json'))), 'import', undefined, [nodehost, ORIGINAL_NODEHOST]);

      const message = 'snapshot-part-100/snapshot-100-1/snapshot-0000000000000062/dragonboat.snapshot.message';
      assertSameSnapshotDirs(join(nodehost, DEPLOYMENT), importAfter, (p) => p === message);
      const decoded = (root: string) => JSON.stringify(toJson(decodeSnapshot(decodeFlagFile(readFileSync(join(root, DEPLOYMENT, message))))));
      assert.equal(decoded(nodehost).split(nodehost).join(ORIGINAL_NODEHOST), decoded(join(importAfter, 'nodehost')), 'the same dragonboat.snapshot.message record');

      const state = await cliJson(['dump-state', nodehost, '-c', '100', '-n', '1']);
      assert.deepEqual([state.state.commit, state.snapshotIndex, state.bootstrap.join], ['98', '98', true], 'dump-state shows the import at once');
    } finally {
      exp.cleanup();
    }
  }));

test('compact without a node is refused on Pebble (exit 8): Pebble compacts by itself, logdb only adds WALs', () =>
  onBefore('plain', async (nodehost) => {
    const fingerprint = treeFingerprint(nodehost);
    for (const extra of [[], ['--dry-run']]) {
      const r = await runCli(['compact', nodehost, '--yes', ...extra]);
      assert.equal(r.code, 8, r.stderr);
      assert.match(r.stderr, /compacting every shard is not possible on Pebble .* Pebble reclaims the space itself when it next compacts/);
    }
    assert.deepEqual(treeFingerprint(nodehost), fingerprint);
  }));
