/**
 * What a user gets from `npm i -g`: the packed tarball installs into a fresh prefix with a working `logdb` and its
 * manual where `man logdb` looks (<prefix>/share/man/man1). Packed without scripts: dist/ is already built, and
 * rebuilding it here would pull it from under the other test files.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixtureDir, repoRoot } from '../helpers/fixtures.js';

const npm = (args: string[], cwd: string) => {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' } });
  assert.equal(r.status, 0, `npm ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

test('npm pack, then npm i -g of the tarball: logdb runs and its man page is installed', { timeout: 600_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'logdb-global-'));
  try {
    npm(['pack', '--ignore-scripts', '--pack-destination', root], repoRoot);
    const tarball = readdirSync(root).find((n) => n.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote a tarball');
    const prefix = join(root, 'prefix');
    npm(['install', '--global', '--prefer-offline', '--prefix', prefix, join(root, tarball)], root);

    const logdb = join(prefix, 'bin', 'logdb');
    const version = spawnSync(logdb, ['--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);

    const manPage = readFileSync(join(prefix, 'share', 'man', 'man1', 'logdb.1'), 'utf8');
    assert.match(manPage, /^\.TH LOGDB 1 /);

    const list = spawnSync(logdb, ['ls-nodes', join(fixtureDir('leveldb-v3.2.8/basic'), 'nodehost'), '--output', 'json'], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.ok(JSON.parse(list.stdout).length > 0, 'the installed tool reads a LogDB');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
