/**
 * Every RocksDB block checksum type logdb reads, on tables RocksDB itself wrote: XXH3 (rocksdb-v3.3.8, format 5),
 * CRC-32C (rocksdb-made/format-2, format-4), xxHash and xxHash64 (rocksdb-made/checksum-*: logdb-4 of basic, made by
 * ldb in format 5). The shard reads as basic's logdb-4 (rawdump count and sha256), and a flipped bit in a table is
 * a bad checksum.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { KVCorruptionError } from '../../../src/kv/kv.js';
import { openRocksDBStore } from '../../../src/kv/rocksdb/store.js';
import { copyToTemp, fixtureDir, readJson } from '../../helpers/fixtures.js';
import { shardDigest } from '../../helpers/rawdump-digest.js';

const SHARD4 = join('nodehost', 'fixturehost', '00000000000000000001', 'logdb-4');
const CASES: [name: string, dir: string, checksumType: number][] = [
  ['XXH3', join('rocksdb-v3.3.8/basic', SHARD4), 4],
  ['CRC-32C, format 2', join('rocksdb-made/format-2', SHARD4), 1],
  ['CRC-32C, format 4', join('rocksdb-made/format-4', SHARD4), 1],
  ['xxHash', 'rocksdb-made/checksum-xxhash/logdb-4', 2],
  ['xxHash64', 'rocksdb-made/checksum-xxhash64/logdb-4', 3],
];

async function read(dir: string): Promise<{ pairs: Map<string, string>; checksumTypes: number[] }> {
  const store = await openRocksDBStore(dir);
  try {
    const pairs = new Map<string, string>();
    for await (const chunk of store.iterate({ gte: Buffer.alloc(0) })) for (const p of chunk) pairs.set(p.key.toString('hex'), p.value.toString('hex'));
    return { pairs, checksumTypes: store.openTables().map((t) => t.reader.footer.checksumType) };
  } finally {
    await store.close();
  }
}

const want = readJson(join(fixtureDir('rocksdb-v3.3.8/basic')!, 'rawdump.json')).shards.find((s: { shard: number }) => s.shard === 4);

for (const [name, dir, checksumType] of CASES) {
  test(`${name} block checksums: logdb-4 reads as basic's, and a flipped bit is caught`, async () => {
    const { dir: copy, cleanup } = copyToTemp(fixtureDir(dir)!, 'rocksdb-checksum');
    try {
      const { pairs, checksumTypes } = await read(copy);
      assert.ok(checksumTypes.length > 0 && checksumTypes.every((t) => t === checksumType), `tables with checksum type ${checksumType}: ${checksumTypes}`);
      assert.deepEqual(shardDigest(pairs), { count: want.count, sha256: want.sha256 });

      const table = readdirSync(copy).filter((n) => n.endsWith('.sst')).sort()[0]!;
      const bytes = readFileSync(join(copy, table));
      bytes[10] ^= 0x10;
      writeFileSync(join(copy, table), bytes);
      await assert.rejects(read(copy), (err: unknown) => err instanceof KVCorruptionError && /bad block checksum/.test(err.message));
    } finally {
      cleanup();
    }
  });
}
