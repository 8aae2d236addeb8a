/**
 * A RocksDB shard opened for writing: the Pebble writable store (src/kv/pebble/writer-store.ts: LOCK held, each
 * batch one new WAL file) with RocksDB's dialect (writer-format.ts) and its block checksums loaded for the reads.
 */
import { openPebbleWritableStore, type PebbleWritableStore } from '../pebble/writer-store.js';
import { loadRocksDBChecksums } from './checksums.js';
import { ROCKSDB_DIALECT } from './writer-format.js';

export async function openRocksDBWritableStore(shardDir: string, opts: { walDir?: string } = {}): Promise<PebbleWritableStore> {
  await loadRocksDBChecksums();
  return openPebbleWritableStore(shardDir, { walDir: opts.walDir, dialect: ROCKSDB_DIALECT });
}
