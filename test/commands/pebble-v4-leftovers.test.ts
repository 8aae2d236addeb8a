/**
 * What v4's Pebble leaves in a shard is no obstacle to a write and never reused: an old MANIFEST beside the live
 * one (pebble-v4/basic logdb-1 has MANIFEST-000008 and MANIFEST-000014), an L0 table over an L6 table, and a
 * `temporary.NNNNNN.dbtmp` left by an OPTIONS write a crash interrupted (Pebble 0f086d933dac deletes it at its next
 * open; its number still counts, so the new WAL is numbered past it). A remove-node on that shard — cluster 33
 * shares it with cluster 1 — leaves every other node exactly as it was and removes node 33/1 from every read.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inspectShardForWrite } from '../../src/kv/pebble/writer-inspect.js';
import { cliJson, runCli } from '../helpers/cli.js';
import { copyFixture } from '../helpers/fixtures.js';
import { dumpLogdb } from '../helpers/kv-dump.js';
import { assertNoTornWal, DEPLOYMENT } from './pebble-helpers.js';

const nodeKey = (k: string, c: bigint, n: bigint) => k.slice(8, 40) === c.toString(16).padStart(16, '0') + n.toString(16).padStart(16, '0');

test("a v4 shard with an old MANIFEST, L0 over L6 and a temporary.*.dbtmp: the WAL is numbered past all, the write is exact", async () => {
  const { dir, cleanup } = copyFixture('pebble-v4/basic');
  try {
    const nodehost = join(dir, 'nodehost');
    const shard = join(nodehost, DEPLOYMENT, 'logdb-1');
    const names = readdirSync(shard);
    assert.ok(names.includes('MANIFEST-000008') && names.includes('MANIFEST-000014'), `two MANIFESTs: ${names.join(' ')}`);
    writeFileSync(join(shard, 'temporary.000042.dbtmp'), '[Version]\n  pebble_version=0.1\n');

    const target = inspectShardForWrite(shard);
    assert.equal(target.manifest.manifestName, 'MANIFEST-000014', 'CURRENT names the live MANIFEST');
    assert.equal(target.fileNumber, 43, 'past temporary.000042.dbtmp');
    assert.ok(target.manifest.levels[0]!.length > 0 && target.manifest.levels[6]!.length > 0, 'tables in L0 and L6');

    const before = await dumpLogdb(nodehost);
    const r = await runCli(['remove-node', nodehost, '--cluster', '33', '--node', '1', '--yes', '--no-backup']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(shard, '000043.log')), 'the new WAL is 000043.log');
    assertNoTornWal(shard);

    const after = await dumpLogdb(nodehost);
    for (const [s, pairs] of before) {
      const want = new Map([...pairs].filter(([k]) => !(s === 1 && nodeKey(k, 33n, 1n))));
      assert.deepEqual(after.get(s), want, `logdb-${s}: everything but node 33/1, unchanged`);
    }
    const nodes = await cliJson<{ clusterId: string; nodeId: string }[]>(['ls-nodes', nodehost]);
    assert.ok(!nodes.some((n) => n.clusterId === '33' && n.nodeId === '1'), 'ls-nodes no longer lists 33/1');
    assert.ok(nodes.some((n) => n.clusterId === '1' && n.nodeId === '1'), 'its shard neighbour 1/1 is still there');
  } finally {
    cleanup();
  }
});
