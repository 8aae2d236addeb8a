// Loads the CLI: the one-file bundle of dist/src/cli/main.js that `npm run build` writes (scripts/bundle.mjs),
// compiled with the V8 code cache the build saved beside it.
//
// Compiling the bundle's functions is most of what a short command costs. The build runs a few read commands
// and saves the code V8 compiled (dist/cli/logdb-<build id>.cache); V8 takes it only when its version and flags
// match the build's (otherwise it compiles as usual), and the build ID ties the cache to the exact bundle.
//
// The bundle is compiled as a function of (exports, require, module, __filename, __dirname, __logdbImportFile):
// code compiled from a cache cannot call import() itself, so it imports users' modules through this file's import().
'use strict';
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const bundle = join(__dirname, '..', 'dist', 'cli', 'logdb.cjs');

/** The code cache saved for the build ID the bundle ends with (scripts/bundle.mjs). */
function cacheFile(source) {
  const id = /\/\/# logdbBuildId=([0-9a-f]+)\s*$/.exec(source.slice(-100));
  return id ? join(dirname(bundle), `logdb-${id[1]}.cache`) : undefined;
}

const importFile = (url) => import(url);

/**
 * Compiles and runs the bundle; `useCache: false` compiles from scratch (how the build makes the cache).
 * Returns its exports, the script, and where its code cache belongs.
 */
function loadCli({ useCache = true } = {}) {
  const source = readFileSync(bundle, 'latin1'); // ASCII only (scripts/bundle.mjs checks)
  const cache = cacheFile(source);
  let cachedData;
  try {
    cachedData = useCache && cache ? readFileSync(cache) : undefined;
  } catch {
    // no cache (a build that could not make one): compile as usual
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname, __logdbImportFile) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: bundle, cachedData });
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(dirname(bundle));
  script.runInThisContext()(mod.exports, Module.createRequire(bundle), mod, bundle, dirname(bundle), importFile);
  mod.loaded = true;
  return { exports: mod.exports, script, cache };
}

module.exports = { loadCli };
