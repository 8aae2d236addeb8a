/**
 * `logdb completion bash|zsh|fish`: the scripts are generated from the commands themselves. The bash script is
 * loaded into a real bash and asked what it completes, as readline would ask it: commands, options, --output
 * values, and directories (not files) for a NodeHost dir.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { commandNames } from '../../src/commands/index.js';
import { runCli } from '../helpers/cli.js';

/** What the loaded bash script offers for the words typed so far (the last word is the one being completed). */
function bashCompletes(script: string, words: string[], cwd: string): string[] {
  const setup = `source ${JSON.stringify(script)}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})
COMP_CWORD=${words.length - 1}
_logdb
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', setup], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

test('the bash script completes commands, options, --output values and directories', async () => {
  const root = mkdtempSync(join(tmpdir(), 'logdb-completion-'));
  try {
    const r = await runCli(['completion', 'bash']);
    assert.equal(r.code, 0, r.stderr);
    const script = join(root, 'logdb.bash');
    writeFileSync(script, r.stdout);
    mkdirSync(join(root, 'nodehost-a'));
    mkdirSync(join(root, 'nodehost-b'));
    writeFileSync(join(root, 'notes.txt'), '');

    assert.deepEqual(bashCompletes(script, ['logdb', 'dump-e'], root), ['dump-entries']);
    assert.deepEqual(bashCompletes(script, ['logdb', 'ls-'], root), ['ls-nodes', 'ls-snapshots']);
    assert.deepEqual(bashCompletes(script, ['logdb', 'dump-entries', '/x', '--clu'], root), ['--cluster']);
    assert.deepEqual(bashCompletes(script, ['logdb', 'dump-entries', '--output', ''], root), ['json', 'ndjson', 'table']);
    assert.deepEqual(bashCompletes(script, ['logdb', 'ls-nodes', ''], root), ['nodehost-a', 'nodehost-b'], 'directories only');
    assert.deepEqual(bashCompletes(script, ['logdb', 'remove-node', 'nodehost-a', '--backup-dir', 'node'], root), ['nodehost-a', 'nodehost-b']);
    assert.deepEqual(bashCompletes(script, ['logdb', 'remove-node', 'nodehost-a', '-c', '1', '--dr'], root), ['--dry-run'], 'a value does not count as the command');
    assert.deepEqual(bashCompletes(script, ['logdb', 'completion', ''], root), ['bash', 'fish', 'zsh']);

    const bound = spawnSync('bash', ['--norc', '-c', `source ${JSON.stringify(script)}; complete -p logdb`], { encoding: 'utf8' });
    assert.match(bound.stdout, /complete -F _logdb logdb/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the zsh and fish scripts name every command and every option of dump-entries', async () => {
  const help = await runCli(['dump-entries', '--help']);
  const longOptions = [...help.stdout.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!);
  assert.ok(longOptions.includes('--cluster') && longOptions.includes('--output'));
  for (const shell of ['zsh', 'fish']) {
    const r = await runCli(['completion', shell]);
    assert.equal(r.code, 0, r.stderr);
    for (const name of commandNames) assert.ok(r.stdout.includes(name), `${shell}: ${name}`);
    for (const option of longOptions) {
      const spelled = shell === 'fish' ? `-l ${option.slice(2)}` : option;
      assert.ok(r.stdout.includes(spelled), `${shell}: ${option}`);
    }
  }
  const zsh = await runCli(['completion', 'zsh']);
  assert.match(zsh.stdout, /^#compdef logdb$/m);
  assert.match(zsh.stdout, /'\(-o --output\)'\{-o,--output\}'\[output format\]:output:\(table json ndjson\)'/);
});

test('an unknown shell is a usage error (exit 2) naming the shells there are', async () => {
  const r = await runCli(['completion', 'tcsh']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bash, zsh, fish/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});
