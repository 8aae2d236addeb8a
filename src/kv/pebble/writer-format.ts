/**
 * Which Pebble directories logdb may write to: only the format its write path was verified on
 * (pebble-offline-writes.md, "What it does not cover": other Pebble versions may differ — detect and refuse).
 *
 * The verified format is the Pebble Dragonboat v3.3.8 pins (cockroachdb/pebble 27fc006b8bfb, 2021-03-31; spec §9.2),
 * as its newest `OPTIONS-NNNNNN` file shows it:
 *   - `[Version]` holds `pebble_version=0.1`;
 *   - `[Options]` holds only keys that Pebble version writes (later versions add keys such as `format_major_version`,
 *     and keep a `marker.format-version.*` file beside the tables);
 *   - `comparer=leveldb.BytewiseComparator`, `disable_wal=false` (the change travels in a WAL) and
 *     `strict_wal_tail=true` (what the torn-WAL rules assume).
 * Anything else — RocksDB's OPTIONS, no OPTIONS file at all, an unknown key — is refused as 'unsupported'.
 */
import { LogdbError } from '../../errors.js';
import { BYTEWISE_COMPARATOR } from './manifest.js';
import type { OptionsFile } from './options-file.js';

export const VERIFIED_PEBBLE_VERSION = '0.1';

/** The `[Options]` keys Pebble 27fc006b8bfb writes (every shard of the shared fixtures has exactly these). */
const VERIFIED_OPTION_KEYS = new Set([
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

/** Options whose value the write path depends on. */
const REQUIRED_VALUES: [key: string, value: string][] = [
  ['comparer', BYTEWISE_COMPARATOR],
  ['disable_wal', 'false'],
  ['strict_wal_tail', 'true'],
];

/** Marks newer Pebble versions leave in the data dir (format-version markers). */
const NEWER_FORMAT_MARK = /^marker\./;

function unsupported(shardDir: string, why: string): LogdbError {
  return new LogdbError(
    'unsupported',
    `${shardDir}: ${why}; logdb writes only the Pebble format of Dragonboat v3.3.8 (pebble_version ${VERIFIED_PEBBLE_VERSION}, 2021-03-31), the one its write path was verified on`,
    'nothing was changed; run the operation through Dragonboat itself',
  );
}

/** Refuses (LogdbError 'unsupported') unless the shard is in the verified Pebble format. */
export function requireVerifiedFormat(shardDir: string, options: OptionsFile | undefined, shardNames: string[]): void {
  if (!options) throw unsupported(shardDir, 'no OPTIONS file tells which Pebble version wrote this shard');
  if (options.flavour !== 'pebble') throw unsupported(shardDir, `${options.name} is not Pebble's (${options.flavour === 'rocksdb' ? 'RocksDB wrote it' : 'no pebble_version'})`);
  const version = options.sections.get('Version')?.get('pebble_version');
  if (version !== VERIFIED_PEBBLE_VERSION) throw unsupported(shardDir, `${options.name} says pebble_version=${version}`);
  const opts = options.sections.get('Options') ?? new Map<string, string>();
  const unknown = [...opts.keys()].filter((k) => !VERIFIED_OPTION_KEYS.has(k));
  if (unknown.length) throw unsupported(shardDir, `${options.name} has options a newer Pebble writes (${unknown.join(', ')})`);
  for (const [key, want] of REQUIRED_VALUES) {
    if (opts.get(key) !== want) throw unsupported(shardDir, `${options.name} says ${key}=${opts.get(key) ?? '(missing)'}, not ${want}`);
  }
  const mark = shardNames.find((n) => NEWER_FORMAT_MARK.test(n));
  if (mark) throw unsupported(shardDir, `${mark} is a format marker of a newer Pebble`);
}
