/**
 * Shared by the Pebble write-command tests (pebble-*.test.ts): where the Pebble ops fixtures are, the files of a
 * shard's WAL, the snapshot-dir listing Dragonboat recorded (snapshot-dirs.json) against ours, and RocksDB's `ldb`
 * as an independent reader of a shard (it replays WALs as Pebble does).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLogRecords } from '../../src/kv/pebble/record.js';
import { readJson } from '../helpers/fixtures.js';
import { PairDigest } from '../kv/pebble/helpers.js';

export const PEBBLE_OPS = 'pebble-v3.3.8/ops';
export const DEPLOYMENT = 'fixturehost/00000000000000000001';
export const ORIGINAL_NODEHOST = '/var/lib/dragonboat/nodehost';
export const IMPORT_MEMBERS = '1=fixture-ops.example.internal:63100,4=fixture-ops-n4.example.internal:63104,5=fixture-ops-n5.example.internal:63105';

/** The v4 sets (pebble-v4/ops): what tools.ImportSnapshot was given there. */
export const PEBBLE_V4_OPS = 'pebble-v4/ops';
export const V4_IMPORT_MEMBERS = '1=fixture-v4-ops.example.internal:63300,4=fixture-v4-ops-n4.example.internal:63304,5=fixture-v4-ops-n5.example.internal:63305';
export const V4_SNAPPY_EXPORT = 'snapshot-0000000000000027';

export const shardDir = (nodehost: string, shard: number) => join(nodehost, DEPLOYMENT, `logdb-${shard}`);

/** The `*.log` names of a dir, sorted. */
export function walNames(dir: string): string[] {
  return readdirSync(dir).filter((n) => /^\d+\.log$/.test(n)).sort();
}

/** Asserts no WAL of `dir` ends in a torn record (what Pebble would replay half-written). */
export function assertNoTornWal(dir: string): void {
  for (const name of walNames(dir)) {
    const log = readLogRecords(readFileSync(join(dir, name)), Number(name.slice(0, -4)));
    assert.notEqual(log.end, 'torn', `${name} ends torn (${log.tornReason})`);
  }
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Every entry under the snapshot-part-* dirs: path → 'dir' or 'size sha256'. */
export function snapshotTree(deploymentDir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const key = rel ? `${rel}/${name}` : name;
      if (statSync(path).isDirectory()) {
        out.set(key, 'dir');
        walk(path, key);
      } else out.set(key, `${statSync(path).size} ${sha256(path)}`);
    }
  };
  for (const part of readdirSync(deploymentDir).filter((n) => n.startsWith('snapshot-part-'))) {
    out.set(part, 'dir');
    walk(join(deploymentDir, part), part);
  }
  return out;
}

/**
 * Asserts our snapshot dirs hold the files the `after` dataset's snapshot-dirs.json lists, byte for byte — except
 * files whose content embeds the NodeHost's absolute path (`isPathDependent`), which must exist and are compared by
 * the caller. Empty dirs the listing names but the shipped fixture lacks (empty dirs do not survive shipping) may
 * be missing from ours too.
 */
export function assertSameSnapshotDirs(deploymentDir: string, afterDataset: string, isPathDependent: (path: string) => boolean = () => false): void {
  const ours = snapshotTree(deploymentDir);
  const shipped = snapshotTree(join(afterDataset, 'nodehost', DEPLOYMENT));
  const theirs = new Map<string, string>();
  for (const f of readJson(join(afterDataset, 'snapshot-dirs.json')).files) theirs.set(f.path, f.isDir ? 'dir' : `${f.size} ${f.sha256}`);
  const notShipped = (path: string) => theirs.get(path) === 'dir' && !shipped.has(path) && !ours.has(path);
  assert.deepEqual([...ours.keys()].sort(), [...theirs.keys()].filter((p) => !notShipped(p)).sort(), 'the same snapshot dirs and files');
  for (const [path, what] of theirs) {
    if (isPathDependent(path) || notShipped(path)) continue;
    assert.equal(ours.get(path), what, `${path}: the same size and sha256`);
  }
}

/** Whether RocksDB's `ldb` (Debian rocksdb-tools) is installed. */
export const ldbAvailable = spawnSync('ldb', ['--version'], { stdio: 'ignore' }).error === undefined;

/**
 * Reads a shard with `ldb scan --hex` on a private copy (ldb writes when it opens a database), with the WAL files of
 * `walDir` copied next to the tables (ldb has no WAL-dir option). Returns the rawdump-style count and sha256.
 */
export function ldbDigest(dir: string, walDir?: string): { count: number; sha256: string } {
  const root = mkdtempSync(join(tmpdir(), 'logdb-ldb-'));
  try {
    const copy = join(root, 'shard');
    cpSync(dir, copy, { recursive: true });
    if (walDir) for (const name of walNames(walDir)) cpSync(join(walDir, name), join(copy, name));
    const out = execFileSync('ldb', [`--db=${copy}`, '--try_load_options=false', 'scan', '--hex'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const digest = new PairDigest();
    for (const line of out.split('\n')) {
      if (!line) continue;
      const m = /^0x([0-9A-F]*) : 0x([0-9A-F]*)$/i.exec(line);
      assert.ok(m, `ldb printed an unexpected line: ${line.slice(0, 100)}`);
      digest.add(Buffer.from(m[1]!, 'hex'), Buffer.from(m[2]!, 'hex'));
    }
    return { count: digest.count, sha256: digest.digest() };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Our reader's view of one shard of a dump as the same count and sha256. */
export function dumpDigest(pairs: Map<string, string>): { count: number; sha256: string } {
  const digest = new PairDigest();
  for (const k of [...pairs.keys()].sort()) digest.add(Buffer.from(k, 'hex'), Buffer.from(pairs.get(k)!, 'hex'));
  return { count: digest.count, sha256: digest.digest() };
}
