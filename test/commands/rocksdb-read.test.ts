/**
 * RocksDB shards (Dragonboat v3.3.8's RocksDB LogDB on RocksDB 7.8.3: table format_version 5, XXH3 block checksums,
 * MANIFEST tag 103, legacy-format WALs) read like the others. Beyond the read commands (read-conformance.test.ts):
 * every shard's key/value pairs are those RocksDB itself returned (rawdump.json: count and sha256), `info` names
 * the backend and the dragonboat.ds fields, `check --deep` finds no error, and `stats` counts every pair and the
 * table and WAL bytes kvLayout lists.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliJson, runCli } from '../helpers/cli.js';
import { copyFixture, readJson } from '../helpers/fixtures.js';
import { dumpLogdb } from '../helpers/kv-dump.js';
import { dumpDigests, rawdumpDigests } from '../helpers/rawdump-digest.js';

const DATASETS = ['basic', 'ops/before-plain', 'ops/import/after', 'ops/remove-plain/after', 'ops/compact-plain/after'];

for (const d of DATASETS) {
  const name = `rocksdb-v3.3.8/${d}`;
  test(`RocksDB ${name}: pairs as RocksDB read them; info, check and stats agree with expected.json`, async () => {
    const { dir, cleanup } = copyFixture(name);
    try {
      const nodehost = join(dir, 'nodehost');
      const expected = readJson(join(dir, 'expected.json'));
      const rawdump = readJson(join(dir, 'rawdump.json'));

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
      assert.equal(stats.totals.keys, rawdump.shards.reduce((t: number, s: any) => t + s.count, 0), 'every pair counted');
      for (const layout of expected.kvLayout) {
        const shard = stats.shards.find((s: any) => s.shard === layout.shard);
        const where = `logdb-${layout.shard}`;
        assert.equal(shard.disk.tables.files, layout.tables.length, `${where}: tables`);
        assert.equal(shard.disk.tables.bytes, layout.tables.reduce((t: number, x: any) => t + x.size, 0), `${where}: table bytes`);
        assert.equal(shard.disk.logs.bytes, layout.wals.reduce((t: number, x: any) => t + x.size, 0), `${where}: WAL bytes`);
        const raw = rawdump.shards.find((s: any) => s.shard === layout.shard);
        const keys = Object.values(shard.keys as Record<string, number>).reduce((t, n) => t + n, 0);
        assert.equal(keys, raw.count, `${where}: keys`);
      }
    } finally {
      cleanup();
    }
  });
}
