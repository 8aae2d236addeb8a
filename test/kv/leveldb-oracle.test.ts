/**
 * LevelDB shards are read by the pure-TypeScript LSM reader; classic-level (LevelDB itself, kept for writes) is the
 * oracle. Every shard of every LevelDB fixture is read both ways and every key and value must agree, in order; point
 * gets of every key, and of keys just beside them, must agree too. The reader goes first, on a copy that LevelDB then
 * opens (LevelDB writes on open).
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import type { KVPair, KVStore } from '../../src/kv/kv.js';
import { openLevelDBStore } from '../../src/kv/leveldb/store.js';
import { openStore } from '../../src/kv/open.js';
import { copyFixture, fixtureDir, shippedFixtures } from '../helpers/fixtures.js';

const ROOT = 'leveldb-v3.2.8';

/** Every directory under `dir` holding a CURRENT file: one LevelDB store each. */
function shardDirs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'CURRENT') out.push(dir);
    else if (statSync(path).isDirectory()) out.push(...shardDirs(path));
  }
  return out.sort();
}

async function allPairs(store: KVStore): Promise<KVPair[]> {
  const out: KVPair[] = [];
  for await (const chunk of store.iterate({ gte: Buffer.alloc(0) })) {
    for (const { key, value } of chunk) out.push({ key: Buffer.from(key), value: Buffer.from(value) });
  }
  return out;
}

const datasets = readdirSync(join(shippedFixtures, ROOT)).sort();

test('the LevelDB fixtures are all there', () => {
  assert.ok(datasets.length >= 8, `only ${datasets.length} LevelDB datasets in test/fixtures/${ROOT}`);
  for (const name of datasets) assert.ok(fixtureDir(`${ROOT}/${name}`));
});

for (const name of datasets) {
  test(`${ROOT}/${name}: every shard reads the same through the pure-TS reader as through LevelDB`, async () => {
    const { dir, cleanup } = copyFixture(`${ROOT}/${name}`);
    try {
      const shards = shardDirs(dir);
      assert.ok(shards.length > 0, 'the dataset has LevelDB stores');
      let nonEmpty = 0;
      for (const shardDir of shards) {
        const where = relative(dir, shardDir);
        const reader = await openStore(shardDir, { backend: 'leveldb', mode: 'read' });
        const ours = await allPairs(reader);
        const probes = ours.flatMap(({ key }) => [key, Buffer.concat([key, Buffer.from([0])]), key.subarray(0, key.length - 1)]);
        const ourGets = await Promise.all(probes.map((k) => reader.get(k)));
        await reader.close();

        const level = await openLevelDBStore(shardDir, { mode: 'write' });
        try {
          const theirs = await allPairs(level);
          assert.equal(ours.length, theirs.length, `${where}: pair count`);
          for (let i = 0; i < ours.length; i++) {
            assert.ok(ours[i]!.key.equals(theirs[i]!.key), `${where}: key #${i}`);
            assert.ok(ours[i]!.value.equals(theirs[i]!.value), `${where}: value of key ${theirs[i]!.key.toString('hex')}`);
          }
          for (let i = 0; i < probes.length; i++) {
            const want = await level.get(probes[i]!);
            assert.deepEqual(ourGets[i], want, `${where}: get ${probes[i]!.toString('hex')}`);
          }
        } finally {
          await level.close();
        }
        if (ours.length > 0) nonEmpty++;
      }
      assert.ok(nonEmpty > 0, 'some store holds data');
    } finally {
      cleanup();
    }
  });
}
