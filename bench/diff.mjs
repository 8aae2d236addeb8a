// How fast `logdb diff` compares two replicas of the `large` fixture (one node, 200,000 entries each: a copy of
// the LevelDB dataset and a copy of the Pebble one, the same log), against the baseline of reading both logs
// with `logdb dump-entries --output ndjson` one after the other. Peak RSS shows the lockstep pass holds one chunk
// per replica, not the logs: it stays near one dump-entries process, not the sum of two.
//
// Run after `npm run build`:  node bench/diff.mjs      (RUNS=5 node bench/diff.mjs for more runs;
// SHARED_FIXTURES=DIR when the shared fixtures are not at ../shared/fixtures, e.g. from a git worktree)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cli, copy, fixture, measure, timeProcess } from './lib.mjs';

const large = (name) => {
  const dir = process.env.SHARED_FIXTURES && join(process.env.SHARED_FIXTURES, name);
  return dir && existsSync(dir) ? dir : fixture(name);
};

const runs = Number(process.env.RUNS ?? 3);
const [a, cleanA] = copy(large('leveldb-v3.2.8/large'));
const [b, cleanB] = copy(large('pebble-v3.3.8/large'));
try {
  const A = join(a, 'nodehost');
  const B = join(b, 'nodehost');
  const dump = (dir) => timeProcess([process.execPath, cli, 'dump-entries', dir, '-c', '1', '-n', '1', '--output', 'ndjson']);
  const results = measure(
    {
      'diff A B -c 1 (400,000 entries)': () => timeProcess([process.execPath, cli, 'diff', A, B, '-c', '1']),
      'dump-entries A, then B': () => {
        const x = dump(A);
        const y = dump(B);
        return { seconds: x.seconds + y.seconds, rssMb: Math.max(x.rssMb, y.rssMb) };
      },
    },
    runs,
  );
  for (const [name, r] of Object.entries(results)) console.log(`${name.padEnd(34)} ${r.seconds.toFixed(2)} s   peak RSS ${r.rssMb.toFixed(0)} MB`);
} finally {
  cleanA();
  cleanB();
}
