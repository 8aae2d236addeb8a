/**
 * remove-node, compact and import-snapshot on a v4 tan LogDB (src/tan/write/) give what v4's own RemoveNodeData,
 * RemoveEntriesTo and tools.ImportSnapshot gave on the same before dir (tan-v4/ops): every read command reads our
 * result exactly as Dragonboat's after dir (its expected.json), and the snapshot directories hold the same files.
 * The safety path is the same as for the key/value LogDBs: --dry-run changes nothing, no terminal and no --yes is
 * refused, a held LOCK is refused.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { decodeFlagFile } from '../../src/codec/flag-file.js';
import { decodeSnapshot } from '../../src/codec/messages.js';
import { toJson } from '../../src/cli/json.js';
import { runCli } from '../helpers/cli.js';
import { copyFixture, readJson } from '../helpers/fixtures.js';
import { assertReadCommandsAgree } from '../helpers/expected.js';
import { holdLock } from '../helpers/lock-holder.js';
import { treeFingerprint } from '../helpers/tree.js';

const OPS = 'tan-v4/ops';

export interface TanOp {
  name: string;
  after: string;
  args(dir: string, nodehost: string): string[];
  /** the node whose snapshot record the operation writes (import) */
  imported?: { clusterId: string; nodeId: string };
}

/** The operations as op.json / import.json describe them (IDs and members read from there, not assumed). */
export function tanOps(dir: string): TanOp[] {
  const remove = readJson(join(dir, 'remove-plain/op.json'));
  const compact = readJson(join(dir, 'compact-plain/op.json'));
  const imp = readJson(join(dir, 'import/import.json'));
  const members = imp.memberNodeOrder.map((id: string) => `${id}=${imp.memberNodes[id]}`).join(',');
  return [
    { name: 'remove-node', after: 'remove-plain/after', args: (_d, nh) => ['remove-node', nh, '-c', remove.clusterID, '-n', remove.nodeID] },
    { name: 'compact', after: 'compact-plain/after', args: (_d, nh) => ['compact', nh, '-c', compact.clusterID, '-n', compact.nodeID, '--to', compact.index] },
    { name: 'import-snapshot', after: 'import/after', imported: { clusterId: imp.clusterID, nodeId: imp.nodeID }, args: (d, nh) => ['import-snapshot', nh, '-s', join(d, imp.srcDirShippedAs.replace(/^ops\//, '')), '-n', imp.nodeID, '-m', members] },
  ];
}

/** Where the NodeHost that wrote the after dirs had its dir: its snapshot records name paths under it. */
export const recordedNodeHostDir = (dir: string) => readJson(join(dir, 'import/import.json')).nodeHostConfig.NodeHostDir as string;

/** Every file under the snapshot-part-* dirs: size and sha256; flag files decoded with the NodeHost path masked. */
export function snapshotTree(nodehost: string, recorded: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = relative(nodehost, path);
      if (statSync(path).isDirectory()) {
        if (name !== 'tandb') walk(path);
        continue;
      }
      if (!rel.includes('snapshot-part-')) continue;
      const bytes = readFileSync(path);
      out[rel] = name === 'dragonboat.snapshot.message' || name === 'snapshot.metadata'
        ? JSON.stringify(toJson(decodeSnapshot(decodeFlagFile(bytes)))).split(nodehost).join(recorded)
        : `${bytes.length} ${createHash('sha256').update(bytes).digest('hex')}`;
    }
  };
  walk(nodehost);
  return out;
}

/**
 * expected.json with the recorded NodeHost dir replaced by ours in the records an import writes (their absolute
 * paths name where the snapshot was imported); every other record keeps the path it had.
 */
export function expectedAt(afterDir: string, recorded: string, nodehost: string, imported?: { clusterId: string; nodeId: string }): any {
  const expected = readJson(join(afterDir, 'expected.json'));
  if (!imported) return expected;
  expected.nodes = expected.nodes.map((n: any) =>
    n.clusterId === imported.clusterId && n.nodeId === imported.nodeId ? JSON.parse(JSON.stringify(n).split(recorded).join(nodehost)) : n,
  );
  return expected;
}

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
