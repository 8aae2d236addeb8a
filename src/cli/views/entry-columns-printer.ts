/**
 * dump-entries' json/ndjson output from EntryColumns: the same text as printing entryJson of each entry, written
 * as bytes into stdout's buffer (entry-json-bytes.ts); entries that need more decoding go through entryJson.
 */
import type { EntryColumns } from '../../codec/entry-columns.js';
import { out, RAW_LIMIT, rawBuffer, rawUsed, room, setRawUsed } from '../stdout.js';
import { entryJson } from './entry.js';
import { entryJsonBytesBound, writeEntryJson } from './entry-json-bytes.js';

const NEWLINE = 0x0a;
const FIRST_IN_ARRAY = Buffer.from('[\n  ');
const NEXT_IN_ARRAY = Buffer.from(',\n  ');

/** Prints the entries (only `types` when given, at most `limit`) as ndjson lines or one JSON array. */
export async function printEntryColumns(
  source: AsyncIterable<EntryColumns>,
  format: 'json' | 'ndjson',
  types: Set<number> | undefined,
  limit: number | undefined,
): Promise<void> {
  const array = format === 'json';
  let shown = 0;
  if (limit !== 0) {
    outer: for await (const cols of source) {
      for (let i = 0; i < cols.count; i++) {
        if (types && !types.has(cols.types[i]!)) continue;
        const separator = array ? (shown === 0 ? FIRST_IN_ARRAY : NEXT_IN_ARRAY) : undefined;
        const wait = printOne(cols, i, separator);
        shown++;
        if (wait) await wait;
        if (limit !== undefined && shown >= limit) break outer;
      }
    }
  }
  if (array) await out(shown === 0 ? '[]\n' : '\n]\n');
}

function printOne(cols: EntryColumns, i: number, separator: Buffer | undefined): Promise<void> | undefined {
  const bound = entryJsonBytesBound(cols, i) + 8;
  if (bound <= RAW_LIMIT) {
    const wait = room(bound);
    const buf = rawBuffer();
    let pos = rawUsed();
    if (separator) {
      buf.set(separator, pos);
      pos += separator.length;
    }
    const end = writeEntryJson(cols, i, buf, pos);
    if (end >= 0) {
      if (separator) setRawUsed(end);
      else {
        buf[end] = NEWLINE;
        setRawUsed(end + 1);
      }
      return wait;
    }
    if (wait) return wait.then(() => out(fallbackText(cols, i, separator)));
  }
  return out(fallbackText(cols, i, separator));
}

function fallbackText(cols: EntryColumns, i: number, separator: Buffer | undefined): string {
  const json = entryJson(cols.toEntry(i));
  return separator ? separator.toString('latin1') + json : json + '\n';
}
