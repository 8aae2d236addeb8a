// How fast logdb dumps the `large` Pebble fixture's 200,000-entry node (WAL replay included), against two
// baselines measured in the same run, all whole processes:
//   - the same dump on the `large` LevelDB fixture (same logical content);
//   - RocksDB's own C++ `ldb --db=SHARD --try_load_options=false scan --hex` over the same Pebble shard
//     (Debian's rocksdb-tools; installed here if missing and apt-get is available).
// Goal: the Pebble dump at >= 1.0x ldb, peak RSS <= 100 MB. Without ldb the bench says so and how to get it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cli, copy, fixture, measure, ratioLine, timeProcess } from './lib.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const ENTRIES = 200_000;
const SHARD = 'fixturehost/00000000000000000001/logdb-1';

function ensureLdb() {
  if (spawnSync('sh', ['-c', 'command -v ldb']).status === 0) return true;
  console.error('ldb not found: installing rocksdb-tools with apt-get…');
  spawnSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq rocksdb-tools'], { stdio: 'ignore' });
  return spawnSync('sh', ['-c', 'command -v ldb']).status === 0;
}

const [pebble, cleanPebble] = copy(join(fixture('pebble-v3.3.8/large'), 'nodehost'));
const [leveldb, cleanLeveldb] = copy(join(fixture('leveldb-v3.2.8/large'), 'nodehost'));
try {
  const dump = (dir) => () => timeProcess([process.execPath, cli, 'dump-entries', dir, '--cluster', '1', '--node', '1', '--output', 'ndjson']);
  const jobs = { pebble: dump(pebble), leveldb: dump(leveldb) };
  const haveLdb = ensureLdb();
  // ldb opens the shard in place and would rewrite it (flush the WAL): it gets a fresh copy every run
  if (haveLdb) {
    jobs.ldb = () => {
      const [shardCopy, cleanShard] = copy(join(pebble, SHARD));
      try {
        return timeProcess(['ldb', `--db=${shardCopy}`, '--try_load_options=false', 'scan', '--hex']);
      } finally {
        cleanShard();
      }
    };
  }
  const m = measure(jobs, RUNS);
  const rate = (s) => Math.round(ENTRIES / s).toLocaleString('en-US');
  console.log(`dump-entries on the large fixtures (200,000 entries), median of ${RUNS} runs, whole processes:`);
  console.log(`  logdb, Pebble (WAL replay):   ${m.pebble.seconds.toFixed(3)} s  ${rate(m.pebble.seconds)} entries/s  peak RSS ${m.pebble.rssMb.toFixed(0)} MB`);
  console.log(`  logdb, LevelDB:               ${m.leveldb.seconds.toFixed(3)} s  ${rate(m.leveldb.seconds)} entries/s  peak RSS ${m.leveldb.rssMb.toFixed(0)} MB`);
  if (m.ldb) console.log(`  ldb scan --hex (C++), Pebble: ${m.ldb.seconds.toFixed(3)} s  ${rate(m.ldb.seconds)} pairs/s  peak RSS ${m.ldb.rssMb.toFixed(0)} MB`);
  else console.log('  ldb: MISSING (`apt-get install -y rocksdb-tools` failed or is not possible here); that baseline is not measured');
  console.log(ratioLine('Pebble dump vs LevelDB dump', m.leveldb.seconds, m.pebble.seconds));
  if (m.ldb) console.log(ratioLine('Pebble dump vs ldb scan    ', m.ldb.seconds, m.pebble.seconds, 1.0));
  for (const k of ['pebble', 'leveldb']) {
    console.log(`  peak RSS of the ${k} dump: ${m[k].rssMb.toFixed(0)} MB (goal <= 100 MB: ${m[k].rssMb <= 100 ? 'met' : 'NOT met'})`);
  }
} finally {
  cleanPebble();
  cleanLeveldb();
}
