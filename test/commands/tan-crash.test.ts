/**
 * A tan write killed at each of its steps (src/tan/write/crash-points.ts: the test-only `LOGDB_TEST_CRASH_AT`
 * makes the process SIGKILL itself there) leaves the LogDB reading, through every read command, either as before
 * or as after — never in between — with no live log that is torn or half-written; and the same command run again
 * completes the change.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TAN_CRASH_STEPS } from '../../src/tan/write/crash-points.js';
import { cliPath, runCli } from '../helpers/cli.js';
import { copyFixture } from '../helpers/fixtures.js';
import { clusterOf, readState, runWithCrash, tanFindings } from '../helpers/tan-crash.js';
import { tanOps } from '../helpers/tan-ops.js';

const OPS = 'tan-v4/ops';

async function healthy(nodehost: string): Promise<void> {
  assert.deepEqual(await tanFindings(nodehost), [], 'no torn or damaged tan file, nothing unfinished');
}

/** The pending BOOTSTRAP files of logdb imports (src/tan/pending.ts) under the NodeHost dir. */
function pendingFiles(nodehost: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.includes('.logdb-pending-')) found.push(e.name);
    }
  };
  walk(nodehost);
  return found;
}

/**
 * What check must say right after a kill at `step`: an import killed between its CURRENT and BOOTSTRAP renames
 * is committed but unfinished (warning), one killed with its pending BOOTSTRAP written but not committed left an
 * ignored file (info); every other kill leaves nothing for check to name.
 */
async function assertFindingsAfterKill(nodehost: string, name: string, step: string, imported?: { clusterId: string; nodeId: string }): Promise<void> {
  const findings = await tanFindings(nodehost);
  const expected =
    name === 'import-snapshot' && step === 'tan-current-renamed'
      ? [{ code: 'tan-import-unfinished', severity: 'warning', ...imported! }]
      : name === 'import-snapshot' && step === 'tan-bootstrap-pending'
        ? [{ code: 'tan-import-leftover', severity: 'info', ...imported! }]
        : [];
  assert.deepEqual(
    findings.map((f) => ({ code: f.code, severity: f.severity, clusterId: f.clusterId, nodeId: f.nodeId })),
    expected,
    `${step}: check's tan findings`,
  );
  assert.equal(pendingFiles(nodehost).length, expected.length, `${step}: pending BOOTSTRAP files`);
}

for (const name of ['remove-node', 'compact', 'import-snapshot']) {
  test(`${name} on tan killed at every step reads as before or after, and a rerun completes it`, async () => {
    const states = async (apply: boolean) => {
      const { dir, cleanup } = copyFixture(OPS);
      try {
        const nodehost = join(dir, 'before-plain/nodehost');
        const op = tanOps(dir).find((o) => o.name === name)!;
        if (apply) assert.equal((await runCli([...op.args(dir, nodehost), '--yes', '--no-backup'])).code, 0);
        return await readState(nodehost, clusterOf(op, dir));
      } finally {
        cleanup();
      }
    };
    const before = await states(false);
    const after = await states(true);
    assert.notEqual(before, after, 'the operation changes what is read');
    let killed = 0;
    for (const step of TAN_CRASH_STEPS) {
      const { dir, cleanup } = copyFixture(OPS);
      try {
        const nodehost = join(dir, 'before-plain/nodehost');
        const op = tanOps(dir).find((o) => o.name === name)!;
        const r = await runWithCrash([...op.args(dir, nodehost), '--yes', '--no-backup'], step);
        if (r.signal !== 'SIGKILL') {
          assert.equal(r.code, 0, `${step}: not reached, so the write completed`);
          continue;
        }
        killed++;
        const now = await readState(nodehost, clusterOf(op, dir));
        assert.ok(now === before || now === after, `${step}: reads as before or as after`);
        if (step === 'tan-current-renamed') assert.equal(now, after, `${step}: the import is committed`);
        if (step === 'tan-bootstrap-pending') assert.equal(now, before, `${step}: the import is not committed`);
        await assertFindingsAfterKill(nodehost, name, step, op.imported);
        const again = await runCli([...op.args(dir, nodehost), '--yes', '--no-backup']);
        if (now === before || name !== 'remove-node') {
          assert.equal(again.code, 0, `${step}: the rerun succeeds: ${again.stderr}`);
          assert.equal(await readState(nodehost, clusterOf(op, dir)), after, `${step}: the rerun gives the after state`);
        } else {
          assert.equal(again.code, 4, `${step}: the node is already removed`);
        }
        await healthy(nodehost);
        assert.deepEqual(pendingFiles(nodehost), [], `${step}: the rerun leaves no pending BOOTSTRAP`);
      } finally {
        cleanup();
      }
    }
    assert.ok(killed >= (name === 'import-snapshot' ? 6 : 4), `the write was killed at ${killed} steps`);
  });
}

/** Runs a command and kills it with SIGKILL after `ms` (if it is still running); resolves when it is gone. */
function killAfter(args: string[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const RANDOM_KILLS = Number(process.env.LOGDB_KILL_RUNS ?? 6);

for (const name of ['remove-node', 'compact', 'import-snapshot']) {
  test(`${name} on tan killed at random moments reads as before or after`, async () => {
    const { dir, cleanup } = copyFixture(OPS);
    let before: string;
    let after: string;
    let duration: number;
    try {
      const nodehost = join(dir, 'before-plain/nodehost');
      const op = tanOps(dir).find((o) => o.name === name)!;
      before = await readState(nodehost, clusterOf(op, dir));
      const started = Date.now();
      assert.equal((await runCli([...op.args(dir, nodehost), '--yes', '--no-backup'])).code, 0);
      duration = Date.now() - started;
      after = await readState(nodehost, clusterOf(op, dir));
    } finally {
      cleanup();
    }
    for (let i = 0; i < RANDOM_KILLS; i++) {
      const { dir, cleanup } = copyFixture(OPS);
      try {
        const nodehost = join(dir, 'before-plain/nodehost');
        const op = tanOps(dir).find((o) => o.name === name)!;
        // most of a run is Node starting up: aim half the kills at its last third
        const at = i % 2 ? duration * (0.66 + Math.random() * 0.4) : Math.random() * duration * 1.1;
        await killAfter([...op.args(dir, nodehost), '--yes', '--no-backup'], at);
        const now = await readState(nodehost, clusterOf(op, dir));
        assert.ok(now === before || now === after, `killed after ${Math.round(at)} ms: reads as before or as after`);
        // a kill between an import's two renames leaves it committed and unfinished; anything else, nothing
        const left = (await tanFindings(nodehost)).filter((f) => !(f.code === 'tan-import-unfinished' && now === after) && !(f.code === 'tan-import-leftover' && now === before));
        assert.deepEqual(left, [], `killed after ${Math.round(at)} ms: no torn or damaged tan file`);
      } finally {
        cleanup();
      }
    }
  });
}
