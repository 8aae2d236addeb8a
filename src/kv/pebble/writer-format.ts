/**
 * Which Pebble directories logdb may write to: only the formats its write path was verified on
 * (pebble-offline-writes.md, "What it does not cover": other Pebble versions may differ — detect and refuse).
 *
 * Two Pebble versions are verified, told apart by the newest `OPTIONS-NNNNNN` file:
 *   - v3.3.8's Pebble (cockroachdb/pebble 27fc006b8bfb, 2021-03; spec §9.2): its own key set, no
 *     `format_major_version`;
 *   - v4's Pebble (0f086d933dac, 2022-12; v4-format.md §4): its key set, with `format_major_version=1`
 *     (FormatMostCompatible: plain-text CURRENT, RocksDBv2 tables, no `marker.*` files). Re-checked against its
 *     open.go: WALs are still listed in both dirs and replayed from the WAL dir only, in number order, from the
 *     MANIFEST's log number up; every listed file number bumps the next file number; `temporary.*.dbtmp` and
 *     `CURRENT.*.dbtmp` are deleted at open; `NNNNNN.log.tmp` does not parse as a Pebble name (ignored); the record
 *     reader and batch format are byte-identical; strict_wal_tail applies to every WAL but the last; the replayed
 *     batches are flushed to L0 (a later move to L6 is Pebble's own compaction). So rules 1–15 hold unchanged.
 * Both need `[Version] pebble_version=0.1`, `comparer=leveldb.BytewiseComparator`, `disable_wal=false` (the
 * change travels in a WAL) and `strict_wal_tail=true` (what the torn-WAL rules assume), and no `marker.*` file.
 * Anything else — RocksDB's OPTIONS, no OPTIONS file, an unknown key, a higher format major version — is refused
 * as 'unsupported'.
 */
import { LogdbError } from '../../errors.js';
import { BYTEWISE_COMPARATOR } from './manifest.js';
import type { OptionsFile } from './options-file.js';

export const VERIFIED_PEBBLE_VERSION = '0.1';

export type PebbleDialect = 'v3.3.8' | 'v4';

/** The `[Options]` keys Pebble 27fc006b8bfb writes (every v3.3.8 shard of the shared fixtures has exactly these). */
const V3_OPTION_KEYS = new Set([
  'bytes_per_sync',
  'cache_size',
  'cleaner',
  'comparer',
  'delete_range_flush_delay',
  'disable_wal',
  'flush_split_bytes',
  'l0_compaction_concurrency',
  'l0_compaction_threshold',
  'l0_stop_writes_threshold',
  'l0_sublevel_compactions',
  'lbase_max_bytes',
  'max_concurrent_compactions',
  'max_manifest_file_size',
  'max_open_files',
  'mem_table_size',
  'mem_table_stop_writes_threshold',
  'min_compaction_rate',
  'min_flush_rate',
  'merger',
  'strict_wal_tail',
  'table_property_collectors',
  'wal_dir',
  'wal_bytes_per_sync',
]);

/** The `[Options]` keys Pebble 0f086d933dac's Options.String() can write (options.go), optional ones included. */
const V4_OPTION_KEYS = new Set([
  'bytes_per_sync',
  'cache_size',
  'cleaner',
  'compaction_debt_concurrency',
  'comparer',
  'disable_delete_only_compactions',
  'disable_elision_only_compactions',
  'disable_lazy_combined_iteration',
  'disable_wal',
  'flush_delay_delete_range',
  'flush_delay_range_key',
  'flush_split_bytes',
  'force_writer_parallelism',
  'format_major_version',
  'l0_compaction_concurrency',
  'l0_compaction_file_threshold',
  'l0_compaction_threshold',
  'l0_stop_writes_threshold',
  'lbase_max_bytes',
  'level_multiplier',
  'max_concurrent_compactions',
  'max_manifest_file_size',
  'max_open_files',
  'max_writer_concurrency',
  'mem_table_size',
  'mem_table_stop_writes_threshold',
  'merger',
  'min_deletion_rate',
  'point_tombstone_weight',
  'read_compaction_rate',
  'read_sampling_multiplier',
  'strict_wal_tail',
  'table_cache_shards',
  'table_property_collectors',
  'validate_on_ingest',
  'wal_bytes_per_sync',
  'wal_dir',
]);

/** FormatMostCompatible, what v4 runs Pebble at (it never sets FormatMajorVersion; v4-format.md §4). */
const V4_FORMAT_MAJOR_VERSION = '1';

/** Options whose value the write path depends on. */
const REQUIRED_VALUES: [key: string, value: string][] = [
  ['comparer', BYTEWISE_COMPARATOR],
  ['disable_wal', 'false'],
  ['strict_wal_tail', 'true'],
];

/** Marks newer Pebble formats leave in the data dir (format-version and manifest markers). */
const NEWER_FORMAT_MARK = /^marker\./;

function unsupported(shardDir: string, why: string): LogdbError {
  return new LogdbError(
    'unsupported',
    `${shardDir}: ${why}; logdb writes only the Pebble formats of Dragonboat v3.3.8 (Pebble 27fc006b8bfb) and v4 (Pebble 0f086d933dac at format major version 1), the ones its write path was verified on`,
    'nothing was changed; run the operation through Dragonboat itself',
  );
}

/** Which verified Pebble wrote these options (by the key that only the newer one writes). */
export function pebbleDialect(options: OptionsFile): PebbleDialect {
  return options.sections.get('Options')?.has('format_major_version') ? 'v4' : 'v3.3.8';
}

/** Refuses (LogdbError 'unsupported') unless the shard is in a verified Pebble format; returns which one. */
export function requireVerifiedFormat(shardDir: string, options: OptionsFile | undefined, shardNames: string[]): PebbleDialect {
  if (!options) throw unsupported(shardDir, 'no OPTIONS file tells which Pebble version wrote this shard');
  if (options.flavour !== 'pebble') throw unsupported(shardDir, `${options.name} is not Pebble's (${options.flavour === 'rocksdb' ? 'RocksDB wrote it' : 'no pebble_version'})`);
  const version = options.sections.get('Version')?.get('pebble_version');
  if (version !== VERIFIED_PEBBLE_VERSION) throw unsupported(shardDir, `${options.name} says pebble_version=${version}`);
  const opts = options.sections.get('Options') ?? new Map<string, string>();
  const dialect = pebbleDialect(options);
  if (dialect === 'v4' && opts.get('format_major_version') !== V4_FORMAT_MAJOR_VERSION) {
    throw unsupported(shardDir, `${options.name} says format_major_version=${opts.get('format_major_version')}: a newer Pebble format than FormatMostCompatible (1)`);
  }
  const known = dialect === 'v4' ? V4_OPTION_KEYS : V3_OPTION_KEYS;
  const unknown = [...opts.keys()].filter((k) => !known.has(k));
  if (unknown.length) throw unsupported(shardDir, `${options.name} has options a newer Pebble writes (${unknown.join(', ')})`);
  for (const [key, want] of REQUIRED_VALUES) {
    if (opts.get(key) !== want) throw unsupported(shardDir, `${options.name} says ${key}=${opts.get(key) ?? '(missing)'}, not ${want}`);
  }
  const mark = shardNames.find((n) => NEWER_FORMAT_MARK.test(n));
  if (mark) throw unsupported(shardDir, `${mark} is a format marker of a newer Pebble`);
  return dialect;
}
