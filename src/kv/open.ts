/**
 * Opens one shard's KV store with the backend that wrote it. Each backend is loaded on first use: a LevelDB
 * NodeHost never needs the Pebble reader, nor a Pebble one classic-level's native addon.
 */
import type { KVStore } from './kv.js';

export interface OpenStoreOptions {
  backend: 'leveldb' | 'pebble' | 'rocksdb';
  /** 'read' never changes the directory; 'write' opens it in place (LevelDB) or holds its lock and adds WALs (Pebble, RocksDB) */
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
  if (options.backend === 'rocksdb' && options.mode === 'write') {
    const { openRocksDBWritableStore } = await import('./rocksdb/writer-store.js');
    return openRocksDBWritableStore(shardDir, { walDir });
  }
  if (options.backend === 'rocksdb') {
    const { openRocksDBStore } = await import('./rocksdb/store.js');
    return openRocksDBStore(shardDir, { walDir });
  }
  const { openPebbleStore } = await import('./pebble/store.js');
  return openPebbleStore(shardDir, { walDir });
}

/**
 * Refuses (LogdbError) when a write to this shard would be unsafe or is not supported — without opening or
 * changing anything. Pebble and RocksDB: the checks of their write path (src/kv/pebble/writer-inspect.ts, with
 * src/kv/rocksdb/writer-format.ts); LevelDB: none beyond its own open.
 */
export async function checkStoreWritable(shardDir: string, options: Omit<OpenStoreOptions, 'mode'>): Promise<void> {
  if (options.backend === 'leveldb') return;
  const { inspectShardForWrite } = await import('./pebble/writer-inspect.js');
  if (options.backend === 'rocksdb') {
    const { ROCKSDB_DIALECT } = await import('./rocksdb/writer-format.js');
    inspectShardForWrite(shardDir, options.walDir ?? shardDir, ROCKSDB_DIALECT);
    return;
  }
  inspectShardForWrite(shardDir, options.walDir ?? shardDir);
}
