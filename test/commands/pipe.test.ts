/**
 * `logdb … | head` exits quietly: when the reader of stdout goes away, logdb stops with status 0, prints
 * nothing on stderr, and leaves no private checkpoint behind.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliPath } from '../helpers/cli.js';
import { fixtureDir } from '../helpers/fixtures.js';

const BASIC = 'leveldb-v3.2.8/basic';

// large enough outputs (100 KiB payloads) that logdb is still writing when the pipe closes
for (const format of ['ndjson', 'json']) {
  test(`dump-entries --output ${format} | head: exit 0, nothing on stderr, no checkpoint left`, async () => {
    const child = spawn(process.execPath, [cliPath, 'dump-entries', join(fixtureDir(BASIC)!, 'nodehost'), '-c', '1', '-n', '1', '--output', format], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // read the first bytes, then hang up, as head does
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0);
    assert.equal(stderr, '');
    const leftovers = readdirSync(tmpdir()).filter((n) => n.startsWith(`logdb-checkpoint-${child.pid}-`));
    assert.deepEqual(leftovers, [], 'the checkpoint was removed');
    assert.ok(existsSync(tmpdir()));
  });
}
