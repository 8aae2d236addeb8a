/** How many stored keys lie in [start, end): what a range delete will remove, for the plan. */
import type { KVStore } from '../../kv/kv.js';

export async function countKeys(store: KVStore, start: Buffer, end: Buffer): Promise<number> {
  let n = 0;
  for await (const chunk of store.iterate({ gte: start, lt: end })) n += chunk.length;
  return n;
}
