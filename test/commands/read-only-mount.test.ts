/**
 * Reads need no write access anywhere: every read command on a NodeHost dir without write permission, with TMPDIR on
 * a directory without write permission either, exits 0 and prints what Dragonboat's own API read (expected.json).
 * Permission bits do not stop root, so when the tests run as root the CLI runs as `nobody`; and afterwards the
 * NodeHost dir and the temp dir must be exactly as they were.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { runCli, withCliChildren } from '../helpers/cli.js';
import { assertReadCommandsAgree } from '../helpers/expected.js';
import { copyFixture, readJson } from '../helpers/fixtures.js';
import { treeFingerprint } from '../helpers/tree.js';

const NOBODY = { uid: 65534, gid: 65534 };
const DATASETS = [
  ...['basic', 'snapshots', 'removed', 'imported', 'overwrite-batched'].map((d) => `leveldb-v3.2.8/${d}`),
  ...['basic', 'lsm'].map((d) => `pebble-v3.3.8/${d}`),
];

/** chmod -R a-w (and a+rX, so that `nobody` can read), directories after their contents. */
function readOnlyTree(path: string): void {
  const st = statSync(path);
  if (st.isDirectory()) for (const name of readdirSync(path)) readOnlyTree(join(path, name));
  chmodSync(path, st.isDirectory() ? 0o555 : 0o444);
}

function writableTree(path: string): void {
  const st = statSync(path);
  chmodSync(path, st.isDirectory() ? 0o755 : 0o644);
  if (st.isDirectory()) for (const name of readdirSync(path)) writableTree(join(path, name));
}

for (const dataset of DATASETS) {
  test(`${dataset}: every read command works on a read-only NodeHost dir with a read-only TMPDIR`, async () => {
    const { dir, cleanup } = copyFixture(dataset);
    try {
      const expected = readJson(join(dir, 'expected.json'));
      const nodehost = join(dir, 'nodehost');
      const tmp = join(dir, 'tmp');
      mkdirSync(tmp);
      readOnlyTree(dir);
      chmodSync(dirname(dir), 0o755); // the copy's private parent, so that `nobody` can reach it
      const before = { nodehost: treeFingerprint(nodehost), tmp: treeFingerprint(tmp) };
      const setup = { env: { TMPDIR: tmp }, ...(process.getuid?.() === 0 ? NOBODY : {}) };
      await withCliChildren(setup, async () => {
        await assertReadCommandsAgree(nodehost, expected);
        for (const args of [['info', nodehost], ['stats', nodehost], ['check', nodehost, '--output', 'json']]) {
          const r = await runCli(args);
          // check exits 9 when it finds errors (snapshot records pointing where the NodeHost ran): still a full read
          const ran = r.code === 0 || (args[0] === 'check' && r.code === 9 && Array.isArray(JSON.parse(r.stdout).findings));
          assert.ok(ran, `${args[0]}: exit ${r.code}: ${r.stderr}`);
          assert.doesNotMatch(r.stderr, /EACCES|EROFS|EPERM|read-only/i, `${args[0]}`);
        }
      });
      assert.deepEqual(treeFingerprint(nodehost), before.nodehost, 'the NodeHost dir is unchanged');
      assert.deepEqual(treeFingerprint(tmp), before.tmp, 'nothing was created in TMPDIR');
    } finally {
      writableTree(dir);
      cleanup();
    }
  });
}
