/**
 * The read commands agree with Dragonboat: for every fixture dataset, what `ls-nodes`, `dump-state`,
 * `ls-snapshots` and `dump-entries` print in JSON is, field by field, what Dragonboat's own LogDB API read back
 * from the same directory (expected.json), for LevelDB, Pebble (v3.3 and v4) and RocksDB shards; `info` gives its
 * dragonboat.ds, NODEHOST.ID, shards, entry mode and the Dragonboat version that wrote it; `stats` counts the keys
 * Dragonboat's KV iterator saw (rawdump.json) and the stored log of every node. (`check` is checked where the
 * snapshot paths are right: check-healthy.test.ts.) Each dataset is read from a private copy, as an operator's
 * would be.
 */
import { test } from 'node:test';
import { join } from 'node:path';
import { copyFixture, fixtureDir, readJson } from '../helpers/fixtures.js';
import { assertInfoAgrees, assertReadCommandsAgree, assertStatsAgrees } from '../helpers/expected.js';

const LEVELDB = ['basic', 'batched', 'snapshots', 'removed', 'imported', 'overwrite', 'overwrite-batched'];
const PEBBLE = [...LEVELDB, 'lsm', 'lsm-large', 'waldir'];
const OPS = ['before-plain', 'before-batched', 'import/after', 'remove-plain/after', 'remove-batched/after', 'compact-plain/after', 'compact-batched/after'];
// Dragonboat v4 has no public batched factory, and the RocksDB set has no batched dirs (fixtures README)
const PLAIN_OPS = ['before-plain', 'import/after', 'remove-plain/after', 'compact-plain/after'];

const cases: { name: string; expected: string; nodehost: string; wal?: string }[] = [];
for (const [backend, datasets] of [['leveldb-v3.2.8', LEVELDB], ['pebble-v3.3.8', PEBBLE]] as const) {
  for (const d of datasets) cases.push({ name: `${backend}/${d}`, expected: `${backend}/${d}`, nodehost: 'nodehost', wal: d === 'waldir' ? 'wal' : undefined });
  for (const op of OPS) cases.push({ name: `${backend}/ops/${op}`, expected: `${backend}/ops/${op}`, nodehost: 'nodehost' });
}
// Dragonboat v3.3.8's RocksDB LogDB (RocksDB 7.8: table format 5, XXH3 block checksums) and v4's sharded-pebble
for (const backend of ['rocksdb-v3.3.8', 'pebble-v4']) {
  for (const d of ['basic', ...PLAIN_OPS.map((op) => `ops/${op}`)]) cases.push({ name: `${backend}/${d}`, expected: `${backend}/${d}`, nodehost: 'nodehost' });
}
// RocksDB's older table formats (2 and 4, CRC-32C), made by ldb from basic's pairs (test/fixtures/rocksdb-made/make.mjs)
for (const v of [2, 4]) cases.push({ name: `rocksdb-made/format-${v}`, expected: 'rocksdb-v3.3.8/basic', nodehost: 'nodehost' });

// Dragonboat v4's tan LogDB: the same commands, a different backend (src/tan/)
const TAN = ['basic', 'ops/before-plain', 'ops/import/after', 'ops/remove-plain/after', 'ops/compact-plain/after'];
for (const d of TAN) cases.push({ name: `tan-v4/${d}`, expected: `tan-v4/${d}`, nodehost: 'nodehost' });

for (const c of cases) {
  test(`read commands agree with Dragonboat on ${c.name}`, async () => {
    const { dir, cleanup } = copyFixture(c.name);
    try {
      const expected = readJson(join(fixtureDir(c.expected), 'expected.json'));
      const extra = c.wal ? ['--wal-dir', join(dir, c.wal)] : [];
      await assertReadCommandsAgree(join(dir, c.nodehost), expected, extra);
      // a made dataset shares only the logical content of the one whose expected.json it is read against
      if (c.expected === c.name) {
        await assertInfoAgrees(join(dir, c.nodehost), expected, extra);
        // tan keeps no key-value shards for rawdump.json's key counts: its stats are checked in tan-read.test.ts
        if (!c.name.startsWith('tan-')) await assertStatsAgrees(join(dir, c.nodehost), expected, readJson(join(dir, 'rawdump.json')), extra);
      }
    } finally {
      cleanup();
    }
  });
}
