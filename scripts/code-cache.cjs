// Saves V8's code cache for the bundle (see bin/load-cli.js): compiles it without a cache, runs a few read
// commands in this process — the help, `info`, and `ls-nodes` as a table and as JSON on copies of a small Pebble
// and a small LevelDB LogDB from test/fixtures — so that the functions every read command runs are compiled, then
// writes what V8 compiled. Without the fixtures it saves what the help compiled.
'use strict';
const { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { loadCli } = require('../bin/load-cli.js');

const root = join(__dirname, '..');

async function main() {
  const { exports, script, cache } = loadCli({ useCache: false });
  if (!script || !cache) return; // this Node cannot use a code cache
  const work = mkdtempSync(join(tmpdir(), 'logdb-code-cache-'));
  const exit = process.exit;
  try {
    const runs = [[]];
    for (const dataset of ['pebble-v3.3.8/snapshots', 'leveldb-v3.2.8/snapshots']) {
      const from = join(root, 'test', 'fixtures', dataset, 'nodehost');
      if (!existsSync(from)) continue;
      const copy = join(work, dataset.replace('/', '-'));
      cpSync(from, copy, { recursive: true });
      runs.push(['info', copy], ['ls-nodes', copy], ['ls-nodes', copy, '--output', 'json']);
    }
    for (const args of runs) {
      // the CLI ends with process.exit: here that ends one run
      await new Promise((resolve) => {
        process.exit = () => resolve();
        exports.main(['node', 'logdb', ...args]).catch(resolve);
      });
    }
  } finally {
    process.exit = exit;
    rmSync(work, { recursive: true, force: true });
  }
  writeFileSync(cache, script.createCachedData());
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`code-cache: ${err && err.message}`);
    process.exit(1);
  },
);
