// Runs every bench in turn (`npm run bench`); each prints its own figures, baselines and goals.
import { spawnSync } from 'node:child_process';

const benches = ['startup.mjs', 'dump-entries-pebble.mjs', 'dump-entries.mjs', 'check-stats.mjs', 'remove-compact.mjs'];
let failed = 0;
for (const bench of benches) {
  console.log(`\n== bench/${bench}`);
  const r = spawnSync(process.execPath, [new URL(bench, import.meta.url).pathname], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
