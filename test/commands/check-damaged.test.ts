/**
 * `logdb check` names what is broken. Each case damages a private copy of a healthy LevelDB NodeHost dir
 * (ops/before-plain or before-batched, which check passes — check-healthy.test.ts) in one way, then runs
 * `check --output json` as a user would: exit 9, ok false, and a finding with the problem's code that names
 * the node (cluster and node ID as strings; null for the LogDB as a whole) — and no error about anything that
 * was not damaged. A warning alone leaves the exit code at 0.
 *
 * The nodes used: 118/1 (logdb-6, entries 1-62, no snapshot) for the log and its records; 102/3 (logdb-6,
 * snapshots 122 and 254) for the snapshot files.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeEntry, encodeEntry } from '../../src/codec/colfer.js';
import { decodeEntryBatch, encodeEntryBatch } from '../../src/codec/entry-batch.js';
import { entryBatchKey, entryKey, stateKey } from '../../src/codec/keys.js';
import { decodeFlagFile, encodeFlagFile } from '../../src/codec/flag-file.js';
import { decodeRaftDataStatus, decodeState, encodeRaftDataStatus, encodeState } from '../../src/codec/messages.js';
import { runCli } from '../helpers/cli.js';
import { copyToTemp, fixtureDir } from '../helpers/fixtures.js';
import { GARBAGE, moveNode, withShard, writeShard } from '../logdb/check/damage.js';

const PLAIN = 'leveldb-v3.2.8/ops/before-plain/nodehost';
const BATCHED = 'leveldb-v3.2.8/ops/before-batched/nodehost';
const SNAPSHOT_254 = 'fixturehost/00000000000000000001/snapshot-part-102/snapshot-102-3/snapshot-00000000000000FE/snapshot-00000000000000FE.gbsnap';

interface Expected {
  code: string;
  /** null for a finding about the whole LogDB */
  clusterId: string | null;
  nodeId: string | null;
  index?: string;
  key?: Buffer;
}

interface Case {
  name: string;
  fixture: string;
  damage(dir: string): Promise<void>;
  /** the finding that must be there */
  expect: Expected;
  /** every error code allowed (the damage can have more than one consequence) */
  errorCodes: string[];
  args?: string[];
}

const getValue = (dir: string, shard: number, key: Buffer) =>
  withShard(dir, shard, async (store) => {
    const value = await store.get(key);
    if (!value) throw new Error(`no ${key.toString('hex')} in logdb-${shard}`);
    return Buffer.from(value);
  });

const CASES: Case[] = [
  {
    name: 'an entry deleted from the middle of the log',
    fixture: PLAIN,
    damage: (dir) => writeShard(dir, 6, [{ op: 'delete', key: entryKey(118n, 1n, 30n) }]),
    expect: { code: 'entry-gap', clusterId: '118', nodeId: '1', index: '30' },
    errorCodes: ['entry-gap'],
  },
  {
    name: 'a state whose commit is beyond the last index',
    fixture: PLAIN,
    async damage(dir) {
      const state = decodeState(await getValue(dir, 6, stateKey(118n, 1n)));
      await writeShard(dir, 6, [{ op: 'put', key: stateKey(118n, 1n), value: encodeState({ ...state, commit: 62n + 10n }) }]);
    },
    expect: { code: 'commit-beyond-last', clusterId: '118', nodeId: '1', index: '72' },
    errorCodes: ['commit-beyond-last'],
  },
  {
    name: 'a state value with garbage bytes',
    fixture: PLAIN,
    damage: (dir) => writeShard(dir, 6, [{ op: 'put', key: stateKey(118n, 1n), value: GARBAGE }]),
    expect: { code: 'undecodable-record', clusterId: '118', nodeId: '1', key: stateKey(118n, 1n) },
    errorCodes: ['undecodable-record'],
  },
  {
    name: 'an entry value with garbage bytes',
    fixture: PLAIN,
    damage: (dir) => writeShard(dir, 6, [{ op: 'put', key: entryKey(118n, 1n, 31n), value: GARBAGE }]),
    expect: { code: 'undecodable-record', clusterId: '118', nodeId: '1', index: '31', key: entryKey(118n, 1n, 31n) },
    errorCodes: ['undecodable-record'],
  },
  {
    name: 'an entry whose term is lower than the one before it',
    fixture: PLAIN,
    async damage(dir) {
      const e = decodeEntry(await getValue(dir, 6, entryKey(118n, 1n, 40n)));
      assert.ok(e.term > 1n, 'entry 40 has a term to lower');
      await writeShard(dir, 6, [{ op: 'put', key: entryKey(118n, 1n, 40n), value: encodeEntry({ ...e, term: e.term - 1n }) }]);
    },
    expect: { code: 'term-decreases', clusterId: '118', nodeId: '1', index: '40' },
    errorCodes: ['term-decreases'],
  },
  {
    name: "a node's records moved to the wrong shard",
    fixture: PLAIN,
    async damage(dir) {
      assert.ok((await moveNode(dir, 118n, 1n, 6, 7)) > 60, 'the node had records to move');
    },
    expect: { code: 'wrong-shard', clusterId: '118', nodeId: '1' },
    errorCodes: ['wrong-shard'],
  },
  {
    name: 'a batched (07 07) record put into a plain store',
    fixture: PLAIN,
    async damage(dir) {
      const e = decodeEntry(await getValue(dir, 6, entryKey(118n, 1n, 1n)));
      await writeShard(dir, 6, [{ op: 'put', key: entryBatchKey(118n, 1n, 0n), value: encodeEntryBatch([e]) }]);
    },
    expect: { code: 'mixed-entry-modes', clusterId: '118', nodeId: '1' },
    errorCodes: ['mixed-entry-modes'],
  },
  {
    name: 'entries cut out of the middle of a batched log (batch 5 holds 240-287; the log is 254-284)',
    fixture: BATCHED,
    async damage(dir) {
      const key = entryBatchKey(102n, 3n, 5n);
      const entries = decodeEntryBatch(await getValue(dir, 6, key));
      const kept = entries.filter((e) => e.index < 260n || e.index > 265n);
      assert.equal(kept.length, entries.length - 6, 'the batch held 260-265');
      await writeShard(dir, 6, [{ op: 'put', key, value: encodeEntryBatch(kept) }]);
    },
    expect: { code: 'entry-gap', clusterId: '102', nodeId: '3', index: '260' },
    errorCodes: ['entry-gap'],
  },
  {
    name: 'a whole batch deleted under the log of a batched node',
    fixture: BATCHED,
    damage: (dir) => writeShard(dir, 6, [{ op: 'delete', key: entryBatchKey(102n, 3n, 5n) }]),
    expect: { code: 'entries-missing', clusterId: '102', nodeId: '3', index: '284' },
    errorCodes: ['entries-missing'],
  },
  {
    name: "the newest snapshot's .gbsnap missing",
    fixture: PLAIN,
    async damage(dir) {
      rmSync(join(dir, SNAPSHOT_254));
    },
    expect: { code: 'snapshot-file-missing', clusterId: '102', nodeId: '3', index: '254' },
    errorCodes: ['snapshot-file-missing'],
  },
  {
    name: "the newest snapshot's .gbsnap truncated",
    fixture: PLAIN,
    async damage(dir) {
      const file = join(dir, SNAPSHOT_254);
      truncateSync(file, statSync(file).size - 100);
    },
    expect: { code: 'snapshot-file-size', clusterId: '102', nodeId: '3', index: '254' },
    errorCodes: ['snapshot-file-size'],
  },
  {
    name: "the newest snapshot's .gbsnap truncated, read in full (--deep)",
    fixture: PLAIN,
    async damage(dir) {
      const file = join(dir, SNAPSHOT_254);
      truncateSync(file, statSync(file).size - 100);
    },
    expect: { code: 'snapshot-checksum', clusterId: '102', nodeId: '3', index: '254' },
    errorCodes: ['snapshot-file-size', 'snapshot-file-corrupt', 'snapshot-checksum', 'snapshot-block-crc'],
    args: ['--deep'],
  },
  {
    name: "a byte of the newest snapshot's payload flipped, its block CRC left as it was (--deep; Dragonboat's import misses it)",
    fixture: PLAIN,
    async damage(dir) {
      const file = join(dir, SNAPSHOT_254);
      const bytes = readFileSync(file);
      bytes[2048] ^= 0xff;
      writeFileSync(file, bytes);
    },
    expect: { code: 'snapshot-block-crc', clusterId: '102', nodeId: '3', index: '254' },
    errorCodes: ['snapshot-block-crc'],
    args: ['--deep'],
  },
  {
    name: 'dragonboat.ds says the entries are batched (210), but they are plain',
    fixture: PLAIN,
    async damage(dir) {
      const file = join(dir, 'dragonboat.ds');
      const ds = decodeRaftDataStatus(decodeFlagFile(readFileSync(file)));
      writeFileSync(file, encodeFlagFile(encodeRaftDataStatus({ ...ds, binVer: 210 })));
    },
    expect: { code: 'ds-mismatch', clusterId: null, nodeId: null },
    errorCodes: ['ds-mismatch'],
  },
  {
    name: 'a DELETED.dragonboat marker beside a node that still has its records',
    fixture: PLAIN,
    async damage(dir) {
      const nodeDir = join(dir, 'fixturehost/00000000000000000001/snapshot-part-118/snapshot-118-1');
      mkdirSync(nodeDir, { recursive: true });
      const empty = { address: '', binVer: 0, hardHash: 0n, logdbType: '', hostname: '', deploymentId: 0n, stepWorkerCount: 0n, logdbShardCount: 0n, maxSessionCount: 0n, entryBatchSize: 0n, addressByNodeHostId: null };
      writeFileSync(join(nodeDir, 'DELETED.dragonboat'), encodeFlagFile(encodeRaftDataStatus(empty)));
    },
    expect: { code: 'deleted-marker', clusterId: '118', nodeId: '1' },
    errorCodes: ['deleted-marker'],
  },
  {
    name: 'a table file of logdb-6 with 100 bytes of its data blocks flipped',
    fixture: PLAIN,
    async damage(dir) {
      const shardDir = join(dir, 'fixturehost/00000000000000000001/logdb-6');
      const table = join(shardDir, readdirSync(shardDir).find((n) => n.endsWith('.ldb'))!);
      const bytes = readFileSync(table);
      for (let i = 2000; i < 2100; i++) bytes[i] ^= 0xff;
      writeFileSync(table, bytes);
    },
    expect: { code: 'shard-unreadable', clusterId: null, nodeId: null },
    errorCodes: ['shard-unreadable'],
  },
];

test('warnings alone do not fail the check: a .generating dir left by an interrupted snapshot', async () => {
  const { dir, cleanup } = copyToTemp(fixtureDir(PLAIN)!, 'check-warning');
  try {
    mkdirSync(join(dir, 'fixturehost/00000000000000000001/snapshot-part-102/snapshot-102-3/snapshot-0000000000000130-3.generating'));
    const r = await runCli(['check', dir, '--output', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.ok, true);
    assert.ok(report.findings.some((f: any) => f.code === 'orphan-temp-dir' && f.severity === 'warning' && f.clusterId === '102' && f.nodeId === '3'));
  } finally {
    cleanup();
  }
});

for (const c of CASES) {
  test(`check names it: ${c.name}`, async () => {
    const { dir, cleanup } = copyToTemp(fixtureDir(c.fixture)!, 'check-damaged');
    try {
      await c.damage(dir);
      const r = await runCli(['check', dir, '--output', 'json', ...(c.args ?? [])]);
      assert.equal(r.code, 9, `exit 9 (check found errors): ${r.stderr}`);
      const report = JSON.parse(r.stdout);
      assert.equal(report.ok, false);
      const e = c.expect;
      const found = report.findings.find(
        (f: any) =>
          f.code === e.code &&
          f.severity === 'error' &&
          f.clusterId === e.clusterId &&
          f.nodeId === e.nodeId &&
          (e.index === undefined || f.index === e.index) &&
          (e.key === undefined || f.key === e.key.toString('hex')),
      );
      const listing = report.findings.map((f: any) => `${f.severity} ${f.code} ${f.clusterId}/${f.nodeId} ${f.index ?? ''}`).join('\n');
      assert.ok(found, `an error ${e.code} for ${e.clusterId}/${e.nodeId}; got:\n${listing}`);
      assert.ok(found.message.length > 20 && found.hint.length > 10, 'explained in words, with a next step');
      const unexpected = report.findings.filter((f: any) => f.severity === 'error' && !c.errorCodes.includes(f.code));
      assert.deepEqual(unexpected, [], `no other errors; got:\n${listing}`);
      assert.equal(report.summary.errors, report.findings.filter((f: any) => f.severity === 'error').length);
    } finally {
      cleanup();
    }
  });
}
