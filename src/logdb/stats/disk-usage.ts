/**
 * Bytes on disk of one shard, by what the files are: tables (LevelDB `.ldb`, Pebble/RocksDB `.sst`), write-ahead
 * logs (`.log`, in the WAL dir when the NodeHost had one), manifests (`MANIFEST-*`), and everything else
 * (CURRENT, LOCK, OPTIONS, LevelDB's LOG). Tables are what compaction shrinks; logs are replayed at every open.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ShardLocation } from '../layout.js';

export interface FileGroup {
  files: number;
  bytes: number;
}

export interface DiskUsage {
  bytes: number;
  tables: FileGroup;
  logs: FileGroup;
  manifests: FileGroup;
  other: FileGroup;
}

type Group = 'tables' | 'logs' | 'manifests' | 'other';

function groupOf(name: string): Group {
  if (/\.(ldb|sst)$/.test(name)) return 'tables';
  if (/\.log$/.test(name)) return 'logs';
  if (/^MANIFEST-\d+$/.test(name)) return 'manifests';
  return 'other';
}

export function diskUsage(shard: ShardLocation): DiskUsage {
  const usage: DiskUsage = { bytes: 0, tables: { files: 0, bytes: 0 }, logs: { files: 0, bytes: 0 }, manifests: { files: 0, bytes: 0 }, other: { files: 0, bytes: 0 } };
  const dirs = shard.walDir && shard.walDir !== shard.dir ? [shard.dir, shard.walDir] : [shard.dir];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      let size: number;
      try {
        const st = statSync(join(dir, name));
        if (!st.isFile()) continue;
        size = st.size;
      } catch {
        continue;
      }
      // a separate WAL dir holds only the logs; anything else there is not this shard's
      if (dir !== shard.dir && groupOf(name) !== 'logs') continue;
      const group = usage[groupOf(name)];
      group.files++;
      group.bytes += size;
      usage.bytes += size;
    }
  }
  return usage;
}
