/**
 * `logdb diff`, `collect` and `recover-plan` on Dragonboat's own data: the replicas of the fixtures' clusters side
 * by side, and the quorum-loss plans the issue describes (basic cluster 1, snapshots cluster 5).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeEntry, encodeEntry } from '../../src/codec/colfer.js';
import { bootstrapKey, entryKey, maxIndexKey, stateKey } from '../../src/codec/keys.js';
import { encodeBootstrap, encodeState } from '../../src/codec/messages.js';
import { u64BE } from '../../src/codec/uint64.js';
import { openLevelDBStore } from '../../src/kv/leveldb/store.js';
import { parseMembers } from '../../src/snapshot/members.js';
import { cliJson, cliPath, runCli } from '../helpers/cli.js';
import { copyFixture } from '../helpers/fixtures.js';
import { treeFingerprint } from '../helpers/tree.js';

async function diffJson(args: string[]): Promise<{ code: number; report: any; stderr: string }> {
  const r = await runCli(['diff', ...args, '--output', 'json']);
  return { code: r.code, report: r.stdout ? JSON.parse(r.stdout) : null, stderr: r.stderr };
}

for (const name of ['leveldb-v3.2.8/basic', 'pebble-v3.3.8/basic']) {
  test(`diff ${name} cluster 1: three prefixes of one log, exit 0`, async () => {
    const { dir, cleanup } = copyFixture(name);
    try {
      const nodehost = join(dir, 'nodehost');
      const { code, report, stderr } = await diffJson([nodehost, '--cluster', '1']);
      assert.equal(code, 0, stderr);
      assert.equal(report.consistent, true);
      assert.equal(report.violations, 0);
      const byNode = Object.fromEntries(report.replicas.map((r: any) => [r.nodeId, r]));
      assert.deepEqual(Object.keys(byNode).sort(), ['1', '2', '3']);
      const lengths = report.replicas.map((r: any) => BigInt(r.entryCount));
      assert.equal(byNode['1'].entryCount, '74');
      assert.equal(byNode['3'].entryCount, '51');
      assert.equal(lengths.reduce((a: bigint, b: bigint) => (b > a ? b : a)), 74n, 'node 1 is the longest');
      assert.equal(lengths.reduce((a: bigint, b: bigint) => (b < a ? b : a)), 51n, 'node 3 is the shortest');
      for (const r of report.replicas) {
        assert.equal(r.readTo, r.lastIndex, `${r.name} read to its end`);
        assert.equal(r.address, report.replicas[0].address, 'one NodeHost holds them all');
        assert.ok(r.address);
      }
      assert.equal(report.pairs.length, 3);
      for (const p of report.pairs) {
        assert.equal(p.verdict, 'prefix', `${p.a} / ${p.b}`);
        assert.equal(p.firstTermDifference, null);
        assert.equal(p.firstDifference, null);
        assert.equal(p.logMatching, null);
        assert.equal(p.committedDifferences, null);
        assert.equal(p.compared, p.overlap.last, 'every common index compared (both start at 1)');
      }
      // the same on a terminal-style report
      const text = await runCli(['diff', nodehost, '-c', '1']);
      assert.equal(text.code, 0);
      assert.match(text.stdout, /ok: the replicas are consistent/);
      assert.match(text.stdout, /node 1 \/ node 3: consistent, both hold 1\.\.51; node 3 is behind, at 51/);
    } finally {
      cleanup();
    }
  });
}

for (const name of ['leveldb-v3.2.8/overwrite', 'pebble-v3.3.8/overwrite', 'pebble-v3.3.8/overwrite-batched']) {
  test(`diff ${name} cluster 11: equal term, different entry at 5; terms part at 41; exit 9`, async () => {
    const { dir, cleanup } = copyFixture(name);
    try {
      const { code, report, stderr } = await diffJson([join(dir, 'nodehost'), '--cluster', '11', '--node', '1', '--node', '2']);
      assert.equal(code, 9, stderr);
      assert.match(stderr, /break Raft's safety/);
      assert.equal(report.consistent, false);
      assert.equal(report.pairs.length, 1);
      const p = report.pairs[0];
      assert.equal(p.verdict, 'violation');
      assert.equal(p.logMatching.first, '5');
      assert.equal(p.firstDifference.index, '5');
      assert.ok(!p.firstDifference.fields.includes('term'));
      assert.equal(p.firstTermDifference, '41');
      assert.deepEqual(p.overlap, { first: '1', last: '53' });
      // node 1 commits 52, node 2 commits 89: every difference from 5 to 52 is a committed one
      assert.equal(p.commonCommit, '52');
      assert.equal(p.committedDifferences.first, '5');
      assert.equal(p.committedDifferences.last, '52');
      assert.equal(p.logMatching.last, '40', 'from 41 on the terms differ');
    } finally {
      cleanup();
    }
  });
}

test('diff basic cluster 100: the witness (node 5) holds MetadataEntry stand-ins, which match the full entries', async () => {
  const { dir, cleanup } = copyFixture('pebble-v3.3.8/basic');
  try {
    const { code, report, stderr } = await diffJson([join(dir, 'nodehost'), '--cluster', '100']);
    assert.equal(code, 0, stderr);
    assert.deepEqual(report.pairs.map((p: any) => [p.a, p.b, p.verdict]), [
      ['node 1', 'node 2', 'prefix'],
      ['node 1', 'node 5', 'identical'],
      ['node 2', 'node 5', 'prefix'],
    ]);
    const witness = await cliJson<any[]>(['dump-entries', join(dir, 'nodehost'), '-c', '100', '-n', '5', '--type', 'Metadata']);
    assert.ok(witness.length > 40, 'the witness log is mostly metadata entries');
  } finally {
    cleanup();
  }
});

test('diff across two dirs and backends: leveldb basic and pebble batched, node 1 of cluster 1, identical', async () => {
  const a = copyFixture('leveldb-v3.2.8/basic');
  const b = copyFixture('pebble-v3.3.8/batched');
  try {
    const { code, report, stderr } = await diffJson([join(a.dir, 'nodehost'), join(b.dir, 'nodehost'), '--cluster', '1', '--node', '1']);
    assert.equal(code, 0, stderr);
    assert.equal(report.consistent, true);
    assert.deepEqual(report.replicas.map((r: any) => [r.name, r.backend]), [['node 1 (dir 1)', 'leveldb'], ['node 1 (dir 2)', 'pebble']]);
    assert.equal(report.pairs[0].verdict, 'identical');
    assert.equal(report.pairs[0].compared, '74');
    const other = await runCli(['diff', join(a.dir, 'nodehost'), join(b.dir, 'nodehost'), '-c', '11']);
    assert.equal(other.code, 4, 'cluster 11 is in neither dir');
    const nodeThree = await runCli(['diff', join(a.dir, 'nodehost'), join(b.dir, 'nodehost'), '-c', '1', '--node', '3', '--json']);
    assert.equal(nodeThree.code, 0);
    assert.equal(JSON.parse(nodeThree.stdout).replicas.length, 2);
    assert.equal(report.entriesRead, '148');
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test('diff finds a corrupted replica: one command byte changed at index 30 of node 2 (same term) is a committed Log Matching break', async () => {
  const { dir, cleanup } = copyFixture('leveldb-v3.2.8/basic');
  try {
    const nodehost = join(dir, 'nodehost');
    const store = await openLevelDBStore(join(nodehost, 'fixturehost/00000000000000000001/logdb-1'), { mode: 'write' });
    const key = entryKey(1n, 2n, 30n);
    const entry = decodeEntry((await store.get(key))!);
    const cmd = Buffer.from(entry.cmd.length ? entry.cmd : Buffer.from([0]));
    cmd[cmd.length - 1] ^= 0x01;
    await store.write([{ op: 'put', key, value: encodeEntry({ ...entry, cmd }) }]);
    await store.close();
    const { code, report } = await diffJson([nodehost, '-c', '1']);
    assert.equal(code, 9);
    const bad = report.pairs.filter((p: any) => p.verdict === 'violation').map((p: any) => `${p.a}/${p.b}`);
    assert.deepEqual(bad, ['node 1/node 2', 'node 2/node 3']);
    for (const p of report.pairs.filter((x: any) => x.verdict === 'violation')) {
      assert.deepEqual(p.logMatching, { count: '1', first: '30', last: '30' });
      assert.deepEqual(p.committedDifferences, { count: '1', first: '30', last: '30' });
      assert.deepEqual(p.firstDifference, { index: '30', fields: ['cmd'] });
      assert.equal(p.firstTermDifference, null);
    }
    assert.equal(report.pairs.find((p: any) => p.a === 'node 1' && p.b === 'node 3').verdict, 'prefix');
  } finally {
    cleanup();
  }
});

test('diff, collect and recover-plan change nothing on disk', async () => {
  const { dir, cleanup } = copyFixture('leveldb-v3.2.8/basic');
  try {
    const nodehost = join(dir, 'nodehost');
    const before = treeFingerprint(nodehost);
    for (const args of [['diff', nodehost, '-c', '1'], ['collect', nodehost], ['recover-plan', nodehost, '-c', '1', '--node', '3']]) {
      const r = await runCli(args);
      assert.equal(r.code, 0, `${args[0]}: ${r.stderr}`);
    }
    assert.deepEqual(treeFingerprint(nodehost), before);
  } finally {
    cleanup();
  }
});

test('bad input: one line and a documented exit code', async () => {
  const { dir, cleanup } = copyFixture('pebble-v3.3.8/basic');
  try {
    const nodehost = join(dir, 'nodehost');
    const cases: [string[], number, RegExp][] = [
      [['diff', nodehost], 2, /missing --cluster/],
      [['diff', nodehost, '-c', 'x'], 2, /--cluster/],
      [['diff', nodehost, '-c', '77'], 4, /no replica of cluster 77/],
      [['diff', nodehost, '-c', '1', '--node', '9'], 4, /no replica of node 9 of cluster 1/],
      [['diff', join(dir, 'nope'), '-c', '1'], 3, /does not exist/],
      [['diff', nodehost, nodehost + '/', '-c', '1', '--wal-dir', dir], 2, /--wal-dir/],
      [['recover-plan', nodehost, '-c', '1', '--node', '9'], 4, /--node 9/],
      [['recover-plan', join(dir, 'expected.json'), '-c', '1'], 2, /not a `logdb collect` document/],
      [['collect', nodehost, '-c', '77'], 4, /no replica of cluster 77/],
    ];
    for (const [args, code, message] of cases) {
      const r = await runCli(args);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  } finally {
    cleanup();
  }
});

// ---- collect and recover-plan ----------------------------------------------------------------------------

test('collect: per node the membership Dragonboat applies (basic cluster 1: witness 5 votes, observer 4 does not)', async () => {
  const { dir, cleanup } = copyFixture('leveldb-v3.2.8/basic');
  try {
    const facts = await cliJson<any>(['collect', join(dir, 'nodehost'), '--cluster', '1']);
    const ds = (await cliJson<any>(['info', join(dir, 'nodehost')])).dragonboatDs;
    assert.equal(facts.format, 'logdb-recovery-facts/1');
    assert.equal(facts.nodeHost.address, ds.address);
    assert.equal(facts.nodeHost.hostname, ds.hostname);
    assert.equal(facts.nodeHost.deploymentId, ds.deploymentId);
    const byNode = Object.fromEntries(facts.nodes.map((n: any) => [n.nodeId, n]));
    // nodes 1 and 2 committed the AddWitness at 59; node 3 (commit 49) only the AddObserver at 40
    for (const id of ['1', '2']) {
      assert.deepEqual(byNode[id].membership.voters, ['1', '2', '3', '5'], `node ${id}`);
      assert.deepEqual(Object.keys(byNode[id].membership.witnesses), ['5']);
      assert.equal(byNode[id].membership.configChangeId, '59');
    }
    assert.deepEqual(byNode['3'].membership.voters, ['1', '2', '3']);
    assert.deepEqual(Object.keys(byNode['3'].membership.observers), ['4']);
    assert.equal(byNode['3'].membership.configChangeId, '40');
    assert.deepEqual(byNode['3'].membership.addresses, byNode['3'].bootstrap.addresses);
    assert.deepEqual(
      facts.nodes.map((n: any) => [n.nodeId, n.lastIndex, n.lastTerm, n.state.commit]),
      [['1', '74', '4', '72'], ['2', '71', '4', '69'], ['3', '51', '3', '49']],
    );
  } finally {
    cleanup();
  }
});

async function planJson(args: string[]): Promise<any> {
  return cliJson(['recover-plan', ...args]);
}

for (const name of ['leveldb-v3.2.8/basic', 'pebble-v3.3.8/basic']) {
  test(`recover-plan ${name} cluster 1: quorum with all three; from node 2 with 2 and 3; from node 3 alone`, async () => {
    const { dir, cleanup } = copyFixture(name);
    try {
      const nodehost = join(dir, 'nodehost');
      const bootstrap = (await cliJson<any>(['dump-state', nodehost, '-c', '1', '-n', '1'])).bootstrap.addresses;

      const all = await planJson([nodehost, '--cluster', '1']);
      assert.equal(all.quorumPresent, true);
      assert.equal(all.action, 'none');
      assert.deepEqual(all.membership.voters, ['1', '2', '3', '5']);
      assert.equal(all.membership.quorum, 3);
      assert.deepEqual(Object.keys(all.membership.observers), ['4']);
      assert.deepEqual(all.ranking.map((r: any) => r.nodeId), ['1', '2', '3']);
      assert.equal(all.rebuildFrom, null);
      assert.deepEqual(all.steps, []);
      const allText = await runCli(['recover-plan', nodehost, '-c', '1']);
      assert.match(allText.stdout, /quorum present: 3 of 4 voters survive \(quorum 3\)\. Nothing to do/);

      const two = await planJson([nodehost, '--cluster', '1', '--node', '2', '--node', '3']);
      assert.equal(two.quorumPresent, false);
      assert.equal(two.action, 'rebuild');
      assert.deepEqual(two.survivingVoters, ['2', '3']);
      assert.equal(two.rebuildFrom, '2');
      assert.deepEqual(two.ranking.map((r: any) => r.nodeId), ['2', '3']);
      assert.match(two.why.join('\n'), /last term 4 > 3/);
      assert.deepEqual(two.newMembers, { 2: bootstrap['2'], 3: bootstrap['3'] });
      // node 1 (not a survivor) held 72..74, committed to 72
      assert.deepEqual(two.losses.map((l: any) => [l.nodeId, l.from, l.to, l.count, l.committed]), [['1', '72', '74', '3', '1']]);
      assert.equal(two.expectedSnapshotIndex, '69');
      const imports = two.steps.flatMap((s: any) => s.lines).filter((l: string) => l.startsWith('logdb import-snapshot '));
      assert.equal(imports.length, 4, 'a dry run and an apply for each of nodes 2 and 3');
      for (const id of ['2', '3']) {
        const line = imports.find((l: string) => l.includes(` --node ${id} `) && l.endsWith('--dry-run'));
        assert.ok(line, `an import line for node ${id}`);
        const members = /--members "([^"]+)"/.exec(line)![1];
        assert.deepEqual([...parseMembers(members)], [[2n, bootstrap['2']], [3n, bootstrap['3']]]);
        assert.ok(line.includes(nodehost));
        assert.ok(line.includes(two.exportPath));
        // the line is real syntax: pasted into a shell, import-snapshot accepts every option and only then
        // finds that the export does not exist (no export was made here)
        const run = spawnSync('sh', ['-c', line.replace(/^logdb /, `'${process.execPath}' '${cliPath}' `)], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        assert.notEqual(run.status, 2, run.stderr);
        assert.doesNotMatch(run.stderr, /unknown option|missing|usage/i);
        assert.match(run.stderr, /snapshot-0000000000000045/);
      }
      assert.match(two.warnings.join('\n'), /RaftAddress/, 'all replicas share one NodeHost address here: the plan says import-snapshot would refuse');

      const alone = await planJson([nodehost, '--cluster', '1', '--node', '3']);
      assert.equal(alone.quorumPresent, false);
      assert.equal(alone.rebuildFrom, '3');
      assert.deepEqual(alone.newMembers, { 3: bootstrap['3'] });
      assert.ok(alone.warnings.some((w: string) => /entries above 51 held by the missing replicas .* may be lost/.test(w)), alone.warnings.join('\n'));
      assert.deepEqual(alone.losses.map((l: any) => [l.nodeId, l.from, l.to]), [['1', '52', '74'], ['2', '52', '71']]);
      const text = await runCli(['recover-plan', nodehost, '-c', '1', '--node', '3']);
      assert.equal(text.code, 0);
      assert.match(text.stdout, /quorum lost: 1 of 4 voters survive, 3 are needed/);
      assert.match(text.stdout, /rebuild from node 3/);
    } finally {
      cleanup();
    }
  });
}

test('recover-plan joins collect documents from several hosts, with the same answer as reading the dirs', async () => {
  const { dir, cleanup } = copyFixture('pebble-v3.3.8/basic');
  try {
    const nodehost = join(dir, 'nodehost');
    // as if each replica were on its own host: one document per node
    const files: string[] = [];
    for (const id of ['2', '3']) {
      const r = await runCli(['collect', nodehost, '-c', '1', '--node', id, '--output', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const file = join(dir, `node${id}.json`);
      writeFileSync(file, r.stdout);
      files.push(file);
    }
    const fromFiles = await planJson([...files, '--cluster', '1']);
    const fromDir = await planJson([nodehost, '--cluster', '1', '--node', '2,3']);
    assert.equal(fromFiles.rebuildFrom, '2');
    assert.deepEqual(fromFiles.newMembers, fromDir.newMembers);
    assert.deepEqual(fromFiles.steps, fromDir.steps);
    assert.deepEqual(fromFiles.ranking, fromDir.ranking);
    // node 1's facts are missing here: the plan can only say that what it holds may be lost
    assert.deepEqual(fromFiles.losses, []);
    assert.deepEqual(fromFiles.votersWithoutFacts, ['1', '5']);
    // node 3 on another host, in a NodeHost dir whose path needs quoting: the export is copied there
    const moved = JSON.parse(readFileSync(files[1], 'utf8'));
    moved.nodeHost.hostname = 'host-b';
    moved.nodeHost.dir = "/srv/node host's dir";
    writeFileSync(files[1], JSON.stringify(moved));
    const twoHosts = await planJson([...files, '--cluster', '1']);
    const lines = twoHosts.steps.flatMap((st: any) => st.lines);
    const exportDir = twoHosts.exportPath.replace(/\/[^/]+$/, '');
    assert.ok(lines.includes(`ssh host-b mkdir -p ${exportDir}`), lines.join('\n'));
    assert.ok(lines.includes(`rsync -a ${twoHosts.exportPath}/ host-b:${twoHosts.exportPath}/`), lines.join('\n'));
    assert.ok(lines.some((l: string) => l.startsWith(`logdb import-snapshot '/srv/node host'\\''s dir' --snapshot `) && l.includes(' --node 3 ')));
    const dup = await runCli(['recover-plan', files[0], files[0], nodehost, '-c', '1']);
    assert.equal(dup.code, 2);
    assert.match(dup.stderr, /node 2 of cluster 1 appears twice/);
  } finally {
    cleanup();
  }
});

for (const name of ['leveldb-v3.2.8/snapshots', 'pebble-v3.3.8/snapshots']) {
  test(`recover-plan ${name} cluster 5: equal last term and index, node 1 first by its higher commit`, async () => {
    const { dir, cleanup } = copyFixture(name);
    try {
      const plan = await planJson([join(dir, 'nodehost'), '--cluster', '5']);
      assert.deepEqual(plan.ranking.map((r: any) => [r.nodeId, r.lastTerm, r.lastIndex, r.commit]), [
        ['1', '4', '321', '320'],
        ['2', '4', '321', '319'],
        ['3', '4', '321', '319'],
      ]);
      assert.match(plan.ranking[0].reason, /commit 320 > 319/);
      assert.match(plan.ranking[1].reason, /lower node ID/);
      const rebuilt = await planJson([join(dir, 'nodehost'), '--cluster', '5', '--node', '2', '--node', '3', '--node', '1']);
      assert.equal(rebuilt.ranking[0].nodeId, '1');
    } finally {
      cleanup();
    }
  });
}

test('the plan\'s import-snapshot line, pasted into a shell, rebuilds the node (ops before-plain cluster 100, its shipped export)', async () => {
  const { dir, cleanup } = copyFixture('pebble-v3.3.8/ops');
  try {
    const nodehost = join(dir, 'before-plain', 'nodehost');
    const exportDir = join(dir, 'exports', 'snappy');
    const plan = await planJson([nodehost, '--cluster', '100', '--export-dir', exportDir]);
    // node 1 and witness 9 vote; only node 1's NodeHost is here
    assert.deepEqual(plan.membership.voters, ['1', '9']);
    assert.equal(plan.quorumPresent, false);
    assert.equal(plan.rebuildFrom, '1');
    const address = (await cliJson<any>(['info', nodehost])).dragonboatDs.address;
    assert.deepEqual(plan.newMembers, { 1: address }, 'node 1 is a member at its own NodeHost\'s address');
    assert.equal(plan.warnings.filter((w: string) => /RaftAddress/.test(w)).length, 0, 'the member address is this NodeHost\'s own');
    const apply = plan.steps.flatMap((s: any) => s.lines).find((l: string) => l.startsWith('logdb import-snapshot ') && l.endsWith(' --yes'));
    // the shipped export was taken at index 98, before the node's last entries: use it, as step 1 says to when
    // SyncRequestSnapshot returns another index than the expected one
    const expectedDir = /snapshot-[0-9A-F]{16}/.exec(plan.exportPath)![0];
    const line = apply.split(expectedDir).join('snapshot-0000000000000062').replace(/^logdb /, `'${process.execPath}' '${cliPath}' `);
    const run = spawnSync('sh', ['-c', line], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(run.status, 0, run.stderr);
    const state = await cliJson<any>(['dump-state', nodehost, '-c', '100', '-n', '1']);
    assert.deepEqual(state.state, { term: '2', vote: '0', commit: '98' });
    assert.equal(state.bootstrap.join, true);
    // and afterwards the cluster has a quorum of its own: node 1 is its one voter
    const after = await planJson([nodehost, '--cluster', '100']);
    assert.deepEqual(after.membership.voters, ['1']);
    assert.deepEqual(after.membership.removed, ['7', '8', '9']);
    assert.equal(after.quorumPresent, true);
  } finally {
    cleanup();
  }
});

test('IDs, indexes and terms at the uint64 limit: diff, collect and recover-plan keep them exact', async () => {
  const { dir, cleanup } = copyFixture('leveldb-v3.2.8/basic');
  try {
    const nodehost = join(dir, 'nodehost');
    const c = 2n ** 64n - 1n;
    const ids = [c, c - 1n, 2n ** 53n + 1n];
    const top = c - 1n; // the last index; entries below it
    const store = await openLevelDBStore(join(nodehost, `fixturehost/00000000000000000001/logdb-${Number(c % 16n)}`), { mode: 'write' });
    const addresses = new Map(ids.map((id, k) => [id, `big-${k}.example:1`]));
    const ops = [];
    for (const [k, id] of ids.entries()) {
      const last = top - BigInt(k); // node k holds one entry less than node k-1
      ops.push({ op: 'put' as const, key: bootstrapKey(c, id), value: encodeBootstrap({ addresses, join: false, type: 1 }) });
      ops.push({ op: 'put' as const, key: stateKey(c, id), value: encodeState({ term: c - 2n, vote: ids[0], commit: top - 3n }) });
      ops.push({ op: 'put' as const, key: maxIndexKey(c, id), value: u64BE(last) });
      for (let i = top - 4n; i <= last; i++) {
        const e = { term: c - 2n, index: i, type: 0, key: i, clientId: c, seriesId: c, respondedTo: c - 3n, cmd: Buffer.from(`entry ${i}`) };
        ops.push({ op: 'put' as const, key: entryKey(c, id, i), value: encodeEntry(e) });
      }
    }
    await store.write(ops);
    await store.close();

    const { code, report, stderr } = await diffJson([nodehost, '--cluster', c.toString()]);
    assert.equal(code, 0, stderr);
    assert.equal(report.clusterId, c.toString());
    assert.deepEqual(report.replicas.map((r: any) => [r.nodeId, r.lastIndex, r.lastTerm]), [
      [(2n ** 53n + 1n).toString(), (top - 2n).toString(), (c - 2n).toString()],
      [(c - 1n).toString(), (top - 1n).toString(), (c - 2n).toString()],
      [c.toString(), top.toString(), (c - 2n).toString()],
    ]);
    for (const p of report.pairs) assert.equal(p.verdict, 'prefix');

    const facts = await cliJson<any>(['collect', nodehost, '-c', c.toString()]);
    assert.deepEqual(facts.nodes[0].membership.voters, ids.map(String).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
    const plan = await planJson([nodehost, '-c', c.toString(), '--node', c.toString()]);
    assert.equal(plan.quorumPresent, false);
    assert.equal(plan.rebuildFrom, c.toString());
    assert.equal(plan.expectedSnapshotIndex, (top - 3n).toString());
    assert.deepEqual(plan.newMembers, { [c.toString()]: 'big-0.example:1' });
    assert.ok(plan.exportPath.endsWith(`snapshot-${(top - 3n).toString(16).toUpperCase().padStart(16, '0')}`));
  } finally {
    cleanup();
  }
});
