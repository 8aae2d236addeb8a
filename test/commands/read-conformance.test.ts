/**
 * The read commands agree with Dragonboat: for every fixture dataset, what `ls-nodes`, `dump-state`,
 * `ls-snapshots` and `dump-entries` print in JSON is, field by field, what Dragonboat's own LogDB API read back
 * from the same directory (expected.json); `info` gives its dragonboat.ds, NODEHOST.ID, shards, entry mode and the
 * Dragonboat version that wrote it; `stats` counts the keys Dragonboat's KV iterator saw (rawdump.json) and the
 * stored log of every node. (`check` is checked where the snapshot paths are right: check-healthy.test.ts.)
 * Each dataset is read from a private copy, as an operator's would be.
 */
import { test } from 'node:test';
import { join } from 'node:path';
import { copyFixture, fixtureDir, readJson } from '../helpers/fixtures.js';
import { assertInfoAgrees, assertReadCommandsAgree, assertStatsAgrees } from '../helpers/expected.js';

const LEVELDB = ['basic', 'batched', 'snapshots', 'removed', 'imported', 'overwrite', 'overwrite-batched', 'large'];
const PEBBLE = [...LEVELDB, 'lsm', 'lsm-large', 'waldir'];
// Dragonboat v4 has no public batched factory, so its sets have no batched dirs (fixtures README, "pebble-v4")
const V4_OPS = ['before-plain', 'import/after', 'remove-plain/after', 'compact-plain/after'];
const OPS = ['before-plain', 'before-batched', 'import/after', 'remove-plain/after', 'remove-batched/after', 'compact-plain/after', 'compact-batched/after'];

const cases: { name: string; expected: string; nodehost: string; wal?: string; v4?: true }[] = [];
for (const [backend, datasets] of [['leveldb-v3.2.8', LEVELDB], ['pebble-v3.3.8', PEBBLE]] as const) {
  for (const d of datasets) cases.push({ name: `${backend}/${d}`, expected: `${backend}/${d}`, nodehost: 'nodehost', wal: d === 'waldir' ? 'wal' : undefined });
  for (const op of OPS) {
    cases.push({ name: `${backend}/ops/${op}`, expected: `${backend}/ops/${op}`, nodehost: 'nodehost' });
  }
}
cases.push({ name: 'pebble-v4/basic', expected: 'pebble-v4/basic', nodehost: 'nodehost', v4: true });
for (const op of V4_OPS) cases.push({ name: `pebble-v4/ops/${op}`, expected: `pebble-v4/ops/${op}`, nodehost: 'nodehost', v4: true });

for (const c of cases) {
  const src = fixtureDir(c.name);
  // the v4 sets are shipped in test/fixtures: they must be there
  test(`read commands agree with Dragonboat on ${c.name}`, c.v4 ? {} : { skip: src ? false : `fixture ${c.name} not available` }, async () => {
    const { dir, cleanup } = copyFixture(c.name);
    try {
      const expected = readJson(join(dir, 'expected.json'));
      const extra = c.wal ? ['--wal-dir', join(dir, c.wal)] : [];
      await assertReadCommandsAgree(join(dir, c.nodehost), expected, extra);
      await assertInfoAgrees(join(dir, c.nodehost), expected, extra);
      await assertStatsAgrees(join(dir, c.nodehost), expected, readJson(join(dir, 'rawdump.json')), extra);
    } finally {
      cleanup();
    }
  });
}
