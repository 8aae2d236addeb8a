/**
 * What bin/logdb.js runs: the one-file bundle of the CLI that `npm run build` writes (scripts/bundle.mjs), with
 * the V8 code cache saved for it. The cache must exist, belong to this exact bundle and be taken by V8 (a build
 * that silently stopped making it would only be slower, so nothing else would notice), the package must ship
 * both, and a short command must not load what it does not use.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliPath } from '../helpers/cli.js';
import { fixtureDir, repoRoot } from '../helpers/fixtures.js';

const bundle = join(repoRoot, 'dist', 'cli', 'logdb.cjs');

test('the bundle is ASCII and ends with its build ID; the code cache for that ID is beside it', () => {
  const source = readFileSync(bundle, 'latin1');
  assert.ok(!/[^\x00-\x7f]/.test(source), 'ASCII only (the loader reads it as latin1)');
  const id = /\/\/# logdbBuildId=([0-9a-f]{16})\n$/.exec(source);
  assert.ok(id, 'the bundle ends with its build ID');
  assert.ok(existsSync(join(repoRoot, 'dist', 'cli', `logdb-${id[1]}.cache`)), 'the code cache of this build exists');
});

test('V8 takes the code cache, and the CLI runs from it', () => {
  const script = `
    const vm = require('node:vm');
    const Script = vm.Script;
    let seen;
    vm.Script = class extends Script {
      constructor(source, options) {
        super(source, options);
        seen = { given: Boolean(options && options.cachedData), rejected: this.cachedDataRejected };
      }
    };
    const { exports } = require(${JSON.stringify(join(repoRoot, 'bin', 'load-cli.js'))}).loadCli();
    process.stderr.write(JSON.stringify(seen) + '\\n');
    exports.main(['node', 'logdb', 'ls-nodes', ${JSON.stringify(join(fixtureDir('pebble-v3.3.8/basic'), 'nodehost'))}, '--output', 'json']);
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stderr.trim().split('\n')[0]!), { given: true, rejected: false });
  assert.ok(JSON.parse(r.stdout).length > 0, 'ls-nodes lists nodes');
});

test('a short command loads neither protobufjs, cli-table3, hash-wasm, chalk (tty) nor child_process', () => {
  // the loaded modules are read at exit: ls-nodes on a 16-shard Pebble LogDB, table output, no colour. chalk is
  // inside the bundle; what gives it away is node:tty, which its terminal detection loads.
  const probe = `
    process.on('exit', () => {
      const loaded = Object.keys(require('node:module')._cache).map((p) => p.split('node_modules/').pop());
      const builtins = ['fs', 'child_process', 'perf_hooks', 'tty'].filter((m) => process.moduleLoadList.includes('NativeModule ' + m));
      process.stderr.write('\\n' + JSON.stringify({ loaded, builtins }) + '\\n');
    });
    process.argv = [process.argv[0], ${JSON.stringify(cliPath)}, 'ls-nodes', ${JSON.stringify(join(fixtureDir('pebble-v3.3.8/basic'), 'nodehost'))}];
    require(${JSON.stringify(cliPath)});
  `;
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ *CLUSTER +NODE/);
  const { loaded, builtins } = JSON.parse(r.stderr.trim().split('\n').pop()!);
  for (const name of ['protobufjs', 'cli-table3', 'hash-wasm', 'chalk']) {
    assert.ok(!loaded.some((p: string) => p.startsWith(`${name}/`)), `${name} is not loaded: ${loaded.join(', ')}`);
  }
  assert.deepEqual(builtins, ['fs'], 'of fs, child_process, perf_hooks and tty, only fs is loaded');
});

test('the package ships the bundle and its code cache', () => {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files: string[] = JSON.parse(r.stdout)[0].files.map((f: { path: string }) => f.path);
  for (const path of ['bin/logdb.js', 'bin/load-cli.js', 'bin/package.json', 'dist/cli/logdb.cjs']) assert.ok(files.includes(path), `${path} is packed`);
  assert.ok(files.some((p) => /^dist\/cli\/logdb-[0-9a-f]{16}\.cache$/.test(p)), 'the code cache is packed');
});
