/**
 * rawdump.json's per-shard digest: sha256 over uint32BE(len(k)) ‖ k ‖ uint32BE(len(v)) ‖ v of every pair in key
 * order, computed here over what logdb's own KV reader returns.
 */
import { createHash } from 'node:crypto';
import type { Dump } from './kv-dump.js';

export function shardDigest(pairs: Map<string, string>): { count: number; sha256: string } {
  const h = createHash('sha256');
  const len = Buffer.alloc(4);
  for (const k of [...pairs.keys()].sort()) {
    for (const hex of [k, pairs.get(k)!]) {
      const bytes = Buffer.from(hex, 'hex');
      len.writeUInt32BE(bytes.length);
      h.update(len);
      h.update(bytes);
    }
  }
  return { count: pairs.size, sha256: h.digest('hex') };
}

/** Each shard's count and digest, as rawdump.json lists them ({shard, count, sha256}). */
export function dumpDigests(dump: Dump): { shard: number; count: number; sha256: string }[] {
  return [...dump.entries()].sort((a, b) => a[0] - b[0]).map(([shard, pairs]) => ({ shard, ...shardDigest(pairs) }));
}

export function rawdumpDigests(rawdump: any): { shard: number; count: number; sha256: string }[] {
  return rawdump.shards.map((s: any) => ({ shard: s.shard, count: s.count, sha256: s.sha256 })).sort((a: any, b: any) => a.shard - b.shard);
}
