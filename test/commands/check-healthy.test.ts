/**
 * `logdb check` passes what Dragonboat itself wrote. Every ops dir (before-*, and the after side of import,
 * remove and compact), for both backends, is placed at /var/lib/dragonboat/nodehost — where the running NodeHost
 * had it, so the absolute paths in its snapshot records are right — and checked with --deep: exit 0 and no
 * finding of severity error. What Dragonboat leaves behind on purpose is named, but not as an error:
 *   import/after   the older snapshot 56 whose directory the import deleted (warning), the
 *                  dragonboat.snapshot.message the next start removes (info), entries above the new max index
 *   remove-*       the DELETED.dragonboat marker (info); on LevelDB the removed node's entries (stale-entries)
 * On Dragonboat v4's dirs (pebble-v4/ops: one snapshot record and one snapshot dir per node, v4's Pebble leftovers)
 * the import leaves no older record behind, so no file is missing at all.
 * The same dir anywhere else is still healthy, with a warning that the records point elsewhere.
 *
 * All of it runs in this one file, one dir after the other, because the place is shared (recorded-place.ts).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { copyToTemp, fixtureDir } from '../helpers/fixtures.js';
import { holdingRecordedPlace, PlaceUnavailable, RECORDED_NODEHOST_DIR } from '../logdb/check/recorded-place.js';

const BACKENDS = ['leveldb-v3.2.8', 'pebble-v3.3.8', 'pebble-v4'];
const OPS_DIRS = ['before-plain', 'before-batched', 'import/after', 'remove-plain/after', 'remove-batched/after', 'compact-plain/after', 'compact-batched/after'];

interface Finding {
  code: string;
  severity: string;
  clusterId: string | null;
  nodeId: string | null;
  index?: string;
}

async function check(dir: string, ...args: string[]): Promise<{ code: number; report: { ok: boolean; findings: Finding[]; summary: any }; stderr: string }> {
  const r = await runCli(['check', dir, '--output', 'json', ...args]);
  return { code: r.code, report: JSON.parse(r.stdout), stderr: r.stderr };
}

const has = (findings: Finding[], code: string, severity: string, c: string, n: string, index?: string) =>
  findings.some((f) => f.code === code && f.severity === severity && f.clusterId === c && f.nodeId === n && (index === undefined || f.index === index));

const describe = (findings: Finding[]) => findings.map((f) => `${f.severity} ${f.code} ${f.clusterId}/${f.nodeId}`).join('; ');

test('check --deep passes every ops dir of both backends, at the path its records name', async (t) => {
  try {
    await holdingRecordedPlace(async (place) => {
      for (const backend of BACKENDS) {
        // Dragonboat v4 has no public batched mode: its ops set has no batched dirs
        for (const opsDir of OPS_DIRS.filter((d) => !(backend === 'pebble-v4' && d.includes('batched')))) {
          const src = fixtureDir(`${backend}/ops/${opsDir}/nodehost`);
          await t.test(`${backend} ${opsDir}`, async () => {
            const dir = place.put(src);
            const { code, report, stderr } = await check(dir, '--deep');
            const errors = report.findings.filter((f) => f.severity === 'error');
            assert.deepEqual(errors, [], `no errors: ${describe(errors)}`);
            assert.equal(code, 0, stderr);
            assert.equal(report.ok, true);
            assert.equal(report.summary.errors, 0);
            assert.ok(report.summary.nodes > 0 && report.summary.records > 0, 'something was read');
            assert.ok(!report.findings.some((f) => f.code === 'snapshot-records-moved'), 'at the recorded place, nothing has moved');

            const v4 = backend === 'pebble-v4';
            if (opsDir === 'import/after' && v4) {
              assert.ok(!report.findings.some((f) => f.code === 'snapshot-file-missing'), `v4 keeps no older record: ${describe(report.findings)}`);
              assert.ok(has(report.findings, 'orphan-snapshot-message', 'info', '100', '1', '39'), 'the marker the next start removes');
              assert.ok(has(report.findings, 'stale-entries', 'info', '100', '1'), 'entries above the imported max index');
            } else if (opsDir === 'import/after') {
              assert.ok(has(report.findings, 'snapshot-file-missing', 'warning', '100', '1', '56'), `the older snapshot 56 lost its dir: ${describe(report.findings)}`);
              assert.ok(has(report.findings, 'orphan-snapshot-message', 'info', '100', '1', '98'), 'the marker the next start removes');
              assert.ok(has(report.findings, 'stale-entries', 'info', '100', '1'), 'entries above the imported max index');
            }
            if (opsDir.startsWith('remove-')) {
              assert.ok(has(report.findings, 'deleted-marker', 'info', '102', '3'), 'the DELETED.dragonboat marker');
              const leftBehind = has(report.findings, 'stale-entries', 'info', '102', '3');
              // LevelDB's RemoveEntriesTo is a no-op (entries stay); Pebble's is a range tombstone (they are gone)
              assert.equal(leftBehind, backend.startsWith('leveldb'), `stale entries of 102/3: ${describe(report.findings)}`);
            }
            if (opsDir.startsWith('before-') || opsDir.startsWith('compact-')) {
              assert.deepEqual(report.findings, [], `nothing at all to report: ${describe(report.findings)}`);
            }
          });
        }
      }
    });
  } catch (err) {
    if (err instanceof PlaceUnavailable) assert.fail(`${err.message}: this test needs ${RECORDED_NODEHOST_DIR} free (the path the fixtures' snapshot records name)`);
    throw err;
  }
});

test('a moved NodeHost dir is still healthy: the records point elsewhere, the files are checked where they are', async () => {
  const { dir, cleanup } = copyToTemp(fixtureDir('leveldb-v3.2.8/ops/before-plain/nodehost')!, 'check-moved');
  try {
    const { code, report } = await check(dir, '--deep');
    assert.equal(code, 0);
    assert.deepEqual(report.findings.filter((f) => f.severity === 'error'), []);
    const moved = report.findings.filter((f) => f.code === 'snapshot-records-moved');
    assert.deepEqual(moved.map((f) => `${f.severity} ${f.clusterId}/${f.nodeId}`), ['warning 100/1', 'warning 101/2', 'warning 102/3'], 'one warning per node with snapshots');

    const table = await runCli(['check', dir]);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /snapshot-records-moved/);
    assert.match(table.stdout, /^ok: 0 errors, 3 warnings/m);
    const ndjson = await runCli(['check', dir, '--output', 'ndjson']);
    assert.deepEqual(ndjson.stdout.trim().split('\n').map((l) => JSON.parse(l)), report.findings, 'ndjson: the same findings, one per line');
  } finally {
    cleanup();
  }
});

test('check --cluster/--node looks at that node only, and a node that is not there is exit 4', async () => {
  const { dir, cleanup } = copyToTemp(fixtureDir('leveldb-v3.2.8/ops/import/after/nodehost')!, 'check-node');
  try {
    const { code, report } = await check(dir, '--cluster', '100', '--node', '1');
    assert.equal(code, 0);
    assert.equal(report.summary.nodes, 1);
    assert.ok(report.findings.length > 0 && report.findings.every((f) => f.clusterId === '100' && f.nodeId === '1'), describe(report.findings));
    const missing = await runCli(['check', dir, '--cluster', '100', '--node', '9']);
    assert.equal(missing.code, 4, missing.stderr);
    const half = await runCli(['check', dir, '--cluster', '100']);
    assert.equal(half.code, 2, half.stderr);
  } finally {
    cleanup();
  }
});

test('the synthetic datasets: their snapshot records have no files, which is the only error check reports', async (t) => {
  for (const name of ['leveldb-v3.2.8/snapshots', 'pebble-v3.3.8/imported', 'leveldb-v3.2.8/overwrite', 'pebble-v3.3.8/overwrite-batched', 'pebble-v4/basic']) {
    const src = fixtureDir(name);
    await t.test(name, async () => {
      const { dir, cleanup } = copyToTemp(join(src, 'nodehost'), 'check-synthetic');
      try {
        const { code, report } = await check(dir);
        const errorCodes = new Set(report.findings.filter((f) => f.severity === 'error').map((f) => f.code));
        const withSnapshots = !name.includes('overwrite');
        assert.deepEqual([...errorCodes], withSnapshots ? ['snapshot-file-missing'] : [], describe(report.findings));
        assert.equal(code, withSnapshots ? 9 : 0);
        if (name.includes('overwrite')) {
          // plain mode keeps the records above a lowered max index; batched mode keeps a whole stale batch
          assert.ok(report.findings.some((f) => f.code === 'stale-entries' && f.severity === 'info'), describe(report.findings));
        }
      } finally {
        cleanup();
      }
    });
  }
});
