/**
 * detect-version.ts tells which Dragonboat wrote a NodeHost dir, from every layout an operator can point at, for
 * every backend of the fixtures (tan too, which only this module looks at so far), with its evidence; files two
 * versions cannot share are reported as a conflict (by `check` as the error `version-conflict`), never guessed.
 */
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectVersion, locateDirs } from '../../src/logdb/detect-version.js';
import { cliJson, runCli } from '../helpers/cli.js';
import { copyFixture, fixtureDir } from '../helpers/fixtures.js';

const DEPLOYMENT = 'fixturehost/00000000000000000001';

const CASES: [dataset: string, version: string, type: string, sources: string[]][] = [
  ['leveldb-v3.2.8/basic/nodehost', 'v3.2', 'sharded-leveldb', ['NODEHOST.ID', 'logdb-0']],
  ['pebble-v3.3.8/basic/nodehost', 'v3.3', 'sharded-pebble', ['NODEHOST.ID', 'logdb-0/OPTIONS-']],
  ['rocksdb-v3.3.8/basic/nodehost', 'v3.3', 'sharded-rocksdb', ['NODEHOST.ID', 'logdb-0/OPTIONS-']],
  ['pebble-v4/basic/nodehost', 'v4', 'sharded-pebble', ['NODEHOST.ID', 'logdb-0/OPTIONS-']],
  ['tan-v4/basic/nodehost', 'v4', 'Tan', ['NODEHOST.ID', 'tandb/', 'dragonboat.ds']],
];

for (const [dataset, version, type, sources] of CASES) {
  test(`${dataset}: Dragonboat ${version}, ${type}, from the NodeHost dir, its deployment dir and (sharded) one shard dir`, () => {
    const dir = fixtureDir(dataset);
    assert.ok(dir, `${dataset} is shipped in test/fixtures`);
    const inputs = [dir, join(dir, DEPLOYMENT), ...(type === 'Tan' ? [] : [join(dir, DEPLOYMENT, 'logdb-4')])];
    for (const input of inputs) {
      const r = detectVersion(locateDirs(input));
      assert.equal(r.version, version, `${input}: ${r.summary}`);
      assert.deepEqual(r.candidates, [version]);
      assert.equal(r.logdbType, type, input);
      for (const source of sources) assert.ok(r.evidence.some((e) => e.source.startsWith(source) && !e.hint), `${input}: evidence from ${source}: ${r.summary}`);
      assert.ok(r.summary.startsWith(`Dragonboat ${version}, ${type}: `), r.summary);
    }
  });
}

test('v4 NODEHOST.ID is shown as its UUID, v3.3 as nhid-N; a v3 pile of snapshot records is a hint, not a verdict', () => {
  const v4 = detectVersion(locateDirs(fixtureDir('pebble-v4/basic/nodehost')!));
  assert.match(v4.nodeHostId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  const v3 = detectVersion({ ...locateDirs(fixtureDir('pebble-v3.3.8/basic/nodehost')!), maxSnapshotRecordsPerNode: 3 });
  assert.match(v3.nodeHostId ?? '', /^nhid-\d+$/);
  const hint = v3.evidence.find((e) => e.source === 'snapshot records');
  assert.ok(hint?.hint, 'the snapshot records are a hint');
  const piled = detectVersion({ ...locateDirs(fixtureDir('pebble-v4/basic/nodehost')!), maxSnapshotRecordsPerNode: 3 });
  assert.equal(piled.version, 'v4', 'v4 may have inherited a pile from v3: the decisive facts still decide');
});

test('a v3.3 NODEHOST.ID beside v4 Pebble shards is a conflict: info says so, check reports version-conflict (exit 9)', async () => {
  const { dir, cleanup } = copyFixture('pebble-v4/ops/before-plain');
  try {
    const nodehost = join(dir, 'nodehost');
    copyFileSync(join(fixtureDir('pebble-v3.3.8/basic/nodehost')!, 'NODEHOST.ID'), join(nodehost, 'NODEHOST.ID'));
    const info = await cliJson(['info', nodehost]);
    assert.equal(info.writerVersion, 'unknown');
    assert.deepEqual(info.dragonboat.candidates, []);
    assert.match(info.dragonboat.verdict, /conflicting evidence/);
    const check = await runCli(['check', nodehost, '--output', 'json']);
    assert.equal(check.code, 9, check.stderr);
    const findings = JSON.parse(check.stdout).findings.filter((f: { code: string }) => f.code === 'version-conflict');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].severity, 'error');
    assert.match(findings[0].message, /NODEHOST\.ID: an 8-byte integer.*format_major_version/);
  } finally {
    cleanup();
  }
});
