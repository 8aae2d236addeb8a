/**
 * The snapshot side of NodeHost.RemoveData(102, 3) against ops/remove-plain/after (from before-plain) and
 * ops/remove-batched/after (from before-batched), both backends: DELETED.dragonboat with exactly Dragonboat's
 * bytes (28 bytes from v3.2, whose RaftDataStatus has fields 1–10; 30 from v3.3, with field 11), the
 * snapshot-<IDX> dirs gone, every other file untouched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFlagFile } from '../../src/codec/flag-file.js';
import { decodeRaftDataStatus } from '../../src/codec/messages.js';
import {
  deletedMarkerFormat,
  deletedMarkerPayload,
  markNodeDeleted,
  planNodeDirRemoval,
  planSnapshotDirCleanup,
  removeNodeSnapshotDir,
  removeSnapshotDirs,
} from '../../src/snapshot/node-dir.js';
import { nodeSnapshotDir } from '../../src/snapshot/paths.js';
import { copyFixture, fixtureDir, readJson } from '../helpers/fixtures.js';
import { BACKENDS, DEPLOYMENT_SUBDIR, listTree, type TreeEntry } from './support.js';

const PAIRS = [
  { before: 'before-plain', after: 'remove-plain/after' },
  { before: 'before-batched', after: 'remove-batched/after' },
] as const;

function filesOnly(entries: TreeEntry[]): { path: string; size?: number; sha256?: string }[] {
  return entries.filter((e) => !e.isDir).map(({ path, size, sha256 }) => ({ path, size, sha256 }));
}

for (const backend of BACKENDS) {
  for (const pair of PAIRS) {
    const ops = fixtureDir(`${backend}/ops`);
    test(`${backend}: markNodeDeleted + removeSnapshotDirs on ${pair.before} give ${pair.after}`, async () => {
      const { dir, cleanup } = copyFixture(`${backend}/ops/${pair.before}`);
      try {
        const deploymentDir = join(dir, DEPLOYMENT_SUBDIR);
        const status = decodeRaftDataStatus(decodeFlagFile(readFileSync(join(dir, 'nodehost/dragonboat.ds'))));
        const format = deletedMarkerFormat(status);
        assert.equal(format, backend.startsWith('leveldb') ? 'v3.2' : 'v3.3');

        const nodeDir = nodeSnapshotDir(deploymentDir, 102n, 3n);
        const plan = planNodeDirRemoval(nodeDir);
        assert.deepEqual(plan, {
          nodeDir,
          exists: true,
          deletedMarker: false,
          remove: [join(nodeDir, 'snapshot-000000000000007A'), join(nodeDir, 'snapshot-00000000000000FE')],
        });

        assert.equal(await markNodeDeleted(nodeDir, format), true);
        assert.deepEqual(await removeSnapshotDirs(nodeDir), plan.remove);

        const expected = (readJson(join(ops!, pair.after, 'snapshot-dirs.json')).files as TreeEntry[]).filter((f) => f.path.startsWith('snapshot-part-'));
        const actual = listTree(deploymentDir).filter((f) => f.path.startsWith('snapshot-part-'));
        assert.deepEqual(filesOnly(actual), filesOnly(expected));
        // and the marker byte for byte as the after dir ships it
        const marker = join(nodeDir, 'DELETED.dragonboat');
        const shipped = readFileSync(join(ops!, pair.after, DEPLOYMENT_SUBDIR, 'snapshot-part-102/snapshot-102-3/DELETED.dragonboat'));
        assert.deepEqual(readFileSync(marker), shipped);
        assert.equal(shipped.length, format === 'v3.2' ? 28 : 30);

        // The marker is now reported to an import; running the removal again changes nothing.
        assert.equal(planSnapshotDirCleanup(nodeDir).deletedMarker, true);
        assert.deepEqual(await removeNodeSnapshotDir(nodeDir, format), { marked: true, removed: [] });
        assert.deepEqual(filesOnly(listTree(deploymentDir).filter((f) => f.path.startsWith('snapshot-part-'))), filesOnly(expected));
      } finally {
        cleanup();
      }
    });
  }
}

test('DELETED.dragonboat payloads: every field emitted, field 11 only for v3.3', () => {
  assert.equal(deletedMarkerPayload('v3.3').toString('hex'), '0a001000180022002a003000380040004800500058' + '00');
  assert.equal(deletedMarkerPayload('v3.2').toString('hex'), '0a001000180022002a00300038004000480050' + '00');
  assert.equal(deletedMarkerFormat(undefined), 'v3.3');
});

test('removing the snapshot dir of a node that has none does nothing, as Dragonboat', async () => {
  const { dir, cleanup } = copyFixture('pebble-v3.3.8/ops/before-batched');
  try {
    const deploymentDir = join(dir, DEPLOYMENT_SUBDIR);
    const nodeDir = nodeSnapshotDir(deploymentDir, 555n, 1n);
    assert.deepEqual(planNodeDirRemoval(nodeDir), { nodeDir, exists: false, deletedMarker: false, remove: [] });
    assert.equal(await markNodeDeleted(nodeDir, 'v3.3'), false);
    assert.deepEqual(await removeSnapshotDirs(nodeDir), []);
    assert.deepEqual(await removeNodeSnapshotDir(nodeDir, 'v3.3'), { marked: false, removed: [] });
    assert.ok(!existsSync(nodeDir));

    // temp dirs are not RemoveData's business; an import's cleanup takes them too
    const other = nodeSnapshotDir(deploymentDir, 102n, 3n);
    mkdirSync(join(other, 'snapshot-00000000000000FF-3.generating'));
    mkdirSync(join(other, 'snapshot-0000000000000100-2.receiving'));
    mkdirSync(join(other, 'not-a-snapshot'));
    assert.deepEqual(planNodeDirRemoval(other).remove.map((p) => p.slice(other.length + 1)), ['snapshot-000000000000007A', 'snapshot-00000000000000FE']);
    assert.deepEqual(planSnapshotDirCleanup(other).remove.map((p) => p.slice(other.length + 1)), [
      'snapshot-000000000000007A',
      'snapshot-00000000000000FE',
      'snapshot-00000000000000FF-3.generating',
      'snapshot-0000000000000100-2.receiving',
    ]);
  } finally {
    cleanup();
  }
});
