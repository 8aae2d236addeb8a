/**
 * Reading every key/value pair of a LogDB the way rawdump.json lists them, and comparing the two. Values of
 * snapshot and bootstrap records are compared decoded: Go writes their maps in random order (spec §5.1), so
 * equal records can differ in bytes.
 */
import assert from 'node:assert/strict';
import { decodeKey, KeyKind } from '../../src/codec/keys.js';
import { decodeBootstrap, decodeSnapshot } from '../../src/codec/messages.js';
import { toJson } from '../../src/cli/json.js';
import { discoverLayout } from '../../src/logdb/layout.js';
import { ShardSet } from '../../src/logdb/shards.js';

/** shard index → (hex key → hex value) */
export type Dump = Map<number, Map<string, string>>;

export async function dumpLogdb(nodeHostDir: string, walDir?: string): Promise<Dump> {
  const layout = discoverLayout(nodeHostDir, { walDir });
  const shards = new ShardSet(layout, 'read');
  const dump: Dump = new Map();
  try {
    for (const s of layout.shards) {
      const pairs = new Map<string, string>();
      const store = await shards.store(s.index);
      for await (const chunk of store.iterate({ gte: Buffer.alloc(0) })) {
        for (const p of chunk) pairs.set(p.key.toString('hex'), p.value.toString('hex'));
      }
      dump.set(s.index, pairs);
    }
  } finally {
    await shards.closeAll();
  }
  return dump;
}

/** rawdump.json's pairs as a Dump (only shards that list every pair). */
export function rawdumpPairs(rawdump: any): Dump {
  const dump: Dump = new Map();
  for (const s of rawdump.shards) {
    const pairs = s.pairs ?? [];
    if (pairs.length !== s.count) throw new Error(`rawdump shard ${s.shard} lists ${pairs.length} of ${s.count} pairs`);
    dump.set(s.shard, new Map(pairs.map((p: any) => [p.k, p.v])));
  }
  return dump;
}

/** Rewrites absolute path prefixes inside decoded records (a fixture copied elsewhere than where it was made). */
export type PathRewrite = [from: string, to: string];

function comparable(keyHex: string, valueHex: string, rewrite?: PathRewrite): unknown {
  const key = Buffer.from(keyHex, 'hex');
  const value = Buffer.from(valueHex, 'hex');
  const kind = key.length >= 2 ? key[0] : -1;
  if (kind === KeyKind.Snapshot) {
    const json = JSON.stringify(toJson(decodeSnapshot(value)));
    return JSON.parse(rewrite ? json.split(rewrite[0]).join(rewrite[1]) : json);
  }
  if (kind === KeyKind.Bootstrap) return toJson(decodeBootstrap(value));
  return valueHex;
}

/** Asserts two dumps hold the same keys and (semantically) the same values, naming the first difference. */
export function assertSameContents(got: Dump, want: Dump, label: string, ignoreKey?: (keyHex: string) => boolean, rewrite?: PathRewrite): void {
  for (const [shard, wantPairs] of want) {
    const gotPairs = got.get(shard) ?? new Map();
    const keys = new Set([...wantPairs.keys(), ...gotPairs.keys()]);
    for (const k of [...keys].sort()) {
      if (ignoreKey?.(k)) continue;
      const where = `${label}: logdb-${shard} key ${k} (${describe(k)})`;
      assert.ok(gotPairs.has(k), `${where} is missing`);
      assert.ok(wantPairs.has(k), `${where} should not be there`);
      assert.deepEqual(comparable(k, gotPairs.get(k)!, rewrite), comparable(k, wantPairs.get(k)!), `${where} has another value`);
    }
  }
}

function describe(keyHex: string): string {
  try {
    const k = decodeKey(Buffer.from(keyHex, 'hex'));
    return `kind ${k.kind} cluster ${k.clusterId} node ${k.nodeId}${k.index !== undefined ? ` index ${k.index}` : ''}`;
  } catch {
    return 'not a LogDB key';
  }
}
