// Cross-check with RocksDB's own reader: logdb's Pebble writes (remove-node, compact --to) on copies of
// test/fixtures/pebble-v3.3.8/ops/before-plain, then `ldb scan --hex` of the changed shard, which must hold exactly
// the key/value pairs of Dragonboat's own after dir (rawdump.json count and sha256).
// Needs `ldb` (Debian: apt-get install rocksdb-tools). Not part of `npm test`: CI has no ldb, and tests never skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, copy, repoRoot } from './lib.mjs';

if (spawnSync('ldb', ['--version'], { stdio: 'ignore' }).error) {
  console.error('verify-ldb: ldb is not installed (Debian: apt-get install rocksdb-tools)');
  process.exit(2);
}

const ops = join(repoRoot, 'test', 'fixtures', 'pebble-v3.3.8', 'ops');
const SHARD = 6;

function ldbDigest(shardDir) {
  const out = execFileSync('ldb', [`--db=${shardDir}`, '--try_load_options=false', 'scan', '--hex'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const hash = createHash('sha256');
  const len = Buffer.alloc(4);
  let count = 0;
  for (const line of out.split('\n')) {
    if (!line) continue;
    const m = /^0x([0-9A-F]*) : 0x([0-9A-F]*)$/i.exec(line);
    if (!m) throw new Error(`ldb printed an unexpected line: ${line.slice(0, 100)}`);
    for (const hex of [m[1], m[2]]) {
      const bytes = Buffer.from(hex, 'hex');
      len.writeUInt32BE(bytes.length);
      hash.update(len);
      hash.update(bytes);
    }
    count++;
  }
  return { count, sha256: hash.digest('hex') };
}

let failed = 0;
for (const [op, args] of [
  ['remove', ['remove-node', '-c', '102', '-n', '3']],
  ['compact', ['compact', '-c', '102', '-n', '3', '--to', '203']],
]) {
  const [dir, cleanup] = copy(join(ops, 'before-plain'));
  try {
    const nodehost = join(dir, 'nodehost');
    const r = spawnSync(process.execPath, [cli, args[0], nodehost, ...args.slice(1), '--yes', '--no-backup'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${args[0]} failed (${r.status}): ${r.stderr}`);
    const want = JSON.parse(readFileSync(join(ops, `${op}-plain`, 'after', 'rawdump.json'), 'utf8')).shards.find((s) => s.shard === SHARD);
    const got = ldbDigest(join(nodehost, 'fixturehost', '00000000000000000001', `logdb-${SHARD}`));
    const ok = got.count === want.count && got.sha256 === want.sha256;
    if (!ok) failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${op}: ldb reads ${got.count} pairs (sha256 ${got.sha256.slice(0, 12)}…), Dragonboat's after dir ${want.count} (${want.sha256.slice(0, 12)}…)`);
  } finally {
    cleanup();
  }
}
process.exit(failed ? 1 : 0);
