/** Plain mode (spec §7.2): key `01 01 | cluster | node | index`, value one Colfer Entry. */
import { decodeEntry, type Entry } from '../codec/colfer.js';
import { EntryColumns } from '../codec/entry-columns.js';
import { decodeKey, entryKey, plainEntryRange, plainRemoveRange } from '../codec/keys.js';
import { LogdbError } from '../errors.js';
import { MAX_UINT64 } from '../codec/uint64.js';
import type { KVPair, KVStore } from '../kv/kv.js';
import type { EntryStore } from './entry-store.js';

export const plainEntries: EntryStore = {
  mode: 'plain',

  async *scan(store: KVStore, c: bigint, n: bigint, low: bigint, high: bigint): AsyncIterable<Entry[]> {
    if (low >= high) return;
    for await (const chunk of store.iterate(plainEntryRange(c, n, low, high))) {
      const entries: Entry[] = new Array(chunk.length);
      for (let i = 0; i < chunk.length; i++) {
        try {
          entries[i] = decodeEntry(chunk[i].value);
        } catch (err) {
          throw undecodableEntry(c, n, chunk[i], err);
        }
      }
      yield entries;
    }
  },

  async *scanColumns(store: KVStore, c: bigint, n: bigint, low: bigint, high: bigint): AsyncIterable<EntryColumns> {
    if (low >= high) return;
    // one set of columns, refilled chunk after chunk: typed arrays are costly to allocate and to collect
    let columns: EntryColumns | undefined;
    for await (const chunk of store.iterate(plainEntryRange(c, n, low, high))) {
      if (columns === undefined || columns.capacity < chunk.length) columns = new EntryColumns(Math.max(128, chunk.length));
      else columns.truncate(0);
      for (const pair of chunk) {
        if (pushStoredEntry(columns, pair)) continue;
        try {
          decodeEntry(pair.value);
        } catch (err) {
          throw undecodableEntry(c, n, pair, err);
        }
        throw new Error('codec/colfer: an entry decodeEntry accepts was refused by EntryColumns');
      }
      yield columns;
    }
  },

  removeRange(c: bigint, n: bigint, index: bigint) {
    return plainRemoveRange(c, n, index);
  },

  allKeysRange(c: bigint, n: bigint) {
    return { start: entryKey(c, n, 0n), end: entryKey(c, n, MAX_UINT64) };
  },
};

/** Decodes a plain entry record into the next row of `columns`, in place where the pair says where its value lies. */
export function pushStoredEntry(columns: EntryColumns, pair: KVPair): boolean {
  const inPlace = pair.valueBuf;
  return inPlace !== undefined ? columns.push(inPlace, pair.valueStart!, pair.valueEnd!) : columns.push(pair.value, 0, pair.value.length);
}

function undecodableEntry(c: bigint, n: bigint, pair: KVPair, err: unknown): LogdbError {
  return new LogdbError('corrupt', `cluster ${c} node ${n}: the entry record at index ${decodeKey(pair.key).index} does not decode: ${(err as Error).message}`, 'run `logdb check` for details');
}
