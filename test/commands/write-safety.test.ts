/**
 * The safety rules every write command follows, tried as a new user would: a dry run changes nothing; without a
 * terminal and without --yes nothing is written; a directory a NodeHost holds is refused; unknown nodes and
 * full compactions of Pebble directories are refused — each with its own exit code, and the directory
 * byte-for-byte unchanged.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { copyFixture, fixtureDir } from '../helpers/fixtures.js';
import { holdLock } from '../helpers/lock-holder.js';
import { treeFingerprint } from '../helpers/tree.js';

const BEFORE = 'leveldb-v3.2.8/ops/before-plain';

const WRITES: [string, string[]][] = [
  ['remove-node', ['--cluster', '102', '--node', '3']],
  ['compact', ['--cluster', '102', '--node', '3', '--to', '203']],
  ['compact', []],
];

async function unchangedAfter(args: (nodehost: string, dir: string) => string[], expectCode: number, check?: (r: { stdout: string; stderr: string }) => void, before?: (dir: string) => Promise<() => void>) {
  const { dir, cleanup } = copyFixture(BEFORE);
  let release: (() => void) | undefined;
  try {
    const nodehost = join(dir, 'nodehost');
    release = await before?.(nodehost);
    const fingerprint = treeFingerprint(nodehost);
    const r = await runCli(args(nodehost, dir));
    assert.equal(r.code, expectCode, `exit code (stderr: ${r.stderr})`);
    check?.(r);
    assert.deepEqual(treeFingerprint(nodehost), fingerprint, 'the NodeHost dir is byte-for-byte unchanged');
  } finally {
    release?.();
    cleanup();
  }
}

for (const [command, args] of WRITES) {
  const name = `${command} ${args.join(' ')}`.trim();
  test(`${name} --dry-run prints the plan and changes nothing`, () =>
    unchangedAfter((nh) => [command, nh, ...args, '--dry-run', '--output', 'json'], 0, (r) => {
      const plan = JSON.parse(r.stdout);
      assert.equal(plan.dryRun, true);
      assert.equal(plan.applied, false);
      assert.equal(plan.command, command);
    }));

  test(`${name} without --yes and without a terminal refuses (exit 7)`, () =>
    unchangedAfter((nh) => [command, nh, ...args], 7, (r) => assert.match(r.stderr, /--yes/)));

  test(`${name} on a directory a NodeHost holds refuses (exit 6)`, () =>
    unchangedAfter((nh) => [command, nh, ...args, '--yes'], 6, (r) => assert.match(r.stderr, /locked/), async (nh) => {
      const child = await holdLock(join(nh, 'LOCK'));
      return () => child.kill('SIGKILL');
    }));
}

test('a shard locked by another process is refused too (exit 6)', () =>
  unchangedAfter((nh) => ['remove-node', nh, '--cluster', '102', '--node', '3', '--yes'], 6, (r) => assert.match(r.stderr, /logdb-6/), async (nh) => {
    const child = await holdLock(join(nh, 'fixturehost/00000000000000000001/logdb-6/LOCK'));
    return () => child.kill('SIGKILL');
  }));

test('a node that does not exist is refused (exit 4)', () =>
  unchangedAfter((nh) => ['remove-node', nh, '--cluster', '102', '--node', '9', '--yes'], 4, (r) => assert.match(r.stderr, /no node with cluster 102 and node 9/)));

test('compact above the newest snapshot needs --force (exit 7), and says why', () =>
  unchangedAfter((nh) => ['compact', nh, '--cluster', '102', '--node', '3', '--to', '290', '--yes'], 7, (r) => assert.match(r.stderr, /above the newest snapshot index 254/)));

test('a full compaction of a Pebble NodeHost is refused with its own code (exit 8)', async () => {
  const { dir, cleanup } = copyFixture('pebble-v3.3.8/ops/before-plain');
  try {
    const nodehost = join(dir, 'nodehost');
    const fingerprint = treeFingerprint(nodehost);
    const r = await runCli(['compact', nodehost, '--yes']);
    assert.equal(r.code, 8, r.stderr);
    assert.match(r.stderr, /Pebble/);
    assert.deepEqual(treeFingerprint(nodehost), fingerprint);
  } finally {
    cleanup();
  }
});

test('restore-backup puts back what remove-node changed', async () => {
  const { dir, cleanup } = copyFixture(BEFORE);
  try {
    const nodehost = join(dir, 'nodehost');
    const removed = await runCli(['remove-node', nodehost, '-c', '102', '-n', '3', '--yes', '--backup-dir', join(dir, 'b'), '--json']);
    assert.equal(removed.code, 0, removed.stderr);
    const backup = JSON.parse(removed.stdout).backup;
    const gone = await runCli(['dump-state', nodehost, '-c', '102', '-n', '3']);
    assert.equal(gone.code, 4);
    const restored = await runCli(['restore-backup', backup, '--yes']);
    assert.equal(restored.code, 0, restored.stderr);
    const state = await runCli(['dump-state', nodehost, '-c', '102', '-n', '3', '--json']);
    assert.equal(state.code, 0, state.stderr);
    assert.equal(JSON.parse(state.stdout).snapshotIndex, '254');
  } finally {
    cleanup();
  }
});
