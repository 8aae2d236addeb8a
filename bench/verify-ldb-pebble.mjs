// Cross-check with RocksDB's own reader: logdb's Pebble writes (remove-node, compact --to, and on v4
// import-snapshot) on copies of test/fixtures/pebble-v3.3.8/ops/before-plain and pebble-v4/ops/before-plain, then
// `ldb scan --hex` of the changed shard, which must hold exactly the key/value pairs of Dragonboat's own after dir
// (rawdump.json count and sha256): RocksDB replays the WAL logdb appended and reads the tables Pebble wrote.
// Needs `ldb` (Debian: apt-get install rocksdb-tools). Not part of `npm test`: CI has no ldb, and tests never skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, copy, repoRoot } from './lib.mjs';

// built by `npm run build`: the test suite's way of holding /var/lib/dragonboat/nodehost, the snapshot decoder
const { holdingRecordedPlace } = await import(join(repoRoot, 'dist', 'test', 'logdb', 'check', 'recorded-place.js'));
const { decodeSnapshot } = await import(join(repoRoot, 'dist', 'src', 'codec', 'messages.js'));
const { toJson } = await import(join(repoRoot, 'dist', 'src', 'cli', 'json.js'));
const SNAPSHOT_KEY_PREFIX = 0x05;

if (spawnSync('ldb', ['--version'], { stdio: 'ignore' }).error) {
  console.error('verify-ldb: ldb is not installed (Debian: apt-get install rocksdb-tools)');
  process.exit(2);
}

/** The pairs `ldb scan --hex` prints for a shard dir. */
function ldbPairs(shardDir) {
  const out = execFileSync('ldb', [`--db=${shardDir}`, '--try_load_options=false', 'scan', '--hex'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const pairs = [];
  for (const line of out.split('\n')) {
    if (!line) continue;
    const m = /^0x([0-9A-F]*) : 0x([0-9A-F]*)$/i.exec(line);
    if (!m) throw new Error(`ldb printed an unexpected line: ${line.slice(0, 100)}`);
    pairs.push({ key: Buffer.from(m[1], 'hex'), value: Buffer.from(m[2], 'hex') });
  }
  return pairs;
}

/** rawdump.json's digest of a list of pairs: sha256 over (4-byte length, bytes) of each key and value. */
function digest(pairs) {
  const hash = createHash('sha256');
  const len = Buffer.alloc(4);
  for (const { key, value } of pairs) {
    for (const bytes of [key, value]) {
      len.writeUInt32BE(bytes.length);
      hash.update(len);
      hash.update(bytes);
    }
  }
  return { count: pairs.length, sha256: hash.digest('hex') };
}

/**
 * Whether the pairs equal the after dir's listed pairs, a snapshot record compared decoded: Go writes a record's
 * maps (the membership) in random order, so v4's own bytes are one order of many.
 */
function sameAsListed(pairs, listed) {
  if (!listed || pairs.length !== listed.length) return false;
  return pairs.every(({ key, value }, i) => {
    const want = { key: Buffer.from(listed[i].k, 'hex'), value: Buffer.from(listed[i].v, 'hex') };
    if (!key.equals(want.key)) return false;
    if (value.equals(want.value)) return true;
    if (key[0] !== SNAPSHOT_KEY_PREFIX) return false;
    return JSON.stringify(toJson(decodeSnapshot(value))) === JSON.stringify(toJson(decodeSnapshot(want.value)));
  });
}

const V4_IMPORT_MEMBERS = '1=fixture-v4-ops.example.internal:63300,4=fixture-v4-ops-n4.example.internal:63304,5=fixture-v4-ops-n5.example.internal:63305';
const SETS = [
  {
    name: 'pebble-v3.3.8',
    ops: [
      { after: 'remove-plain', shard: 6, args: ['remove-node', '-c', '102', '-n', '3'] },
      { after: 'compact-plain', shard: 6, args: ['compact', '-c', '102', '-n', '3', '--to', '203'] },
    ],
  },
  {
    name: 'pebble-v4',
    ops: [
      { after: 'remove-plain', shard: 6, args: ['remove-node', '-c', '102', '-n', '3'] },
      { after: 'compact-plain', shard: 6, args: ['compact', '-c', '102', '-n', '3', '--to', '109'] },
      {
        // the snapshot record holds the snapshot dir's absolute path: the import runs where v4 ran it
        after: 'import',
        shard: 4,
        atRecordedPlace: true,
        args: (dir) => ['import-snapshot', '--snapshot', join(dir, 'exports', 'snappy', 'snapshot-0000000000000027'), '--node', '1', '--members', V4_IMPORT_MEMBERS],
      },
    ],
  },
];

let failed = 0;
for (const set of SETS) {
  const ops = join(repoRoot, 'test', 'fixtures', set.name, 'ops');
  for (const op of set.ops) {
    const [dir, cleanup] = copy(ops);
    try {
      const run = async (nodehost) => {
        const args = typeof op.args === 'function' ? op.args(dir) : op.args;
        const r = spawnSync(process.execPath, [cli, args[0], nodehost, ...args.slice(1), '--yes', '--no-backup'], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`${set.name} ${args[0]} failed (${r.status}): ${r.stderr}`);
        const want = JSON.parse(readFileSync(join(ops, op.after, 'after', 'rawdump.json'), 'utf8')).shards.find((s) => s.shard === op.shard);
        const pairs = ldbPairs(join(nodehost, 'fixturehost', '00000000000000000001', `logdb-${op.shard}`));
        const got = digest(pairs);
        const identical = got.count === want.count && got.sha256 === want.sha256;
        const ok = identical || sameAsListed(pairs, want.pairs);
        if (!ok) failed++;
        const how = identical ? '' : ' (the snapshot record equal decoded, its maps in another order)';
        console.log(`${ok ? 'ok  ' : 'FAIL'} ${set.name} ${args[0]}: ldb reads ${got.count} pairs (sha256 ${got.sha256.slice(0, 12)}…), Dragonboat's after dir ${want.count} (${want.sha256.slice(0, 12)}…)${how}`);
      };
      const nodehost = join(dir, 'before-plain', 'nodehost');
      if (op.atRecordedPlace) await holdingRecordedPlace((place) => run(place.put(nodehost)));
      else await run(nodehost);
    } finally {
      cleanup();
    }
  }
}
process.exit(failed ? 1 : 0);
