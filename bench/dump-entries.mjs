// How fast `logdb dump-entries --output ndjson` streams the `large` LevelDB fixture's 200,000-entry node, against
// a bare classic-level iteration (LevelDB's own C++ reader, nextv, no decoding, no output) over the same keys,
// measured in the same run, whole processes. Goal: the dump at >= 1.0x the bare rate, peak RSS <= 100 MB.
import { join } from 'node:path';
import { cli, copy, fixture, measure, ratioLine, timeProcess } from './lib.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const ENTRIES = 200_000;
const [dir, cleanup] = copy(join(fixture('leveldb-v3.2.8/large'), 'nodehost'));
try {
  const shard = join(dir, 'fixturehost/00000000000000000001/logdb-1');
  const jobs = {
    // classic-level opens the shard in place and would fold its log into a table on the first run: the bare
    // iteration gets a fresh copy every run (made outside the timing), so both read the same on-disk state
    bare: () => {
      const [shardCopy, cleanShard] = copy(shard);
      try {
        return timeProcess([process.execPath, new URL('./bare-leveldb-iterate.mjs', import.meta.url).pathname, shardCopy, '1', '1']);
      } finally {
        cleanShard();
      }
    },
    dump: () => timeProcess([process.execPath, cli, 'dump-entries', dir, '--cluster', '1', '--node', '1', '--output', 'ndjson']),
  };
  const m = measure(jobs, RUNS);
  const rate = (s) => Math.round(ENTRIES / s).toLocaleString('en-US');
  console.log(`dump-entries on leveldb large (200,000 entries), median of ${RUNS} runs, whole processes:`);
  console.log(`  bare classic-level nextv iteration: ${m.bare.seconds.toFixed(3)} s  ${rate(m.bare.seconds)} entries/s  peak RSS ${m.bare.rssMb.toFixed(0)} MB`);
  console.log(`  logdb dump-entries --output ndjson: ${m.dump.seconds.toFixed(3)} s  ${rate(m.dump.seconds)} entries/s  peak RSS ${m.dump.rssMb.toFixed(0)} MB`);
  console.log(ratioLine('dump vs bare classic-level', m.bare.seconds, m.dump.seconds, 1.0));
  console.log(`  peak RSS of the dump: ${m.dump.rssMb.toFixed(0)} MB (goal <= 100 MB: ${m.dump.rssMb <= 100 ? 'met' : 'NOT met'})`);
} finally {
  cleanup();
}
