/**
 * Damaged files never end in a stack trace or a hang. Seeded random damage (flipped bytes, truncation, garbage)
 * to every kind of file a shard holds — tables, logs, manifests, CURRENT, OPTIONS, dragonboat.ds — on both
 * backends; each read command (and a write's dry run) must exit with a documented code (0 when the damage was
 * harmless or read around, 3 not a LogDB, 4 not found, 5 corrupt data; 7 or 8 for the dry run's refusals), and
 * nothing on stderr but its own warnings and one error line.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { copyFixture, fixtureDir } from '../helpers/fixtures.js';

const ROUNDS = Number(process.env.LOGDB_DAMAGE_ROUNDS ?? 12);
const DOCUMENTED = new Set([0, 3, 4, 5]);
/** a write's dry run may also refuse: a torn WAL (7), an OPTIONS file no longer the verified format (8) */
const DOCUMENTED_FOR_WRITES = new Set([...DOCUMENTED, 7, 8]);

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function filesOf(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesOf(path));
    else if (name !== 'LOCK' && statSync(path).size > 0) out.push(path);
  }
  return out;
}

function damage(file: string, random: () => number): string {
  const bytes = readFileSync(file);
  const kind = Math.floor(random() * 3);
  if (kind === 0) {
    const flips = 1 + Math.floor(random() * 4);
    for (let i = 0; i < flips; i++) bytes[Math.floor(random() * bytes.length)] ^= 1 + Math.floor(random() * 255);
    writeFileSync(file, bytes);
    return `flipped ${flips} byte(s) of`;
  }
  if (kind === 1) {
    truncateSync(file, Math.floor(random() * bytes.length));
    return 'truncated';
  }
  const at = Math.floor(random() * bytes.length);
  for (let i = at; i < Math.min(bytes.length, at + 64); i++) bytes[i] = Math.floor(random() * 256);
  writeFileSync(file, bytes);
  return 'overwrote 64 bytes of';
}

for (const dataset of ['leveldb-v3.2.8/snapshots', 'pebble-v3.3.8/snapshots']) {
  test(`${dataset}: randomly damaged files give a documented exit code and one line, never a stack`, { timeout: 300_000 }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const random = rng(0x5eed + round * 7919);
      const { dir, cleanup } = copyFixture(dataset);
      try {
        const nodehost = join(dir, 'nodehost');
        const shard5 = join(nodehost, 'fixturehost/00000000000000000001/logdb-5');
        // mostly shard 5 (where the nodes live), sometimes anything under the NodeHost dir
        const candidates = random() < 0.8 ? filesOf(shard5) : filesOf(nodehost);
        const file = candidates[Math.floor(random() * candidates.length)];
        const what = `${damage(file, random)} ${file.slice(nodehost.length + 1)} (round ${round})`;
        const commands = [
          ['ls-nodes', nodehost],
          ['dump-entries', nodehost, '-c', '5', '-n', '1', '--all'],
          ['dump-state', nodehost, '-c', '21', '-n', '1'],
          ['remove-node', nodehost, '-c', '5', '-n', '2', '--dry-run'],
        ];
        for (const args of commands) {
          const r = await runCli([...args, '--output', 'json'], { timeoutMs: 60_000 });
          const allowed = args.includes('--dry-run') ? DOCUMENTED_FOR_WRITES : DOCUMENTED;
          assert.ok(allowed.has(r.code), `${args[0]} after ${what}: exit ${r.code}: ${r.stderr}`);
          assert.doesNotMatch(r.stderr, /\n\s+at /, `${args[0]} after ${what}: no stack trace`);
          // one error line at most, after any per-node warnings (ls-nodes lists what it could read)
          const lines = r.stderr.trimEnd().split('\n').filter(Boolean);
          assert.ok(lines.every((l) => /^logdb: (warning|error): /.test(l)), `${args[0]} after ${what}: only logdb's own lines on stderr, got ${r.stderr}`);
          assert.ok(lines.filter((l) => l.startsWith('logdb: error:')).length <= 1, `${args[0]} after ${what}: one error line`);
          if (r.code === 0) JSON.parse(r.stdout);
        }
      } finally {
        cleanup();
      }
    }
  });
}
