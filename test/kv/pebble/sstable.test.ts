import assert from 'node:assert/strict';
import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { KVCorruptionError } from '../../../src/kv/kv.js';
import { compareBytes } from '../../../src/kv/pebble/internal-key.js';
import { tableFileName } from '../../../src/kv/pebble/manifest.js';
import { TableReader } from '../../../src/kv/pebble/sstable.js';
import { copyToTemp, fixtureDir, readJson } from '../../helpers/fixtures.js';
import { PEBBLE_DATASETS } from './helpers.js';

const PROPERTY_FIELDS = [
  'comparer',
  'compression',
  'dataSize',
  'filterPolicy',
  'indexPartitions',
  'indexSize',
  'indexType',
  'mergeOperator',
  'numDataBlocks',
  'numDeletions',
  'numEntries',
  'numRangeDeletions',
  'rawKeySize',
  'rawValueSize',
] as const;

test('every table of every dataset: properties match kvLayout, entries are ordered and counted', () => {
  let tables = 0;
  for (const { name } of PEBBLE_DATASETS) {
    const dataset = `pebble-v3.3.8/${name}`;
    const root = fixtureDir(dataset);
    for (const shard of readJson(join(root, 'expected.json')).kvLayout as any[]) {
      for (const level of shard.levels ?? []) {
        for (const file of level.files) {
          const path = join(root, shard.dir, file.name);
          const where = `${name}/${file.name}`;
          const reader = TableReader.open(path);
          try {
            const got = Object.fromEntries(PROPERTY_FIELDS.map((f) => [f, reader.properties[f]]));
            const want = Object.fromEntries(PROPERTY_FIELDS.map((f) => [f, file.properties[f]]));
            assert.deepEqual(got, want, where);
            assert.equal(reader.twoLevel, file.properties.indexType === 2, where);

            let entries = 0;
            let prev: { key: Buffer; seq: number } | undefined;
            const it = reader.newIterator();
            for (it.first(); it.valid; it.next()) {
              if (prev) {
                const c = compareBytes(prev.key, it.key);
                assert.ok(c < 0 || (c === 0 && prev.seq > it.seq), `${where}: entries out of order`);
              }
              prev = { key: it.key, seq: it.seq };
              entries++;
            }
            const tombstones = reader.rangeTombstones();
            assert.equal(entries + tombstones.length, file.properties.numEntries, where);
            assert.equal(tombstones.length, file.properties.numRangeDeletions, where);
            tables++;
          } finally {
            reader.close();
          }
        }
      }
    }
  }
  assert.ok(tables > 0 || !fixtureDir('pebble-v3.3.8/lsm'));
});

const largeShard = 'pebble-v3.3.8/lsm-large/nodehost/fixturehost/00000000000000000001/logdb-5';

test('two-level index: seeks land on the right entry in every data block', () => {
  const reader = TableReader.open(join(fixtureDir(largeShard)!, '000022.sst'));
  try {
    assert.equal(reader.twoLevel, true);
    assert.equal(reader.properties.indexPartitions, 2);
    assert.equal(reader.partitionCount, 2);
    // every separator of every partition: seeking to it, or just below it, gives a key >= the target
    const all: Buffer[] = [];
    const it = reader.newIterator();
    for (it.first(); it.valid; it.next()) all.push(it.key);
    assert.equal(all.length, reader.properties.numEntries);
    const seek = reader.newIterator();
    for (let i = 0; i < all.length; i += 997) {
      seek.seekGE(all[i]!);
      assert.ok(seek.valid);
      assert.deepEqual(seek.key, all[i]);
      const between = Buffer.concat([all[i]!, Buffer.from([0])]);
      seek.seekGE(between);
      if (i + 1 < all.length) assert.deepEqual(seek.key, all[i + 1]);
      else assert.equal(seek.valid, false);
    }
    seek.seekGE(Buffer.alloc(0));
    assert.deepEqual(seek.key, all[0]);
    seek.seekGE(Buffer.from([0xff]));
    assert.equal(seek.valid, false);
  } finally {
    reader.close();
  }
});

const lsmShard = 'pebble-v3.3.8/lsm/nodehost/fixturehost/00000000000000000001/logdb-1';

test('a flipped byte in a data block is a KVCorruptionError naming the table and the block offset', () => {
  const { dir, cleanup } = copyToTemp(fixtureDir(lsmShard)!, 'pebble-sst');
  try {
    const path = join(dir, tableFileName(21));
    // find the third data block through the index, then damage a byte in its middle
    const probe = TableReader.open(path);
    const part = probe.partition(0);
    const blockOffset = part.offsets[2]!;
    const blockLength = part.lengths[2]!;
    probe.close();
    const data = readFileSync(path);
    data[blockOffset + (blockLength >> 1)] ^= 0x10;
    writeFileSync(path, data);

    const reader = TableReader.open(path); // footer, index and properties are intact
    const it = reader.newIterator();
    assert.throws(
      () => {
        for (it.first(); it.valid; it.next());
      },
      (err: unknown) =>
        err instanceof KVCorruptionError &&
        err.message === `pebble/sstable: bad block checksum in 000021.sst at offset ${blockOffset}` &&
        err.file === path &&
        err.offset === blockOffset,
    );
    reader.close();
  } finally {
    cleanup();
  }
});

test('a truncated or footer-damaged table is a KVCorruptionError naming it', () => {
  const { dir, cleanup } = copyToTemp(fixtureDir(lsmShard)!, 'pebble-sst-trunc');
  try {
    const path = join(dir, tableFileName(42));
    const original = readFileSync(path);
    const expectCorruption = (pattern: RegExp) =>
      assert.throws(
        () => TableReader.open(path),
        (err: unknown) => err instanceof KVCorruptionError && err.file === path && pattern.test(err.message) && err.message.includes('000042.sst'),
      );
    truncateSync(path, original.length - 100);
    expectCorruption(/^pebble\/sstable: (bad table magic number|footer block handle)/);
    truncateSync(path, 20);
    expectCorruption(/^pebble\/sstable: file too short for a table footer/);
    const badIndex = Buffer.from(original);
    badIndex[original.length - 60] ^= 0xff; // inside the index block, just before the footer
    writeFileSync(path, badIndex);
    expectCorruption(/^pebble\/sstable: bad block checksum in 000042.sst at offset \d+$/);
  } finally {
    cleanup();
  }
});

/** Every table file under `dir` (.sst, or LevelDB's .ldb). */
function tableFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tableFiles(path));
    else if (/^\d+\.(sst|ldb)$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

test("a table's fast path (emitRun) shows what walking it entry by entry shows, from any start, up to any limit", () => {
  const roots = [...PEBBLE_DATASETS.map(({ name }) => fixtureDir(`pebble-v3.3.8/${name}`)!), fixtureDir('leveldb-v3.2.8')!];
  let tables = 0;
  let withVersions = 0;
  for (const path of roots.flatMap(tableFiles)) {
    const reader = TableReader.open(path);
    try {
      // by definition: the newest version of each user key decides, up to the first MERGE (where emitRun stops)
      const newest: { key: string; seq: number; kind: number; value: string }[] = [];
      const walk = reader.newIterator();
      let versions = 0;
      for (walk.first(); walk.valid; walk.next()) {
        const key = walk.key.toString('hex');
        if (newest.length > 0 && newest[newest.length - 1]!.key === key) {
          versions++;
          continue;
        }
        newest.push({ key, seq: walk.seq, kind: walk.kind, value: walk.value().toString('hex') });
      }
      const merge = newest.findIndex((e) => e.kind === 2);
      const keys = merge < 0 ? newest : newest.slice(0, merge);
      if (versions > 0) withVersions++;
      const seqs = keys.map((e) => e.seq).sort((a, b) => a - b);
      for (const deletedBelow of [0, seqs[seqs.length >> 1] ?? 0]) {
        for (const limitAt of [undefined, keys.length >> 1, keys.length - 1]) {
          const limit = limitAt === undefined || limitAt < 0 ? undefined : Buffer.from(keys[limitAt]!.key, 'hex');
          const below = limit === undefined ? keys : keys.slice(0, limitAt);
          const want = below.filter((e) => (e.kind === 1 || e.kind === 18) && e.seq >= deletedBelow).map((e) => [e.key, e.value]);
          for (const max of [5, 100_000]) {
            const it = reader.newIterator();
            it.first();
            const got: string[][] = [];
            for (;;) {
              const out: { key: Buffer; value: Buffer }[] = [];
              const moved = it.emitRun(out, got.length + max, limit, deletedBelow);
              for (const p of out) got.push([p.key.toString('hex'), p.value.toString('hex')]);
              if (!moved || !it.valid) break;
            }
            const where = `${path} deletedBelow ${deletedBelow} limit ${limitAt} max ${max}`;
            assert.deepEqual(got, want, where);
            // it stops at the limit, at the first MERGE, or at the end
            const next = limit !== undefined ? limitAt : merge < 0 ? undefined : merge;
            if (next === undefined) assert.equal(it.valid, false, where);
            else assert.equal(it.key.toString('hex'), newest[next]!.key, where);
          }
        }
      }
      tables++;
    } finally {
      reader.close();
    }
  }
  assert.ok(tables >= 10, `only ${tables} tables`);
  assert.ok(withVersions > 0, 'some table holds several versions of a key');
});
