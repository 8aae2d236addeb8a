import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchOps, decodeBatch } from '../../../src/kv/pebble/batch.js';
import { DecodeError } from '../../../src/kv/pebble/errors.js';
import { encodeBatch } from './helpers.js';

const k = (s: string) => Buffer.from(s);

test('operations get consecutive sequence numbers; LOGDATA takes none', () => {
  const repr = encodeBatch(1000, [
    { kind: 1, key: k('a'), value: k('va') },
    { kind: 3, key: k('log data') },
    { kind: 0, key: k('b') },
    { kind: 7, key: k('c') },
    { kind: 15, key: k('d'), value: k('f') },
    { kind: 2, key: k('e'), value: Buffer.alloc(300, 1) },
  ]);
  const { header, ops } = batchOps(repr);
  assert.deepEqual(header, { seq: 1000, count: 5 });
  assert.deepEqual(
    ops.map((o) => [o.kind, o.key.toString(), o.value?.length, o.seq]),
    [
      [1, 'a', 2, 1000],
      [0, 'b', undefined, 1001],
      [7, 'c', undefined, 1002],
      [15, 'd', 1, 1003],
      [2, 'e', 300, 1004],
    ],
  );
});

test('a count that disagrees with the operations is an error', () => {
  const ops = [
    { kind: 1, key: k('a'), value: k('1') },
    { kind: 1, key: k('b'), value: k('2') },
  ];
  for (const count of [0, 1, 3]) {
    assert.throws(() => decodeBatch(encodeBatch(5, ops, count), () => {}), (e: unknown) => e instanceof DecodeError && /inconsistent batch count/.test(e.message));
  }
});

test('truncated, unknown-kind and too-short batches are errors', () => {
  const good = encodeBatch(5, [{ kind: 1, key: k('key'), value: k('value') }]);
  assert.throws(() => decodeBatch(good.subarray(0, good.length - 1), () => {}), DecodeError);
  assert.throws(() => decodeBatch(good.subarray(0, 11), () => {}), DecodeError);
  assert.throws(() => decodeBatch(encodeBatch(5, [{ kind: 4, key: k('x') }]), () => {}), /unknown operation kind 4/);
  assert.throws(() => decodeBatch(encodeBatch(2 ** 53, []), () => {}), /2\^53/);
  assert.deepEqual(batchOps(encodeBatch(9, [])).header, { seq: 9, count: 0 });
});
