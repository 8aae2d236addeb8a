/**
 * On a terminal, a write asks first, naming the cluster and node, and only "yes" goes ahead. The terminal is
 * a real pseudo-terminal made by util-linux `script`; the test answers once the question is on screen.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliPath, runCli } from '../helpers/cli.js';
import { copyFixture, fixtureDir } from '../helpers/fixtures.js';
import { treeFingerprint } from '../helpers/tree.js';

const BEFORE = 'leveldb-v3.2.8/ops/before-plain';

/** Runs logdb on a pseudo-terminal, types `answer` when asked, and returns the screen and the exit code. */
function onTerminal(args: string[], answer: string): Promise<{ code: number; screen: string }> {
  return new Promise((resolve) => {
    const command = [process.execPath, cliPath, ...args, '--no-color'].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let answered = false;
    child.stdout.on('data', (d: Buffer) => {
      screen += d.toString();
      if (!answered && screen.includes('Type "yes" to continue')) {
        answered = true;
        child.stdin.write(`${answer}\n`);
      }
    });
    child.on('exit', (code) => resolve({ code: code ?? -1, screen }));
  });
}

for (const [answer, expected] of [['no', 7], ['yes', 0]] as const) {
  test(`remove-node on a terminal asks, naming the node; "${answer}" ${expected ? 'refuses (exit 7)' : 'goes ahead'}`, { timeout: 60_000 }, async () => {
    const { dir, cleanup } = copyFixture(BEFORE);
    try {
      const nodehost = join(dir, 'nodehost');
      const before = treeFingerprint(nodehost);
      const r = await onTerminal(['remove-node', nodehost, '--cluster', '102', '--node', '3', '--no-backup'], answer);
      assert.match(r.screen, /Remove node 3 of cluster 102 .*\? Type "yes" to continue/);
      assert.equal(r.code, expected, r.screen);
      const state = await runCli(['dump-state', nodehost, '-c', '102', '-n', '3']);
      if (expected) {
        assert.match(r.screen, /not confirmed; nothing was changed/);
        assert.deepEqual(treeFingerprint(nodehost), before);
        assert.equal(state.code, 0);
      } else {
        assert.equal(state.code, 4, 'the node is gone');
      }
    } finally {
      cleanup();
    }
  });
}
