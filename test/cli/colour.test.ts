/**
 * Colour is for people: on a terminal the table header is bold; through a pipe, with NO_COLOR, or with
 * --no-color there is no escape code at all. The terminal is a real pseudo-terminal made by util-linux `script`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliPath, runCli } from '../helpers/cli.js';
import { fixtureDir } from '../helpers/fixtures.js';

const DATASET = 'leveldb-v3.2.8/snapshots';
const ESC = '\x1b[';

function onTerminal(args: string[], env: Record<string, string> = {}): string {
  const command = [process.execPath, cliPath, ...args].map((a) => `'${a}'`).join(' ');
  const clean = { ...process.env, ...env };
  delete clean.FORCE_COLOR;
  if (!('NO_COLOR' in env)) delete clean.NO_COLOR;
  return spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: clean }).stdout;
}

test('on a terminal the table header is bold', () => {
  const screen = onTerminal(['ls-nodes', join(fixtureDir(DATASET)!, 'nodehost')]);
  assert.ok(screen.includes(`${ESC}1mCLUSTER`), screen);
});

test('NO_COLOR and --no-color turn colour off on a terminal', () => {
  const dir = join(fixtureDir(DATASET)!, 'nodehost');
  assert.ok(!onTerminal(['ls-nodes', dir], { NO_COLOR: '1' }).includes(ESC));
  assert.ok(!onTerminal(['ls-nodes', dir, '--no-color']).includes(ESC));
});

test('through a pipe there is no colour', async () => {
  // an empty NO_COLOR counts as unset (no-color.org): only the pipe keeps colour off here
  const r = await runCli(['ls-nodes', join(fixtureDir(DATASET)!, 'nodehost')], { env: { NO_COLOR: '' } });
  assert.equal(r.code, 0);
  assert.ok(!r.stdout.includes(ESC) && !r.stderr.includes(ESC));
});
