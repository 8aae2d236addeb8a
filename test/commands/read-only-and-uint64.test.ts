/**
 * Reads change nothing — not a byte, a name or an mtime — and work while another process holds the shards'
 * LOCK files. And uint64 IDs, indexes and terms beyond 2^53 reach the output digit for digit.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeEntry } from '../../src/codec/colfer.js';
import { bootstrapKey, entryKey, maxIndexKey, stateKey } from '../../src/codec/keys.js';
import { encodeBootstrap, encodeState } from '../../src/codec/messages.js';
import { u64BE } from '../../src/codec/uint64.js';
import { openLevelDBStore } from '../../src/kv/leveldb/store.js';
import { cliJson, cliNdjson, runCli } from '../helpers/cli.js';
import { copyFixture, fixtureDir } from '../helpers/fixtures.js';
import { holdLock } from '../helpers/lock-holder.js';
import { treeFingerprint } from '../helpers/tree.js';

const BASIC = 'leveldb-v3.2.8/snapshots';

test('every read command leaves a LevelDB NodeHost dir identical, even while its LOCK files are held', async () => {
  const { dir, cleanup } = copyFixture(BASIC);
  const holders = [];
  try {
    const nodehost = join(dir, 'nodehost');
    const deployment = join(nodehost, 'fixturehost/00000000000000000001');
    holders.push(await holdLock(join(nodehost, 'LOCK')));
    for (const shard of readdirSync(deployment)) holders.push(await holdLock(join(deployment, shard, 'LOCK')));
    const before = treeFingerprint(nodehost);
    for (const args of [
      ['info', nodehost],
      ['ls-nodes', nodehost],
      ['dump-state', nodehost, '-c', '5', '-n', '1'],
      ['dump-entries', nodehost, '-c', '5', '-n', '1', '--all'],
      ['ls-snapshots', nodehost, '-c', '21', '-n', '1'],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 0, `${args[0]}: ${r.stderr}`);
      assert.ok(r.stdout.length > 0);
    }
    assert.deepEqual(treeFingerprint(nodehost), before);
  } finally {
    for (const h of holders) h.kill('SIGKILL');
    cleanup();
  }
});

const BIG = [2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n];

test('uint64 values at 2^53+1, 2^63 and 2^64-1 survive from disk to JSON', async () => {
  const { dir, cleanup } = copyFixture(BASIC);
  try {
    const nodehost = join(dir, 'nodehost');
    for (const value of BIG) {
      const c = value;
      const n = value - 1n;
      const shard = Number(c % 16n);
      const store = await openLevelDBStore(join(nodehost, `fixturehost/00000000000000000001/logdb-${shard}`), { mode: 'write' });
      const entry = { term: value, index: value - 5n, type: 0, key: value, clientId: value, seriesId: value, respondedTo: value, cmd: Buffer.from('x') };
      await store.write([
        { op: 'put', key: bootstrapKey(c, n), value: encodeBootstrap({ addresses: new Map([[n, 'big.example:1']]), join: false, type: 1 }) },
        { op: 'put', key: stateKey(c, n), value: encodeState({ term: value, vote: n, commit: value - 5n }) },
        { op: 'put', key: entryKey(c, n, value - 5n), value: encodeEntry(entry) },
        { op: 'put', key: maxIndexKey(c, n), value: u64BE(value - 5n) },
      ]);
      await store.close();
    }
    const nodes = await cliJson<any[]>(['ls-nodes', nodehost]);
    for (const value of BIG) {
      const node = nodes.find((x) => x.clusterId === value.toString());
      assert.ok(node, `node of cluster ${value} is listed`);
      assert.equal(node.nodeId, (value - 1n).toString());
      assert.deepEqual(node.state, { term: value.toString(), vote: (value - 1n).toString(), commit: (value - 5n).toString() });
      assert.equal(node.firstIndex, (value - 5n).toString());
      assert.equal(node.lastIndex, (value - 5n).toString());
      assert.deepEqual(node.bootstrap.addresses, { [(value - 1n).toString()]: 'big.example:1' });
      const [e] = await cliNdjson(['dump-entries', nodehost, '--cluster', value.toString(), '--node', (value - 1n).toString()]);
      for (const field of ['term', 'key', 'clientId', 'seriesId', 'respondedTo']) assert.equal(e[field], value.toString(), field);
      assert.equal(e.index, (value - 5n).toString());
    }
  } finally {
    cleanup();
  }
});
