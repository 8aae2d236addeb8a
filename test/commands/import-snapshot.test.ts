/**
 * import-snapshot does what Dragonboat's tools.ImportSnapshot did to the same NodeHost (ops/import): the LogDB
 * holds exactly import/after's records, and the node's snapshot dir holds the same files. Every damaged export
 * and bad member map Dragonboat refused — and the damaged payload it let through — is refused with exit 10 and
 * the NodeHost dir untouched.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeFlagFile } from '../../src/codec/flag-file.js';
import { decodeSnapshot } from '../../src/codec/messages.js';
import { toJson } from '../../src/cli/json.js';
import { runCli } from '../helpers/cli.js';
import { copyFixture, fixtureDir, readJson } from '../helpers/fixtures.js';
import { assertSameContents, dumpLogdb, rawdumpPairs } from '../helpers/kv-dump.js';
import { INVALID_EXPORT_MESSAGES, invalidImportCases, membersArg } from '../helpers/invalid-exports.js';
import { treeFingerprint } from '../helpers/tree.js';

const OPS = 'leveldb-v3.2.8/ops';
const ORIGINAL_NODEHOST = '/var/lib/dragonboat/nodehost';
const NODE_DIR = 'fixturehost/00000000000000000001/snapshot-part-100/snapshot-100-1';
const MEMBERS = '1=fixture-ops.example.internal:63100,4=fixture-ops-n4.example.internal:63104,5=fixture-ops-n5.example.internal:63105';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('import-snapshot gives tools.ImportSnapshot\'s result (LevelDB, snappy export of cluster 100 as node 1)', async () => {
  const { dir, cleanup } = copyFixture(OPS);
  try {
    const nodehost = join(dir, 'before-plain/nodehost');
    const r = await runCli(['import-snapshot', nodehost, '--snapshot', join(dir, 'exports/snappy/snapshot-0000000000000062'), '--node', '1', '--members', MEMBERS, '--yes', '--backup-dir', join(dir, 'backups'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).importedIndex, '98');

    // records hold absolute paths: ours are under the copy, Dragonboat's under /var/lib/dragonboat/nodehost
    const got = await dumpLogdb(nodehost);
    assertSameContents(got, rawdumpPairs(readJson(join(dir, 'import/after/rawdump.json'))), 'import', undefined, [nodehost, ORIGINAL_NODEHOST]);

    const ours = join(nodehost, NODE_DIR);
    const theirs = join(dir, 'import/after/nodehost', NODE_DIR);
    assert.deepEqual(readdirSync(ours), readdirSync(theirs), 'the same snapshot dirs');
    const snap = 'snapshot-0000000000000062';
    assert.deepEqual(readdirSync(join(ours, snap)).sort(), readdirSync(join(theirs, snap)).sort(), 'the same files');
    for (const name of ['snapshot-0000000000000062.gbsnap', 'external-file-1']) assert.equal(sha256(join(ours, snap, name)), sha256(join(theirs, snap, name)), name);
    const message = (root: string) => JSON.stringify(toJson(decodeSnapshot(decodeFlagFile(readFileSync(join(root, snap, 'dragonboat.snapshot.message'))))));
    assert.equal(message(ours).split(nodehost).join(ORIGINAL_NODEHOST), message(theirs), 'the same dragonboat.snapshot.message record');
  } finally {
    cleanup();
  }
});

const errors = invalidImportCases(OPS);

for (const c of errors) {
  test(`import-snapshot refuses ${c.case} (exit 10) and changes nothing (Dragonboat: ${c.toolsImportSnapshotResult ?? c.result})`, async () => {
    const { dir, cleanup } = copyFixture(OPS);
    try {
      const nodehost = join(dir, 'before-plain/nodehost');
      const source = c.shippedAs ? join(dir, c.shippedAs.replace(/^ops\//, '')) : c.srcDir.includes('no-such-dir') ? join(dir, 'no-such-dir/snapshot-0000000000000001') : join(dir, 'exports/snappy/snapshot-0000000000000062');
      const members = membersArg(c);
      const before = treeFingerprint(nodehost);
      const exportBefore = c.shippedAs ? treeFingerprint(source) : undefined;
      const r = await runCli(['import-snapshot', nodehost, '--snapshot', source, '--node', c.nodeID, '--members', members, '--yes']);
      assert.equal(r.code, 10, r.stderr);
      assert.match(r.stderr, INVALID_EXPORT_MESSAGES[c.case]);
      assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
      assert.deepEqual(treeFingerprint(nodehost), before, 'NodeHost dir unchanged');
      if (exportBefore) assert.deepEqual(treeFingerprint(source), exportBefore, 'export unchanged');
    } finally {
      cleanup();
    }
  });
}
