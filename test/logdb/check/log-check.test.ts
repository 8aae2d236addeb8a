/**
 * The log rules of `check` (src/logdb/check/log-check.ts) on small hand-made logs, where each rule can be seen on
 * its own: the log Dragonboat reads runs from the newest snapshot to the max index; damage inside it is an
 * error, outside it a warning; entries above the max index are stale, not damage; a record that does not decode
 * is reported once, without a second "gap" for the same hole.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeEntry, type Entry } from '../../../src/codec/colfer.js';
import { encodeEntryBatch } from '../../../src/codec/entry-batch.js';
import { entryBatchKey, entryKey } from '../../../src/codec/keys.js';
import type { CheckContext } from '../../../src/logdb/check/context.js';
import { FindingSink, type Finding } from '../../../src/logdb/check/finding.js';
import { Hints } from '../../../src/logdb/check/hints.js';
import { LogChecker } from '../../../src/logdb/check/log-check.js';
import { NodeTable } from '../../../src/logdb/check/node-records.js';
import { noProgress } from '../../../src/logdb/progress.js';
import { GARBAGE } from './damage.js';

const C = 7n;
const N = 2n;

function entry(index: bigint, term: bigint, type = 0, cmd = Buffer.alloc(0)): Entry {
  return { term, index, type, key: 0n, clientId: 0n, seriesId: 0n, respondedTo: 0n, cmd };
}

interface Setup {
  maxIndex: bigint | null;
  snapshot?: { index: bigint; term: bigint };
  mode?: 'plain' | 'batched';
}

function checker({ maxIndex, snapshot, mode = 'plain' }: Setup) {
  const sink = new FindingSink();
  const ctx: CheckContext = { reader: undefined as never, sink, hints: new Hints('/data/nh'), deep: true, mode, batchSize: 48n, progress: noProgress };
  const node = new NodeTable().get(3, C, N);
  node.hasMaxIndex = maxIndex !== null;
  node.maxIndex = maxIndex;
  if (snapshot) {
    node.snapshotIndexes.push(snapshot.index);
    node.snapshots.set(snapshot.index, { index: snapshot.index, term: snapshot.term } as never);
  }
  return { log: new LogChecker(ctx, node), findings: (): Finding[] => sink.list() };
}

const plain = (log: LogChecker, e: Entry) => log.plainRecord(entryKey(C, N, e.index), e.index, encodeEntry(e));
const codes = (fs: Finding[]) => fs.map((f) => `${f.severity} ${f.code}${f.index ? ` ${f.index}` : ''}`);

test('a whole log from 1 to the max index is healthy', () => {
  const { log, findings } = checker({ maxIndex: 5n });
  for (let i = 1n; i <= 5n; i++) plain(log, entry(i, i < 3n ? 1n : 2n));
  const sum = log.finish();
  assert.deepEqual(codes(findings()), []);
  assert.equal(sum.entries, 5);
  assert.equal(sum.firstIndex, 1n);
  assert.equal(sum.lastIndex, 5n);
  assert.equal(sum.lastTerm, 2n);
});

test('a missing entry in the middle, and a log that ends before the max index, are gaps', () => {
  const { log, findings } = checker({ maxIndex: 9n });
  for (const i of [1n, 2n, 4n, 5n, 6n]) plain(log, entry(i, 1n));
  log.finish();
  assert.deepEqual(codes(findings()), ['error entry-gap 3', 'error entry-gap 7']);
});

test('the log may start at the snapshot index or right after it, not later', () => {
  const ok = checker({ maxIndex: 12n, snapshot: { index: 10n, term: 2n } });
  for (const i of [3n, 4n, 10n, 11n, 12n]) plain(ok.log, entry(i, 2n));
  const sum = ok.log.finish();
  assert.deepEqual(codes(ok.findings()), [], 'entries below the snapshot are not judged');
  assert.equal(sum.belowSnapshot, 2);
  assert.equal(sum.firstIndex, 10n);

  const late = checker({ maxIndex: 14n, snapshot: { index: 10n, term: 2n } });
  for (const i of [13n, 14n]) plain(late.log, entry(i, 2n));
  late.log.finish();
  assert.deepEqual(codes(late.findings()), ['error entry-gap 11']);
});

test('a max index above the snapshot with nothing stored in between: Dragonboat panics reading the raft state', () => {
  const { log, findings } = checker({ maxIndex: 20n, snapshot: { index: 10n, term: 2n } });
  plain(log, entry(5n, 1n));
  log.finish();
  assert.deepEqual(codes(findings()), ['error entries-missing 20']);
});

test('terms never go down, not even below the snapshot term', () => {
  const { log, findings } = checker({ maxIndex: 13n, snapshot: { index: 10n, term: 3n } });
  plain(log, entry(11n, 2n));
  plain(log, entry(12n, 3n));
  plain(log, entry(13n, 2n));
  log.finish();
  assert.deepEqual(codes(findings()), ['error term-decreases 11', 'error term-decreases 13']);
});

test('entries above the max index are stale (info); damage there is only a warning', () => {
  const { log, findings } = checker({ maxIndex: 2n });
  plain(log, entry(1n, 1n));
  plain(log, entry(2n, 1n));
  plain(log, entry(3n, 1n));
  log.plainRecord(entryKey(C, N, 4n), 4n, GARBAGE);
  const sum = log.finish();
  assert.deepEqual(codes(findings()), ['warning undecodable-record 4', 'info stale-entries 3']);
  assert.equal(sum.aboveMax, 1);
});

test('a corrupt entry inside the log is one error, with its key, and no gap for it', () => {
  const { log, findings } = checker({ maxIndex: 3n });
  plain(log, entry(1n, 1n));
  log.plainRecord(entryKey(C, N, 2n), 2n, GARBAGE);
  plain(log, entry(3n, 1n));
  log.finish();
  const fs = findings();
  assert.deepEqual(codes(fs), ['error undecodable-record 2']);
  assert.equal(fs[0].key, entryKey(C, N, 2n).toString('hex'));
});

test('an entry stored under another index, and a command Dragonboat cannot apply', () => {
  const { log, findings } = checker({ maxIndex: 3n });
  plain(log, entry(1n, 1n));
  log.plainRecord(entryKey(C, N, 2n), 2n, encodeEntry(entry(9n, 1n)));
  plain(log, entry(3n, 1n, 2, Buffer.from([0x10, 0x61])));
  log.finish();
  assert.deepEqual(codes(findings()), ['error entry-index-mismatch 2', 'error undecodable-payload 3']);
});

test('batched: field-compacted batches restore their indexes; a batch holding foreign indexes is named', () => {
  const { log, findings } = checker({ maxIndex: 50n, mode: 'batched' });
  log.batchRecord(entryBatchKey(C, N, 0n), 0n, encodeEntryBatch(Array.from({ length: 47 }, (_, i) => entry(BigInt(i + 1), 1n))));
  log.batchRecord(entryBatchKey(C, N, 1n), 1n, encodeEntryBatch([entry(48n, 1n), entry(49n, 1n), entry(50n, 1n)]));
  const sum = log.finish();
  assert.deepEqual(codes(findings()), []);
  assert.equal(sum.entries, 50);

  const bad = checker({ maxIndex: 49n, mode: 'batched' });
  bad.log.batchRecord(entryBatchKey(C, N, 0n), 0n, encodeEntryBatch(Array.from({ length: 47 }, (_, i) => entry(BigInt(i + 1), 1n))));
  bad.log.batchRecord(entryBatchKey(C, N, 2n), 2n, encodeEntryBatch([entry(48n, 1n), entry(49n, 1n)]));
  bad.log.finish();
  assert.deepEqual(codes(bad.findings()), ['error batch-id-mismatch 48', 'error batch-id-mismatch 49']);
});

test('batched: a corrupt batch in the log is one error; the entries after it start afresh', () => {
  const { log, findings } = checker({ maxIndex: 100n, mode: 'batched' });
  log.batchRecord(entryBatchKey(C, N, 0n), 0n, encodeEntryBatch(Array.from({ length: 47 }, (_, i) => entry(BigInt(i + 1), 1n))));
  log.batchRecord(entryBatchKey(C, N, 1n), 1n, GARBAGE);
  log.batchRecord(entryBatchKey(C, N, 2n), 2n, encodeEntryBatch(Array.from({ length: 5 }, (_, i) => entry(BigInt(96 + i), 1n))));
  log.finish();
  assert.deepEqual(codes(findings()), ['error undecodable-record 1']);
});
