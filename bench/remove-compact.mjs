// How long remove-node and compact take on the `large` fixtures' 200,000-entry node (cluster 1, node 1), whole
// processes, each run on a fresh copy (copying is not timed). Aim: well under a second per 100,000 entries.
// Backups are skipped (--no-backup) so the write itself is measured; the backup's cost is the hard links of
// the shard's tables plus a copy of its log, listed separately.
import { join } from 'node:path';
import { cli, copy, fixture, median, timeProcess } from './lib.mjs';

const RUNS = Number(process.env.RUNS ?? 3);
const ENTRIES = 200_000;
const backends = (process.env.BACKENDS ?? 'leveldb-v3.2.8,pebble-v3.3.8').split(',');

function timed(dataset, args) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const [dir, cleanup] = copy(join(fixture(dataset), 'nodehost'));
    try {
      times.push(timeProcess([process.execPath, cli, args[0], dir, ...args.slice(1)]).seconds);
    } finally {
      cleanup();
    }
  }
  return median(times);
}

console.log(`remove-node and compact on the large fixtures (cluster 1 node 1, ${ENTRIES.toLocaleString('en-US')} entries), median of ${RUNS} fresh copies:`);
for (const backend of backends) {
  const dataset = `${backend}/large`;
  const jobs = {
    'remove-node': ['remove-node', '-c', '1', '-n', '1', '--yes', '--no-backup'],
    'remove-node with backup': ['remove-node', '-c', '1', '-n', '1', '--yes'],
    'compact --to 100001 (100,000 entries)': ['compact', '-c', '1', '-n', '1', '--to', '100001', '--force', '--yes', '--no-backup'],
    'dry run of remove-node (plan only)': ['remove-node', '-c', '1', '-n', '1', '--dry-run'],
  };
  for (const [name, args] of Object.entries(jobs)) {
    try {
      const s = timed(dataset, args);
      const per100k = name.startsWith('compact') ? s : (s * 100_000) / ENTRIES;
      console.log(`  ${backend.padEnd(15)} ${name.padEnd(40)} ${s.toFixed(3)} s  (${per100k.toFixed(3)} s per 100,000 entries)`);
    } catch (err) {
      console.log(`  ${backend.padEnd(15)} ${name.padEnd(40)} failed: ${String(err.message).split('\n')[0]}`);
    }
  }
}
