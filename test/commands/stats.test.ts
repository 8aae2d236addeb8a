/**
 * `logdb stats` counts what the read commands read. On LevelDB `basic` and Pebble `lsm-large` (one node of 300,150
 * entries in a table with a two-level index), the biggest node comes first, and its counts — entries, the type mix, the term timeline — agree with `dump-entries`, line
 * by line. On the ops dirs, what it says `compact` would reclaim is exactly what `compact --dry-run` plans to
 * remove, in plain and batched mode (on LevelDB: compact does not write Pebble stores).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliJson, runCli } from '../helpers/cli.js';
import { copyToTemp, fixtureDir } from '../helpers/fixtures.js';

for (const [name, biggest] of [['leveldb-v3.2.8/basic', '1/1'], ['pebble-v3.3.8/lsm-large', '5/1']]) {
  test(`stats on ${name}: the biggest node first, agreeing with dump-entries`, async () => {
    const { dir, cleanup } = copyToTemp(join(fixtureDir(name), 'nodehost'), 'stats-biggest');
    try {
      const stats = await cliJson(['stats', dir]);
      const top = stats.nodes[0];
      assert.equal(`${top.clusterId}/${top.nodeId}`, biggest, 'the biggest node first');
      assert.equal(top.snapshotIndex, '0', 'a node without snapshots');
      assert.equal(stats.shards[0].shard, top.shard, 'the biggest shard first');
      for (let i = 1; i < stats.shards.length; i++) assert.ok(stats.shards[i - 1].disk.bytes >= stats.shards[i].disk.bytes, 'shards by bytes on disk, descending');

      const dump = await runCli(['dump-entries', dir, '--cluster', top.clusterId, '--node', top.nodeId, '--output', 'ndjson']);
      assert.equal(dump.code, 0, dump.stderr);
      const lines = dump.stdout.split('\n').filter(Boolean);
      const listed = (await cliJson(['ls-nodes', dir])).find((n: any) => n.clusterId === top.clusterId && n.nodeId === top.nodeId);
      assert.equal(String(lines.length), listed.entryCount, 'dump-entries prints the whole log');
      assert.equal(top.entries, lines.length, 'entries stored');
      assert.equal(top.inLog, lines.length, 'entries in the log Dragonboat reads');
      assert.equal(top.keys.entry, lines.length, 'entry keys');
      assert.equal(stats.totals.entries, stats.nodes.reduce((t: number, n: { entries: number }) => t + n.entries, 0), 'totals sum the nodes');

      const types: Record<string, number> = {};
      const termStarts: { term: string; firstIndex: string }[] = [];
      for (const line of lines) {
        const e = JSON.parse(line);
        types[e.type] = (types[e.type] ?? 0) + 1;
        if (termStarts.length === 0 || termStarts[termStarts.length - 1].term !== e.term) termStarts.push({ term: e.term, firstIndex: e.index });
      }
      assert.deepEqual(top.entryTypes, types, 'the entry type mix');
      assert.deepEqual(top.termStarts, termStarts, 'the index where each term starts');
      assert.equal(top.sizeHistogram.reduce((t: number, b: { count: number }) => t + b.count, 0), lines.length, 'every entry in one size bucket');
      assert.ok(top.entryBytes > lines.length * 8, 'entry bytes counted');
      assert.deepEqual(top.reclaimable, { records: 0, entries: 0, bytes: 0 }, 'no snapshot: nothing to compact');

      const table = await runCli(['stats', dir]);
      assert.equal(table.code, 0, table.stderr);
      assert.ok(table.stdout.includes(lines.length.toLocaleString('en-US')), 'the entry count, with thousands separators');
    } finally {
      cleanup();
    }
  });
}

for (const [mode, name] of [['plain', 'leveldb-v3.2.8/ops/before-plain'], ['batched', 'leveldb-v3.2.8/ops/before-batched']]) {
  test(`stats on ${name}: what compact would reclaim is what compact --dry-run removes (${mode})`, async () => {
    const { dir, cleanup } = copyToTemp(join(fixtureDir(name), 'nodehost'), 'stats-reclaim');
    try {
      const stats = await cliJson(['stats', dir]);
      assert.equal(stats.entryMode, mode);
      const withSnapshots = stats.nodes.filter((n: any) => n.snapshotIndex !== '0');
      assert.ok(withSnapshots.length > 0);
      for (const n of withSnapshots) {
        const plan = await cliJson(['compact', dir, '--cluster', n.clusterId, '--node', n.nodeId, '--to', n.snapshotIndex, '--dry-run']);
        const planned = plan.shards.flatMap((s: any) => s.batch).reduce((t: number, op: any) => t + (op.keys ?? 0), 0);
        assert.equal(n.reclaimable.records, planned, `${n.clusterId}/${n.nodeId}: records below snapshot ${n.snapshotIndex}`);
        assert.ok(n.reclaimable.records > 0, 'each of these nodes has entries below its snapshot');
        if (mode === 'plain') assert.equal(n.reclaimable.entries, n.belowSnapshot);
      }
      for (let i = 1; i < stats.nodes.length; i++) assert.ok(stats.nodes[i - 1].entryBytes >= stats.nodes[i].entryBytes, 'nodes by entry bytes, descending');
    } finally {
      cleanup();
    }
  });
}
