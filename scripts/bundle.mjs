// Bundles the compiled CLI (dist/src/cli/main.js, from tsc) into one CommonJS file, dist/cli/logdb.cjs, which
// bin/logdb.js loads, then saves V8's code cache for it (scripts/code-cache.cjs). A short command otherwise spends
// most of its time finding, reading and compiling some 80 modules through Node's asynchronous ES module loader.
// Modules behind a dynamic import (each command, each storage backend) are still only initialised when used.
//
// Native addons stay outside the bundle, as do the packages loaded on first use (protobufjs, long.js, snappyjs,
// cli-table3, hash-wasm). `import.meta.url` is the bundle's own URL. The bundle holds no import() of its own:
// src/util/import-file.ts is swapped for a call to the loader's (bin/load-cli.js says why).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');
const outfile = join(outdir, 'logdb.cjs');
rmSync(outdir, { recursive: true, force: true });

/** src/util/import-file.ts, importing through the loader. */
const importThroughLoader = {
  name: 'import-through-loader',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/]util[\\/]import-file\.js$/ }, () => ({
      contents: 'export function importFile(url) { return __logdbImportFile(url); }',
      loader: 'js',
    }));
  },
};

/**
 * commander loads node:child_process (with net and streams: ~5 ms) for executable subcommands, which logdb has
 * none of: it gets the module on first use instead.
 */
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents:
        "let loaded; const load = () => (loaded ??= require('node:child_process'));\n" +
        'module.exports = new Proxy({}, { get: (_, name) => load()[name], has: (_, name) => name in load() });\n',
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: [join(root, 'dist', 'src', 'cli', 'main.js')],
  outfile,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['classic-level', 'os-lock', 'protobufjs', 'long', 'snappyjs', 'cli-table3', 'hash-wasm'],
  define: { 'import.meta.url': '__logdbModuleUrl' },
  banner: { js: "const __logdbModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [importThroughLoader, lazyChildProcessForCommander],
  // no comments or indentation: a third of the bytes every command reads; names are kept (stack traces)
  minifyWhitespace: true,
  logLevel: 'warning',
});
// ASCII only (esbuild escapes everything else in strings), so the loader reads it as latin1: no UTF-8 decoding
if (/[^\x00-\x7f]/.test(readFileSync(outfile, 'latin1'))) throw new Error('bundle: dist/cli/logdb.cjs is not ASCII');
if (/[^\w$.]import\(/.test(readFileSync(outfile, 'utf8'))) {
  throw new Error('bundle: dist/cli/logdb.cjs calls import() itself; route it through src/util/import-file.ts');
}
// the ID that ties the code cache to these exact bytes (bin/load-cli.js)
const id = createHash('sha256').update(readFileSync(outfile)).digest('hex').slice(0, 16);
appendFileSync(outfile, `//# logdbBuildId=${id}\n`);

const cache = spawnSync(process.execPath, [join(root, 'scripts', 'code-cache.cjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
if (cache.status !== 0) console.warn('bundle: no code cache was saved; the CLI works without it, only slower to start');
