/**
 * remove-node, compact --to and import-snapshot on a RocksDB NodeHost (Dragonboat v3.3.8's RocksDB LogDB) do what
 * Dragonboat's own RemoveData, RemoveEntriesTo+CompactEntriesTo and tools.ImportSnapshot did to the same directory
 * (rocksdb-v3.3.8/ops): afterwards the LogDB holds exactly the after dir's records, key by key, the snapshot dirs
 * hold the same files, and every read command agrees with the after dir's expected.json. The change is one new WAL
 * in RocksDB's legacy record format (docs/rocksdb-offline-writes.md). A dry run changes nothing; a full compaction
 * is refused (exit 8). RocksDB's own ldb reading the results is checked by `npm run verify:ldb` (not here: CI has
 * no ldb).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeFlagFile } from '../../src/codec/flag-file.js';
import { decodeKey } from '../../src/codec/keys.js';
import { decodeSnapshot } from '../../src/codec/messages.js';
import { toJson } from '../../src/cli/json.js';
import { readLogRecords } from '../../src/kv/pebble/record.js';
import { cliJson, runCli } from '../helpers/cli.js';
import { assertReadCommandsAgree } from '../helpers/expected.js';
import { copyFixture, fixtureDir, readJson } from '../helpers/fixtures.js';
import { assertSameContents, dumpLogdb, rawdumpPairs } from '../helpers/kv-dump.js';
import { treeFingerprint } from '../helpers/tree.js';
import { assertSameSnapshotDirs, DEPLOYMENT, ORIGINAL_NODEHOST, shardDir, walNames } from './pebble-helpers.js';

export const ROCKSDB_OPS = 'rocksdb-v3.3.8/ops';
export const ROCKSDB_IMPORT_MEMBERS =
  '1=fixture-rocks-ops.example.internal:63500,4=fixture-rocks-ops-n4.example.internal:63504,5=fixture-rocks-ops-n5.example.internal:63505';
const after = (op: string) => join(fixtureDir(ROCKSDB_OPS)!, op, 'after');

async function onBefore(fn: (nodehost: string, dir: string) => Promise<void>): Promise<void> {
  const { dir, cleanup } = copyFixture(`${ROCKSDB_OPS}/before-plain`);
  try {
    await fn(join(dir, 'nodehost'), dir);
  } finally {
    cleanup();
  }
}

/** The one WAL logdb added to `shard`: legacy 7-byte chunk headers (types 1–4), one record, ending cleanly. */
function assertOneLegacyWalAdded(nodehost: string, shard: number, before: string[]): void {
  const added = walNames(shardDir(nodehost, shard)).filter((n) => !before.includes(n));
  assert.equal(added.length, 1, `one WAL added to logdb-${shard}: ${added.join(', ')}`);
  const data = readFileSync(join(shardDir(nodehost, shard), added[0]!));
  assert.ok(data[6]! >= 1 && data[6]! <= 4, `a legacy chunk type, not ${data[6]}`);
  const log = readLogRecords(data, Number(added[0]!.slice(0, -4)));
  assert.deepEqual([log.records.length, log.end], [1, 'eof']);
}

test("remove-node gives Dragonboat's RemoveData result on RocksDB, every read command agrees at once, restore-backup undoes it", () =>
  onBefore(async (nodehost, dir) => {
    const walsBefore = walNames(shardDir(nodehost, 6));
    const contentsBefore = await dumpLogdb(nodehost);
    const r = await runCli(['remove-node', nodehost, '--cluster', '102', '--node', '3', '--yes', '--backup-dir', join(dir, 'backups'), '--output', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.equal(result.applied, true);
    assert.ok(result.backup, 'a backup was taken');
    assert.equal(result.shards[0].batch.filter((op: { op: string }) => op.op === 'deleteRange').length, 1, "one range delete, Dragonboat's RemoveEntriesTo(MaxUint64)");
    assertOneLegacyWalAdded(nodehost, 6, walsBefore);

    assertSameContents(await dumpLogdb(nodehost), rawdumpPairs(readJson(join(after('remove-plain'), 'rawdump.json'))), 'remove-node');
    assertSameSnapshotDirs(join(nodehost, DEPLOYMENT), after('remove-plain'));
    await assertReadCommandsAgree(nodehost, readJson(join(after('remove-plain'), 'expected.json')));

    const restored = await runCli(['restore-backup', result.backup, '--yes']);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(walNames(shardDir(nodehost, 6)), walsBefore, 'the added WAL is gone');
    assert.deepEqual(await dumpLogdb(nodehost), contentsBefore, 'the LogDB is as before');
  }));

test("compact --to 109 gives Dragonboat's RemoveEntriesTo+CompactEntriesTo result on RocksDB, and says when the space comes back", () =>
  onBefore(async (nodehost) => {
    const walsBefore = walNames(shardDir(nodehost, 6));
    const r = await runCli(['compact', nodehost, '--cluster', '102', '--node', '3', '--to', '109', '--yes', '--no-backup']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /note: RocksDB: a range tombstone hides the entries at once; the disk space comes back when RocksDB next compacts/);
    assert.match(r.stdout, /spaceReclaimed: RocksDB reclaims the space itself when it next compacts, after the NodeHost next runs/);
    assertOneLegacyWalAdded(nodehost, 6, walsBefore);
    assertSameContents(await dumpLogdb(nodehost), rawdumpPairs(readJson(join(after('compact-plain'), 'rawdump.json'))), 'compact');
    assertSameSnapshotDirs(join(nodehost, DEPLOYMENT), after('compact-plain'));
    await assertReadCommandsAgree(nodehost, readJson(join(after('compact-plain'), 'expected.json')));
  }));

test("import-snapshot gives tools.ImportSnapshot's result on RocksDB (snappy export of cluster 100 as node 1)", () =>
  onBefore(async (nodehost) => {
    const exp = copyFixture(`${ROCKSDB_OPS}/exports/snappy`);
    try {
      const walsBefore = walNames(shardDir(nodehost, 4));
      const r = await runCli(['import-snapshot', nodehost, '--snapshot', join(exp.dir, 'snapshot-0000000000000027'), '--node', '1', '--members', ROCKSDB_IMPORT_MEMBERS, '--yes', '--no-backup', '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).importedIndex, '39');
      assertOneLegacyWalAdded(nodehost, 4, walsBefore);

      const importAfter = after('import');
      assertSameContents(await dumpLogdb(nodehost), rawdumpPairs(readJson(join(importAfter, 'rawdump.json'))), 'import', undefined, [nodehost, ORIGINAL_NODEHOST]);
      const message = 'snapshot-part-100/snapshot-100-1/snapshot-0000000000000027/dragonboat.snapshot.message';
      assertSameSnapshotDirs(join(nodehost, DEPLOYMENT), importAfter, (p) => p === message);
      const decoded = (root: string) => JSON.stringify(toJson(decodeSnapshot(decodeFlagFile(readFileSync(join(root, DEPLOYMENT, message))))));
      assert.equal(decoded(nodehost).split(nodehost).join(ORIGINAL_NODEHOST), decoded(join(importAfter, 'nodehost')), 'the same dragonboat.snapshot.message record');

      const state = await cliJson(['dump-state', nodehost, '-c', '100', '-n', '1']);
      assert.deepEqual([state.state.commit, state.snapshotIndex, state.bootstrap.join], ['39', '39', true], 'dump-state shows the import at once');
    } finally {
      exp.cleanup();
    }
  }));

test('on RocksDB a dry run changes nothing, and compact without a node is refused (exit 8)', () =>
  onBefore(async (nodehost) => {
    const exp = copyFixture(`${ROCKSDB_OPS}/exports/snappy`);
    const fingerprint = treeFingerprint(nodehost);
    const importArgs = ['import-snapshot', nodehost, '--snapshot', join(exp.dir, 'snapshot-0000000000000027'), '--node', '1', '--members', ROCKSDB_IMPORT_MEMBERS];
    for (const args of [['remove-node', nodehost, '-c', '102', '-n', '3'], ['compact', nodehost, '-c', '102', '-n', '3', '--to', '109'], importArgs]) {
      const r = await runCli([...args, '--dry-run']);
      assert.equal(r.code, 0, r.stderr);
    }
    exp.cleanup();
    for (const extra of [[], ['--dry-run']]) {
      const r = await runCli(['compact', nodehost, '--yes', ...extra]);
      assert.equal(r.code, 8, r.stderr);
      assert.match(r.stderr, /compacting every shard is not possible on RocksDB .* RocksDB reclaims the space itself when it next compacts/);
    }
    assert.deepEqual(treeFingerprint(nodehost), fingerprint);
  }));

test('RocksDB writes refuse what the rules were not verified on, a torn newest WAL, and WALs that are elsewhere — changing nothing', () =>
  onBefore(async (nodehost) => {
    const shard = shardDir(nodehost, 6);
    const remove = () => runCli(['remove-node', nodehost, '-c', '102', '-n', '3', '--yes', '--no-backup']);
    const options = readdirSync(shard).filter((n) => n.startsWith('OPTIONS-')).sort().at(-1)!;
    const original = readFileSync(join(shard, options), 'utf8');
    const { atime, mtime } = statSync(join(shard, options));
    const cases: [what: string, damage: () => void, code: number, message: RegExp][] = [
      ['recycled WAL files', () => writeFileSync(join(shard, options), original.replace(/recycle_log_file_num=0/, 'recycle_log_file_num=4')), 8, /says recycle_log_file_num=4, not 0; logdb writes only RocksDB shards set up as Dragonboat's/],
      ['WALs listed in the MANIFEST', () => writeFileSync(join(shard, options), original.replace(/track_and_verify_wals_in_manifest=false/, 'track_and_verify_wals_in_manifest=true')), 8, /track_and_verify_wals_in_manifest=true/],
      ['a second column family', () => writeFileSync(join(shard, options), `${original}\n[CFOptions "other"]\n  comparator=leveldb.BytewiseComparator\n`), 8, /column families CFOptions "default", CFOptions "other"/],
      ['a RocksDB 8', () => writeFileSync(join(shard, options), original.replace(/rocksdb_version=[\d.]+/, 'rocksdb_version=8.1.1')), 8, /rocksdb_version=8\.1\.1/],
    ];
    const fingerprint = treeFingerprint(nodehost);
    for (const [what, damage, code, message] of cases) {
      damage();
      const r = await remove();
      assert.equal(r.code, code, `${what}: ${r.stderr}`);
      assert.match(r.stderr, message, what);
      writeFileSync(join(shard, options), original);
      utimesSync(join(shard, options), atime, mtime);
      assert.deepEqual(treeFingerprint(nodehost), fingerprint, `${what}: nothing changed`);
    }

    const [newest] = walNames(shard).slice(-1);
    const wal = readFileSync(join(shard, newest!));
    writeFileSync(join(shard, newest!), wal.subarray(0, wal.length - 3));
    const torn = await remove();
    assert.equal(torn.code, 7, torn.stderr);
    assert.match(torn.stderr, /ends in a torn record .* RocksDB drops that tail when it opens the shard, but may fail to open it once another WAL follows/);
    assert.deepEqual(walNames(shard).slice(-1), [newest], 'no WAL added');
    writeFileSync(join(shard, newest!), wal);

    const away = join(nodehost, '..', 'moved-wals');
    mkdirSync(away);
    for (const name of walNames(shard)) renameSync(join(shard, name), join(away, name));
    const elsewhere = await remove();
    assert.equal(elsewhere.code, 3, elsewhere.stderr);
    assert.match(elsewhere.stderr, /no WAL numbered \d+ or above in .*logdb-6, where RocksDB always keeps the one it last wrote/);
    assert.deepEqual(walNames(shard), [], 'no WAL added');
  }));

test('remove-node on the older RocksDB table formats (2 and 4, CRC-32C, made by ldb): every record of the node is gone, nothing else', async () => {
  const basic = rawdumpPairs(readJson(join(fixtureDir('rocksdb-v3.3.8/basic')!, 'rawdump.json')));
  const ofNode = (keyHex: string) => {
    const key = decodeKey(Buffer.from(keyHex, 'hex'));
    return key.clusterId === 1n && key.nodeId === 3n;
  };
  const want = new Map([...basic].map(([shard, pairs]) => [shard, new Map([...pairs].filter(([k]) => !ofNode(k)))]));
  assert.ok([...basic.get(1)!.keys()].filter(ofNode).length > 50, 'node 1/3 has records in logdb-1');
  for (const v of [2, 4]) {
    const { dir, cleanup } = copyFixture(`rocksdb-made/format-${v}`);
    try {
      const nodehost = join(dir, 'nodehost');
      const walsBefore = walNames(shardDir(nodehost, 1));
      const r = await runCli(['remove-node', nodehost, '-c', '1', '-n', '3', '--yes', '--no-backup']);
      assert.equal(r.code, 0, r.stderr);
      assertOneLegacyWalAdded(nodehost, 1, walsBefore);
      assertSameContents(await dumpLogdb(nodehost), want, `format ${v}`);
    } finally {
      cleanup();
    }
  }
});
