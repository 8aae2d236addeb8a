/**
 * A Pebble shard opened for writing (`openStore(…, {backend: 'pebble', mode: 'write'})`), used only by the
 * maintenance commands after their safety checks.
 *
 * Opening takes the shard's `LOCK` (writer-lock.ts) and holds it until close. Reads go to the read-only PebbleStore;
 * each `write(ops)` adds one WAL file holding the whole batch (writer.ts) and then reopens the reader, which
 * replays that WAL, so reads show the change at once — as Dragonboat will once Pebble next opens the shard.
 *
 * Compaction: logdb never rewrites Pebble's tables. `compact(range)` does nothing: the range tombstone already hides
 * the keys, and the space comes back when Pebble next compacts, after the NodeHost next runs. A full compaction
 * (no range) writes no record at all, so there is nothing it could do: it is refused as 'unsupported'.
 */
import { LogdbError } from '../../errors.js';
import type { KeyRange, KVPair, KVStore, WriteOp } from '../kv.js';
import { openPebbleStoreSync, type PebbleStore } from './store.js';
import { writeBatchAsWal, type WalWriteResult } from './writer.js';
import { PEBBLE_DIALECT, type WalDialect } from './writer-inspect.js';
import { lockShard, type ShardLock } from './writer-lock.js';

export class PebbleWritableStore implements KVStore {
  readonly backend = 'pebble' as const;
  /** the WAL files this store added, in order */
  readonly written: WalWriteResult[] = [];

  constructor(
    readonly shardDir: string,
    readonly walDir: string,
    private reader: PebbleStore,
    private readonly lock: ShardLock,
    private readonly dialect: WalDialect = PEBBLE_DIALECT,
  ) {}

  get(key: Buffer): Promise<Buffer | undefined> {
    return this.reader.get(key);
  }

  iterate(range: KeyRange): AsyncIterable<KVPair[]> {
    return this.reader.iterate(range);
  }

  async write(ops: WriteOp[]): Promise<void> {
    if (ops.length === 0) return;
    this.written.push(writeBatchAsWal(this.shardDir, this.walDir, ops, this.dialect));
    const previous = this.reader;
    this.reader = openReader(this.shardDir, this.walDir, this.dialect);
    await previous.close();
  }

  async compact(range?: { start: Buffer; end: Buffer }): Promise<void> {
    if (range) return;
    throw new LogdbError('unsupported', `${this.shardDir}: a full compaction of a ${this.dialect.name} shard is not possible offline: logdb does not rewrite ${this.dialect.name} tables`, 'nothing was changed');
  }

  async close(): Promise<void> {
    try {
      await this.reader.close();
    } finally {
      await this.lock.release();
    }
  }
}

function openReader(shardDir: string, walDir: string, dialect: WalDialect): PebbleStore {
  return openPebbleStoreSync(shardDir, { walDir: walDir === shardDir ? undefined : walDir, flavour: dialect.manifestFlavour });
}

/**
 * Opens the shard for writing: takes its LOCK (error code 'LOCKED' if held), then opens the reader. `dialect`: the
 * store's differences from Pebble (RocksDB: src/kv/rocksdb/writer-store.ts).
 */
export async function openPebbleWritableStore(shardDir: string, opts: { walDir?: string; dialect?: WalDialect } = {}): Promise<PebbleWritableStore> {
  const walDir = opts.walDir ?? shardDir;
  const dialect = opts.dialect ?? PEBBLE_DIALECT;
  const lock = await lockShard(shardDir);
  try {
    return new PebbleWritableStore(shardDir, walDir, openReader(shardDir, walDir, dialect), lock, dialect);
  } catch (err) {
    await lock.release();
    throw err;
  }
}
