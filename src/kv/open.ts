/**
 * Opens one shard's KV store with the backend that wrote it. Each backend is loaded on first use: a LevelDB
 * NodeHost never needs the Pebble reader, nor a Pebble one classic-level's native addon.
 */
import { LogdbError } from '../errors.js';
import type { KVStore } from './kv.js';

export interface OpenStoreOptions {
  backend: 'leveldb' | 'pebble' | 'rocksdb';
  /** 'read' never changes the directory; 'write' opens it in place (LevelDB) or holds its lock and adds WALs (Pebble) */
  mode: 'read' | 'write';
  /** where the shard's WAL files are, when not in the shard dir (Pebble) */
  walDir?: string;
}

export async function openStore(shardDir: string, options: OpenStoreOptions): Promise<KVStore> {
  if (options.backend === 'leveldb' && options.mode === 'read') {
    // reads go through the pure-TypeScript reader: nothing written, no LOCK, no native module
    const { openPebbleStore } = await import('./pebble/store.js');
    return openPebbleStore(shardDir, { flavour: 'leveldb' });
  }
  if (options.backend === 'leveldb') {
    const { openLevelDBStore } = await import('./leveldb/store.js');
    return openLevelDBStore(shardDir, { mode: 'write' });
  }
  const walDir = options.walDir === shardDir ? undefined : options.walDir;
  if (options.backend === 'pebble' && options.mode === 'write') {
    const { openPebbleWritableStore } = await import('./pebble/writer-store.js');
    return openPebbleWritableStore(shardDir, { walDir });
  }
  // RocksDB writes the same table format Pebble does (RocksDB v6.2.1 compatible, spec §9.2); read it the same way
  const { openPebbleStore } = await import('./pebble/store.js');
  return openPebbleStore(shardDir, { walDir });
}

/**
 * Refuses (LogdbError) when a write to this shard would be unsafe or is not supported — without opening or
 * changing anything. Pebble: the checks of its write path (src/kv/pebble/writer-inspect.ts); LevelDB: none
 * beyond its own open.
 */
export async function checkStoreWritable(shardDir: string, options: Omit<OpenStoreOptions, 'mode'>): Promise<void> {
  if (options.backend === 'leveldb') return;
  if (options.backend === 'rocksdb') {
    throw new LogdbError('unsupported', `${shardDir} is a RocksDB store; logdb cannot write RocksDB stores (reads work)`, 'nothing was changed');
  }
  const { inspectShardForWrite } = await import('./pebble/writer-inspect.js');
  inspectShardForWrite(shardDir, options.walDir ?? shardDir);
}
