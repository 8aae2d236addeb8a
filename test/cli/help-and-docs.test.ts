/**
 * Every command explains itself: `--help` shows examples, and the README and the man page describe it. The
 * man page renders without warnings where groff is installed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXIT_CODE_MEANINGS, EXIT_CODES } from '../../src/cli/exit-codes.js';
import { loadCommands } from '../../src/commands/index.js';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';

const allCommands = await loadCommands();
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const manPage = readFileSync(join(repoRoot, 'man', 'logdb.1'), 'utf8');

for (const command of allCommands) {
  test(`${command.name}: --help has examples, and README and man page describe it`, async () => {
    const r = await runCli([command.name, '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`Usage: logdb ${command.name}`));
    assert.match(r.stdout, /Examples:\n {2}\$ logdb /);
    assert.ok(readme.includes(`logdb ${command.name}`), `README mentions logdb ${command.name}`);
    assert.ok(manPage.includes(`.B ${command.name.replace(/-/g, '\\-')}`), `man page has a section for ${command.name}`);
  });
}

test('logdb --help lists every command and the exit codes', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  for (const command of allCommands) assert.match(r.stdout, new RegExp(`\\b${command.name}\\b`));
  assert.match(r.stdout, /Exit codes:\n {3}0 {2}success/);
  assert.match(r.stdout, /\n {2}10 {2}invalid exported snapshot/);
});

test('the man page renders without warnings', () => {
  const r = spawnSync('groff', ['-man', '-ww', '-z', join(repoRoot, 'man', 'logdb.1')], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.equal(r.stderr, '');
});

test('README and man page document every exit code the CLI uses', () => {
  for (const [kind, code] of Object.entries(EXIT_CODES)) {
    assert.ok(EXIT_CODE_MEANINGS.some(([c]) => c === code), `${kind} (${code}) has a meaning`);
    assert.match(readme, new RegExp(`^\\| ${code} \\| `, 'm'), `README lists exit code ${code}`);
    assert.match(manPage, new RegExp(`^\\.B ${code}$`, 'm'), `man page lists exit code ${code}`);
  }
});

test('README and man page show only paths a reader has: /var/lib/dragonboat/…, relative ones, system dirs', () => {
  const allowed = ['/var/lib/dragonboat/', '/backup/', '/etc/', '/usr/', '/dev/'];
  for (const [name, text] of [['README.md', readme], ['man/logdb.1', manPage]]) {
    assert.ok(!text.includes(repoRoot), `${name} holds this checkout's path`);
    const absolute = [...text.matchAll(/(?:^|[\s`("=])(\/[A-Za-z][\w.-]*(?:\/[^\s`)"']*)?)/gm)].map((m) => m[1]!);
    assert.ok(absolute.some((p) => p.startsWith('/var/lib/dragonboat/')), `${name}: the check sees paths`);
    assert.deepEqual(absolute.filter((p) => !allowed.some((a) => `${p}/`.startsWith(a))), [], `${name}: paths of the machine it was written on`);
  }
});
