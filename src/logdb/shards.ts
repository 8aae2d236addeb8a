/**
 * The shards of one LogDB, opened lazily: a command that reads one node opens one shard; a command that sweeps
 * every shard opens them in turn. Backend errors are translated into the errors people see.
 *
 * Reading keeps at most MAX_OPEN_READ_STORES shards open at once: an open Pebble shard holds its unflushed WAL
 * files in memory (up to Dragonboat's 4 × 128 MiB memtables per shard), so a sweep over 16 shards must not keep
 * them all. What callers get is a handle that reopens its shard transparently if it was closed meanwhile; a
 * shard is only closed while no read on it is under way. Writing keeps every shard it opened (they hold locks).
 */
import { KVCorruptionError, type KeyRange, type KVPair, type KVStore, type WriteOp } from '../kv/kv.js';
import { checkStoreWritable, openStore } from '../kv/open.js';
import { LogdbError } from '../errors.js';
import type { Layout, ShardLocation } from './layout.js';

const MAX_OPEN_READ_STORES = 4;

/** Throws (with the store's own reason) when a shard cannot be written offline: unverified format, torn WAL, … */
export async function checkShardWritable(shard: ShardLocation): Promise<void> {
  await checkStoreWritable(shard.dir, { backend: shard.backend, walDir: shard.walDir });
}


interface Slot {
  store: Promise<KVStore>;
  /** reads under way on this shard: it is not closed while any is */
  active: number;
  /** how long opening took (a Pebble shard replays its WALs): the cheapest to reopen is closed first */
  openMs: number;
}

export class ShardSet {
  private readonly open = new Map<number, Promise<KVStore>>();
  /** read mode: open shards, least recently used first */
  private readonly slots = new Map<number, Slot>();
  private readonly handles = new Map<number, KVStore>();

  constructor(
    readonly layout: Layout,
    private readonly mode: 'read' | 'write' = 'read',
  ) {}

  location(index: number): ShardLocation {
    const shard = this.layout.shards.find((s) => s.index === index);
    if (!shard) {
      throw new LogdbError('notFound', `shard logdb-${index} is not part of ${this.layout.deploymentDir ?? this.layout.shards[0]?.dir}`);
    }
    return shard;
  }

  store(index: number): Promise<KVStore> {
    if (this.mode === 'read') {
      let handle = this.handles.get(index);
      if (!handle) {
        handle = this.readHandle(index);
        this.handles.set(index, handle);
      }
      return Promise.resolve(handle);
    }
    let pending = this.open.get(index);
    if (!pending) {
      pending = this.openShard(index);
      this.open.set(index, pending);
    }
    return pending;
  }

  private openShard(index: number): Promise<KVStore> {
    const shard = this.location(index);
    return openStore(shard.dir, { backend: shard.backend, mode: this.mode, walDir: shard.walDir }).catch((err) => {
      throw translateStoreError(err, shard);
    });
  }

  /** The open store of a shard for one read, reopened if it was closed; `release` when the read is done. */
  private async acquire(index: number): Promise<{ store: KVStore; release: () => void }> {
    let slot = this.slots.get(index);
    if (slot) this.slots.delete(index); // re-inserted below as the most recently used
    else {
      // process.hrtime, not performance.now: the global `performance` loads perf_hooks (~2 ms of start-up)
      const started = process.hrtime.bigint();
      const fresh: Slot = { store: this.openShard(index), active: 0, openMs: 0 };
      fresh.store.then(() => (fresh.openMs = Number(process.hrtime.bigint() - started) / 1e6)).catch(() => undefined);
      slot = fresh;
    }
    this.slots.set(index, slot);
    slot.active++;
    this.evictIdle();
    try {
      const store = await slot.store;
      const used = slot;
      return {
        store,
        release: () => {
          used.active--;
          this.evictIdle();
        },
      };
    } catch (err) {
      slot.active--;
      if (this.slots.get(index) === slot) this.slots.delete(index);
      throw err;
    }
  }

  /**
   * Closes idle shards while more than MAX_OPEN_READ_STORES are open: the cheapest to reopen first, the least
   * recently used among equals — a command that sweeps every shard several times (check) then keeps the one
   * large shard open instead of replaying its WALs on every sweep.
   */
  private evictIdle(): void {
    while (this.slots.size > MAX_OPEN_READ_STORES) {
      let victim: number | undefined;
      let cheapest = Infinity;
      for (const [index, slot] of this.slots) {
        if (slot.active === 0 && slot.openMs < cheapest) {
          victim = index;
          cheapest = slot.openMs;
        }
      }
      if (victim === undefined) return;
      const slot = this.slots.get(victim)!;
      this.slots.delete(victim);
      void slot.store.then((s) => s.close()).catch(() => undefined);
    }
  }

  private readHandle(index: number): KVStore {
    const shards = this;
    const location = this.location(index);
    return {
      backend: location.backend === 'leveldb' ? 'leveldb' : 'pebble',
      async get(key: Buffer) {
        const { store, release } = await shards.acquire(index);
        try {
          return await store.get(key);
        } finally {
          release();
        }
      },
      async *iterate(range: KeyRange): AsyncIterable<KVPair[]> {
        const { store, release } = await shards.acquire(index);
        try {
          yield* store.iterate(range);
        } finally {
          release();
        }
      },
      async *keys(range: KeyRange): AsyncIterable<Buffer[]> {
        const { store, release } = await shards.acquire(index);
        try {
          if (store.keys) yield* store.keys(range);
          else for await (const chunk of store.iterate(range)) yield chunk.map((p) => p.key);
        } finally {
          release();
        }
      },
      async write(ops: WriteOp[], options?: { onKeys?: (keys: number) => void }) {
        const { store, release } = await shards.acquire(index);
        try {
          await store.write(ops, options);
        } finally {
          release();
        }
      },
      async compact(range?: { start: Buffer; end: Buffer }) {
        const { store, release } = await shards.acquire(index);
        try {
          await store.compact(range);
        } finally {
          release();
        }
      },
      // the ShardSet closes what it opened
      close: async () => undefined,
    };
  }

  async closeAll(): Promise<void> {
    const stores = [...this.open.values(), ...[...this.slots.values()].map((s) => s.store)];
    this.open.clear();
    this.slots.clear();
    this.handles.clear();
    for (const s of stores) {
      try {
        await (await s).close();
      } catch {
        // a store that failed to open has nothing to close
      }
    }
  }
}

export function translateStoreError(err: unknown, shard: ShardLocation): Error {
  if (err instanceof LogdbError) return err;
  const e = err as Error & { code?: string; hint?: string };
  if (e.code === 'LOCKED') return new LogdbError('inUse', `logdb-${shard.index} is locked by another process (a running NodeHost?)`, 'stop the NodeHost first');
  if (e.code === 'PEBBLE_MISSING_WAL') return new LogdbError('notLogdb', e.message, e.hint ?? 'give the NodeHost WALDir with --wal-dir');
  if (err instanceof KVCorruptionError) {
    // the reader names the file; the shard is what the operator needs to find it
    const named = e.message.includes(`logdb-${shard.index}`) ? e.message : `logdb-${shard.index}: ${e.message}`;
    return new LogdbError('corrupt', named);
  }
  if (e.name === 'CodecError') return new LogdbError('corrupt', `logdb-${shard.index}: ${e.message}`);
  return err as Error;
}
