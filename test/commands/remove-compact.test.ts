/**
 * remove-node and compact do what Dragonboat's own RemoveData and RemoveEntriesTo+CompactEntriesTo did to the
 * same directories (ops/remove-*, ops/compact-*): the LogDB afterwards holds exactly the `after` dir's records.
 * One deliberate difference: the entries Dragonboat's LevelDB backend leaves behind on removal are gone.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { u64BE } from '../../src/codec/uint64.js';
import { runCli } from '../helpers/cli.js';
import { copyFixture, fixtureDir, readJson } from '../helpers/fixtures.js';
import { assertSameContents, dumpLogdb, rawdumpPairs } from '../helpers/kv-dump.js';

const BACKENDS = ['leveldb-v3.2.8'];

for (const backend of BACKENDS) {
  for (const mode of ['plain', 'batched']) {
    const before = `${backend}/ops/before-${mode}`;
    const after = `${backend}/ops/remove-${mode}/after`;
    test(`remove-node gives Dragonboat's RemoveData result on ${backend} ${mode}`, async () => {
      const { dir, cleanup } = copyFixture(before);
      try {
        const nodehost = join(dir, 'nodehost');
        const r = await runCli(['remove-node', nodehost, '--cluster', '102', '--node', '3', '--yes', '--backup-dir', join(dir, 'backups'), '--output', 'json']);
        assert.equal(r.code, 0, r.stderr);
        const result = JSON.parse(r.stdout);
        assert.equal(result.applied, true);
        assert.ok(result.backup && existsSync(join(result.backup, 'backup.json')), 'a backup was taken');
        const got = await dumpLogdb(nodehost);
        const want = rawdumpPairs(readJson(join(fixtureDir(after)!, 'rawdump.json')));
        // Dragonboat's LevelDB RemoveEntriesTo is a no-op: its after dir still has 102/3's entry records; ours must not
        const nodePart = Buffer.concat([u64BE(102n), u64BE(3n)]).toString('hex');
        const isLeftoverEntry = (k: string) => (k.startsWith('01010000') || k.startsWith('07070000')) && k.slice(8, 40) === nodePart;
        assertSameContents(got, want, `remove-node ${mode}`, isLeftoverEntry);
        for (const pairs of got.values()) for (const k of pairs.keys()) assert.ok(!isLeftoverEntry(k), `entry ${k} of the removed node is gone`);
        // the node's snapshot dir: only DELETED.dragonboat is left, byte-identical to Dragonboat's
        const nodeDir = join(nodehost, 'fixturehost/00000000000000000001/snapshot-part-102/snapshot-102-3');
        assert.deepEqual(readdirSync(nodeDir), ['DELETED.dragonboat']);
        const theirs = join(fixtureDir(after)!, 'nodehost/fixturehost/00000000000000000001/snapshot-part-102/snapshot-102-3/DELETED.dragonboat');
        assert.deepEqual(readFileSync(join(nodeDir, 'DELETED.dragonboat')), readFileSync(theirs));
      } finally {
        cleanup();
      }
    });

    const compactAfter = `${backend}/ops/compact-${mode}/after`;
    test(`compact --to 203 gives Dragonboat's RemoveEntriesTo+CompactEntriesTo result on ${backend} ${mode}`, async () => {
      const { dir, cleanup } = copyFixture(before);
      try {
        const nodehost = join(dir, 'nodehost');
        const r = await runCli(['compact', nodehost, '--cluster', '102', '--node', '3', '--to', '203', '--yes', '--no-backup', '--output', 'json']);
        assert.equal(r.code, 0, r.stderr);
        const result = JSON.parse(r.stdout);
        assert.equal(result.backup, null);
        assert.ok(result.sizeBefore['logdb-6'] > 0 && result.sizeAfter['logdb-6'] > 0, 'sizes before and after are reported');
        const got = await dumpLogdb(nodehost);
        assertSameContents(got, rawdumpPairs(readJson(join(fixtureDir(compactAfter)!, 'rawdump.json'))), `compact ${mode}`);
      } finally {
        cleanup();
      }
    });
  }
}
