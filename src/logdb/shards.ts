/**
 * The shards of one LogDB, opened lazily: a command that reads one node opens one shard; a command that lists
 * every node opens them all. Backend errors are translated into the errors people see.
 */
import { KVCorruptionError, type KVStore } from '../kv/kv.js';
import { openStore } from '../kv/open.js';
import { LogdbError } from '../errors.js';
import type { Layout, ShardLocation } from './layout.js';

export class ShardSet {
  private readonly open = new Map<number, Promise<KVStore>>();

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
    let pending = this.open.get(index);
    if (!pending) {
      const shard = this.location(index);
      pending = openStore(shard.dir, { backend: shard.backend, mode: this.mode, walDir: shard.walDir }).catch((err) => {
        throw translateStoreError(err, shard);
      });
      this.open.set(index, pending);
    }
    return pending;
  }

  async closeAll(): Promise<void> {
    const stores = [...this.open.values()];
    this.open.clear();
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
  if (err instanceof KVCorruptionError) return new LogdbError('corrupt', e.message);
  if (e.name === 'CodecError') return new LogdbError('corrupt', `logdb-${shard.index}: ${e.message}`);
  return err as Error;
}
