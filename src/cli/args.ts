/** Parsing what people type: IDs, indexes, limits, entry types. Every failure is a one-line usage error. */
import { entryTypeByName } from '../codec/enums.js';
import { parseUint64 } from '../codec/uint64.js';
import { usageError } from '../errors.js';

export function parseId(text: string | undefined, what: string, flag: string): bigint {
  if (text === undefined) throw usageError(`missing ${flag} <id>: the ${what} to read`, `list them with \`logdb ls-nodes DIR\``);
  try {
    return parseUint64(String(text).trim(), what);
  } catch (err) {
    throw usageError(`${flag}: ${(err as Error).message}`);
  }
}

export function parseOptionalIndex(text: string | undefined, flag: string): bigint | undefined {
  if (text === undefined) return undefined;
  try {
    return parseUint64(String(text).trim(), 'index');
  } catch (err) {
    throw usageError(`${flag}: ${(err as Error).message}`);
  }
}

export function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(String(text).trim())) throw usageError(`--limit: "${text}" is not a count (a whole number, 0 or more)`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw usageError(`--limit: ${text} is too large`);
  return n;
}

/** `--type EncodedEntry,config` → the set of entry type numbers; names are case-insensitive, "Entry" optional. */
export function parseEntryTypes(text: string | undefined): Set<number> | undefined {
  if (text === undefined) return undefined;
  const types = new Set<number>();
  for (const raw of String(text).split(',')) {
    const word = raw.trim();
    if (/^\d+$/.test(word)) {
      types.add(Number(word));
      continue;
    }
    const t = entryTypeByName(word) ?? entryTypeByName(`${word}Entry`) ?? entryTypeByName(word.replace(/^config$/i, 'ConfigChange') + 'Entry');
    if (t === undefined) {
      throw usageError(`--type: unknown entry type "${word}"`, 'use ApplicationEntry, ConfigChangeEntry, EncodedEntry or MetadataEntry (or 0–3)');
    }
    types.add(t);
  }
  return types;
}
