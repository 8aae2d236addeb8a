// What a script that calls logdb once per node pays: whole-process times of `logdb --version` and of `logdb ls-nodes`
// on a small 16-shard dataset (pebble-v3.3.8/basic, shipped in test/fixtures), against `node -e ""` in the same run.
// Goals: --version <= 1.7x and ls-nodes <= 2.5x the time of `node -e ""`. Also shown, without a goal: the help, and
// the error for a directory that does not exist (exit code 3), which load the CLI but read nothing.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, measure, repoRoot, timeProcess } from './lib.mjs';

const RUNS = Number(process.env.RUNS ?? 11);
const basic = join(repoRoot, 'test', 'fixtures', 'pebble-v3.3.8', 'basic', 'nodehost');
const missing = join(tmpdir(), 'logdb-bench-no-such-directory');
const m = measure(
  {
    node: () => timeProcess([process.execPath, '-e', '']),
    version: () => timeProcess([process.execPath, cli, '--version']),
    lsNodes: () => timeProcess([process.execPath, cli, 'ls-nodes', basic]),
    help: () => timeProcess([process.execPath, cli, '--help']),
    missing: () => timeProcess([process.execPath, cli, 'ls-nodes', missing], { status: 3 }),
  },
  RUNS,
);
const line = (label, s, goal) => {
  const ratio = s / m.node.seconds;
  const verdict = goal === undefined ? '' : `  (goal <= ${goal}x: ${ratio <= goal ? 'met' : 'NOT met'})`;
  return `  ${label.padEnd(34)} ${s.toFixed(3)} s  ${ratio.toFixed(2)}x node${verdict}`;
};
console.log(`start-up, median of ${RUNS} runs, whole processes:`);
console.log(line('node -e ""', m.node.seconds));
console.log(line('logdb --version', m.version.seconds, 1.7));
console.log(line('logdb ls-nodes pebble-v3.3.8/basic', m.lsNodes.seconds, 2.5));
console.log(line('logdb --help', m.help.seconds));
console.log(line('logdb ls-nodes <missing dir>', m.missing.seconds));
