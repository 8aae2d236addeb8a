/**
 * LevelDB writes (Dragonboat v3.0–v3.2, spec §9.4) over classic-level.
 *
 * Reads never come here: they go through the pure-TypeScript LSM reader (src/kv/pebble/store.ts, LevelDB flavour),
 * which writes nothing and needs no LOCK. This opens the shard in place and is only used by the maintenance commands
 * after their safety checks (and by tests, as the oracle the reader is checked against).
 * LevelDB has no range deletion, so `deleteRange` is expanded into point deletes of the keys present, inside the
 * same atomic batch — what Dragonboat's own LevelDB CompactEntries does (§8.8).
 */
import { ClassicLevel } from 'classic-level';
import type { KeyRange, KVPair, KVStore, WriteOp } from '../kv.js';
import { KVCorruptionError } from '../kv.js';

/** Pairs fetched per nextv() call; with a large highWaterMarkBytes this is what bounds each chunk. */
const CHUNK_PAIRS = 1000;
const ITERATOR_HIGH_WATER_MARK_BYTES = 4 * 1024 * 1024;

export interface LevelDBOpenOptions {
  mode: 'write';
}

type DB = ClassicLevel<Buffer, Buffer>;

export async function openLevelDBStore(shardDir: string, _options: LevelDBOpenOptions): Promise<KVStore> {
  const db: DB = new ClassicLevel<Buffer, Buffer>(shardDir, {
    keyEncoding: 'buffer',
    valueEncoding: 'buffer',
    createIfMissing: false,
    // Dragonboat's bundled LevelDB is built without Snappy (§9.4): a table compressed by us would be unreadable
    // to it, so everything we write stays uncompressed.
    compression: false,
  });
  try {
    await db.open();
  } catch (err) {
    throw translateOpenError(err, shardDir);
  }
  return new LevelDBStore(db, shardDir);
}

/** LevelDB's own words, first line only. */
function levelText(err: unknown): string {
  const e = err as { cause?: Error; message?: string };
  return String(e?.cause?.message ?? e?.message ?? err).split('\n')[0]!;
}

function translateOpenError(err: unknown, shardDir: string): Error {
  const text = levelText(err);
  if (/lock/i.test(text)) return Object.assign(new Error(`leveldb: ${shardDir} is locked by another process`), { code: 'LOCKED' });
  return new KVCorruptionError(`leveldb: cannot open ${shardDir}: ${text}`, shardDir);
}

/**
 * LevelDB reports damaged tables and logs met while reading as LEVEL_CORRUPTION, and a table cut short as an
 * I/O error (a read past its end): both mean the shard's files cannot be read as they are.
 */
function translateReadError(err: unknown, shardDir: string): unknown {
  const e = err as { code?: string };
  const text = levelText(err);
  if (e?.code === 'LEVEL_CORRUPTION' || e?.code === 'LEVEL_IO_ERROR' || /corrupt/i.test(text)) {
    return new KVCorruptionError(`leveldb: cannot read ${shardDir}: ${text}`, shardDir);
  }
  return err;
}

class LevelDBStore implements KVStore {
  readonly backend = 'leveldb' as const;

  constructor(
    private readonly db: DB,
    /** the operator's shard dir, for messages */
    private readonly dir: string,
  ) {}

  async get(key: Buffer): Promise<Buffer | undefined> {
    try {
      const value = await this.db.get(key, { fillCache: false });
      return value ?? undefined;
    } catch (err) {
      throw translateReadError(err, this.dir);
    }
  }

  async *iterate(range: KeyRange): AsyncIterable<KVPair[]> {
    const it = this.db.iterator({
      gte: range.gte,
      ...(range.lt ? { lt: range.lt } : {}),
      ...(range.lte ? { lte: range.lte } : {}),
      fillCache: false,
      highWaterMarkBytes: ITERATOR_HIGH_WATER_MARK_BYTES,
    });
    // the next chunk is requested before this one is handed out, so LevelDB reads while the caller decodes
    let next = it.nextv(CHUNK_PAIRS);
    try {
      for (;;) {
        const entries = await next.catch((err) => {
          throw translateReadError(err, this.dir);
        });
        if (entries.length === 0) return;
        next = it.nextv(CHUNK_PAIRS);
        const chunk: KVPair[] = new Array(entries.length);
        for (let i = 0; i < entries.length; i++) chunk[i] = { key: entries[i][0], value: entries[i][1] };
        yield chunk;
      }
    } finally {
      await next.catch(() => undefined);
      await it.close();
    }
  }

  async *keys(range: KeyRange): AsyncIterable<Buffer[]> {
    const it = this.db.keys({
      gte: range.gte,
      ...(range.lt ? { lt: range.lt } : {}),
      ...(range.lte ? { lte: range.lte } : {}),
      fillCache: false,
      highWaterMarkBytes: ITERATOR_HIGH_WATER_MARK_BYTES,
    });
    try {
      for (;;) {
        const keys = await it.nextv(CHUNK_PAIRS).catch((err) => {
          throw translateReadError(err, this.dir);
        });
        if (keys.length === 0) return;
        yield keys;
      }
    } finally {
      await it.close();
    }
  }

  async write(ops: WriteOp[], options: { onKeys?: (keys: number) => void } = {}): Promise<void> {
    const batch = this.db.batch();
    let gathered = 0;
    for (const op of ops) {
      if (op.op === 'put') batch.put(op.key, op.value);
      else if (op.op === 'delete') batch.del(op.key);
      else {
        for await (const keys of this.keys({ gte: op.start, lt: op.end })) {
          for (const key of keys) batch.del(key);
          options.onKeys?.((gathered += keys.length));
        }
      }
    }
    await batch.write({ sync: true });
  }

  async compact(range?: { start: Buffer; end: Buffer }): Promise<void> {
    const start = range?.start ?? Buffer.alloc(0);
    const end = range?.end ?? Buffer.alloc(1024, 0xff);
    await this.db.compactRange(start, end);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
