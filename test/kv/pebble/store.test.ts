/**
 * The Pebble reader against Dragonboat's own reading of every Pebble fixture (rawdump.json): every pair of every
 * shard, point gets, bounded seeks — read in place from the shared fixtures, which must be left untouched.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { KVReadOnlyError, type KeyRange, type KVStore } from '../../../src/kv/kv.js';
import { PebbleMissingWalError } from '../../../src/kv/pebble/errors.js';
import { isPebbleDir, openPebbleStore, openPebbleStoreSync } from '../../../src/kv/pebble/store.js';
import { fixtureDir, readJson } from '../../helpers/fixtures.js';
import { listedRuns, PairDigest, PEBBLE_DATASETS, treeSnapshot, valueMatches, type RawShard } from './helpers.js';

async function keysIn(store: KVStore, range: KeyRange, limit = Infinity): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of store.iterate(range)) {
    assert.ok(chunk.length > 0, 'chunks are never empty');
    for (const { key } of chunk) {
      if (out.length >= limit) return out;
      out.push(key.toString('hex'));
    }
  }
  return out;
}

const after = (hex: string) => Buffer.from(hex + '00', 'hex');
const hex = (s: string) => Buffer.from(s, 'hex');

for (const { name, walDir } of PEBBLE_DATASETS) {
  const dataset = `pebble-v3.3.8/${name}`;
  test(`every shard of ${name} reads back as Dragonboat's rawdump`, async () => {
    const root = fixtureDir(dataset)!;
    const before = treeSnapshot(root);
    const raw = readJson(join(root, 'rawdump.json')).shards as RawShard[];
    assert.equal(raw.length, 16);
    for (const shard of raw) {
      const where = `${name} shard ${shard.shard}`;
      const store = await openPebbleStore(join(root, shard.dir), walDir ? { walDir: join(root, walDir(Number(shard.shard))) } : {});
      try {
        assert.equal(store.backend, 'pebble');
        const digest = new PairDigest();
        for await (const chunk of store.iterate({ gte: Buffer.alloc(0) })) for (const p of chunk) digest.add(p.key, p.value);
        assert.equal(digest.count, Number(shard.count), `${where}: count`);
        assert.deepEqual(digest.kinds, shard.keyKinds, `${where}: key kinds`);
        assert.equal(digest.digest(), shard.sha256, `${where}: sha256`);

        for (const run of listedRuns(shard)) {
          for (const pair of run) {
            const value = await store.get(hex(pair.k));
            assert.ok(value && valueMatches(pair, value), `${where}: get ${pair.k}`);
            assert.equal(await store.get(after(pair.k)), undefined, `${where}: get just after ${pair.k}`);
          }
          const keys = run.map((p) => p.k);
          for (const i of new Set([0, keys.length >> 1, keys.length - 4].filter((i) => i >= 0 && i + 3 < keys.length))) {
            const [k0, k1, k2, k3] = keys.slice(i, i + 4) as [string, string, string, string];
            assert.deepEqual(await keysIn(store, { gte: hex(k0) }, 2), [k0, k1], `${where}: seek to ${k0}`);
            assert.deepEqual(await keysIn(store, { gte: after(k0) }, 1), [k1], `${where}: seek between ${k0} and ${k1}`);
            assert.deepEqual(await keysIn(store, { gte: hex(k0), lt: hex(k3) }), [k0, k1, k2], `${where}: [${k0}, ${k3})`);
            assert.deepEqual(await keysIn(store, { gte: after(k0), lte: hex(k3) }), [k1, k2, k3], `${where}: (${k0}, ${k3}]`);
            assert.deepEqual(await keysIn(store, { gte: hex(k1), lt: hex(k1) }), [], `${where}: empty range`);
          }
        }
        if (Number(shard.count) === 0) assert.deepEqual(await keysIn(store, { gte: Buffer.alloc(0) }), []);
      } finally {
        await store.close();
      }
    }
    assert.deepEqual(treeSnapshot(root), before, `${name}: the fixture files are unchanged (names, sizes, mtimes)`);
  });
}

const walDirShard = 'pebble-v3.3.8/waldir/nodehost/fixturehost/00000000000000000001/logdb-6';

test('a shard whose WAL lives in a separate WAL dir asks for --wal-dir', async () => {
  await assert.rejects(
    openPebbleStore(fixtureDir(walDirShard)!),
    (err: unknown) =>
      err instanceof PebbleMissingWalError &&
      err.code === 'PEBBLE_MISSING_WAL' &&
      err.recordedWalDir === '/var/lib/dragonboat/wal/fixturehost/00000000000000000001/logdb-6' &&
      /--wal-dir/.test(err.message) &&
      !err.message.includes('\n'),
  );
  const basic = fixtureDir('pebble-v3.3.8/basic/nodehost/fixturehost/00000000000000000001/logdb-1');
  if (basic) {
    // a WAL dir given for a shard that keeps its WAL at home
    await assert.rejects(openPebbleStore(basic, { walDir: fixtureDir('pebble-v3.3.8/waldir/wal')! }), /do not give a WAL dir/);
    await assert.rejects(openPebbleStore(basic, { walDir: '/nonexistent/wal/dir' }), PebbleMissingWalError);
  }
});

const lsmShard = 'pebble-v3.3.8/lsm/nodehost/fixturehost/00000000000000000001/logdb-1';

test('the store is read-only and reports its layout', async () => {
  const store = openPebbleStoreSync(fixtureDir(lsmShard)!);
  try {
    await assert.rejects(store.write([{ op: 'delete', key: Buffer.from('x') }]), KVReadOnlyError);
    await assert.rejects(store.compact(), KVReadOnlyError);
    assert.equal(store.manifest.logNumber, 43);
    assert.deepEqual(
      store.walFiles.map((w) => [w.name, w.end, w.tornBeforeNewerLog]),
      [['000043.log', 'trailer', false]],
    );
    assert.deepEqual(
      store.openTables().map((t) => [t.meta.level, t.meta.fileNum]),
      [
        [0, 41],
        [0, 42],
        [5, 38],
        [5, 39],
        [6, 21],
        [6, 29],
        [6, 23],
      ],
    );
    // the one range tombstone of this shard: RemoveEntriesTo(1, 2, 200), in L0 table 41
    assert.deepEqual(
      store.rangeTombstones().map((t) => [t.start.toString('hex'), t.end.toString('hex')]),
      [['01010000000000000000000100000000000000020000000000000000', '010100000000000000000001000000000000000200000000000000c8']],
    );
  } finally {
    await store.close();
  }
  await assert.rejects(store.get(Buffer.from('x')), /closed/);
});

test('isPebbleDir tells Pebble shards from LevelDB shards and other dirs', () => {
  const pebble = fixtureDir(lsmShard);
  if (pebble) assert.equal(isPebbleDir(pebble), true);
  const waldir = fixtureDir(walDirShard);
  if (waldir) assert.equal(isPebbleDir(waldir), true);
  const leveldb = fixtureDir('leveldb-v3.2.8/basic/nodehost/fixturehost/00000000000000000001/logdb-1');
  if (leveldb) assert.equal(isPebbleDir(leveldb), false);
  const nodehost = fixtureDir('pebble-v3.3.8/lsm/nodehost');
  if (nodehost) assert.equal(isPebbleDir(nodehost), false);
  assert.equal(isPebbleDir('/nonexistent/dir'), false);
});
