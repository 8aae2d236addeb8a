// Bundles the compiled CLI (dist/src/cli/main.js, from tsc) into a few files under dist/cli/, which bin/logdb.js
// loads. A short command otherwise spends most of its time finding, reading and compiling some 80 modules one by
// one; bundled, it loads a handful of chunks. Each command and each storage backend stays a chunk of its own
// (code splitting at the dynamic imports), so a command still loads only what it runs.
//
// Native addons stay outside the bundle, as do the packages loaded with createRequire (protobufjs, long.js,
// snappyjs): they are only loaded when used. CommonJS code inside the bundle (commander, cli-table3) calls
// `require` for Node's built-ins, which an ES module lacks: the banner defines it.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'dist', 'src', 'cli', 'main.js')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['classic-level', 'os-lock', 'protobufjs', 'long', 'snappyjs'],
  banner: { js: "import { createRequire as __logdbCreateRequire } from 'node:module'; const require = __logdbCreateRequire(import.meta.url);" },
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
});
