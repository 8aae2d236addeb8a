/**
 * RocksDB shards (Dragonboat v3.3.8's RocksDB LogDB on RocksDB 7.8.3: table format_version 5, XXH3 block checksums,
 * MANIFEST tag 103, legacy-format WALs) read like the others. Beyond the read commands (read-conformance.test.ts):
 * every shard's key/value pairs are those RocksDB itself returned (rawdump.json: count and sha256), `info` names
 * the backend and the dragonboat.ds fields, `check --deep` finds no error, and `stats` counts every pair and the
 * table and WAL bytes kvLayout lists. The shards ldb made in the older table formats (2 and 4, CRC-32C; see
 * test/fixtures/rocksdb-made/make.mjs) from basic's pairs read as basic.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TableReader } from '../../src/kv/pebble/sstable.js';
import { cliJson, runCli } from '../helpers/cli.js';
import { assertReadCommandsAgree } from '../helpers/expected.js';
import { copyFixture, fixtureDir, readJson } from '../helpers/fixtures.js';
import { dumpLogdb } from '../helpers/kv-dump.js';
import { dumpDigests, rawdumpDigests } from '../helpers/rawdump-digest.js';

const DATASETS = ['basic', 'ops/before-plain', 'ops/import/after', 'ops/remove-plain/after', 'ops/compact-plain/after'];
const cases = [
  ...DATASETS.map((d) => ({ name: `rocksdb-v3.3.8/${d}`, expected: `rocksdb-v3.3.8/${d}`, sameLayout: true })),
  ...[2, 4].map((v) => ({ name: `rocksdb-made/format-${v}`, expected: 'rocksdb-v3.3.8/basic', sameLayout: false })),
];

for (const c of cases) {
  test(`RocksDB ${c.name}: pairs as RocksDB read them; info, check and stats agree with ${c.expected}`, async () => {
    const { dir, cleanup } = copyFixture(c.name);
    try {
      const nodehost = join(dir, 'nodehost');
      const expected = readJson(join(fixtureDir(c.expected)!, 'expected.json'));
      const rawdump = readJson(join(fixtureDir(c.expected)!, 'rawdump.json'));

      assert.deepEqual(dumpDigests(await dumpLogdb(nodehost)), rawdumpDigests(rawdump), 'every shard: count and sha256 of rawdump.json');

      const info = await cliJson<any>(['info', nodehost]);
      assert.equal(info.backend, 'rocksdb');
      assert.equal(info.shardCount, expected.logdbShards);
      assert.equal(info.shardsPresent, expected.logdbShards);
      assert.equal(info.entryMode, 'plain');
      assert.equal(info.binaryFormat, expected.binaryFormat);
      assert.equal(info.nodeHostId, expected.dragonboatDs['NODEHOST.ID']);
      for (const field of ['address', 'logdbType', 'hostname', 'deploymentId', 'binVer', 'hardHash']) {
        assert.equal(info.dragonboatDs[field], expected.dragonboatDs[field], `dragonboat.ds ${field}`);
      }

      const check = await runCli(['check', nodehost, '--deep', '--output', 'json']);
      const report = JSON.parse(check.stdout);
      assert.deepEqual(report.findings.filter((f: any) => f.severity === 'error'), [], 'no finding of severity error');
      assert.equal(check.code, 0, check.stderr);
      assert.equal(report.summary.nodes, expected.nodes.filter((n: any) => n.listedByListNodeInfo).length);

      const stats = await cliJson<any>(['stats', nodehost]);
      for (const raw of rawdump.shards) {
        const shard = stats.shards.find((s: any) => s.shard === raw.shard);
        assert.equal(Object.values(shard.keys as Record<string, number>).reduce((t, n) => t + n, 0), raw.count, `logdb-${raw.shard}: keys`);
      }
      assert.equal(stats.totals.keys, rawdump.shards.reduce((t: number, s: any) => t + s.count, 0), 'every pair counted');
      for (const layout of c.sameLayout ? expected.kvLayout : []) {
        const shard = stats.shards.find((s: any) => s.shard === layout.shard);
        const where = `logdb-${layout.shard}`;
        assert.equal(shard.disk.tables.files, layout.tables.length, `${where}: tables`);
        assert.equal(shard.disk.tables.bytes, layout.tables.reduce((t: number, x: any) => t + x.size, 0), `${where}: table bytes`);
        assert.equal(shard.disk.logs.bytes, layout.wals.reduce((t: number, x: any) => t + x.size, 0), `${where}: WAL bytes`);
      }
    } finally {
      cleanup();
    }
  });
}

test('the made shards hold what they claim: tables of format_version 2 and 4 with CRC-32C, a range-del block, data in the WAL', () => {
  for (const v of [2, 4]) {
    const deployment = join(fixtureDir(`rocksdb-made/format-${v}`)!, 'nodehost', 'fixturehost', '00000000000000000001');
    let tables = 0;
    let tombstones = 0;
    let walBytes = 0;
    for (const shard of readdirSync(deployment)) {
      for (const name of readdirSync(join(deployment, shard))) {
        const path = join(deployment, shard, name);
        if (name.endsWith('.log')) walBytes += statSync(path).size;
        if (!name.endsWith('.sst')) continue;
        const table = TableReader.open(path);
        assert.equal(table.footer.formatVersion, v, `${shard}/${name}: format_version`);
        assert.equal(table.footer.checksumType, 1, `${shard}/${name}: CRC-32C`);
        tables++;
        tombstones += table.rangeTombstones().length;
        table.close();
      }
    }
    assert.ok(tables >= 6 && tombstones >= 3 && walBytes > 100_000, `format ${v}: ${tables} tables, ${tombstones} tombstones, ${walBytes} WAL bytes`);
  }
});

test('RocksDB with a WAL dir: read with --wal-dir as without one; without it, the missing WALs are named (exit 3), not read as no data; writes go there', async () => {
  const { dir, cleanup } = copyFixture('rocksdb-v3.3.8/basic');
  try {
    const nodehost = join(dir, 'nodehost');
    const deployment = join('fixturehost', '00000000000000000001');
    const walRoot = join(dir, 'wal');
    for (const shard of readdirSync(join(nodehost, deployment))) {
      mkdirSync(join(walRoot, deployment, shard), { recursive: true });
      for (const name of readdirSync(join(nodehost, deployment, shard)).filter((n) => n.endsWith('.log'))) {
        renameSync(join(nodehost, deployment, shard, name), join(walRoot, deployment, shard, name));
      }
    }
    await assertReadCommandsAgree(nodehost, readJson(join(dir, 'expected.json')), ['--wal-dir', walRoot]);
    const r = await runCli(['ls-nodes', nodehost]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /no WAL numbered \d+ or above in .*logdb-\d+, where RocksDB always keeps the one it last wrote: its WALs are elsewhere \(give the NodeHost WALDir with --wal-dir\)/);

    // a write goes where the WALs are
    const walsOf = (d: string) => readdirSync(d).filter((n) => n.endsWith('.log')).length;
    const shardWals = join(walRoot, deployment, 'logdb-1');
    const before = walsOf(shardWals);
    const removed = await runCli(['remove-node', nodehost, '-c', '1', '-n', '3', '--wal-dir', walRoot, '--yes', '--no-backup']);
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual([walsOf(shardWals), walsOf(join(nodehost, deployment, 'logdb-1'))], [before + 1, 0], 'the new WAL is in the WAL dir');
    const nodes = await cliJson<any[]>(['ls-nodes', nodehost, '--wal-dir', walRoot]);
    assert.deepEqual(nodes.filter((n) => n.clusterId === '1').map((n) => n.nodeId), ['1', '2']);
  } finally {
    cleanup();
  }
});
