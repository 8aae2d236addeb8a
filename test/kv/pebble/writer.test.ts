/**
 * The Pebble write path end to end on private copies of single shards: one write adds exactly one `NNNNNN.log`
 * holding one batch at S = 1 + the last sequence number, the reader sees the change at once, a second write goes
 * above the first; `.log.tmp` leftovers are ignored by the reader and removed by the next write; the writable
 * store holds the shard LOCK against other processes, and compaction is a no-op (range) or refused (full).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LogdbError } from '../../../src/errors.js';
import type { KVStore } from '../../../src/kv/kv.js';
import { openStore } from '../../../src/kv/open.js';
import { batchOps } from '../../../src/kv/pebble/batch.js';
import { readLogRecords } from '../../../src/kv/pebble/record.js';
import { openPebbleStore } from '../../../src/kv/pebble/store.js';
import { writeBatchAsWal } from '../../../src/kv/pebble/writer.js';
import { inspectShardForWrite } from '../../../src/kv/pebble/writer-inspect.js';
import { PebbleWritableStore } from '../../../src/kv/pebble/writer-store.js';
import { copyToTemp, fixtureDir } from '../../helpers/fixtures.js';
import { holdLock } from '../../helpers/lock-holder.js';
import { treeFingerprint } from '../../helpers/tree.js';
import { encodeBatch, writeLog } from './helpers.js';

const SHARD = 'pebble-v3.3.8/removed/nodehost/fixturehost/00000000000000000001/logdb-3';

async function pairs(store: KVStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const chunk of store.iterate({ gte: Buffer.alloc(0) })) for (const p of chunk) out.set(p.key.toString('hex'), p.value.toString('hex'));
  return out;
}

async function readShard(dir: string): Promise<Map<string, string>> {
  const store = await openPebbleStore(dir);
  try {
    return await pairs(store);
  } finally {
    await store.close();
  }
}

function withShardCopy(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const { dir, cleanup } = copyToTemp(fixtureDir(SHARD)!, 'pebble-writer');
    try {
      await fn(dir);
    } finally {
      cleanup();
    }
  };
}

test('a write adds exactly one NNNNNN.log with one batch at S = 1 + the last sequence number, and reads show it', withShardCopy(async (dir) => {
  const before = await readShard(dir);
  const keys = [...before.keys()];
  assert.ok(keys.length > 10);
  const target = inspectShardForWrite(dir);
  const namesBefore = readdirSync(dir);
  const deleted = keys[0]!;
  const range = [keys[3]!, keys[6]!];
  const added = Buffer.from('ff00', 'hex');
  const result = writeBatchAsWal(dir, dir, [
    { op: 'delete', key: Buffer.from(deleted, 'hex') },
    { op: 'deleteRange', start: Buffer.from(range[0]!, 'hex'), end: Buffer.from(range[1]!, 'hex') },
    { op: 'put', key: added, value: Buffer.from('hello') },
  ]);
  const name = `${String(target.fileNumber).padStart(6, '0')}.log`;
  assert.equal(result.file, join(dir, name));
  assert.deepEqual(readdirSync(dir).sort(), [...namesBefore, name].sort(), 'one new file, nothing else');

  const log = readLogRecords(readFileSync(result.file), target.fileNumber);
  assert.equal(log.end, 'eof');
  assert.equal(log.records.length, 1);
  const { header, ops } = batchOps(log.records[0]!);
  assert.equal(BigInt(header.seq), target.nextSequence);
  assert.deepEqual(ops.map((o) => o.kind), [0, 15, 1]);

  const after = await readShard(dir);
  const want = new Map(before);
  want.delete(deleted);
  for (const k of keys.slice(3, 6)) want.delete(k);
  want.set('ff00', Buffer.from('hello').toString('hex'));
  assert.deepEqual(after, want);

  const second = writeBatchAsWal(dir, dir, [{ op: 'put', key: added, value: Buffer.from('again') }]);
  assert.equal(second.fileNumber, target.fileNumber + 1);
  assert.equal(second.seq, target.nextSequence + 3n, 'the next write starts above the three operations of the first');
  assert.equal((await readShard(dir)).get('ff00'), Buffer.from('again').toString('hex'));
}));

test('a .log.tmp left by a killed run is ignored by the reader and removed by the next write', withShardCopy(async (dir) => {
  const before = await readShard(dir);
  const last = inspectShardForWrite(dir);
  const leftover = `${String(last.fileNumber).padStart(6, '0')}.log.tmp`;
  // a complete, valid WAL under the temp name: if anything replayed it, the key would appear
  writeFileSync(join(dir, leftover), writeLog([encodeBatch(Number(last.nextSequence), [{ kind: 1, key: Buffer.from('ee'), value: Buffer.from('x') }])], last.fileNumber));
  assert.deepEqual(await readShard(dir), before, 'the reader ignores .log.tmp');

  const result = writeBatchAsWal(dir, dir, [{ op: 'put', key: Buffer.from('dd', 'hex'), value: Buffer.from('y') }]);
  assert.ok(!readdirSync(dir).some((n) => n.endsWith('.tmp')), 'the leftover is gone');
  assert.ok(result.fileNumber > last.fileNumber, 'the new WAL does not take the leftover\'s number');
  const after = await readShard(dir);
  assert.equal(after.get('dd'), Buffer.from('y').toString('hex'));
  assert.equal(after.has('ee'), false);
}));

test('an empty batch is not written', withShardCopy(async (dir) => {
  const fingerprint = treeFingerprint(dir);
  assert.throws(() => writeBatchAsWal(dir, dir, []), /empty batch/);
  const store = await openStore(dir, { backend: 'pebble', mode: 'write' });
  try {
    await store.write([]);
  } finally {
    await store.close();
  }
  assert.deepEqual(treeFingerprint(dir), fingerprint);
}));

test('openStore in write mode holds the shard LOCK against other processes until closed, and refuses a held one', withShardCopy(async (dir) => {
  const store = await openStore(dir, { backend: 'pebble', mode: 'write' });
  assert.ok(store instanceof PebbleWritableStore);
  try {
    await assert.rejects(holdLock(join(dir, 'LOCK')), /lock holder exited 1/, 'another process cannot take the LOCK');
  } finally {
    await store.close();
  }
  const other = await holdLock(join(dir, 'LOCK'));
  try {
    await assert.rejects(openStore(dir, { backend: 'pebble', mode: 'write' }), (err: Error & { code?: string }) => err.code === 'LOCKED');
  } finally {
    other.kill('SIGKILL');
  }
}));

test('the writable store reads its own writes at once; compact(range) is a no-op, a full compaction is unsupported', withShardCopy(async (dir) => {
  const store = await openStore(dir, { backend: 'pebble', mode: 'write' });
  try {
    const before = await pairs(store);
    await store.write([{ op: 'put', key: Buffer.from('ab', 'hex'), value: Buffer.from('v') }]);
    assert.equal((await store.get(Buffer.from('ab', 'hex')))?.toString(), 'v');
    assert.equal((await pairs(store)).size, before.size + 1);
    const fingerprint = treeFingerprint(dir);
    await store.compact({ start: Buffer.from('00', 'hex'), end: Buffer.from('ff', 'hex') });
    assert.deepEqual(treeFingerprint(dir), fingerprint, 'compact(range) changes nothing');
    await assert.rejects(store.compact(), (err: unknown) => err instanceof LogdbError && err.kind === 'unsupported' && /not possible offline: logdb does not rewrite Pebble tables/.test(err.message));
  } finally {
    await store.close();
  }
}));
