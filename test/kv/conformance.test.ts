/** Both backends pass the one KV conformance suite, on the same dataset as each of them wrote it. */
import { join } from 'node:path';
import { openLevelDBStore } from '../../src/kv/leveldb/store.js';
import { openStore } from '../../src/kv/open.js';
import { copyFixture, fixtureDir, readJson } from '../helpers/fixtures.js';
import { kvConformance, type ConformanceSubject } from './conformance.js';

const DATASET = 'overwrite-batched';
const SHARD = 11;

function subject(backend: 'leveldb' | 'pebble', fixture: string): ConformanceSubject {
  return {
    writes: true,
    async open() {
      const { dir, cleanup } = copyFixture(fixture);
      const shardDir = join(dir, `nodehost/fixturehost/00000000000000000001/logdb-${SHARD}`);
      const raw = readJson(join(dir, 'rawdump.json')).shards[SHARD];
      const pairs: [string, string][] = raw.pairs.map((p: { k: string; v: string }) => [p.k, p.v]);
      const open = () => (backend === 'leveldb' ? openLevelDBStore(shardDir, { mode: 'write' }) : openStore(shardDir, { backend, mode: 'write' }));
      return { store: await open(), pairs, reopen: open, cleanup };
    },
  };
}

for (const backend of ['leveldb', 'pebble'] as const) {
  const fixture = `${backend === 'leveldb' ? 'leveldb-v3.2.8' : 'pebble-v3.3.8'}/${DATASET}`;
  kvConformance(backend, subject(backend, fixture));
}
