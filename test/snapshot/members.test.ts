/**
 * --members parsing, and the member checks of tools.ImportSnapshot (§10.3 steps 2 and 6) against every
 * argument-error case Dragonboat itself was run on (ops/invalid/errors.json, on the intact Snappy export): each is
 * refused with Dragonboat's own error text; the member map of ops/import passes. The NodeHost's RaftAddress comes
 * from before-plain's dragonboat.ds, decoded with the codec.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFlagFile } from '../../src/codec/flag-file.js';
import { decodeRaftDataStatus, emptyMembership } from '../../src/codec/messages.js';
import { LogdbError } from '../../src/errors.js';
import { validateExport } from '../../src/snapshot/export.js';
import { checkMembers, parseMembers } from '../../src/snapshot/members.js';
import { fixtureDir, readJson } from '../helpers/fixtures.js';
import { BACKENDS, membersFromJson } from './support.js';

test('parseMembers reads "id=address" lists, in ascending ID order', () => {
  const m = parseMembers('5=fixture-ops-n5.example.internal:63105, 1=fixture-ops.example.internal:63100 ,4=n4:1');
  assert.deepEqual([...m.entries()], [
    [1n, 'fixture-ops.example.internal:63100'],
    [4n, 'n4:1'],
    [5n, 'fixture-ops-n5.example.internal:63105'],
  ]);
  assert.deepEqual([...parseMembers('18446744073709551615=Host:1').entries()], [[18446744073709551615n, 'Host:1']]);
  // the address is everything after the first '=', kept exactly (no lower-casing)
  assert.equal(parseMembers('7=A=B:9').get(7n), 'A=B:9');
});

test('parseMembers refuses malformed lists as usage errors', () => {
  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['1=a:1,', /entry 2 is empty/],
    ['1=a:1,,2=b:2', /entry 2 is empty/],
    ['1', /not <nodeID>=<address>/],
    ['a=host:1', /not an unsigned 64-bit integer/],
    ['-1=host:1', /not an unsigned 64-bit integer/],
    ['0x1=host:1', /not an unsigned 64-bit integer/],
    ['18446744073709551616=host:1', /larger than/],
    ['0=host:1', /node ID 0/],
    ['1=', /address of node 1 is empty/],
    ['1= host:1', /whitespace/],
    ['1=ho st:1', /whitespace/],
    ['1=a:1,01=b:2', /names node 1 twice/],
    ['2=a:1,2=a:1', /names node 2 twice/],
  ];
  for (const [text, re] of bad) {
    assert.throws(() => parseMembers(text), (err: unknown) => {
      assert.ok(err instanceof LogdbError, `${JSON.stringify(text)}: ${String(err)}`);
      assert.equal(err.kind, 'usage');
      assert.match(err.message, re, JSON.stringify(text));
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
  }
});

for (const backend of BACKENDS) {
  const ops = fixtureDir(`${backend}/ops`);
  test(`${backend}: checkMembers refuses every member-map case of errors.json with Dragonboat's text`, async (t) => {
    const status = decodeRaftDataStatus(decodeFlagFile(readFileSync(join(ops!, 'before-plain/nodehost/dragonboat.ds'))));
    const nhAddress = status.address;
    assert.equal(nhAddress, 'fixture-ops.example.internal:63100');
    const exp = await validateExport(join(ops!, 'exports/snappy/snapshot-0000000000000062'));
    const old = exp.record.membership;

    const cases = (readJson(join(ops!, 'invalid/errors.json')).cases as any[]).filter((c) => !String(c.shippedAs ?? '').includes('/invalid/'));
    assert.equal(cases.length, 8);
    for (const c of cases) {
      await t.test(c.case, async () => {
        const expected = String(c.toolsImportSnapshotResult).replace(/^error: /, '');
        const members = membersFromJson(c.memberNodes);
        // the same map, as an operator would type it
        assert.deepEqual(parseMembers(Object.entries(c.memberNodes).map(([k, v]) => `${k}=${v}`).join(',')), new Map([...members].sort((a, b) => (a[0] < b[0] ? -1 : 1))));
        if (c.case === 'path-does-not-exist') {
          checkMembers(members, BigInt(c.nodeID), nhAddress, old); // the members are fine; the path is not
          const err = await validateExport(c.srcDir).catch((e) => e);
          assert.ok(err instanceof LogdbError && err.kind === 'invalidSnapshot');
          assert.ok(err.message.includes(expected), err.message);
          return;
        }
        assert.throws(() => checkMembers(members, BigInt(c.nodeID), nhAddress, old), (err: unknown) => {
          assert.ok(err instanceof LogdbError, String(err));
          assert.equal(err.kind, 'invalidSnapshot');
          assert.ok(err.message.startsWith(`${expected}: `), `"${err.message}" does not start with Dragonboat's "${expected}"`);
          assert.ok(err.hint);
          assert.doesNotMatch(err.message, /\n/);
          // names the node at fault and, if it is in the map, its address there
          const ids = [BigInt(c.nodeID), ...members.keys()];
          const faulty = ids.find((id) => new RegExp(`\\b(node|member|observer|witness) ${id}\\b`).test(err.message));
          assert.ok(faulty !== undefined, err.message);
          if (members.has(faulty)) assert.ok(err.message.includes(`"${members.get(faulty)!}"`), err.message);
          return true;
        });
      });
    }

    // ops/import's member map passes
    const good = parseMembers('1=fixture-ops.example.internal:63100,4=fixture-ops-n4.example.internal:63104,5=fixture-ops-n5.example.internal:63105');
    checkMembers(good, 1n, nhAddress, old);
  });
}

test('checkMembers: exact comparisons, a deterministic order, an unknown RaftAddress', () => {
  const old = emptyMembership();
  old.addresses.set(1n, 'a:1');
  old.removed.set(2n, true);
  old.removed.set(3n, true);
  old.observers.set(5n, 'e:5');
  const check = (members: string, node = 1n, ...addr: [string | undefined] | []) => () =>
    checkMembers(parseMembers(members), node, addr.length ? addr[0] : 'a:1', old);
  assert.doesNotThrow(check('1=a:1,9=z:9'));
  // RaftAddress differs only in case: still refused, as Dragonboat compares exactly, and the message says so
  assert.throws(check('1=A:1'), /^LogdbError: invalid members: .*differ only in case/);
  assert.throws(check('1=A:1', 1n, 'A:1'), /node address changed: node 1 is "A:1"/);
  // several faults: the lowest node ID is reported, every time
  for (let i = 0; i < 5; i++) assert.throws(check('5=e:5,3=c:3,1=a:1,2=b:2'), /adding a removed node: node 2 /);
  assert.throws(check('1=a:1', 1n, undefined), /invalid members: .*RaftAddress is unknown/);
  assert.throws(check('2=b:2', 1n), /invalid members: node 1 \(the node being imported\) is not in the member list \(2=b:2\)/);
});
