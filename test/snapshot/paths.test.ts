/** Snapshot names and places (spec §2.1, §2.5), checked against the names Dragonboat wrote in the fixtures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  externalFileName,
  gbsnapName,
  nodeSnapshotDir,
  parseNodeDirName,
  snapshotDirName,
  snapshotSubdirKind,
  tempSnapshotDirName,
} from '../../src/snapshot/paths.js';

test('snapshot dir and file names use 16 upper-case hex digits', () => {
  assert.equal(snapshotDirName(98n), 'snapshot-0000000000000062');
  assert.equal(snapshotDirName(138n), 'snapshot-000000000000008A');
  assert.equal(gbsnapName(0x11fn), 'snapshot-000000000000011F.gbsnap');
  assert.equal(snapshotDirName(2n ** 64n - 1n), 'snapshot-FFFFFFFFFFFFFFFF');
  assert.throws(() => snapshotDirName(2n ** 64n), RangeError);
  assert.equal(tempSnapshotDirName(98n, 12n), 'snapshot-0000000000000062-12.generating');
  assert.equal(tempSnapshotDirName(98n, 12n, 'receiving'), 'snapshot-0000000000000062-12.receiving');
  assert.equal(externalFileName(1n), 'external-file-1');
});

test('node snapshot dirs: part = cluster % 512, IDs in decimal', () => {
  assert.equal(nodeSnapshotDir('/d', 100n, 1n), '/d/snapshot-part-100/snapshot-100-1');
  assert.equal(nodeSnapshotDir('/d', 1025n, 3n), '/d/snapshot-part-1/snapshot-1025-3');
  assert.equal(nodeSnapshotDir('/d', 18446744073709551615n, 18446744073709551614n), '/d/snapshot-part-511/snapshot-18446744073709551615-18446744073709551614');
  assert.deepEqual(parseNodeDirName('snapshot-102-3'), { clusterId: 102n, nodeId: 3n });
  assert.equal(parseNodeDirName('snapshot-000000000000007A'), undefined);
});

test("sub-directory kinds follow Dragonboat's regexes", () => {
  assert.equal(snapshotSubdirKind('snapshot-000000000000007A'), 'final');
  assert.equal(snapshotSubdirKind('snapshot-0000000000000062-1.generating'), 'generating');
  assert.equal(snapshotSubdirKind('snapshot-0000000000000062-12.receiving'), 'receiving');
  for (const name of ['snapshot-000000000000007a', 'snapshot-', 'DELETED.dragonboat', 'snapshot-1-2', 'snapshot-1-2.generating.x', 'snapshot-1.generating']) {
    assert.equal(snapshotSubdirKind(name), undefined, name);
  }
});
