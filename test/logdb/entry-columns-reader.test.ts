/**
 * The reader's column path (what dump-entries prints from) hands out exactly the entries of iterateEntries and
 * storedEntries: same indexes, same fields, the same stop at the first gap — on every node of every plain-mode
 * dataset, from the first index and from index 0, and for windows cut anywhere.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Entry } from '../../src/codec/colfer.js';
import type { EntryColumns } from '../../src/codec/entry-columns.js';
import { discoverLayout } from '../../src/logdb/layout.js';
import { LogDBReader } from '../../src/logdb/reader.js';
import { fixtureDir } from '../helpers/fixtures.js';

const DATASETS = [
  'leveldb-v3.2.8/basic',
  'leveldb-v3.2.8/overwrite',
  'leveldb-v3.2.8/snapshots',
  'pebble-v3.3.8/basic',
  'pebble-v3.3.8/overwrite',
  'pebble-v3.3.8/removed',
  'pebble-v3.3.8/ops/compact-plain/after',
  'pebble-v3.3.8/ops/before-plain',
  'pebble-v4/basic',
  'rocksdb-v3.3.8/basic',
];

async function collect(source: AsyncIterable<Entry[]>): Promise<Entry[]> {
  const out: Entry[] = [];
  for await (const chunk of source) out.push(...chunk);
  return out;
}

async function collectColumns(source: AsyncIterable<EntryColumns>): Promise<Entry[]> {
  const out: Entry[] = [];
  for await (const columns of source) for (let i = 0; i < columns.count; i++) out.push(columns.toEntry(i));
  return out;
}

for (const dataset of DATASETS) {
  test(`${dataset}: entryColumns gives iterateEntries' and storedEntries' entries`, async () => {
    const dir = join(fixtureDir(dataset), 'nodehost');
    assert.ok(existsSync(dir), dir);
    const reader = new LogDBReader(discoverLayout(dir), 'read');
    try {
      let compared = 0;
      for (const { clusterId: c, nodeId: n } of await reader.listNodeInfo()) {
        const raft = await reader.readRaftState(c, n, await reader.newestSnapshotIndex(c, n));
        const maxIndex = (await reader.getMaxIndex(c, n)) ?? 0n;
        const windows: [bigint, bigint][] = [
          [raft.firstIndex, maxIndex + 1n],
          [0n, maxIndex + 1n],
          [raft.firstIndex + 3n, raft.firstIndex + 200n],
          [maxIndex, 2n ** 64n],
        ];
        for (const [low, high] of windows) {
          const columns = await reader.entryColumns(c, n, low, high, true);
          assert.ok(columns, `${dataset} is plain mode: columns expected`);
          const viaColumns = await collectColumns(columns);
          assert.deepEqual(viaColumns, await collect(reader.iterateEntries(c, n, low, high)), `iterate ${c}/${n} [${low}, ${high})`);
          const stored = await reader.entryColumns(c, n, low, high, false);
          assert.deepEqual(await collectColumns(stored!), await collect(reader.storedEntries(c, n, low, high)), `stored ${c}/${n} [${low}, ${high})`);
          compared += viaColumns.length;
        }
      }
      assert.ok(compared > 0, 'no entries compared');
    } finally {
      await reader.close();
    }
  });
}

test('batched mode has no column path (dump-entries then prints entry objects)', async () => {
  const reader = new LogDBReader(discoverLayout(join(fixtureDir('pebble-v3.3.8/batched'), 'nodehost')), 'read');
  try {
    const [node] = await reader.listNodeInfo();
    assert.equal(await reader.entryColumns(node!.clusterId, node!.nodeId, 0n, 100n, true), undefined);
  } finally {
    await reader.close();
  }
});
