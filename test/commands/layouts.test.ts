/**
 * Any of the three directories an operator might point at works: the NodeHost dir (holding dragonboat.ds), its
 * <hostname>/<deployment> dir, or one logdb-N shard dir — with a separate WAL dir given as the NodeHost's WALDir
 * or as the shard's own WAL dir.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliJson } from '../helpers/cli.js';
import { fixtureDir } from '../helpers/fixtures.js';

const DEPLOYMENT = 'fixturehost/00000000000000000001';
const ids = (nodes: any[]) => nodes.map((n) => `${n.clusterId}/${n.nodeId}@${n.shard}`);

for (const dataset of ['leveldb-v3.2.8/snapshots', 'pebble-v3.3.8/snapshots']) {
  const dir = fixtureDir(dataset);
  test(`${dataset}: the NodeHost dir, its deployment dir and a shard dir list the same nodes`, async () => {
    const nodehost = join(dir!, 'nodehost');
    const all = await cliJson<any[]>(['ls-nodes', nodehost]);
    assert.deepEqual(ids(await cliJson<any[]>(['ls-nodes', join(nodehost, DEPLOYMENT)])), ids(all));
    const shard5 = await cliJson<any[]>(['ls-nodes', join(nodehost, DEPLOYMENT, 'logdb-5')]);
    assert.deepEqual(ids(shard5), ids(all.filter((n) => n.shard === 5)));
    assert.deepEqual(shard5, all.filter((n) => n.shard === 5), 'every field agrees');
    const info = await cliJson(['info', join(nodehost, DEPLOYMENT, 'logdb-5')]);
    assert.equal(info.layout, 'shard');
    assert.equal(info.dragonboatDs.hostname, 'fixturehost', 'dragonboat.ds is found above a shard dir');
  });
}

const WALDIR = 'pebble-v3.3.8/waldir';
test('a Pebble shard with a separate WAL dir reads the same given the NodeHost WALDir or the shard\'s WAL dir', async () => {
  const root = fixtureDir(WALDIR)!;
  const shard = join(root, 'nodehost', DEPLOYMENT, 'logdb-6');
  const viaRoot = await cliJson<any[]>(['ls-nodes', shard, '--wal-dir', join(root, 'wal')]);
  const viaShard = await cliJson<any[]>(['ls-nodes', shard, '--wal-dir', join(root, 'wal', DEPLOYMENT, 'logdb-6')]);
  const viaNodeHost = (await cliJson<any[]>(['ls-nodes', join(root, 'nodehost'), '--wal-dir', join(root, 'wal')])).filter((n) => n.shard === 6);
  assert.ok(viaRoot.length > 0);
  assert.deepEqual(viaRoot, viaNodeHost);
  assert.deepEqual(viaShard, viaNodeHost);
});
