// How fast `logdb check` and `logdb stats` read the `large` fixtures (one node, 200,000 entries), against a bare
// iteration of the same keys: every shard opened directly and iterated in full — LevelDB with classic-level's
// nextv and a large highWaterMarkBytes, Pebble with the project's own reader (there is no other) — with no
// decoding. All are whole processes, interleaved, several runs; medians and peak RSS are printed.
// Goal: check and stats at >= 60% of the bare rate.
//
// Run after `npm run build`:  node bench/check-stats.mjs      (RUNS=9 node bench/check-stats.mjs for more runs)
//
// Fairness: `logdb` reads LevelDB with its own reader, which replays the shard's log in memory on every run. A
// bare classic-level open in place would replay it once into a table and then read compacted tables, so each bare
// LevelDB run gets a fresh copy of the NodeHost dir (made outside the timing).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cli, copy, fixture, measure, repoRoot, timeProcess } from './lib.mjs';

const BARE_FLAG = '--bare-iterate';

if (process.argv[2] === BARE_FLAG) {
  await bareIterate(process.argv[3], process.argv[4]);
} else {
  main();
}

/** The child: every pair of every shard of `deploymentDir`, counted, nothing decoded. */
async function bareIterate(backend, deploymentDir) {
  const shards = readdirSync(deploymentDir).filter((n) => /^logdb-\d+$/.test(n));
  let pairs = 0;
  let bytes = 0;
  for (const shard of shards) {
    const dir = join(deploymentDir, shard);
    if (backend === 'leveldb') {
      const { ClassicLevel } = await import('classic-level');
      const db = new ClassicLevel(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer', createIfMissing: false, compression: false });
      await db.open();
      const it = db.iterator({ fillCache: false, highWaterMarkBytes: 64 * 1024 * 1024 });
      for (;;) {
        const batch = await it.nextv(1000);
        if (batch.length === 0) break;
        pairs += batch.length;
        for (const [k, v] of batch) bytes += k.length + v.length;
      }
      await it.close();
      await db.close();
    } else {
      const { openPebbleStore } = await import(join(repoRoot, 'dist/src/kv/pebble/store.js'));
      const store = await openPebbleStore(dir);
      for await (const chunk of store.iterate({ gte: Buffer.alloc(0) })) {
        pairs += chunk.length;
        for (const p of chunk) bytes += p.key.length + p.value.length;
      }
      await store.close();
    }
  }
  process.stdout.write(`${pairs} ${bytes}\n`);
}

/** The number of keys, as the bare iteration counts them (on a fresh copy: a LevelDB open rewrites the dir). */
function countKeys(self, backend, src, deployment) {
  const [fresh, done] = copy(src);
  try {
    const r = spawnSync(process.execPath, [self, BARE_FLAG, backend, deployment(fresh)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`bare iteration failed: ${r.stderr}`);
    return Number(r.stdout.split(' ')[0]);
  } finally {
    done();
  }
}

function main() {
  const runs = Number(process.env.RUNS ?? 5);
  const self = new URL(import.meta.url).pathname;
  const rows = [];
  for (const [backend, name] of [['leveldb', 'leveldb-v3.2.8/large'], ['pebble', 'pebble-v3.3.8/large']]) {
    const src = join(fixture(name), 'nodehost');
    const [dir, cleanup] = copy(src);
    try {
      const deployment = (root) => join(root, 'fixturehost/00000000000000000001');
      const bare = () => {
        if (backend === 'pebble') return timeProcess([process.execPath, self, BARE_FLAG, backend, deployment(dir)]);
        const [fresh, done] = copy(src);
        try {
          return timeProcess([process.execPath, self, BARE_FLAG, backend, deployment(fresh)]);
        } finally {
          done();
        }
      };
      const m = measure(
        {
          bare,
          check: () => timeProcess([process.execPath, cli, 'check', dir, '--output', 'json']),
          stats: () => timeProcess([process.execPath, cli, 'stats', dir, '--output', 'json']),
        },
        runs,
      );
      rows.push({ name, keys: countKeys(self, backend, src, deployment), ...m });
    } finally {
      cleanup();
    }
  }
  console.log(`check and stats on the large fixtures, median of ${runs} runs, whole processes:`);
  for (const r of rows) {
    const rate = (s) => `${Math.round(r.keys / s).toLocaleString('en-US').padStart(9)} keys/s`;
    console.log(`  ${r.name} (${r.keys.toLocaleString('en-US')} keys)`);
    console.log(`    bare iteration  ${r.bare.seconds.toFixed(3)} s  ${rate(r.bare.seconds)}  peak RSS ${r.bare.rssMb.toFixed(0)} MB`);
    for (const tool of ['check', 'stats']) {
      const ratio = (r.bare.seconds / r[tool].seconds) * 100;
      console.log(
        `    logdb ${tool.padEnd(9)} ${r[tool].seconds.toFixed(3)} s  ${rate(r[tool].seconds)}  peak RSS ${r[tool].rssMb.toFixed(0)} MB  ` +
          `${ratio.toFixed(0)}% of the bare rate${ratio >= 60 ? '' : '  (below the 60% goal)'}`,
      );
    }
  }
}
