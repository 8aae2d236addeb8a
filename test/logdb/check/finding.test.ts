/**
 * Findings stay bounded and ordered: however many records of one node are damaged, `check` keeps at most
 * FINDINGS_PER_GROUP findings per (code, node) and sums up the rest in one; the list is most severe first, then
 * by node, then along the log. And the progress line only ever goes to a terminal.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FINDINGS_PER_GROUP, FindingSink } from '../../../src/logdb/check/finding.js';

test('a flood of one kind of finding is capped, and the rest are counted', () => {
  const sink = new FindingSink();
  for (let i = 0; i < 1000; i++) {
    sink.add({ code: 'undecodable-record', severity: 'error', clusterId: 1n, nodeId: 1n, shard: 1, index: BigInt(i), message: `entry ${i}`, hint: 'h' });
  }
  sink.add({ code: 'undecodable-record', severity: 'error', clusterId: 1n, nodeId: 2n, shard: 1, index: 5n, message: 'other node', hint: 'h' });
  const list = sink.list();
  const node1 = list.filter((f) => f.nodeId === '1');
  assert.equal(node1.length, FINDINGS_PER_GROUP + 1);
  assert.match(node1[node1.length - 1].message, new RegExp(`^${1000 - FINDINGS_PER_GROUP} more undecodable-record findings`));
  assert.ok(list.some((f) => f.nodeId === '2'), 'another node is its own group');
});

test('most severe first; the LogDB before its nodes; nodes in order; then along the log', () => {
  const sink = new FindingSink();
  const add = (severity: 'error' | 'warning' | 'info', c: bigint | null, n: bigint | null, index?: bigint) =>
    sink.add({ code: 'entry-gap', severity, clusterId: c, nodeId: n, shard: c === null ? null : 1, index, message: 'm', hint: 'h' });
  add('info', 1n, 1n);
  add('error', 10n, 1n, 7n);
  add('error', 2n, 1n, 9n);
  add('error', 2n, 1n, 3n);
  add('warning', null, null);
  add('error', null, null);
  assert.deepEqual(
    sink.list().map((f) => `${f.severity} ${f.clusterId}/${f.nodeId} ${f.index ?? '-'}`),
    ['error null/null -', 'error 2/1 3', 'error 2/1 9', 'error 10/1 7', 'warning null/null -', 'info 1/1 -'],
  );
});
