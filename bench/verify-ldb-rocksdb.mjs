#!/usr/bin/env node
// Cross-checks logdb's RocksDB writes with RocksDB's own `ldb` (Debian rocksdb-tools; not part of `npm test`, which
// must run where ldb is absent). Run with `npm run verify:ldb` (builds first).
//
// For remove-node, compact --to and import-snapshot on a copy of rocksdb-v3.3.8/ops/before-plain, then for every
// shard of the result (on a copy of it):
//   1. `ldb scan --hex`: a read-only RocksDB open, which replays every live WAL, the one logdb added included; its
//      pairs must be the after dir's rawdump.json pairs (count and sha256 exactly for remove and compact; for import
//      the records that hold absolute paths or Go maps are compared decoded, as the NodeHost dir differs);
//   2. `ldb compact`: a read-write open, as a NodeHost's — RocksDB replays the WALs, flushes them into an L0 table,
//      writes a new MANIFEST and deletes the old WALs — then a full compaction with RocksDB's consistency checks;
//      it must succeed, and the WAL logdb added must be gone (flushed; RocksDB keeps only empty WALs it never flushes);
//   3. a second `ldb scan` (now from tables) and logdb's own reader must read the same pairs as step 1.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'logdb.js');
const ops = join(root, 'test', 'fixtures', 'rocksdb-v3.3.8', 'ops');
const DEPLOYMENT = join('fixturehost', '00000000000000000001');
const ORIGINAL_NODEHOST = '/var/lib/dragonboat/nodehost';
const MEMBERS = '1=fixture-rocks-ops.example.internal:63500,4=fixture-rocks-ops-n4.example.internal:63504,5=fixture-rocks-ops-n5.example.internal:63505';

const { openRocksDBStore } = await import(join(root, 'dist', 'src', 'kv', 'rocksdb', 'store.js'));
const { decodeBootstrap, decodeSnapshot } = await import(join(root, 'dist', 'src', 'codec', 'messages.js'));
const { toJson } = await import(join(root, 'dist', 'src', 'cli', 'json.js'));

if (spawnSync('ldb', ['--version'], { stdio: 'ignore' }).error) {
  console.error('verify-ldb: ldb is not installed (apt-get install rocksdb-tools)');
  process.exit(2);
}

function writableCopy(src, label) {
  const tmp = mkdtempSync(join(tmpdir(), `logdb-verify-${label}-`));
  const to = join(tmp, 'copy');
  cpSync(src, to, { recursive: true });
  const writable = (p) => {
    const st = statSync(p);
    chmodSync(p, st.isDirectory() ? 0o755 : 0o644);
    if (st.isDirectory()) for (const n of readdirSync(p)) writable(join(p, n));
  };
  writable(to);
  return { dir: to, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

/** hex key → hex value, as `ldb scan --hex` prints them (lowercased). */
function ldbScan(db) {
  const out = execFileSync('ldb', [`--db=${db}`, 'scan', '--hex'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const pairs = new Map();
  for (const line of out.split('\n')) {
    if (!line) continue;
    const m = /^0x([0-9A-F]*) : 0x([0-9A-F]*)$/i.exec(line);
    if (!m) throw new Error(`ldb printed an unexpected line: ${line.slice(0, 100)}`);
    pairs.set(m[1].toLowerCase(), m[2].toLowerCase());
  }
  return pairs;
}

async function ourScan(db) {
  const store = await openRocksDBStore(db);
  const pairs = new Map();
  try {
    for await (const chunk of store.iterate({ gte: Buffer.alloc(0) })) for (const p of chunk) pairs.set(p.key.toString('hex'), p.value.toString('hex'));
  } finally {
    await store.close();
  }
  return pairs;
}

function digest(pairs) {
  const h = createHash('sha256');
  const len = Buffer.alloc(4);
  for (const k of [...pairs.keys()].sort()) {
    for (const hex of [k, pairs.get(k)]) {
      const b = Buffer.from(hex, 'hex');
      len.writeUInt32BE(b.length);
      h.update(len);
      h.update(b);
    }
  }
  return { count: pairs.size, sha256: h.digest('hex') };
}

/** A value as compared across NodeHost dirs: snapshot records with the path rewritten, bootstrap records decoded. */
function comparable(k, v, nodehost) {
  const key = Buffer.from(k, 'hex');
  const value = Buffer.from(v, 'hex');
  if (key[0] === 5) return JSON.stringify(toJson(decodeSnapshot(value))).split(nodehost).join(ORIGINAL_NODEHOST);
  if (key[0] === 6) return JSON.stringify(toJson(decodeBootstrap(value)));
  return v;
}

function sameDecoded(got, want, nodehost) {
  if (got.size !== want.size) return `${got.size} pairs, want ${want.size}`;
  for (const [k, v] of want) {
    if (!got.has(k)) return `key ${k} missing`;
    if (comparable(k, got.get(k), nodehost) !== comparable(k, v, nodehost)) return `key ${k} has another value`;
  }
  return undefined;
}

const cases = [
  { op: 'remove-plain', args: (n) => ['remove-node', n, '-c', '102', '-n', '3'], exact: true },
  { op: 'compact-plain', args: (n) => ['compact', n, '-c', '102', '-n', '3', '--to', '109'], exact: true },
  { op: 'import', args: (n, exp) => ['import-snapshot', n, '--snapshot', join(exp, 'snapshot-0000000000000027'), '--node', '1', '--members', MEMBERS], exact: false },
];

let failures = 0;
for (const c of cases) {
  const before = writableCopy(join(ops, 'before-plain'), c.op);
  const exp = writableCopy(join(ops, 'exports', 'snappy'), 'export');
  try {
    const nodehost = join(before.dir, 'nodehost');
    const wals = (shard) => readdirSync(join(nodehost, DEPLOYMENT, `logdb-${shard}`)).filter((n) => n.endsWith('.log'));
    const walsBefore = new Map(Array.from({ length: 16 }, (_, i) => [i, wals(i)]));
    const r = spawnSync(process.execPath, [cli, ...c.args(nodehost, exp.dir), '--yes', '--no-backup'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`logdb ${c.args(nodehost, exp.dir)[0]} failed (${r.status}): ${r.stderr}`);
    const rawdump = JSON.parse(readFileSync(join(ops, c.op, 'after', 'rawdump.json'), 'utf8'));
    const problems = [];
    let exactShards = 0;
    let addedWals = 0;
    for (const want of rawdump.shards) {
      const shard = writableCopy(join(nodehost, DEPLOYMENT, `logdb-${want.shard}`), 'shard');
      try {
        const added = wals(want.shard).filter((n) => !walsBefore.get(want.shard).includes(n));
        addedWals += added.length;
        const first = ldbScan(shard.dir);
        execFileSync('ldb', [`--db=${shard.dir}`, 'compact'], { stdio: ['ignore', 'ignore', 'pipe'] });
        const kept = readdirSync(shard.dir).filter((n) => added.includes(n));
        if (kept.length) problems.push(`logdb-${want.shard}: RocksDB's read-write open did not flush logdb's WAL ${kept.join(', ')}`);
        const second = ldbScan(shard.dir);
        const ours = await ourScan(shard.dir);
        const d1 = digest(first);
        const exact = d1.count === want.count && d1.sha256 === want.sha256;
        if (exact) exactShards++;
        const wantPairs = new Map((want.pairs ?? []).map((p) => [p.k, p.v]));
        if (c.exact && !exact) problems.push(`logdb-${want.shard}: ldb reads ${d1.count} pairs ${d1.sha256.slice(0, 12)}, after dir ${want.count} ${want.sha256.slice(0, 12)}`);
        if (!c.exact && !exact) {
          const why = wantPairs.size === want.count ? sameDecoded(first, wantPairs, nodehost) : 'rawdump lists only some pairs';
          if (why) problems.push(`logdb-${want.shard}: ${why}`);
        }
        if (JSON.stringify(digest(second)) !== JSON.stringify(d1)) problems.push(`logdb-${want.shard}: after RocksDB's read-write open and compaction ldb reads other pairs`);
        if (JSON.stringify(digest(ours)) !== JSON.stringify(d1)) problems.push(`logdb-${want.shard}: logdb's reader disagrees with ldb after RocksDB's own open`);
      } finally {
        shard.cleanup();
      }
    }
    if (addedWals !== 1) problems.push(`logdb added ${addedWals} WALs, not 1`);
    const verdict = problems.length === 0 ? 'ok' : 'FAILED';
    console.log(`${c.op}: ${verdict} — ${rawdump.shards.length} shards: ldb scan, ldb compact (read-write open: WALs flushed and removed), ldb scan and logdb agree; logdb's one WAL flushed by RocksDB; ${exactShards} byte-identical to rawdump.json${c.exact ? '' : ', the rest equal decoded (NodeHost path, Go map order)'}`);
    for (const p of problems) console.log(`  ${p}`);
    failures += problems.length;
  } finally {
    before.cleanup();
    exp.cleanup();
  }
}
process.exit(failures ? 1 : 0);
