/**
 * A write killed at any moment leaves the LogDB either as it was or as the finished command leaves it — never
 * in between — on both backends. Each command is run to completion once to learn "after", then killed with
 * SIGKILL at random moments on fresh copies; every survivor is reopened and must equal "before" or "after", key
 * for key. On Pebble, no killed run may leave a WAL that Pebble would replay half-written.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeSnapshot } from '../../src/codec/messages.js';
import { toJson } from '../../src/cli/json.js';
import { cliPath, runCli } from '../helpers/cli.js';
import { copyFixture, fixtureDir } from '../helpers/fixtures.js';
import { dumpLogdb, type Dump } from '../helpers/kv-dump.js';
import { assertNoTornWal, IMPORT_MEMBERS, shardDir, V4_IMPORT_MEMBERS, V4_SNAPPY_EXPORT } from './pebble-helpers.js';

const KILLS_PER_COMMAND = Number(process.env.LOGDB_KILL_RUNS ?? 10);

type Command = [string, number, (dir: string) => string[]];

/** name, the shard it writes, its arguments for a copy of before-plain (whose parent holds exports/) */
const COMMANDS: Command[] = [
  ['remove-node', 6, (dir) => ['remove-node', join(dir, 'nodehost'), '-c', '102', '-n', '3']],
  ['compact', 6, (dir) => ['compact', join(dir, 'nodehost'), '-c', '102', '-n', '3', '--to', '203']],
  ['import-snapshot', 4, (dir) => ['import-snapshot', join(dir, 'nodehost'), '-s', join(dir, '..', 'exports/snappy/snapshot-0000000000000062'), '-n', '1', '-m', IMPORT_MEMBERS]],
];

/** The same operations as Dragonboat v4 ran them on pebble-v4/ops. */
const V4_COMMANDS: Command[] = [
  ['remove-node', 6, (dir) => ['remove-node', join(dir, 'nodehost'), '-c', '102', '-n', '3']],
  ['compact', 6, (dir) => ['compact', join(dir, 'nodehost'), '-c', '102', '-n', '3', '--to', '109']],
  ['import-snapshot', 4, (dir) => ['import-snapshot', join(dir, 'nodehost'), '-s', join(dir, '..', 'exports/snappy', V4_SNAPPY_EXPORT), '-n', '1', '-m', V4_IMPORT_MEMBERS]],
];

const pebbleAfterKill = (nodehost: string, shard: number) => assertNoTornWal(shardDir(nodehost, shard));
const BACKENDS = [
  { ops: 'leveldb-v3.2.8/ops', commands: COMMANDS, afterKill: (_nodehost: string, _shard: number) => undefined },
  // most of a Pebble run is Node starting up (the write itself is one small file): the kills are aimed at the
  // later part of the run as well as anywhere
  { ops: 'pebble-v3.3.8/ops', commands: COMMANDS, afterKill: pebbleAfterKill },
  { ops: 'pebble-v4/ops', commands: V4_COMMANDS, afterKill: pebbleAfterKill },
];

/** The LogDB's contents as one string; snapshot records hold the copy's absolute path, which is masked. */
function serialize(d: Dump, copyDir: string): string {
  const value = (k: string, v: string) => (k.startsWith('0505') ? JSON.stringify(toJson(decodeSnapshot(Buffer.from(v, 'hex')))).split(copyDir).join('<copy>') : v);
  return JSON.stringify([...d].map(([s, pairs]) => [s, [...pairs].sort().map(([k, v]) => [k, value(k, v)])]));
}

function runAndKill(args: string[], delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args, '--yes'], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

for (const backend of BACKENDS) {
  for (const [name, shard, argsFor] of backend.commands) {
    test(`${name} on ${backend.ops} killed at random moments leaves the LogDB before or after, never between`, { timeout: 300_000 }, async (t) => {
      const { dir, cleanup } = copyFixture(backend.ops);
      try {
        const pristine = join(dir, 'before-plain');
        const before = serialize(await dumpLogdb(join(pristine, 'nodehost')), pristine);
        const full = join(dir, 'run-full');
        cpSync(pristine, full, { recursive: true });
        const started = Date.now();
        const r = await runCli([...argsFor(full), '--yes', '--no-backup']);
        const duration = Date.now() - started;
        assert.equal(r.code, 0, r.stderr);
        const after = serialize(await dumpLogdb(join(full, 'nodehost')), full);
        assert.notEqual(after, before, 'the command changes the LogDB');
        const seen = { before: 0, after: 0 };
        for (let i = 0; i < KILLS_PER_COMMAND; i++) {
          const copy = join(dir, `run-${i}`);
          cpSync(pristine, copy, { recursive: true });
          const delay = i % 2 === 0 ? Math.random() * duration * 1.2 : duration * (0.4 + Math.random() * 0.8);
          await runAndKill([...argsFor(copy), '--no-backup'], Math.floor(delay));
          backend.afterKill(join(copy, 'nodehost'), shard);
          const state = serialize(await dumpLogdb(join(copy, 'nodehost')), copy);
          assert.ok(state === before || state === after, `run ${i}: the LogDB is neither before nor after`);
          seen[state === before ? 'before' : 'after']++;
          rmSync(copy, { recursive: true, force: true });
        }
        t.diagnostic(`${name}: ${seen.before} runs left it before, ${seen.after} after (full run ${duration} ms)`);
      } finally {
        cleanup();
      }
    });
  }
}
