/**
 * WAL replay: rebuilding the memtable from the `NNNNNN.log` files the shard had not yet flushed into tables.
 *
 * Pebble replays every `*.log` of its WAL dir whose number is at least the manifest's log number (its
 * MinUnflushedLogNum), in numeric order; each log is a record log (record.ts, recyclable format) whose records are
 * batches (batch.ts). The previous log number of LevelDB's manifests plays no part in Pebble. A log that ends in an
 * invalid chunk is read up to it: Pebble does the same for the newest log (a crash can tear its end) and refuses to
 * open when an older one is torn (strict_wal_tail); this reader reads on and reports it in `WalFileReport`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBatch } from './batch.js';
import { corruption, DecodeError } from './errors.js';
import { MemtableBuilder, type Memtable } from './memtable.js';
import { scanLogRecords, type LogEnd } from './record.js';

const LOG_NAME = /^(\d+)\.log$/;

export interface WalFile {
  num: number;
  name: string;
  path: string;
}

export interface WalFileReport extends WalFile {
  size: number;
  records: number;
  end: LogEnd;
  tornOffset?: number;
  tornReason?: string;
  /** true when this log is torn and a later log follows: Pebble itself would refuse to open the shard */
  tornBeforeNewerLog: boolean;
}

export interface WalReplay {
  memtable: Memtable;
  files: WalFileReport[];
}

/** The `*.log` files of `names` (a listing of `dir`) numbered `minLogNumber` or above, in numeric order. */
export function liveWalFiles(dir: string, names: string[], minLogNumber: number): WalFile[] {
  const out: WalFile[] = [];
  for (const name of names) {
    const m = LOG_NAME.exec(name);
    if (!m) continue;
    const num = Number(m[1]);
    if (num >= minLogNumber) out.push({ num, name, path: join(dir, name) });
  }
  return out.sort((a, b) => a.num - b.num);
}

/** Replays the live WALs of `walDir` into a memtable. Throws KVCorruptionError for a bad batch inside a valid record. */
export function replayWals(walDir: string, minLogNumber: number, names = readdirSync(walDir)): WalReplay {
  const files = liveWalFiles(walDir, names, minLogNumber);
  const datas = files.map((file) => {
    try {
      return readFileSync(file.path);
    } catch (err) {
      throw corruption('pebble/wal', `cannot read WAL (${(err as NodeJS.ErrnoException).code ?? err})`, file.path);
    }
  });
  // the memtable's arrays sized from the logs (an operation takes some 50 bytes in Dragonboat's), within reason
  const bytes = datas.reduce((sum, d) => sum + d.length, 0);
  const builder = new MemtableBuilder(Math.min(bytes / 48, 1 << 18));
  const add = builder.add.bind(builder);
  const reports: WalFileReport[] = files.map((file, i) => {
    const data = datas[i]!;
    // each batch is decoded where it lies in the file's buffer (records of several chunks assembled in place): the
    // memtable points into that one buffer, nothing is copied
    let records = 0;
    const visit = (buf: Buffer, start: number, end: number, offset: number) => {
      try {
        decodeBatch(buf, add, start, end);
      } catch (err) {
        if (err instanceof DecodeError) throw corruption('pebble/wal', `bad batch (${err.message})`, file.path, offset);
        throw err;
      }
      records++;
    };
    const log = scanLogRecords(data, file.num, visit, true);
    return {
      ...file,
      size: data.length,
      records,
      end: log.end,
      tornOffset: log.tornOffset,
      tornReason: log.tornReason,
      tornBeforeNewerLog: log.end === 'torn' && i < files.length - 1,
    };
  });
  return { memtable: builder.finish(), files: reports };
}
