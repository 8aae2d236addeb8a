/**
 * remove-node, compact --to and import-snapshot on a NodeHost Dragonboat v4 wrote (pebble-v4/ops, its default
 * sharded-pebble LogDB) do what v4's own SyncRemoveData, RemoveEntriesTo+CompactEntriesTo and tools.ImportSnapshot
 * did to the same directory: every read command (ls-nodes, dump-state, ls-snapshots, dump-entries, info, stats)
 * reads the result exactly as Dragonboat read v4's after dir (its expected.json), the LogDB holds the after dir's
 * records key by key (rawdump.json), the snapshot dirs hold the same files (snapshot-dirs.json), and `check` finds
 * no error. v4's import keeps one snapshot record: the newer record 48 goes in the same batch.
 *
 * Snapshot records hold absolute paths, so each run happens where the v4 NodeHost had the directory
 * (/var/lib/dragonboat/nodehost, recorded-place.ts); all in this one file, one after the other.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeFlagFile } from '../../src/codec/flag-file.js';
import { decodeSnapshot } from '../../src/codec/messages.js';
import { toJson } from '../../src/cli/json.js';
import { cliJson, runCli } from '../helpers/cli.js';
import { assertInfoAgrees, assertReadCommandsAgree, assertStatsAgrees } from '../helpers/expected.js';
import { copyFixture, fixtureDir, readJson } from '../helpers/fixtures.js';
import { assertSameContents, dumpLogdb, rawdumpPairs } from '../helpers/kv-dump.js';
import { holdingRecordedPlace } from '../logdb/check/recorded-place.js';
import { assertNoTornWal, assertSameSnapshotDirs, DEPLOYMENT, PEBBLE_V4_OPS, shardDir, V4_IMPORT_MEMBERS, V4_SNAPPY_EXPORT } from './pebble-helpers.js';

const MESSAGE = `snapshot-part-100/snapshot-100-1/${V4_SNAPPY_EXPORT}/dragonboat.snapshot.message`;

interface Op {
  name: string;
  after: string;
  shard: number;
  args: (nodehost: string, exportDir: string) => string[];
}

const OPS: Op[] = [
  { name: 'remove-node', after: 'remove-plain/after', shard: 6, args: (nh) => ['remove-node', nh, '--cluster', '102', '--node', '3'] },
  { name: 'compact', after: 'compact-plain/after', shard: 6, args: (nh) => ['compact', nh, '--cluster', '102', '--node', '3', '--to', '109'] },
  {
    name: 'import-snapshot',
    after: 'import/after',
    shard: 4,
    args: (nh, exp) => ['import-snapshot', nh, '--snapshot', join(exp, V4_SNAPPY_EXPORT), '--node', '1', '--members', V4_IMPORT_MEMBERS],
  },
];

const decodedMessage = (deploymentDir: string) => JSON.stringify(toJson(decodeSnapshot(decodeFlagFile(readFileSync(join(deploymentDir, MESSAGE))))));

test("v4 writes give v4's own after dirs, through every read command", { timeout: 600_000 }, async (t) => {
  const ops = fixtureDir(PEBBLE_V4_OPS);
  assert.ok(ops, 'pebble-v4/ops is shipped in test/fixtures');
  const { dir, cleanup } = copyFixture(PEBBLE_V4_OPS);
  try {
    await holdingRecordedPlace(async (place) => {
      for (const op of OPS) {
        await t.test(op.name, async () => {
          const nodehost = place.put(join(dir, 'before-plain', 'nodehost'));
          const after = join(dir, op.after);
          const expected = readJson(join(after, 'expected.json'));

          const r = await runCli([...op.args(nodehost, join(dir, 'exports/snappy')), '--yes', '--no-backup', '--output', 'json']);
          assert.equal(r.code, 0, r.stderr);
          assert.equal(JSON.parse(r.stdout).applied, true);
          assertNoTornWal(shardDir(nodehost, op.shard));

          await assertReadCommandsAgree(nodehost, expected);
          await assertInfoAgrees(nodehost, expected);
          await assertStatsAgrees(nodehost, expected, readJson(join(after, 'rawdump.json')));
          assertSameContents(await dumpLogdb(nodehost), rawdumpPairs(readJson(join(after, 'rawdump.json'))), op.name);
          assertSameSnapshotDirs(join(nodehost, DEPLOYMENT), after, (p) => p === MESSAGE);
          if (op.name === 'import-snapshot') {
            // Go writes the record's maps in random order: the same record, compared decoded
            assert.equal(decodedMessage(join(nodehost, DEPLOYMENT)), decodedMessage(join(after, 'nodehost', DEPLOYMENT)), 'the same dragonboat.snapshot.message');
            const snapshots = await cliJson(['ls-snapshots', nodehost, '-c', '100', '-n', '1']);
            assert.deepEqual(snapshots.map((s: any) => s.index), ['39'], 'one snapshot record: v4 deleted the newer record 48 too');
          }

          const check = await runCli(['check', nodehost, '--deep', '--output', 'json']);
          const report = JSON.parse(check.stdout);
          assert.deepEqual(report.findings.filter((f: any) => f.severity === 'error'), [], 'check finds no error');
          assert.equal(check.code, 0, check.stderr);
        });
      }
    });
  } finally {
    cleanup();
  }
});
