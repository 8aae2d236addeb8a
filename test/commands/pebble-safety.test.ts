/**
 * The safety rules of every write command, on Pebble NodeHosts (pebble-offline-writes.md, "Observed failures"):
 * a dry run changes nothing; no --yes and no terminal writes nothing (exit 7); a NodeHost or shard LOCK held by
 * another process is refused (exit 6); a torn newest WAL is refused until a NodeHost start and stop repairs it
 * (exit 7); an unverified Pebble format is refused (exit 8); every invalid export and member map refused on
 * LevelDB is refused the same way (exit 10). Each refusal leaves the NodeHost dir byte-for-byte unchanged.
 * With a WAL dir, the new WAL goes there, the backup holds both dirs and restore-backup undoes the write.
 * All of it on the Pebble of Dragonboat v3.3.8 and on the Pebble of v4 (pebble-v4/ops, which Dragonboat v4 wrote).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readLogRecords } from '../../src/kv/pebble/record.js';
import { runCli } from '../helpers/cli.js';
import { copyFixture, copyToTemp, fixtureDir, readJson } from '../helpers/fixtures.js';
import { dumpLogdb, type Dump } from '../helpers/kv-dump.js';
import { holdLock } from '../helpers/lock-holder.js';
import { INVALID_EXPORT_MESSAGES, invalidImportCases, membersArg } from '../helpers/invalid-exports.js';
import { treeFingerprint } from '../helpers/tree.js';
import { DEPLOYMENT, dumpDigest, ldbAvailable, ldbDigest, PEBBLE_OPS, PEBBLE_V4_OPS, shardDir, V4_SNAPPY_EXPORT, walNames } from './pebble-helpers.js';

type Write = [string, (nodehost: string, exportDir: string) => string[], number];

/** The three write commands on before-plain of each set; import-snapshot reads the export from `exportDir`. */
const SETS: { ops: string; label: string; snappyExport: string; writes: Write[] }[] = [
  {
    ops: PEBBLE_OPS,
    label: 'Pebble',
    snappyExport: 'snapshot-0000000000000062',
    writes: [
      ['remove-node', (nh) => ['remove-node', nh, '--cluster', '102', '--node', '3'], 6],
      ['compact', (nh) => ['compact', nh, '--cluster', '102', '--node', '3', '--to', '203'], 6],
      ['import-snapshot', (nh, exp) => ['import-snapshot', nh, '-s', join(exp, 'snapshot-0000000000000062'), '-n', '1', '-m', '1=fixture-ops.example.internal:63100'], 4],
    ],
  },
  {
    ops: PEBBLE_V4_OPS,
    label: "v4's Pebble",
    snappyExport: V4_SNAPPY_EXPORT,
    writes: [
      ['remove-node', (nh) => ['remove-node', nh, '--cluster', '102', '--node', '3'], 6],
      ['compact', (nh) => ['compact', nh, '--cluster', '102', '--node', '3', '--to', '109'], 6],
      ['import-snapshot', (nh, exp) => ['import-snapshot', nh, '-s', join(exp, V4_SNAPPY_EXPORT), '-n', '1', '-m', '1=fixture-v4-ops.example.internal:63300'], 4],
    ],
  },
];

/** Runs the CLI on a copy of before-plain after `prepare`, and checks the exit code and that nothing changed. */
async function unchangedAfter(
  ops: string,
  args: (nodehost: string, exportDir: string) => string[],
  expectCode: number,
  check?: (r: { stdout: string; stderr: string }) => void,
  prepare?: (nodehost: string) => Promise<(() => void) | void>,
): Promise<void> {
  const before = copyFixture(`${ops}/before-plain`);
  const exp = copyFixture(`${ops}/exports/snappy`);
  let release: (() => void) | void = undefined;
  try {
    const nodehost = join(before.dir, 'nodehost');
    release = await prepare?.(nodehost);
    const fingerprint = treeFingerprint(nodehost);
    const r = await runCli(args(nodehost, exp.dir));
    assert.equal(r.code, expectCode, `exit code (stderr: ${r.stderr})`);
    check?.(r);
    assert.deepEqual(treeFingerprint(nodehost), fingerprint, 'the NodeHost dir is byte-for-byte unchanged');
  } finally {
    release?.();
    before.cleanup();
    exp.cleanup();
  }
}

/** Cuts the newest live WAL of a shard inside its last record, as a crash does. */
function tearNewestWal(dir: string): void {
  const name = walNames(dir).at(-1)!;
  const path = join(dir, name);
  const { offsets, records } = readLogRecords(readFileSync(path), Number(name.slice(0, -4)));
  assert.ok(records.length > 0, `${name} holds records`);
  truncateSync(path, offsets.at(-1)! + 20);
}

for (const { ops, label, snappyExport, writes } of SETS) {
  for (const [command, args, shard] of writes) {
  test(`${command} --dry-run on ${label} prints the plan and changes nothing`, () =>
    unchangedAfter(ops, (nh, exp) => [...args(nh, exp), '--dry-run', '--output', 'json'], 0, (r) => {
      const plan = JSON.parse(r.stdout);
      assert.deepEqual([plan.dryRun, plan.applied, plan.command], [true, false, command]);
      assert.equal(plan.shards[0].shard, shard);
      assert.ok(plan.shards[0].batch.length > 0, 'the plan lists the batch');
    }));

  test(`${command} on ${label} without --yes and without a terminal refuses (exit 7)`, () =>
    unchangedAfter(ops, (nh, exp) => args(nh, exp), 7, (r) => assert.match(r.stderr, /--yes/)));

  test(`${command} on a ${label} NodeHost another process holds refuses (exit 6)`, () =>
    unchangedAfter(ops, (nh, exp) => [...args(nh, exp), '--yes'], 6, (r) => assert.match(r.stderr, /locked/), async (nh) => {
      const child = await holdLock(join(nh, 'LOCK'));
      return () => child.kill('SIGKILL');
    }));

  test(`${command} on a ${label} shard whose LOCK another process holds refuses (exit 6)`, () =>
    unchangedAfter(ops, (nh, exp) => [...args(nh, exp), '--yes'], 6, (r) => assert.match(r.stderr, new RegExp(`logdb-${shard}/LOCK is locked`)), async (nh) => {
      const child = await holdLock(join(shardDir(nh, shard), 'LOCK'));
      return () => child.kill('SIGKILL');
    }));

  for (const dryRun of [false, true]) {
    test(`${command}${dryRun ? ' --dry-run' : ''} on a shard whose newest WAL is torn refuses (exit 7): one NodeHost start and stop repairs it`, () =>
      unchangedAfter(ops, (nh, exp) => [...args(nh, exp), '--yes', ...(dryRun ? ['--dry-run'] : [])], 7, (r) => {
        assert.match(r.stderr, /newest WAL .* ends in a torn record at offset \d+/);
        assert.match(r.stderr, /start the NodeHost once and stop it normally/);
      }, async (nh) => tearNewestWal(shardDir(nh, shard))));
  }

  test(`${command} on a shard of an unverified Pebble version refuses (exit 8)`, () =>
    unchangedAfter(ops, (nh, exp) => [...args(nh, exp), '--yes'], 8, (r) => assert.match(r.stderr, /format_major_version=2.*only the Pebble formats of Dragonboat v3\.3\.8 .* and v4 /), async (nh) => {
      const dir = shardDir(nh, shard);
      const name = readdirSync(dir).find((n) => n.startsWith('OPTIONS-'))!;
      const text = readFileSync(join(dir, name), 'utf8');
      const edited = /format_major_version=1\n/.test(text) ? text.replace('format_major_version=1\n', 'format_major_version=2\n') : text.replace('[Options]\n', '[Options]\n  format_major_version=2\n');
      assert.notEqual(edited, text);
      writeFileSync(join(dir, name), edited);
    }));
  }

  for (const c of invalidImportCases(ops)) {
  test(`import-snapshot on ${label} refuses ${c.case} (exit 10) and changes nothing (Dragonboat: ${c.toolsImportSnapshotResult ?? c.result})`, async () => {
    assert.ok(INVALID_EXPORT_MESSAGES[c.case], `a message is expected for ${c.case}`);
    const source = c.shippedAs ? copyToTemp(join(fixtureDir(ops)!, c.shippedAs.replace(/^ops\//, '')), 'invalid') : undefined;
    try {
      await unchangedAfter(ops, (nh, exp) => {
        const from = source ? source.dir : c.srcDir.includes('no-such-dir') ? join(exp, 'no-such-dir/snapshot-0000000000000001') : join(exp, snappyExport);
        const members = membersArg(c);
        return ['import-snapshot', nh, '--snapshot', from, '--node', c.nodeID, '--members', members, '--yes'];
      }, 10, (r) => {
        assert.match(r.stderr, INVALID_EXPORT_MESSAGES[c.case]!);
        assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
      });
    } finally {
      source?.cleanup();
    }
  });
}
}

const WALDIR = 'pebble-v3.3.8/waldir';
const nodeKey = (k: string) => k.slice(8, 40) === '0000000000000006' + '0000000000000002';

test('with a WAL dir, remove-node writes its WAL there, backs up both dirs, and restore-backup undoes it', async () => {
  const { dir, cleanup } = copyFixture(WALDIR);
  try {
    const nodehost = join(dir, 'nodehost');
    const wal = join(dir, 'wal');
    const shard = shardDir(nodehost, 6);
    const walShard = join(wal, DEPLOYMENT, 'logdb-6');
    const before: Dump = await dumpLogdb(nodehost, wal);
    assert.ok([...before.get(6)!.keys()].some(nodeKey), 'node 6/2 has records');

    const fingerprint = treeFingerprint(dir);
    const without = await runCli(['remove-node', nodehost, '-c', '6', '-n', '2', '--yes']);
    assert.equal(without.code, 3, without.stderr);
    assert.match(without.stderr, /--wal-dir/);
    assert.deepEqual(treeFingerprint(dir), fingerprint, 'refused without --wal-dir, nothing changed');

    const walsBefore = walNames(walShard);
    const r = await runCli(['remove-node', nodehost, '-c', '6', '-n', '2', '--wal-dir', wal, '--yes', '--backup-dir', join(dir, 'backups'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(walNames(walShard).length, walsBefore.length + 1, 'the new WAL is in the WAL dir');
    assert.deepEqual(walNames(shard), [], 'and not in the shard dir');
    const backup = JSON.parse(r.stdout).backup;
    const saved = readJson(join(backup, 'backup.json')).dirs.map((d: { original: string }) => d.original);
    assert.ok(saved.includes(shard) && saved.includes(walShard), `the backup holds the shard dir and its WAL dir (${saved.join(', ')})`);

    const afterDump = await dumpLogdb(nodehost, wal);
    const want = new Map([...before.get(6)!].filter(([k]) => !nodeKey(k)));
    assert.deepEqual(afterDump.get(6), want, "logdb-6 holds everything but node 6/2's records");
    if (ldbAvailable) assert.deepEqual(ldbDigest(shard, walShard), dumpDigest(want), 'ldb reads the same (WAL copied next to the tables)');

    const restored = await runCli(['restore-backup', backup, '--yes']);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(walNames(walShard), walsBefore);
    assert.deepEqual(await dumpLogdb(nodehost, wal), before, 'restore-backup puts the LogDB back');
  } finally {
    cleanup();
  }
});
