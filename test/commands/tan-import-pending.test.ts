/**
 * What an import-snapshot on tan killed around its commit point leaves (src/tan/pending.ts), and how the next
 * logdb write deals with it: committed (killed between the CURRENT and the BOOTSTRAP renames) it reads as done,
 * with one warning, and the next write on the NodeHost — any node — renames the pending BOOTSTRAP into place first
 * (shown by --dry-run, which changes nothing); meanwhile every read command agrees with v4's own after dir
 * (expected.json). Not committed (killed with the pending BOOTSTRAP written) it reads as not done, as v4's before
 * dir, and the next write deletes the file. A write killed right after finishing reads as the import done.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { copyFixture, readJson } from '../helpers/fixtures.js';
import { assertReadCommandsAgree } from '../helpers/expected.js';
import { readState, runWithCrash, tanFindings } from '../helpers/tan-crash.js';
import { expectedAt, recordedNodeHostDir, tanOps, type TanOp } from '../helpers/tan-ops.js';
import { treeFingerprint } from '../helpers/tree.js';

const OPS = 'tan-v4/ops';
const WRITE = ['--yes', '--no-backup'];

interface Setup {
  dir: string;
  nodehost: string;
  bootstrapDir: string;
  imp: TanOp;
  compact: TanOp;
  remove: TanOp;
}

function setup(dir: string): Setup {
  const ops = tanOps(dir);
  const tanDir = readJson(join(dir, 'before-plain/expected.json')).tanDir.replace(/^nodehost\//, '');
  const nodehost = join(dir, 'before-plain/nodehost');
  return {
    dir,
    nodehost,
    bootstrapDir: join(nodehost, tanDir, 'bootstrap'),
    imp: ops.find((o) => o.name === 'import-snapshot')!,
    compact: ops.find((o) => o.name === 'compact')!,
    remove: ops.find((o) => o.name === 'remove-node')!,
  };
}

const pendingIn = (bootstrapDir: string) => readdirSync(bootstrapDir).filter((n) => n.includes('.logdb-pending-'));

const nothing = async () => {};

async function compactOp(s: Setup): Promise<void> {
  const r = await runCli([...s.compact.args(s.dir, s.nodehost), ...WRITE]);
  assert.equal(r.code, 0, r.stderr);
}

/**
 * The NodeHost's state after `prepare`, the import run to the end (unless `imported` is false) and `then`: what
 * the read commands say, and the imported node's BOOTSTRAP bytes.
 */
async function importedState(prepare: (s: Setup) => Promise<void> = nothing, then: (s: Setup) => Promise<void> = nothing, imported = true): Promise<{ state: string; bootstrap: Buffer }> {
  const { dir, cleanup } = copyFixture(OPS);
  try {
    const s = setup(dir);
    await prepare(s);
    if (imported) {
      const r = await runCli([...s.imp.args(dir, s.nodehost), ...WRITE]);
      assert.equal(r.code, 0, r.stderr);
    }
    await then(s);
    const { clusterId, nodeId } = s.imp.imported!;
    return { state: await readState(s.nodehost, clusterId), bootstrap: readFileSync(join(s.bootstrapDir, `BOOTSTRAP-${clusterId}-${nodeId}`)) };
  } finally {
    cleanup();
  }
}

/** Runs the import with a kill at `step` on a fresh copy; `fn` looks at what it left. */
async function killedImport(step: string, fn: (s: Setup) => Promise<void>, prepare: (s: Setup) => Promise<void> = nothing): Promise<void> {
  const { dir, cleanup } = copyFixture(OPS);
  try {
    const s = setup(dir);
    await prepare(s);
    const r = await runWithCrash([...s.imp.args(dir, s.nodehost), ...WRITE], step);
    assert.equal(r.signal, 'SIGKILL', `the import reached ${step}`);
    await fn(s);
  } finally {
    cleanup();
  }
}

test('an import killed between its renames reads as done, warns once per read, and the next write on another node finishes it', async () => {
  const after = await importedState();
  const afterCompact = await importedState(nothing, compactOp);
  await killedImport('tan-current-renamed', async (s) => {
    const { clusterId, nodeId } = s.imp.imported!;
    assert.equal(pendingIn(s.bootstrapDir).length, 1, 'the pending BOOTSTRAP is left');
    assert.equal(await readState(s.nodehost, clusterId), after.state, 'every read command reads the import as done');
    await assertReadCommandsAgree(s.nodehost, expectedAt(join(s.dir, s.imp.after), recordedNodeHostDir(s.dir), s.nodehost, s.imp.imported));

    const ls = await runCli(['ls-nodes', s.nodehost, '--output', 'json']);
    assert.equal(ls.code, 0, ls.stderr);
    const warnings = ls.stderr.split('\n').filter((l) => l.includes('warning'));
    assert.equal(warnings.length, 1, ls.stderr);
    assert.match(warnings[0]!, new RegExp(`cluster ${clusterId} node ${nodeId}: an interrupted import-snapshot`));
    assert.match(warnings[0]!, /Rerun that import-snapshot/);

    const check = JSON.parse((await runCli(['check', s.nodehost, '--output', 'json'])).stdout);
    const unfinished = check.findings.filter((f: any) => f.code === 'tan-import-unfinished');
    assert.equal(unfinished.length, 1);
    assert.equal(unfinished[0].severity, 'warning');
    assert.match(unfinished[0].hint, /rerun the import-snapshot/);

    // the compaction is of another node: the finishing step is part of every write's plan
    const compactArgs = s.compact.args(s.dir, s.nodehost);
    assert.notEqual(compactArgs[compactArgs.indexOf('-c') + 1], clusterId, 'the next write is on another cluster');
    const tree = treeFingerprint(s.dir);
    const dry = await runCli([...compactArgs, '--dry-run', '--output', 'json']);
    assert.equal(dry.code, 0, dry.stderr);
    const finish = JSON.parse(dry.stdout).steps.filter((l: string) => l.startsWith('rename ') && l.includes('.logdb-pending-'));
    assert.equal(finish.length, 1, 'the dry run shows the rename that finishes the import');
    assert.ok(finish[0].includes(`BOOTSTRAP-${clusterId}-${nodeId} `), finish[0]);
    assert.deepEqual(treeFingerprint(s.dir), tree, 'the dry run changed nothing');

    const r = await runCli([...compactArgs, ...WRITE]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(pendingIn(s.bootstrapDir), [], 'the pending BOOTSTRAP is in place');
    assert.deepEqual(readFileSync(join(s.bootstrapDir, `BOOTSTRAP-${clusterId}-${nodeId}`)), after.bootstrap, 'BOOTSTRAP holds what the import writes');
    assert.equal(await readState(s.nodehost, clusterId), afterCompact.state, 'reads as the import and then the compaction');
    assert.deepEqual(await tanFindings(s.nodehost), []);
    const quiet = await runCli(['ls-nodes', s.nodehost]);
    assert.equal(quiet.stderr, '', 'no warning once finished');
  });
});

test('a write killed right after finishing an interrupted import reads as the import done, and has not done its own change', async () => {
  const after = await importedState();
  await killedImport('tan-current-renamed', async (s) => {
    const { clusterId } = s.imp.imported!;
    const compactArgs = s.compact.args(s.dir, s.nodehost);
    const compactCluster = compactArgs[compactArgs.indexOf('-c') + 1]!;
    const compactBefore = await readState(s.nodehost, compactCluster);
    const r = await runWithCrash([...compactArgs, ...WRITE], 'tan-unfinished-done');
    assert.equal(r.signal, 'SIGKILL', 'the write reached tan-unfinished-done');
    assert.deepEqual(pendingIn(s.bootstrapDir), []);
    assert.equal(await readState(s.nodehost, clusterId), after.state);
    assert.equal(await readState(s.nodehost, compactCluster), compactBefore, 'the compaction did not happen');
    assert.deepEqual(await tanFindings(s.nodehost), []);
  });
});

test('an import killed before its commit reads as not done, without a warning, and the next write drops its pending BOOTSTRAP', async () => {
  const before = (await importedState(nothing, nothing, false)).state;
  const compacted = (await importedState(nothing, compactOp, false)).state;
  await killedImport('tan-bootstrap-pending', async (s) => {
    const { clusterId, nodeId } = s.imp.imported!;
    assert.equal(pendingIn(s.bootstrapDir).length, 1, 'the pending BOOTSTRAP is left');
    assert.equal(await readState(s.nodehost, clusterId), before, 'every read command reads the node as before');
    await assertReadCommandsAgree(s.nodehost, readJson(join(s.dir, 'before-plain/expected.json')));
    const ls = await runCli(['ls-nodes', s.nodehost]);
    assert.equal(ls.stderr, '', 'an uncommitted import is not worth a warning');
    const leftover = (await tanFindings(s.nodehost)).filter((f) => f.code === 'tan-import-leftover');
    assert.deepEqual(leftover.map((f) => [f.severity, f.clusterId, f.nodeId]), [['info', clusterId, nodeId]]);

    const dry = await runCli([...s.compact.args(s.dir, s.nodehost), '--dry-run', '--output', 'json']);
    assert.ok(JSON.parse(dry.stdout).steps.some((l: string) => l.startsWith('delete ') && l.includes('.logdb-pending-')), 'the dry run shows the deletion');
    const r = await runCli([...s.compact.args(s.dir, s.nodehost), ...WRITE]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(pendingIn(s.bootstrapDir), []);
    assert.equal(await readState(s.nodehost, clusterId), compacted, 'reads as the compaction alone: the import did not happen');
  });
});

/** remove-node on the imported node, and its DELETED.dragonboat marker moved away (import refuses a marked dir). */
async function removeImportedNode(s: Setup): Promise<void> {
  const { clusterId, nodeId } = s.imp.imported!;
  const r = await runCli(['remove-node', s.nodehost, '-c', clusterId, '-n', nodeId, ...WRITE]);
  assert.equal(r.code, 0, r.stderr);
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name === 'DELETED.dragonboat' && dir.endsWith(`snapshot-${clusterId}-${nodeId}`)) unlinkSync(join(dir, e.name));
    }
  };
  walk(s.nodehost);
  assert.equal(pendingIn(s.bootstrapDir).length, 0);
  assert.ok(!readdirSync(s.bootstrapDir).includes(`BOOTSTRAP-${clusterId}-${nodeId}`), 'the node has no BOOTSTRAP');
}

test('an import onto a node without BOOTSTRAP killed between its renames lists the node as imported', async () => {
  const after = await importedState(removeImportedNode);
  await killedImport(
    'tan-current-renamed',
    async (s) => {
      const { clusterId, nodeId } = s.imp.imported!;
      assert.equal(pendingIn(s.bootstrapDir).length, 1, 'the pending BOOTSTRAP is left');
      assert.ok(!readdirSync(s.bootstrapDir).includes(`BOOTSTRAP-${clusterId}-${nodeId}`), 'only the pending file holds its bootstrap');
      assert.equal(await readState(s.nodehost, clusterId), after.state, 'listed and read as imported');
      const again = await runCli([...s.imp.args(s.dir, s.nodehost), ...WRITE]);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(pendingIn(s.bootstrapDir), []);
      assert.equal(await readState(s.nodehost, clusterId), after.state, 'the rerun gives the same result');
      assert.deepEqual(readFileSync(join(s.bootstrapDir, `BOOTSTRAP-${clusterId}-${nodeId}`)), after.bootstrap);
    },
    removeImportedNode,
  );
});
