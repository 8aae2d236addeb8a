// Runs every benchmark in this folder in turn (npm run bench). Each prints its own medians and ratios.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const helpers = new Set(['lib.mjs', 'run-all.mjs']);
let failed = 0;
for (const name of readdirSync(here).filter((n) => n.endsWith('.mjs') && !helpers.has(n) && !n.startsWith('bare-') && !n.startsWith('verify-')).sort()) {
  console.log(`\n== ${name}`);
  const r = spawnSync(process.execPath, [`${here}/${name}`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
