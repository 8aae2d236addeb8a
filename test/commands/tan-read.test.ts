/**
 * The tan backend's read guarantees (src/tan/), on copies of the tan-v4 datasets: every read command runs while
 * a NodeHost holds both LOCKs and changes nothing; `info`, `check` and `stats` say what Dragonboat's own reads say
 * (expected.json); a torn tail in a node's newest log is read as tan reads it (the records before it, a warning);
 * damage anywhere else is corruption (exit 5) naming the file and the offset.
 */
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliJson, cliNdjson, runCli } from '../helpers/cli.js';
import { copyFixture, readJson } from '../helpers/fixtures.js';
import { holdLock } from '../helpers/lock-holder.js';
import { treeFingerprint } from '../helpers/tree.js';

const DATASETS = ['basic', 'ops/before-plain', 'ops/import/after', 'ops/remove-plain/after', 'ops/compact-plain/after'];

/** The tandb dir of a copied dataset, found from expected.json (no host name or deployment assumed). */
const tanDirOf = (dir: string) => join(dir, readJson(join(dir, 'expected.json')).tanDir);

test('every read command works under a held LOCK and writes nothing', async () => {
  const { dir, cleanup } = copyFixture('tan-v4/basic');
  const nodehost = join(dir, 'nodehost');
  const holders = [await holdLock(join(nodehost, 'LOCK')), await holdLock(join(tanDirOf(dir), 'LOCK'))];
  try {
    const before = treeFingerprint(dir);
    const expected = readJson(join(dir, 'expected.json'));
    const node = expected.nodes.find((n: any) => n.listedByListNodeInfo && n.snapshots?.length);
    const args = ['--cluster', node.clusterId, '--node', node.nodeId];
    for (const cmd of [['info'], ['ls-nodes'], ['check'], ['stats'], ['dump-state', ...args], ['dump-entries', ...args], ['dump-entries', ...args, '--all'], ['ls-snapshots', ...args]]) {
      const r = await runCli([cmd[0]!, nodehost, ...cmd.slice(1), '--output', 'json']);
      assert.ok(r.code === 0 || (cmd[0] === 'check' && r.code === 9), `${cmd.join(' ')}: exit ${r.code}: ${r.stderr}`);
      assert.equal(r.stderr.includes('Error:'), false, r.stderr);
    }
    assert.deepEqual(treeFingerprint(dir), before, 'nothing changed');
  } finally {
    for (const h of holders) h.kill('SIGKILL');
    cleanup();
  }
});

for (const d of DATASETS) {
  test(`info, stats and check agree with Dragonboat on tan-v4/${d}`, async () => {
    const { dir, cleanup } = copyFixture(`tan-v4/${d}`);
    try {
      const nodehost = join(dir, 'nodehost');
      const expected = readJson(join(dir, 'expected.json'));
      const info = await cliJson(['info', nodehost, '--output', 'json']);
      assert.equal(info.backend, 'tan');
      assert.equal(info.writerVersion, 'v4', 'only Dragonboat v4 has tan');
      assert.equal(info.tanDir, tanDirOf(dir));
      assert.equal(info.dragonboatDs.logdbType, expected.dragonboatDs.logdbType);
      assert.equal(info.dragonboatDs.hostname, expected.dragonboatDs.hostname);
      assert.equal(info.binaryFormat, expected.binaryFormat);
      assert.equal(info.entryMode, expected.batchedEntries ? 'batched' : 'plain');

      const stats = await cliJson(['stats', nodehost, '--output', 'json']);
      const listed = expected.nodes.filter((n: any) => n.listedByListNodeInfo);
      assert.equal(stats.totals.nodes, listed.length);
      for (const want of listed) {
        const got = stats.nodes.find((n: any) => n.clusterId === want.clusterId && n.nodeId === want.nodeId);
        assert.ok(got, `stats lists ${want.clusterId}/${want.nodeId}`);
        assert.equal(String(got.inLog), want.raftState.entryCount, `${d} ${want.clusterId}/${want.nodeId}: entries in the log Dragonboat reads`);
        assert.equal(got.snapshotIndex, want.snapshots?.length ? want.snapshots[0].index : '0');
      }

      const r = await runCli(['check', nodehost, '--output', 'json']);
      const report = JSON.parse(r.stdout);
      const errors = report.findings.filter((f: any) => f.severity === 'error' && f.code !== 'snapshot-file-missing');
      assert.deepEqual(errors, [], 'no errors but the snapshot files the dataset does not ship');
      assert.equal(report.summary.nodes, expected.nodes.length, 'every node judged, the removed ones too');
      for (const gone of expected.nodes.filter((n: any) => !n.listedByListNodeInfo && n.tanNodeDir)) {
        const hasDir = readdirSync(tanDirOf(dir)).includes(gone.tanNodeDir.split('/').pop());
        if (hasDir) assert.ok(report.findings.some((f: any) => f.code === 'tan-removed-node' && f.clusterId === gone.clusterId && f.nodeId === gone.nodeId), `${gone.clusterId}/${gone.nodeId} named as removed`);
      }
    } finally {
      cleanup();
    }
  });
}

/** A node with several logs, its newest and an older one (from the dataset's own files). */
function nodeWithLogs(tanDir: string): { nodeDir: string; clusterId: string; nodeId: string; newest: string; older: string } {
  for (const name of readdirSync(tanDir)) {
    const m = /^node-(\d+)-(\d+)$/.exec(name);
    if (!m) continue;
    const logs = readdirSync(join(tanDir, name)).filter((f) => f.endsWith('.log')).sort();
    if (logs.length >= 2 && readdirSync(join(tanDir, 'bootstrap')).includes(`BOOTSTRAP-${m[1]}-${m[2]}`)) {
      return { nodeDir: join(tanDir, name), clusterId: m[1]!, nodeId: m[2]!, newest: logs[logs.length - 1]!, older: logs[0]! };
    }
  }
  throw new Error('no node with two logs');
}

test('a torn tail in the newest log is read the way tan reads it', async () => {
  const { dir, cleanup } = copyFixture('tan-v4/basic');
  try {
    const nodehost = join(dir, 'nodehost');
    const n = nodeWithLogs(tanDirOf(dir));
    const args = ['--cluster', n.clusterId, '--node', n.nodeId];
    const before = await cliNdjson(['dump-entries', nodehost, ...args]);
    // a crash in the middle of a write: a chunk header promising more bytes than were written
    appendFileSync(join(n.nodeDir, n.newest), Buffer.from([0x12, 0x34, 0x56, 0x78, 0x00, 0x01, 0x01, 0xaa, 0xbb]));
    assert.deepEqual(await cliNdjson(['dump-entries', nodehost, ...args]), before);
    const r = await runCli(['check', nodehost, '--output', 'json', ...args]);
    const report = JSON.parse(r.stdout);
    assert.ok(report.findings.some((f: any) => f.code === 'tan-torn-tail' && f.severity === 'warning'), r.stdout);
  } finally {
    cleanup();
  }
});

test('damage in an older log is corruption naming the file and offset (exit 5)', async () => {
  const { dir, cleanup } = copyFixture('tan-v4/basic');
  try {
    const nodehost = join(dir, 'nodehost');
    const n = nodeWithLogs(tanDirOf(dir));
    const file = join(n.nodeDir, n.older);
    const bytes = readFileSync(file);
    bytes[20] = bytes[20]! ^ 0xff;
    writeFileSync(file, bytes);
    const r = await runCli(['dump-entries', nodehost, '--cluster', n.clusterId, '--node', n.nodeId]);
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, new RegExp(`${n.older}.* at offset 0`));
    assert.equal(r.stderr.trim().split('\n').filter((l) => !l.startsWith('  ')).length <= 2, true, r.stderr);
    const c = await runCli(['check', nodehost, '--output', 'json']);
    assert.equal(c.code, 9);
    assert.ok(JSON.parse(c.stdout).findings.some((f: any) => f.code === 'tan-file-corrupt' && f.clusterId === n.clusterId), c.stdout);
  } finally {
    cleanup();
  }
});
