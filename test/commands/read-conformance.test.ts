/**
 * The read commands agree with Dragonboat: for every fixture dataset, what `ls-nodes`, `dump-state`,
 * `ls-snapshots` and `dump-entries` print in JSON is, field by field, what Dragonboat's own LogDB API read back
 * from the same directory (expected.json). Each dataset is read from a private copy, as an operator's would be.
 */
import { test } from 'node:test';
import { join } from 'node:path';
import { copyFixture, fixtureDir, readJson } from '../helpers/fixtures.js';
import { assertReadCommandsAgree } from '../helpers/expected.js';

const LEVELDB = ['basic', 'batched', 'snapshots', 'removed', 'imported', 'overwrite', 'overwrite-batched', 'large'];
const PEBBLE = [...LEVELDB, 'lsm', 'lsm-large', 'waldir'];
const OPS = ['before-plain', 'before-batched', 'import/after', 'remove-plain/after', 'remove-batched/after', 'compact-plain/after', 'compact-batched/after'];

const cases: { name: string; expected: string; nodehost: string; wal?: string }[] = [];
for (const [backend, datasets] of [['leveldb-v3.2.8', LEVELDB], ['pebble-v3.3.8', PEBBLE]] as const) {
  for (const d of datasets) cases.push({ name: `${backend}/${d}`, expected: `${backend}/${d}`, nodehost: 'nodehost', wal: d === 'waldir' ? 'wal' : undefined });
  for (const op of OPS) {
    cases.push({ name: `${backend}/ops/${op}`, expected: `${backend}/ops/${op}`, nodehost: 'nodehost' });
  }
}

// Dragonboat v4's tan LogDB: the same commands, a different backend (src/tan/)
const TAN = ['basic', 'ops/before-plain', 'ops/import/after', 'ops/remove-plain/after', 'ops/compact-plain/after'];
for (const d of TAN) cases.push({ name: `tan-v4/${d}`, expected: `tan-v4/${d}`, nodehost: 'nodehost' });

for (const c of cases) {
  const src = fixtureDir(c.name);
  test(`read commands agree with Dragonboat on ${c.name}`, { skip: src ? false : `fixture ${c.name} not available` }, async () => {
    const { dir, cleanup } = copyFixture(c.name);
    try {
      const expected = readJson(join(dir, 'expected.json'));
      const extra = c.wal ? ['--wal-dir', join(dir, c.wal)] : [];
      await assertReadCommandsAgree(join(dir, c.nodehost), expected, extra);
    } finally {
      cleanup();
    }
  });
}
