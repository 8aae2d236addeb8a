/** How many stored keys lie in [start, end): what a range delete will remove, for the plan. */
import type { KVStore } from '../../kv/kv.js';

export async function countKeys(store: KVStore, start: Buffer, end: Buffer): Promise<number> {
  let n = 0;
  const range = { gte: start, lt: end };
  if (store.keys) for await (const chunk of store.keys(range)) n += chunk.length;
  else for await (const chunk of store.iterate(range)) n += chunk.length;
  return n;
}
