/**
 * Reading keeps at most four shards open (an open Pebble shard holds its unflushed WALs in memory), and that
 * is invisible to callers: a shard handle reopens its shard when it was closed, and a read under way is never
 * closed under it.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { bootstrapKey } from '../../src/codec/keys.js';
import { PebbleStore } from '../../src/kv/pebble/store.js';
import { discoverLayout } from '../../src/logdb/layout.js';
import { ShardSet } from '../../src/logdb/shards.js';
import { fixtureDir } from '../helpers/fixtures.js';

const BASIC = 'leveldb-v3.2.8/basic';
/** The stores that were read and not closed since: LevelDB shards are read by PebbleStore too */
const used = new Set<PebbleStore>();
for (const method of ['iterate', 'get'] as const) {
  const original = PebbleStore.prototype[method] as (...args: unknown[]) => unknown;
  (PebbleStore.prototype as any)[method] = function (this: PebbleStore, ...args: unknown[]) {
    used.add(this);
    return original.apply(this, args);
  };
}
const originalClose = PebbleStore.prototype.close;
PebbleStore.prototype.close = function (this: PebbleStore) {
  used.delete(this);
  return originalClose.call(this);
};
const openCheckpoints = () => used.size;
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

test('a sweep over 16 shards keeps at most 4 open, and a handle reopens its shard later', async () => {
  const shards = new ShardSet(discoverLayout(join(fixtureDir(BASIC), 'nodehost')), 'read');
  try {
    const firstKeys = new Map<number, string>();
    for (let i = 0; i < 16; i++) {
      for await (const chunk of (await shards.store(i)).iterate({ gte: Buffer.alloc(0) })) {
        firstKeys.set(i, chunk[0].key.toString('hex'));
        break;
      }
      await settle();
      assert.ok(openCheckpoints() <= 4, `after shard ${i}: ${openCheckpoints()} shards open`);
    }
    // shard 1 was closed long ago; its handle still answers
    assert.ok(await (await shards.store(1)).get(bootstrapKey(1n, 1n)), 'cluster 1 node 1 is read again from logdb-1');
  } finally {
    await shards.closeAll();
  }
  await settle();
  assert.equal(openCheckpoints(), 0, 'closeAll closes everything');
});

const LSM_LARGE = 'pebble-v3.3.8/lsm-large';

test('a scan under way is not closed while other shards are opened and read', async () => {
  // logdb-5 of lsm-large holds tens of thousands of pairs: its scan spans many chunks
  const shards = new ShardSet(discoverLayout(join(fixtureDir(LSM_LARGE), 'nodehost')), 'read');
  try {
    let pairs = 0;
    let chunks = 0;
    for await (const chunk of (await shards.store(5)).iterate({ gte: Buffer.alloc(0) })) {
      pairs += chunk.length;
      // while logdb-5's scan is under way, read five other shards
      if (chunks++ === 0) for (const i of [1, 2, 3, 4, 6]) await (await shards.store(i)).get(bootstrapKey(BigInt(i), 1n));
    }
    let again = 0;
    for await (const chunk of (await shards.store(5)).iterate({ gte: Buffer.alloc(0) })) again += chunk.length;
    assert.ok(chunks > 1, 'the scan spans several chunks');
    assert.equal(pairs, again, 'the interrupted scan saw every pair');
  } finally {
    await shards.closeAll();
  }
});
