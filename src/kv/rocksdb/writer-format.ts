/**
 * Which RocksDB shards logdb may write to, and how its WAL-append write path (src/kv/pebble/writer.ts) differs for
 * them (docs/rocksdb-offline-writes.md).
 *
 * The newest `OPTIONS-NNNNNN` must show what the rules were worked out and verified on — Dragonboat's RocksDB LogDB
 * (`config.GetDefaultLogDBConfig()`) on RocksDB 7.8.3, whose option semantics RocksDB 6.x shares:
 *   - `[Version]` `rocksdb_version` 6.x or 7.x;
 *   - `[DBOptions]`: `recycle_log_file_num=0` (legacy WAL records, no recycled files whose stale tails look like
 *     records), `wal_recovery_mode` one that replays every WAL in order (not kSkipAnyCorruptedRecords),
 *     `track_and_verify_wals_in_manifest=false` (a WAL the MANIFEST does not list is replayed, not an error),
 *     `wal_compression=kNoCompression`, `best_efforts_recovery=false`, `allow_2pc=false`, `unordered_write=false`,
 *     `two_write_queues=false` (one sequence number per operation, as the batch encodes it);
 *   - only the default column family (`[CFOptions "default"]`), `comparator=leveldb.BytewiseComparator`.
 * Anything else — Pebble's OPTIONS, none at all, another value — is refused as 'unsupported'.
 */
import { LogdbError } from '../../errors.js';
import { BYTEWISE_COMPARATOR } from '../pebble/manifest.js';
import type { OptionsFile } from '../pebble/options-file.js';
import type { WalDialect } from '../pebble/writer-inspect.js';

export const VERIFIED_ROCKSDB_VERSION = '7.8.3';
const ACCEPTED_VERSION = /^[67]\.\d+\.\d+$/;
const ACCEPTED_RECOVERY_MODES = new Set(['kTolerateCorruptedTailRecords', 'kAbsoluteConsistency', 'kPointInTimeRecovery']);

/** [DBOptions] keys whose value the write path depends on; an absent key has RocksDB's default, which is this. */
const REQUIRED_DB_OPTIONS: [key: string, value: string][] = [
  ['recycle_log_file_num', '0'],
  ['track_and_verify_wals_in_manifest', 'false'],
  ['wal_compression', 'kNoCompression'],
  ['best_efforts_recovery', 'false'],
  ['allow_2pc', 'false'],
  ['unordered_write', 'false'],
  ['two_write_queues', 'false'],
];

function unsupported(shardDir: string, why: string): LogdbError {
  return new LogdbError(
    'unsupported',
    `${shardDir}: ${why}; logdb writes only RocksDB shards set up as Dragonboat's RocksDB LogDB sets them (verified on RocksDB ${VERIFIED_ROCKSDB_VERSION})`,
    'nothing was changed; run the operation through Dragonboat itself',
  );
}

/** Refuses (LogdbError 'unsupported') unless the shard's OPTIONS file shows a format the write path was verified on. */
export function requireWritableRocksDB(shardDir: string, options: OptionsFile | undefined): void {
  if (!options) throw unsupported(shardDir, 'no OPTIONS file tells how RocksDB was set up for this shard');
  if (options.flavour !== 'rocksdb') throw unsupported(shardDir, `${options.name} is not RocksDB's`);
  const version = options.sections.get('Version')?.get('rocksdb_version') ?? '';
  if (!ACCEPTED_VERSION.test(version)) throw unsupported(shardDir, `${options.name} says rocksdb_version=${version || '(missing)'}`);
  const db = options.sections.get('DBOptions') ?? new Map<string, string>();
  for (const [key, want] of REQUIRED_DB_OPTIONS) {
    const got = db.get(key);
    if (got !== undefined && got !== want) throw unsupported(shardDir, `${options.name} says ${key}=${got}, not ${want}`);
  }
  const mode = db.get('wal_recovery_mode');
  if (mode !== undefined && !ACCEPTED_RECOVERY_MODES.has(mode)) throw unsupported(shardDir, `${options.name} says wal_recovery_mode=${mode}`);
  const families = [...options.sections.keys()].filter((s) => s.startsWith('CFOptions '));
  if (families.length !== 1 || families[0] !== 'CFOptions "default"') {
    throw unsupported(shardDir, `${options.name} has the column families ${families.join(', ') || '(none)'}, not only "default"`);
  }
  const comparator = options.sections.get('CFOptions "default"')?.get('comparator');
  if (comparator !== undefined && comparator !== BYTEWISE_COMPARATOR) throw unsupported(shardDir, `${options.name} says comparator=${comparator}`);
}

/** RocksDB's differences for the WAL-append write path: its format check, MANIFEST tags and legacy WAL records. */
export const ROCKSDB_DIALECT: WalDialect = {
  name: 'RocksDB',
  manifestFlavour: 'rocksdb',
  requireFormat: (shardDir, options) => requireWritableRocksDB(shardDir, options),
  legacyRecords: true,
};
