/** Opens one shard's KV store with the backend that wrote it. */
import { LogdbError } from '../errors.js';
import type { KVStore } from './kv.js';
import { openLevelDBStore } from './leveldb/store.js';
import { openPebbleStore } from './pebble/store.js';
import { inspectShardForWrite } from './pebble/writer-inspect.js';
import { openPebbleWritableStore } from './pebble/writer-store.js';

export interface OpenStoreOptions {
  backend: 'leveldb' | 'pebble' | 'rocksdb';
  /** 'read' never changes the directory; 'write' opens it in place (LevelDB) or holds its lock and adds WALs (Pebble) */
  mode: 'read' | 'write';
  /** where the shard's WAL files are, when not in the shard dir (Pebble) */
  walDir?: string;
}

export async function openStore(shardDir: string, options: OpenStoreOptions): Promise<KVStore> {
  if (options.backend === 'leveldb') return openLevelDBStore(shardDir, { mode: options.mode });
  const walDir = options.walDir === shardDir ? undefined : options.walDir;
  if (options.backend === 'pebble' && options.mode === 'write') return openPebbleWritableStore(shardDir, { walDir });
  // RocksDB writes the same table format Pebble does (RocksDB v6.2.1 compatible, spec §9.2); read it the same way
  return openPebbleStore(shardDir, { walDir });
}

/**
 * Refuses (LogdbError) when a write to this shard would be unsafe or is not supported — without opening or
 * changing anything. Pebble: the checks of its write path (src/kv/pebble/writer-inspect.ts); LevelDB: none
 * beyond its own open.
 */
export function checkStoreWritable(shardDir: string, options: Omit<OpenStoreOptions, 'mode'>): void {
  if (options.backend === 'leveldb') return;
  if (options.backend === 'rocksdb') {
    throw new LogdbError('unsupported', `${shardDir} is a RocksDB store; logdb cannot write RocksDB stores (reads work)`, 'nothing was changed');
  }
  inspectShardForWrite(shardDir, options.walDir ?? shardDir);
}
