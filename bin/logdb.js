#!/usr/bin/env node
// CommonJS (bin/package.json), like the bundle it loads: a command-line tool that starts as an ES module pays for
// Node's asynchronous module loader before it runs a line of its own.
'use strict';

// `logdb --version` answers before anything else is loaded: scripts call it to probe for logdb, and loading the CLI
// (commander, every command) would triple its time.
const [, , first, ...rest] = process.argv;
if ((first === '--version' || first === '-V') && rest.length === 0) {
  const { readFileSync } = require('node:fs');
  const { join } = require('node:path');
  let version = '0.0.0';
  try {
    version = String(JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version);
  } catch {
    // the same fallback as the CLI's own
  }
  process.stdout.write(`${version}\n`);
} else {
  require('./load-cli.js').loadCli().exports.main(process.argv);
}
