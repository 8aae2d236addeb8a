#!/usr/bin/env node
// `logdb --version` answers before anything else is loaded: scripts call it to probe for logdb, and loading the CLI
// (commander, every command) would triple its time.
const [, , first, ...rest] = process.argv;
if ((first === '--version' || first === '-V') && rest.length === 0) {
  const { readFileSync } = await import('node:fs');
  let version = '0.0.0';
  try {
    version = String(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
  } catch {
    // the same fallback as the CLI's own
  }
  process.stdout.write(`${version}\n`);
} else {
  // the bundle of dist/src/cli/main.js that `npm run build` writes (scripts/bundle.mjs)
  const { main } = await import('../dist/cli/main.js');
  main(process.argv);
}
