/**
 * Batched mode (spec §7.3): key `07 07 | cluster | node | index/B`, value an EntryBatch of the entries with that
 * batch ID (B = entry_batch_size from dragonboat.ds, 48 by default). Field compaction is undone by the codec.
 */
import type { Entry } from '../codec/colfer.js';
import { decodeEntryBatch } from '../codec/entry-batch.js';
import { batchedRemoveRange, batchIdRange, batchRange, decodeKey, entryBatchKey } from '../codec/keys.js';
import { LogdbError } from '../errors.js';
import { MAX_UINT64 } from '../codec/uint64.js';
import type { KVStore } from '../kv/kv.js';
import type { EntryStore } from './entry-store.js';

export function batchedEntries(batchSize: bigint): EntryStore {
  return {
    mode: 'batched',

    async *scan(store: KVStore, c: bigint, n: bigint, low: bigint, high: bigint): AsyncIterable<Entry[]> {
      if (low >= high) return;
      const [lowId, highId] = batchIdRange(low, high, batchSize);
      for await (const chunk of store.iterate(batchRange(c, n, lowId, highId))) {
        const out: Entry[] = [];
        for (const pair of chunk) {
          let entries: Entry[];
          try {
            entries = decodeEntryBatch(pair.value);
          } catch (err) {
            throw new LogdbError('corrupt', `cluster ${c} node ${n}: the entry batch record ${decodeKey(pair.key).index} does not decode: ${(err as Error).message}`, 'run `logdb check` for details');
          }
          for (const e of entries) if (e.index >= low && e.index < high) out.push(e);
        }
        if (out.length) yield out;
      }
    },

    removeRange(c: bigint, n: bigint, index: bigint) {
      return batchedRemoveRange(c, n, index, batchSize);
    },

    allKeysRange(c: bigint, n: bigint) {
      return { start: entryBatchKey(c, n, 0n), end: entryBatchKey(c, n, MAX_UINT64) };
    },
  };
}
