// Shared bench helpers: whole-process timing with peak RSS (via /usr/bin/time), medians, fixture copies.
//
// Datasets come from $LOGDB_BENCH_FIXTURES when set, else from ../shared/fixtures beside the checkout (the full set
// of Dragonboat-written fixtures; the `large` ones are not shipped in test/fixtures).
import { spawnSync } from 'node:child_process';
import { cpSync, chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const sharedFixtures = process.env.LOGDB_BENCH_FIXTURES
  ? resolve(process.env.LOGDB_BENCH_FIXTURES)
  : resolve(repoRoot, '..', 'shared', 'fixtures');
export const cli = join(repoRoot, 'bin', 'logdb.js');

/** The dataset `name` (e.g. 'pebble-v3.3.8/large'); exits with a plain message when it is not there. */
export function fixture(name) {
  const dir = join(sharedFixtures, name);
  if (!existsSync(dir)) {
    console.error(
      `bench: the dataset ${name} is missing: looked in ${dir}.\n` +
        `bench: the benches need the shared fixtures (with their \`large\` datasets): put them at ` +
        `${resolve(repoRoot, '..', 'shared', 'fixtures')} or point LOGDB_BENCH_FIXTURES at the directory that holds ` +
        `leveldb-v3.2.8/ and pebble-v3.3.8/ (see bench/README.md).`,
    );
    process.exit(2);
  }
  return dir;
}

/** Fails plainly when the build the benches run is missing. */
export function requireBuild() {
  if (!existsSync(join(repoRoot, 'dist', 'src', 'cli', 'main.js')) || !existsSync(join(repoRoot, 'dist', 'cli', 'logdb.cjs'))) {
    console.error('bench: dist/ is missing: run `npm run build` first');
    process.exit(2);
  }
}
requireBuild();

/** One line comparing `ours` with a baseline: the speed ratio (baseline time / our time) against a goal. */
export function ratioLine(label, baselineSeconds, oursSeconds, goal) {
  const ratio = baselineSeconds / oursSeconds;
  const verdict = goal === undefined ? '' : ratio >= goal ? `  (goal >= ${goal.toFixed(1)}x: met)` : `  (goal >= ${goal.toFixed(1)}x: NOT met)`;
  return `  ${label}: ${ratio.toFixed(2)}x${verdict}`;
}

function writable(path) {
  const st = statSync(path);
  chmodSync(path, st.isDirectory() ? 0o755 : 0o644);
  if (st.isDirectory()) for (const n of readdirSync(path)) writable(join(path, n));
}

/** A writable copy of a fixture dir in a temp dir; returns [copy, cleanup]. */
export function copy(dir) {
  const root = mkdtempSync(join(tmpdir(), 'logdb-bench-'));
  const to = join(root, 'copy');
  cpSync(dir, to, { recursive: true });
  writable(to);
  return [to, () => rmSync(root, { recursive: true, force: true })];
}

/** Runs a whole process, stdout to /dev/null, expecting exit `status`; returns seconds and peak RSS in MB. */
export function timeProcess(args, { stdoutFile = '/dev/null', status = 0 } = {}) {
  const hasTime = existsSync('/usr/bin/time');
  const cmd = hasTime ? '/usr/bin/time' : args[0];
  const argv = hasTime ? ['-f', '%M', ...args] : args.slice(1);
  const start = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', `"$0" "$@" > ${stdoutFile}`, cmd, ...argv], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== status) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const rssKb = hasTime ? Number(r.stderr.trim().split('\n').pop()) : NaN;
  return { seconds, rssMb: rssKb / 1024 };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs each named job `runs` times, interleaved, and returns per-job medians. */
export function measure(jobs, runs) {
  const results = Object.fromEntries(Object.keys(jobs).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) for (const [name, job] of Object.entries(jobs)) results[name].push(job());
  return Object.fromEntries(
    Object.entries(results).map(([k, rs]) => [k, { seconds: median(rs.map((r) => r.seconds)), rssMb: Math.max(...rs.map((r) => r.rssMb)) }]),
  );
}
