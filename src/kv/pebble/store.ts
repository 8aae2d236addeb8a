/**
 * One Pebble or LevelDB shard (`logdb-N`) as a read-only KVStore, read straight from its files.
 *
 * Opening does what Pebble's own open does, minus every write: CURRENT → MANIFEST (the live tables per level and
 * the log number), the live tables (each checked against the size the manifest records), and a replay of the live
 * WALs into a memtable. The directory is never written: no LOCK is taken (a running NodeHost may hold it), files are
 * opened read-only, nothing is created, renamed or flushed. What is read is the state at open; a writer that keeps
 * going afterwards is not followed.
 *
 * Keys and values handed out are views into the reader's buffers: callers must not modify them.
 * Writing (adding one WAL file per batch, for the maintenance commands) is writer-store.ts, which reads through this.
 *
 * LevelDB (Dragonboat v3.0–v3.2, spec §9.4) is Pebble's ancestor and read the same way: its tables are the LevelDB
 * table format (LevelDB footer, no properties block, `NNNNNN.ldb` or the older `NNNNNN.sst`), its MANIFEST uses the
 * version edit tags 1–9 only, its logs (`NNNNNN.log`) the legacy record framing, and its batches are Pebble's (SET 1,
 * DEL 0). LevelDB replays the logs numbered from the manifest's log number up, plus its previous log number, and has
 * no OPTIONS file and no separate WAL dir.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { KVCorruptionError, KVReadOnlyError, type KeyRange, type KVPair, type KVStore, type WriteOp } from '../kv.js';
import { corruption, PebbleMissingWalError } from './errors.js';
import { compareBytes, immediateSuccessor } from './internal-key.js';
import type { InternalIterator, RangeTombstone } from './iterator.js';
import { LevelIterator, type LevelTable } from './level-iterator.js';
import { loadManifest, NUM_LEVELS, tableFileName, type ManifestState, type TableMeta } from './manifest.js';
import { MemtableIterator, type Memtable } from './memtable.js';
import { getVisible, VisibleIterator } from './merge.js';
import { readLatestOptions, type OptionsFile } from './options-file.js';
import { clipToTable, TombstoneIndex } from './range-tombstones.js';
import { TableReader } from './sstable.js';
import { liveWalFiles, replayWals, type WalFileReport } from './wal.js';

export { PebbleMissingWalError } from './errors.js';

/** Pairs per chunk handed out by iterate(). */
const CHUNK_SIZE = 128;

export interface PebbleStoreOptions {
  /** the shard's WAL dir (`<WALDir>/<host>/<deployment>/logdb-N`) when the NodeHost had one; default: the shard dir */
  walDir?: string;
  /**
   * which engine wrote the shard: 'leveldb' reads LevelDB's files; 'rocksdb' reads the RocksDB-only MANIFEST tags
   * (src/kv/rocksdb/store.ts); default: what the OPTIONS file says (Pebble or RocksDB)
   */
  flavour?: 'pebble' | 'rocksdb' | 'leveldb';
}

interface OpenTable {
  meta: TableMeta;
  reader: TableReader;
}

export class PebbleStore implements KVStore {
  private readonly l0: OpenTable[];
  private readonly levels: LevelTable[][];
  private readonly tombstones: TombstoneIndex;
  private closed = false;

  constructor(
    readonly backend: 'pebble' | 'leveldb',
    readonly shardDir: string,
    readonly walDir: string,
    readonly manifest: ManifestState,
    readonly options: OptionsFile | undefined,
    readonly memtable: Memtable,
    /** the WAL files replayed, with how each ended */
    readonly walFiles: WalFileReport[],
    private readonly tables: OpenTable[],
  ) {
    this.l0 = tables.filter((t) => t.meta.level === 0);
    this.levels = [];
    for (let level = 1; level < NUM_LEVELS; level++) {
      const inLevel = tables.filter((t) => t.meta.level === level);
      if (inLevel.length > 0) this.levels.push(inLevel.map((t) => ({ largest: t.meta.largest.userKey, reader: t.reader })));
    }
    const all: RangeTombstone[] = [...memtable.rangeTombstones];
    for (const t of tables) all.push(...clipToTable(t.reader.rangeTombstones(), t.meta));
    this.tombstones = new TombstoneIndex(all);
  }

  /** The range tombstones in force, flattened into non-overlapping fragments. */
  rangeTombstones(): RangeTombstone[] {
    return this.tombstones.fragments();
  }

  /** The open table readers with their manifest entries (for properties and layout reports). */
  openTables(): { meta: TableMeta; reader: TableReader }[] {
    return [...this.tables];
  }

  private sources(l0: OpenTable[]): InternalIterator[] {
    this.checkOpen();
    const sources: InternalIterator[] = [];
    if (this.memtable.count > 0) sources.push(new MemtableIterator(this.memtable));
    for (const t of l0) sources.push(t.reader.newIterator());
    for (const level of this.levels) sources.push(new LevelIterator(level));
    return sources;
  }

  async get(key: Buffer): Promise<Buffer | undefined> {
    const l0 = this.l0.filter(
      (t) => compareBytes(t.meta.smallest.userKey, key) <= 0 && compareBytes(key, t.meta.largest.userKey) <= 0,
    );
    try {
      return getVisible(this.sources(l0), this.tombstones.newCursor(), key);
    } catch (err) {
      throw this.backend === 'leveldb' ? asLevelDBError(err) : err;
    }
  }

  async *iterate(range: KeyRange): AsyncGenerator<KVPair[]> {
    try {
      yield* this.scan(range);
    } catch (err) {
      throw this.backend === 'leveldb' ? asLevelDBError(err) : err;
    }
  }

  private *scan(range: KeyRange): Generator<KVPair[]> {
    const it = new VisibleIterator(this.sources(this.l0), this.tombstones.newCursor());
    it.seekGE(range.gte);
    const end = exclusiveEnd(range);
    for (;;) {
      const chunk: KVPair[] = [];
      const more = it.fill(chunk, CHUNK_SIZE, end);
      if (chunk.length > 0) {
        yield chunk;
        this.checkOpen();
      }
      if (!more) return;
    }
  }

  async write(_ops: WriteOp[]): Promise<void> {
    throw new KVReadOnlyError(this.backend);
  }

  async compact(_range?: { start: Buffer; end: Buffer }): Promise<void> {
    throw new KVReadOnlyError(this.backend);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.tables) t.reader.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`${this.backend}: the store of ${this.shardDir} is closed`);
  }
}

/** The exclusive upper bound of `range` (an inclusive `lte` becomes its immediate successor), or undefined. */
function exclusiveEnd(range: KeyRange): Buffer | undefined {
  const { lt, lte } = range;
  const after = lte && immediateSuccessor(lte);
  if (lt && after) return compareBytes(lt, after) <= 0 ? lt : after;
  return lt ?? after;
}

/** Opens the Pebble shard in `shardDir` read-only. Throws KVCorruptionError, or PebbleMissingWalError (see there). */
export async function openPebbleStore(shardDir: string, opts: PebbleStoreOptions = {}): Promise<PebbleStore> {
  return openPebbleStoreSync(shardDir, opts);
}

/** openPebbleStore without the promise (opening is synchronous file work). */
export function openPebbleStoreSync(shardDir: string, opts: PebbleStoreOptions = {}): PebbleStore {
  if (opts.flavour === 'leveldb') return openLevelDBShard(shardDir);
  const names = readdirSync(shardDir);
  const options = readLatestOptions(shardDir, names);
  const manifest = loadManifest(shardDir, opts.flavour ?? (options?.flavour === 'rocksdb' ? 'rocksdb' : 'pebble'));
  const walDir = opts.walDir ?? shardDir;
  const walNames = walDir === shardDir ? names : listWalDir(shardDir, walDir, options);
  checkWalsPresent(shardDir, walDir, names, walNames, manifest, options, isRocksDB(opts, options));

  const tables: OpenTable[] = [];
  try {
    for (const meta of manifest.levels.flat()) tables.push({ meta, reader: openTable(shardDir, manifest, meta) });
    const replay = replayWals(walDir, manifest.logNumber, walNames);
    return new PebbleStore('pebble', shardDir, walDir, manifest, options, replay.memtable, replay.files, tables);
  } catch (err) {
    for (const t of tables) t.reader.close();
    throw err;
  }
}

/** A corruption error of the reader, named after LevelDB's files for a LevelDB shard (`leveldb/sstable: …`). */
function asLevelDBError(err: unknown): unknown {
  if (!(err instanceof KVCorruptionError) || !err.message.startsWith('pebble/')) return err;
  return new KVCorruptionError(`leveldb/${err.message.slice('pebble/'.length)}`, err.file, err.offset);
}

/** A LevelDB shard, read-only: see the header. */
function openLevelDBShard(shardDir: string): PebbleStore {
  try {
    return openLevelDBFiles(shardDir);
  } catch (err) {
    throw asLevelDBError(err);
  }
}

function openLevelDBFiles(shardDir: string): PebbleStore {
  const names = readdirSync(shardDir);
  const manifest = loadManifest(shardDir);
  const tables: OpenTable[] = [];
  try {
    for (const meta of manifest.levels.flat()) tables.push({ meta, reader: openTable(shardDir, manifest, meta, names) });
    const prevLog = manifest.prevLogNumber;
    const logNames = liveWalFiles(shardDir, names, 0)
      .filter((f) => f.num >= manifest.logNumber || (prevLog > 0 && f.num === prevLog))
      .map((f) => f.name);
    const replay = replayWals(shardDir, 0, logNames);
    return new PebbleStore('leveldb', shardDir, shardDir, manifest, undefined, replay.memtable, replay.files, tables);
  } catch (err) {
    for (const t of tables) t.reader.close();
    throw err;
  }
}

function openTable(shardDir: string, manifest: ManifestState, meta: TableMeta, leveldbNames?: string[]): TableReader {
  let path = join(shardDir, tableFileName(meta.fileNum));
  // LevelDB names its tables NNNNNN.ldb and still reads the NNNNNN.sst of its older versions
  if (leveldbNames) {
    const ldb = tableFileName(meta.fileNum).replace(/\.sst$/, '.ldb');
    if (leveldbNames.includes(ldb) || !leveldbNames.includes(tableFileName(meta.fileNum))) path = join(shardDir, ldb);
  }
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw corruption('pebble/sstable', `table listed in ${manifest.manifestName} cannot be read (${code})`, path);
  }
  if (size !== meta.size) {
    throw corruption('pebble/sstable', `table is ${size} bytes, ${manifest.manifestName} says ${meta.size}`, path);
  }
  return TableReader.open(path);
}

function listWalDir(shardDir: string, walDir: string, options: OptionsFile | undefined): string[] {
  try {
    return readdirSync(walDir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new PebbleMissingWalError(`pebble/wal: cannot list the WAL dir ${walDir} (${code})`, shardDir, walDir, options?.walDir);
  }
}

/**
 * Pebble always keeps the WAL it was writing (a clean close leaves it, maybe holding only the EOF trailer), so a
 * shard without any live WAL where the reader looks most likely had its WAL somewhere else.
 */
function checkWalsPresent(
  shardDir: string,
  walDir: string,
  shardNames: string[],
  walNames: string[],
  manifest: ManifestState,
  options: OptionsFile | undefined,
  rocksdb: boolean,
): void {
  if (options?.disableWal || liveWalFiles(walDir, walNames, manifest.logNumber).length > 0) return;
  if (walDir !== shardDir && liveWalFiles(shardDir, shardNames, manifest.logNumber).length > 0) {
    throw new PebbleMissingWalError(
      `pebble/wal: no WAL numbered ${manifest.logNumber} or above in ${walDir}, but the shard dir ${shardDir} has ` +
        'them: this shard keeps its WAL in its own dir, do not give a WAL dir',
      shardDir,
      walDir,
      options?.walDir,
    );
  }
  if (options?.walDir && !probablySameDir(options.walDir, walDir)) {
    throw new PebbleMissingWalError(
      `pebble/wal: no WAL numbered ${manifest.logNumber} or above in ${walDir}; the shard's ${options.name} records ` +
        `wal_dir=${options.walDir}: give the NodeHost's WAL dir with --wal-dir`,
      shardDir,
      walDir,
      options.walDir,
    );
  }
  if (rocksdb) {
    // RocksDB keeps its current WAL too (even a 0-byte one), but its OPTIONS file does not record wal_dir
    throw new PebbleMissingWalError(
      `rocksdb/wal: no WAL numbered ${manifest.logNumber} or above in ${walDir}, where RocksDB always keeps the one it ` +
        'last wrote: its WALs are elsewhere',
      shardDir,
      walDir,
    );
  }
}

function isRocksDB(opts: PebbleStoreOptions, options: OptionsFile | undefined): boolean {
  return (opts.flavour ?? options?.flavour) === 'rocksdb';
}

/**
 * Whether the WAL dir an OPTIONS file recorded (an absolute path on the writer's machine) is `dir`. Directories are
 * often copied elsewhere, so besides an exact match, the last four components (`<NodeHostDir name>/<host>/
 * <deployment>/logdb-N`) matching counts as the same dir.
 */
function probablySameDir(recorded: string, dir: string): boolean {
  const a = resolve(recorded);
  const b = resolve(dir);
  if (a === b) return true;
  const tail = (p: string) => p.split(sep).filter(Boolean).slice(-4).join(sep);
  return tail(a) === tail(b);
}

/**
 * Whether `dir` is a Pebble store. The mark is Pebble's `OPTIONS-*` file (`pebble_version` under `[Version]`;
 * RocksDB's says `rocksdb_version`, LevelDB writes none). Without one, a MANIFEST whose tables were added with
 * RocksDB/Pebble's extended tags (100–103, which LevelDB never writes) and no LevelDB marks (`*.ldb`, `LOG`) counts.
 */
export function isPebbleDir(dir: string): boolean {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return false;
  }
  if (!names.includes('CURRENT')) return false;
  const options = readLatestOptions(dir, names);
  if (options && options.flavour !== 'unknown') return options.flavour === 'pebble';
  if (names.includes('LOG') || names.some((n) => n.endsWith('.ldb'))) return false;
  try {
    return loadManifest(dir).levels.flat().some((t) => t.tag !== 7);
  } catch {
    return false;
  }
}
