/**
 * The two rules under diff and recover-plan, on made-up logs: Dragonboat's membership application
 * (rsm/membership.go semantics) and the lockstep comparison's classification of differences.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Entry } from '../../src/codec/colfer.js';
import { ConfigChangeType, EntryType } from '../../src/codec/enums.js';
import { encodeConfigChange } from '../../src/codec/messages.js';
import { compareReplicas } from '../../src/replicas/compare.js';
import { applyConfigChange, quorumOf, startingMembership, voters } from '../../src/replicas/membership.js';
import type { Replica } from '../../src/replicas/replica.js';

const MAX = 2n ** 64n - 1n;

function cc(index: bigint, type: number, nodeId: bigint, address = `n${nodeId}:1`): Entry {
  const cmd = encodeConfigChange({ configChangeId: 0n, type, nodeId, address, initialize: false });
  return { term: 1n, index, type: EntryType.ConfigChangeEntry, key: 0n, clientId: 0n, seriesId: 0n, respondedTo: 0n, cmd };
}

test('membership: witnesses vote, observers do not; AddNode promotes an observer; rejected changes change nothing', () => {
  const m = startingMembership({ addresses: new Map([[1n, 'a'], [2n, 'b'], [MAX, 'c']]), join: false, type: 1 }, undefined);
  assert.deepEqual(voters(m), [1n, 2n, MAX]);
  assert.equal(applyConfigChange(m, cc(10n, ConfigChangeType.AddObserver, 4n)), true);
  assert.equal(applyConfigChange(m, cc(11n, ConfigChangeType.AddWitness, 5n)), true);
  assert.deepEqual(voters(m), [1n, 2n, 5n, MAX]);
  assert.equal(quorumOf(voters(m).length), 3);
  assert.equal(applyConfigChange(m, cc(12n, ConfigChangeType.AddWitness, 4n)), false, 'an observer cannot become a witness');
  assert.equal(applyConfigChange(m, cc(13n, ConfigChangeType.AddNode, 4n, 'elsewhere:1')), false, 'a promotion keeps the observer\'s address');
  assert.equal(applyConfigChange(m, cc(13n, ConfigChangeType.AddNode, 6n, ' N4:1 ')), false, 'an address in use (trimmed, any case) is refused');
  assert.equal(applyConfigChange(m, cc(13n, ConfigChangeType.AddNode, 4n)), true, 'AddNode promotes the observer');
  assert.equal(m.observers.has(4n), false);
  assert.equal(applyConfigChange(m, cc(14n, ConfigChangeType.RemoveNode, 2n)), true);
  assert.equal(applyConfigChange(m, cc(15n, ConfigChangeType.AddNode, 2n)), false, 'a removed node cannot come back');
  assert.equal(applyConfigChange(m, cc(16n, ConfigChangeType.AddNode, 5n)), false, 'a witness cannot be promoted');
  assert.deepEqual(voters(m), [1n, 4n, 5n, MAX]);
  assert.equal(m.configChangeId, 14n);
  const joined = startingMembership({ addresses: new Map(), join: true, type: 1 }, undefined);
  assert.deepEqual(voters(joined), []);
});

function entry(index: bigint, term: bigint, cmd = 'x'): Entry {
  return { term, index, type: EntryType.EncodedEntry, key: index, clientId: 0n, seriesId: 0n, respondedTo: 0n, cmd: Buffer.from(cmd) };
}

/** A replica whose reader yields the given log in chunks of 3. */
function fake(nodeId: bigint, commit: bigint, log: Entry[]): Replica {
  const reader = {
    async *iterateEntries() {
      for (let i = 0; i < log.length; i += 3) yield log.slice(i, i + 3);
    },
  };
  return {
    source: { dir: 'mem', reader: reader as any },
    name: `node ${nodeId}`,
    nodeHostDir: 'mem',
    address: null,
    hostname: null,
    backend: 'pebble',
    lastTerm: log.length ? log[log.length - 1].term : 0n,
    summary: {
      clusterId: MAX,
      nodeId,
      shard: 0,
      bootstrap: null,
      state: { term: 9n, vote: 0n, commit },
      firstIndex: log.length ? log[0].index : 0n,
      lastIndex: log.length ? log[log.length - 1].index : 0n,
      entryCount: BigInt(log.length),
      snapshotIndex: 0n,
      snapshots: [],
    },
  };
}

const range = (from: number, to: number, term: bigint, cmd = 'x') => Array.from({ length: to - from + 1 }, (_, k) => entry(BigInt(from + k), term, cmd));

test('compare: an uncommitted suffix that differs is divergence, not a violation', async () => {
  const a = fake(1n, 5n, [...range(1, 5, 1n), ...range(6, 9, 2n)]);
  const b = fake(2n, 5n, [...range(1, 5, 1n), ...range(6, 7, 3n)]);
  const r = await compareReplicas([a, b]);
  const p = r.pairs[0];
  assert.equal(p.verdict, 'diverged');
  assert.equal(p.firstTermDifference, 6n);
  assert.equal(r.violations, 0);
  assert.equal(r.entriesRead, 16n);
});

test('compare: equal terms again after the terms parted break Log Matching', async () => {
  const a = fake(1n, 2n, [...range(1, 3, 1n), ...range(4, 4, 2n), ...range(5, 6, 3n)]);
  const b = fake(2n, 2n, [...range(1, 3, 1n), ...range(4, 4, 3n), ...range(5, 6, 3n)]);
  const p = (await compareReplicas([a, b])).pairs[0];
  assert.equal(p.verdict, 'violation');
  assert.equal(p.firstTermDifference, 4n);
  assert.deepEqual(p.termMatchAfterDivergence, { count: 2n, first: 5n, last: 6n });
  assert.equal(p.logMatching, null);
  assert.equal(p.committedDifferences, null);
});

test('compare: replicas that start at different indexes (compaction) are compared where both hold entries', async () => {
  const a = fake(1n, 20n, range(1, 20, 1n));
  const b = fake(2n, 20n, range(11, 25, 1n));
  const c = fake(3n, 20n, range(11, 20, 1n, 'y'));
  const r = await compareReplicas([a, b, c]);
  const [ab, ac, bc] = r.pairs;
  assert.equal(ab.verdict, 'prefix');
  assert.equal(ab.compared, 10n);
  assert.equal(ac.verdict, 'violation');
  assert.deepEqual(ac.logMatching, { count: 10n, first: 11n, last: 20n });
  assert.deepEqual(ac.committedDifferences, { count: 10n, first: 11n, last: 20n });
  assert.deepEqual(ac.firstDifference, { index: 11n, fields: ['cmd'] });
  assert.equal(bc.verdict, 'violation');
  assert.deepEqual(r.streams.map((s) => s.readTo), [20n, 25n, 20n]);
});

test('compare: a witness\'s MetadataEntry matches a full entry of the same term, not of another term', async () => {
  const meta = (index: bigint, term: bigint): Entry => ({ term, index, type: EntryType.MetadataEntry, key: 0n, clientId: 0n, seriesId: 0n, respondedTo: 0n, cmd: Buffer.alloc(0) });
  const full = fake(1n, 4n, [cc(1n, ConfigChangeType.AddNode, 1n), ...range(2, 4, 1n)]);
  const witness = fake(5n, 4n, [cc(1n, ConfigChangeType.AddNode, 1n), meta(2n, 1n), meta(3n, 1n), meta(4n, 2n)]);
  const p = (await compareReplicas([full, witness])).pairs[0];
  assert.equal(p.firstTermDifference, 4n);
  assert.equal(p.logMatching, null);
  assert.deepEqual(p.committedDifferences, { count: 1n, first: 4n, last: 4n });
  const cfg = fake(6n, 1n, [meta(1n, 1n)]);
  assert.equal((await compareReplicas([full, cfg])).pairs[0].verdict, 'violation', 'a config change is never replaced');
});
