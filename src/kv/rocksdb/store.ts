/**
 * One RocksDB shard (`logdb-N` of Dragonboat's RocksDB LogDB) as a read-only KVStore.
 *
 * RocksDB and Pebble share the file formats this reader needs (spec §9.2: Pebble reads and writes RocksDB's
 * block-based tables, MANIFEST and WAL framing), so the shard is read by the Pebble reader with the RocksDB parts
 * switched on: the xxHash block checksums (checksums.ts), table format versions 3–5 with delta-encoded index values
 * (index-block.ts), and the RocksDB-only MANIFEST tags (10 min log number to keep, 103's custom fields, the default
 * column family's 200/203, safe-to-ignore tags). RocksDB's WALs are the legacy record format (types 1–4), which
 * the Pebble WAL reader reads; RocksDB with kTolerateCorruptedTailRecords (Dragonboat's setting) drops a torn tail
 * of the last log as this reader does.
 */
import { openPebbleStoreSync, type PebbleStore, type PebbleStoreOptions } from '../pebble/store.js';
import { loadRocksDBChecksums } from './checksums.js';

export async function openRocksDBStore(shardDir: string, opts: Omit<PebbleStoreOptions, 'flavour'> = {}): Promise<PebbleStore> {
  await loadRocksDBChecksums();
  return openPebbleStoreSync(shardDir, { ...opts, flavour: 'rocksdb' });
}
