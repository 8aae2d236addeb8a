/**
 * A tan write killed at each of its steps (src/tan/write/crash-points.ts: the test-only `LOGDB_TEST_CRASH_AT`
 * makes the process SIGKILL itself there) leaves the LogDB reading, through every read command, either as before
 * or as after — never in between — with no live log that is torn or half-written; and the same command run again
 * completes the change.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { CRASH_ENV } from '../../src/kv/pebble/writer-crash-points.js';
import { TAN_CRASH_STEPS } from '../../src/tan/write/crash-points.js';
import { cliJson, cliNdjson, cliPath, runCli } from '../helpers/cli.js';
import { copyFixture } from '../helpers/fixtures.js';
import { tanOps } from '../helpers/tan-ops.js';

const OPS = 'tan-v4/ops';

/** The cluster an operation changes: its -c, or the imported snapshot's cluster. */
const clusterOf = (op: ReturnType<typeof tanOps>[number], dir: string): string => {
  const args = op.args(dir, '');
  const c = args.indexOf('-c');
  return c >= 0 ? args[c + 1]! : op.imported!.clusterId;
};

function runWithCrash(args: string[], step: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: 'ignore', env: { ...process.env, [CRASH_ENV]: step } });
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
}

/**
 * What the read commands say, with the copy's own path masked: ls-nodes and stats for every node, and dump-state,
 * ls-snapshots and dump-entries for the nodes of `clusterId` — a tan write touches only that node's own tan db
 * (one per node), and the listings and counts would show a change to any other.
 */
async function readState(nodehost: string, clusterId: string): Promise<string> {
  const nodes = await cliJson<any[]>(['ls-nodes', nodehost]);
  // stats shows what a compaction record hides (what compact would still reclaim)
  const stats = await cliJson<any>(['stats', nodehost, '--output', 'json']);
  const parts: unknown[] = [nodes, stats.nodes];
  for (const n of nodes.filter((node) => node.clusterId === clusterId)) {
    const args = ['--cluster', n.clusterId, '--node', n.nodeId];
    parts.push(await cliJson(['dump-state', nodehost, ...args]), await cliJson(['ls-snapshots', nodehost, ...args]), await cliNdjson(['dump-entries', nodehost, ...args]));
  }
  return JSON.stringify(parts).split(nodehost).join('<nodehost>');
}

async function healthy(nodehost: string): Promise<void> {
  const r = await runCli(['check', nodehost, '--output', 'json']);
  const bad = JSON.parse(r.stdout).findings.filter((f: any) => f.code.startsWith('tan-') && f.code !== 'tan-removed-node');
  assert.deepEqual(bad, [], 'no torn or damaged tan file');
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
        await healthy(nodehost);
        const again = await runCli([...op.args(dir, nodehost), '--yes', '--no-backup']);
        if (now === before || name !== 'remove-node') {
          assert.equal(again.code, 0, `${step}: the rerun succeeds: ${again.stderr}`);
          assert.equal(await readState(nodehost, clusterOf(op, dir)), after, `${step}: the rerun gives the after state`);
        } else {
          assert.equal(again.code, 4, `${step}: the node is already removed`);
        }
        await healthy(nodehost);
      } finally {
        cleanup();
      }
    }
    assert.ok(killed >= 4, `the write was killed at ${killed} steps`);
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
        await healthy(nodehost);
      } finally {
        cleanup();
      }
    }
  });
}
