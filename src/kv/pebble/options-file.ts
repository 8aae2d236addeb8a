/**
 * The `OPTIONS-NNNNNN` file Pebble (and RocksDB) writes at every open: the options the shard was last opened with.
 *
 * Format: INI-like text. `[Section]` headers (Pebble: `[Version]`, `[Options]`, `[Level "0"]` …; RocksDB: `[Version]`,
 * `[DBOptions]`, `[CFOptions "default"]` …), then indented `key=value` lines; `#` starts a comment. The reader uses
 * it to tell Pebble from RocksDB (`pebble_version` vs `rocksdb_version` under `[Version]`) and for `wal_dir`, the
 * absolute WAL directory of the writer's machine (Pebble: `[Options]`; RocksDB: `[DBOptions]`, empty = the DB dir).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const OPTIONS_NAME = /^OPTIONS-(\d+)$/;

export interface OptionsFile {
  name: string;
  path: string;
  flavour: 'pebble' | 'rocksdb' | 'unknown';
  sections: Map<string, Map<string, string>>;
  /** the recorded WAL dir, when one is recorded and not empty */
  walDir?: string;
  disableWal: boolean;
}

/** The OPTIONS file names in `dir`, newest (highest number) first. */
export function listOptionsFiles(names: string[]): string[] {
  return names
    .filter((n) => OPTIONS_NAME.test(n))
    .sort((a, b) => Number(OPTIONS_NAME.exec(b)![1]) - Number(OPTIONS_NAME.exec(a)![1]));
}

export function parseOptionsText(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current = new Map<string, string>();
  sections.set('', current);
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      current = sections.get(header[1]!) ?? new Map();
      sections.set(header[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return sections;
}

/** The newest OPTIONS file of `dir`, or undefined when there is none (or it cannot be read). */
export function readLatestOptions(dir: string, names = readdirSync(dir)): OptionsFile | undefined {
  const [name] = listOptionsFiles(names);
  if (!name) return undefined;
  const path = join(dir, name);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const sections = parseOptionsText(text);
  const version = sections.get('Version');
  const flavour = version?.has('pebble_version') ? 'pebble' : version?.has('rocksdb_version') ? 'rocksdb' : 'unknown';
  const options = sections.get(flavour === 'rocksdb' ? 'DBOptions' : 'Options');
  const walDir = options?.get('wal_dir') || undefined;
  const disableWal = options?.get('disable_wal') === 'true';
  return { name, path, flavour, sections, walDir, disableWal };
}
