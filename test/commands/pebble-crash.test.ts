/**
 * A Pebble or RocksDB write killed at each step of writing its WAL (src/kv/pebble/writer-crash-points.ts: the test-only
 * `LOGDB_TEST_CRASH_AT` makes the process SIGKILL itself there) leaves the LogDB either as it was — only a
 * `NNNNNN.log.tmp`, which Pebble, RocksDB and our reader ignore — or completely changed, never in between, and never a
 * `.log` that Pebble would replay half-written. The next logdb write removes the leftover and succeeds.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeSnapshot } from '../../src/codec/messages.js';
import { toJson } from '../../src/cli/json.js';
import { CRASH_ENV, CRASH_STEPS, type CrashStep } from '../../src/kv/pebble/writer-crash-points.js';
import { cliPath, runCli } from '../helpers/cli.js';
import { copyFixture, fixtureDir } from '../helpers/fixtures.js';
import { dumpLogdb, type Dump } from '../helpers/kv-dump.js';
import { assertNoTornWal, IMPORT_MEMBERS, PEBBLE_OPS, PEBBLE_V4_OPS, shardDir, V4_IMPORT_MEMBERS, V4_SNAPPY_EXPORT } from './pebble-helpers.js';

const ROCKSDB_OPS = 'rocksdb-v3.3.8/ops';
const ROCKSDB_IMPORT_MEMBERS =
  '1=fixture-rocks-ops.example.internal:63500,4=fixture-rocks-ops-n4.example.internal:63504,5=fixture-rocks-ops-n5.example.internal:63505';
/** The steps after which the new WAL exists under its final name: the change is complete from there on. */
const PUBLISHED: CrashStep[] = ['linked', 'renamed', 'dir-synced'];

/** The LogDB's contents as one string; snapshot records hold the copy's absolute path, which is masked. */
function serialize(d: Dump, copyDir: string): string {
  const value = (k: string, v: string) => (k.startsWith('0505') ? JSON.stringify(toJson(decodeSnapshot(Buffer.from(v, 'hex')))).split(copyDir).join('<copy>') : v);
  return JSON.stringify([...d].map(([s, pairs]) => [s, [...pairs].sort().map(([k, v]) => [k, value(k, v)])]));
}

function runWithCrash(args: string[], step: CrashStep): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: 'ignore', env: { ...process.env, [CRASH_ENV]: step } });
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
}

const tempFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.log.tmp'));

interface Case {
  /** the store, as the test names it: v3.3.8's Pebble, Dragonboat v4's Pebble, v3.3.8's RocksDB */
  backend: string;
  ops: string;
  command: string;
  shard: number;
  args: (nodehost: string, exportDir: string) => string[];
  /** another write to the same shard, run after a crash that completed the change */
  next: (nodehost: string) => string[];
  steps: readonly CrashStep[];
}

const CASES: Case[] = [
  {
    backend: "v3.3.8's Pebble",
    ops: PEBBLE_OPS,
    command: 'remove-node',
    shard: 6,
    args: (nh) => ['remove-node', nh, '-c', '102', '-n', '3'],
    next: (nh) => ['remove-node', nh, '-c', '118', '-n', '1'],
    steps: CRASH_STEPS,
  },
  {
    backend: "v3.3.8's Pebble",
    ops: PEBBLE_OPS,
    command: 'import-snapshot',
    shard: 4,
    args: (nh, exp) => ['import-snapshot', nh, '-s', join(exp, 'snapshot-0000000000000062'), '-n', '1', '-m', IMPORT_MEMBERS],
    next: (nh) => ['remove-node', nh, '-c', '100', '-n', '1'],
    steps: ['tmp-partial', 'tmp-verified', 'linked', 'dir-synced'],
  },
  {
    backend: "v3.3.8's RocksDB",
    ops: ROCKSDB_OPS,
    command: 'remove-node',
    shard: 6,
    args: (nh) => ['remove-node', nh, '-c', '102', '-n', '3'],
    next: (nh) => ['remove-node', nh, '-c', '118', '-n', '1'],
    steps: CRASH_STEPS,
  },
  {
    backend: "v3.3.8's RocksDB",
    ops: ROCKSDB_OPS,
    command: 'import-snapshot',
    shard: 4,
    args: (nh, exp) => ['import-snapshot', nh, '-s', join(exp, 'snapshot-0000000000000027'), '-n', '1', '-m', ROCKSDB_IMPORT_MEMBERS],
    next: (nh) => ['remove-node', nh, '-c', '100', '-n', '1'],
    steps: ['tmp-partial', 'tmp-verified', 'linked', 'dir-synced'],
  },
  {
    backend: "Dragonboat v4's Pebble",
    ops: PEBBLE_V4_OPS,
    command: 'remove-node',
    shard: 6,
    args: (nh) => ['remove-node', nh, '-c', '102', '-n', '3'],
    next: (nh) => ['remove-node', nh, '-c', '118', '-n', '1'],
    steps: CRASH_STEPS,
  },
  {
    backend: "Dragonboat v4's Pebble",
    ops: PEBBLE_V4_OPS,
    command: 'compact',
    shard: 6,
    args: (nh) => ['compact', nh, '-c', '102', '-n', '3', '--to', '109'],
    next: (nh) => ['remove-node', nh, '-c', '118', '-n', '1'],
    steps: ['tmp-partial', 'tmp-synced', 'linked', 'renamed'],
  },
  {
    backend: "Dragonboat v4's Pebble",
    ops: PEBBLE_V4_OPS,
    command: 'import-snapshot',
    shard: 4,
    args: (nh, exp) => ['import-snapshot', nh, '-s', join(exp, V4_SNAPPY_EXPORT), '-n', '1', '-m', V4_IMPORT_MEMBERS],
    next: (nh) => ['remove-node', nh, '-c', '100', '-n', '1'],
    steps: ['tmp-partial', 'tmp-verified', 'linked', 'dir-synced'],
  },
];

for (const c of CASES) {
  test(`${c.command} on ${c.backend} killed at each step of its WAL write is before or after, never between`, { timeout: 300_000 }, async (t) => {
    const exp = copyFixture(`${c.ops}/exports/snappy`);
    try {
      const full = copyFixture(`${c.ops}/before-plain`);
      let before: string;
      let after: string;
      try {
        const nodehost = join(full.dir, 'nodehost');
        before = serialize(await dumpLogdb(nodehost), full.dir);
        const r = await runCli([...c.args(nodehost, exp.dir), '--yes', '--no-backup']);
        assert.equal(r.code, 0, r.stderr);
        after = serialize(await dumpLogdb(nodehost), full.dir);
        assert.notEqual(after, before, 'the command changes the LogDB');
      } finally {
        full.cleanup();
      }

      for (const step of c.steps) {
        const { dir, cleanup } = copyFixture(`${c.ops}/before-plain`);
        try {
          const nodehost = join(dir, 'nodehost');
          const shard = shardDir(nodehost, c.shard);
          const killed = await runWithCrash([...c.args(nodehost, exp.dir), '--yes', '--no-backup'], step);
          assert.deepEqual(killed, { code: null, signal: 'SIGKILL' }, `${step}: the process died there`);
          assertNoTornWal(shard);
          const published = PUBLISHED.includes(step);
          assert.equal(serialize(await dumpLogdb(nodehost), dir), published ? after : before, `${step}: the LogDB is ${published ? 'after' : 'before'}`);
          assert.equal(tempFiles(shard).length, step === 'renamed' || step === 'dir-synced' ? 0 : 1, `${step}: the .log.tmp left behind`);

          const again = await runCli([...(published ? c.next(nodehost) : c.args(nodehost, exp.dir)), '--yes', '--no-backup']);
          assert.equal(again.code, 0, `${step}: the next write succeeds (${again.stderr})`);
          assert.deepEqual(tempFiles(shard), [], `${step}: the next write removed the leftover`);
          assertNoTornWal(shard);
          if (!published) assert.equal(serialize(await dumpLogdb(nodehost), dir), after, `${step}: running the command again completes it`);
          t.diagnostic(`${step}: ${published ? 'after' : 'before'}`);
        } finally {
          cleanup();
        }
      }
    } finally {
      exp.cleanup();
    }
  });
}
