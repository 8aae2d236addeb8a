/**
 * The KV conformance suite, written once (after abstract-level's shared suite): every backend behind
 * src/kv/kv.ts must pass it. It reads a real shard whose every pair `rawdump.json` lists, and checks ordering,
 * point gets, bounded ranges, early exits — and, for backends that write, atomic batches.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KVPair, KVStore } from '../../src/kv/kv.js';

export interface ConformanceSubject {
  /** opens the store over a private copy of a shard; `pairs` are its contents in key order (hex) */
  open(): Promise<{ store: KVStore; pairs: [string, string][]; reopen?: () => Promise<KVStore>; cleanup: () => void }>;
  writes: boolean;
}

async function collect(store: KVStore, range: Parameters<KVStore['iterate']>[0]): Promise<KVPair[]> {
  const out: KVPair[] = [];
  for await (const chunk of store.iterate(range)) {
    assert.ok(chunk.length > 0, 'chunks are never empty');
    out.push(...chunk);
  }
  return out;
}

const hex = (pairs: KVPair[]) => pairs.map((p) => [p.key.toString('hex'), p.value.toString('hex')]);
const key = (h: string) => Buffer.from(h, 'hex');
/** the smallest key after `k` (k followed by a zero byte) */
const justAfter = (k: string) => Buffer.concat([key(k), Buffer.of(0)]);

export function kvConformance(backend: string, subject: ConformanceSubject): void {
  const run = (name: string, fn: (s: Awaited<ReturnType<ConformanceSubject['open']>>) => Promise<void>, onlyWrites = false) =>
    test(`kv conformance (${backend}): ${name}`, async () => {
      const opened = await subject.open();
      try {
        await fn(opened);
      } finally {
        await opened.store.close().catch(() => undefined);
        opened.cleanup();
      }
    });

  run('a full scan yields every pair, in strictly ascending key order', async ({ store, pairs }) => {
    const got = await collect(store, { gte: Buffer.alloc(0) });
    assert.deepEqual(hex(got), pairs);
    for (let i = 1; i < got.length; i++) assert.ok(Buffer.compare(got[i - 1].key, got[i].key) < 0);
  });

  run('get returns each stored value, and undefined between, before and after the keys', async ({ store, pairs }) => {
    for (const [k, v] of pairs) assert.equal((await store.get(key(k)))?.toString('hex'), v, k);
    assert.equal(await store.get(Buffer.alloc(0, 0)), undefined);
    assert.equal(await store.get(Buffer.alloc(40, 0xff)), undefined);
    for (const [k] of pairs.slice(0, 50)) assert.equal(await store.get(justAfter(k)), undefined);
  });

  run('gte/lt, gte/lte and open-ended ranges give exactly the slice of keys they name', async ({ store, pairs }) => {
    const n = pairs.length;
    const picks = [0, 1, Math.floor(n / 3), Math.floor(n / 2), n - 2, n - 1].filter((i) => i >= 0 && i < n);
    for (const a of picks) {
      for (const b of picks) {
        if (b < a) continue;
        assert.deepEqual(hex(await collect(store, { gte: key(pairs[a][0]), lt: key(pairs[b][0]) })), pairs.slice(a, b), `[${a}, ${b})`);
        assert.deepEqual(hex(await collect(store, { gte: key(pairs[a][0]), lte: key(pairs[b][0]) })), pairs.slice(a, b + 1), `[${a}, ${b}]`);
      }
      assert.deepEqual(hex(await collect(store, { gte: justAfter(pairs[a][0]) })), pairs.slice(a + 1), `(${a}, end)`);
    }
  });

  run('an empty or inverted range yields nothing', async ({ store, pairs }) => {
    const mid = key(pairs[Math.floor(pairs.length / 2)][0]);
    assert.deepEqual(await collect(store, { gte: mid, lt: mid }), []);
    assert.deepEqual(await collect(store, { gte: justAfter(pairs[pairs.length - 1][0]) }), []);
    assert.deepEqual(await collect(store, { gte: mid, lt: key(pairs[0][0]) }), []);
  });

  run('breaking out of a scan early leaves the store usable', async ({ store, pairs }) => {
    for (let i = 0; i < 3; i++) {
      for await (const chunk of store.iterate({ gte: Buffer.alloc(0) })) {
        assert.equal(chunk[0].key.toString('hex'), pairs[0][0]);
        break;
      }
    }
    assert.equal((await collect(store, { gte: Buffer.alloc(0) })).length, pairs.length);
  });

  run('a write batch applies puts, deletes and range deletes together, in order', async ({ store, pairs, reopen }) => {
    const n = pairs.length;
    const from = Math.floor(n / 4);
    const to = Math.floor(n / 2);
    const added = Buffer.from('ff00000000000000', 'hex');
    await store.write([
      { op: 'delete', key: key(pairs[0][0]) },
      { op: 'deleteRange', start: key(pairs[from][0]), end: key(pairs[to][0]) },
      { op: 'put', key: added, value: Buffer.from('new value') },
      { op: 'put', key: key(pairs[n - 1][0]), value: Buffer.from('replaced') },
    ]);
    const expected = [
      ...pairs.slice(1, from),
      ...pairs.slice(to, n - 1),
      [pairs[n - 1][0], Buffer.from('replaced').toString('hex')],
      [added.toString('hex'), Buffer.from('new value').toString('hex')],
    ].sort((x, y) => (x[0] < y[0] ? -1 : 1));
    const after = reopen ? await (async () => (await store.close(), reopen()))() : store;
    try {
      assert.deepEqual(hex(await collect(after, { gte: Buffer.alloc(0) })), expected);
    } finally {
      if (after !== store) await after.close();
    }
  }, true);
}
