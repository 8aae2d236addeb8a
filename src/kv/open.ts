/** Opens one shard's KV store with the backend that wrote it. */
import type { KVStore } from './kv.js';
import { openLevelDBStore } from './leveldb/store.js';
import { openPebbleStore } from './pebble/store.js';

export interface OpenStoreOptions {
  backend: 'leveldb' | 'pebble' | 'rocksdb';
  /** 'read' never changes the directory; 'write' opens it in place (LevelDB only) */
  mode: 'read' | 'write';
  /** where the shard's WAL files are, when not in the shard dir (Pebble) */
  walDir?: string;
}

export async function openStore(shardDir: string, options: OpenStoreOptions): Promise<KVStore> {
  if (options.backend === 'leveldb') return openLevelDBStore(shardDir, { mode: options.mode });
  // RocksDB writes the same table format Pebble does (RocksDB v6.2.1 compatible, spec §9.2); read it the same way
  return openPebbleStore(shardDir, { walDir: options.walDir === shardDir ? undefined : options.walDir });
}
