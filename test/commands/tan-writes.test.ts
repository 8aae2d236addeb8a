/**
 * remove-node, compact and import-snapshot on a v4 tan LogDB (src/tan/write/) give what v4's own RemoveNodeData,
 * RemoveEntriesTo and tools.ImportSnapshot gave on the same before dir (tan-v4/ops): every read command reads our
 * result exactly as Dragonboat's after dir (its expected.json), and the snapshot directories hold the same files.
 * The safety path is the same as for the key/value LogDBs: --dry-run changes nothing, no terminal and no --yes is
 * refused, a held LOCK is refused.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { copyFixture, readJson } from '../helpers/fixtures.js';
import { assertReadCommandsAgree } from '../helpers/expected.js';
import { holdLock } from '../helpers/lock-holder.js';
import { treeFingerprint } from '../helpers/tree.js';
import { expectedAt, recordedNodeHostDir, snapshotTree, tanOps } from '../helpers/tan-ops.js';

const OPS = 'tan-v4/ops';

const { dir: probe, cleanup: cleanProbe } = copyFixture(OPS);
const OPERATIONS = tanOps(probe).map((o) => ({ name: o.name, after: o.after }));
cleanProbe();

for (const { name } of OPERATIONS) {
  test(`${name} on tan reads exactly as v4's own after dir`, async () => {
    const { dir, cleanup } = copyFixture(OPS);
    try {
      const op = tanOps(dir).find((o) => o.name === name)!;
      const nodehost = join(dir, 'before-plain/nodehost');
      const recorded = recordedNodeHostDir(dir);
      const r = await runCli([...op.args(dir, nodehost), '--yes', '--backup-dir', join(dir, 'backups'), '--output', 'json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).applied, true);
      await assertReadCommandsAgree(nodehost, expectedAt(join(dir, op.after), recorded, nodehost, op.imported));
      const theirs = snapshotTree(join(dir, op.after, 'nodehost'), recorded);
      assert.ok(Object.keys(theirs).length > 0, 'the after dir has snapshot files');
      assert.deepEqual(snapshotTree(nodehost, recorded), theirs, 'the same snapshot directories');
      const check = await runCli(['check', nodehost, '--output', 'json']);
      const errors = JSON.parse(check.stdout).findings.filter((f: any) => f.severity === 'error');
      assert.deepEqual(errors, [], 'check finds nothing wrong in the result');
    } finally {
      cleanup();
    }
  });

  test(`${name} on tan: a dry run, a write without --yes and no terminal, a held LOCK change nothing`, async () => {
    const { dir, cleanup } = copyFixture(OPS);
    try {
      const op = tanOps(dir).find((o) => o.name === name)!;
      const nodehost = join(dir, 'before-plain/nodehost');
      const before = treeFingerprint(dir);
      const dry = await runCli([...op.args(dir, nodehost), '--dry-run', '--output', 'json']);
      assert.equal(dry.code, 0, dry.stderr);
      assert.equal(JSON.parse(dry.stdout).dryRun, true);
      assert.ok(JSON.parse(dry.stdout).steps.length > 0, 'the plan names its steps');
      const noYes = await runCli(op.args(dir, nodehost));
      assert.equal(noYes.code, 7, noYes.stderr);
      for (const lockFile of [join(nodehost, 'LOCK'), join(nodehost, readJson(join(dir, 'before-plain/expected.json')).tanDir.replace(/^nodehost\//, ''), 'LOCK')]) {
        const holder = await holdLock(lockFile);
        try {
          const locked = await runCli([...op.args(dir, nodehost), '--yes']);
          assert.equal(locked.code, 6, locked.stderr);
        } finally {
          holder.kill('SIGKILL');
        }
      }
      assert.deepEqual(treeFingerprint(dir), before, 'nothing changed');
    } finally {
      cleanup();
    }
  });
}

for (const name of ['remove-node', 'compact']) {
  test(`${name} on tan writes byte for byte what v4 wrote (the whole NodeHost dir)`, async () => {
    const { dir, cleanup } = copyFixture(OPS);
    try {
      const op = tanOps(dir).find((o) => o.name === name)!;
      const nodehost = join(dir, 'before-plain/nodehost');
      const r = await runCli([...op.args(dir, nodehost), '--yes', '--no-backup']);
      assert.equal(r.code, 0, r.stderr);
      const contents = (root: string) => Object.fromEntries(Object.entries(treeFingerprint(root)).map(([k, v]) => [k, v.replace(/ ?mtime=[\d.]+/, '')]));
      assert.deepEqual(contents(nodehost), contents(join(dir, op.after, 'nodehost')));
    } finally {
      cleanup();
    }
  });
}

test('restore-backup puts a tan write back, file for file', async () => {
  const { dir, cleanup } = copyFixture(OPS);
  try {
    const op = tanOps(dir).find((o) => o.name === 'remove-node')!;
    const nodehost = join(dir, 'before-plain/nodehost');
    const contents = (root: string) => Object.fromEntries(Object.entries(treeFingerprint(root)).filter(([k]) => !k.endsWith('/')).map(([k, v]) => [k, v.replace(/ ?mtime=[\d.]+/, '')]));
    const before = contents(nodehost);
    const r = await runCli([...op.args(dir, nodehost), '--yes', '--backup-dir', join(dir, 'backups'), '--output', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.notDeepEqual(contents(nodehost), before);
    const restored = await runCli(['restore-backup', JSON.parse(r.stdout).backup, '--yes']);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(contents(nodehost), before);
  } finally {
    cleanup();
  }
});

test('a full compaction is refused on tan (exit 8) with one line', async () => {
  const { dir, cleanup } = copyFixture(OPS);
  try {
    const nodehost = join(dir, 'before-plain/nodehost');
    const before = treeFingerprint(dir);
    const r = await runCli(['compact', nodehost, '--yes']);
    assert.equal(r.code, 8, r.stderr);
    assert.match(r.stderr, /tan/);
    assert.deepEqual(treeFingerprint(dir), before);
  } finally {
    cleanup();
  }
});
