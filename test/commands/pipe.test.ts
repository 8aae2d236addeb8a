/**
 * `logdb … | head` exits quietly: when the reader of stdout goes away, logdb stops with status 0, prints
 * nothing on stderr, and leaves nothing behind in the temp dir.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliPath } from '../helpers/cli.js';
import { fixtureDir } from '../helpers/fixtures.js';

const BASIC = 'leveldb-v3.2.8/basic';

// large enough outputs (100 KiB payloads) that logdb is still writing when the pipe closes
for (const format of ['ndjson', 'json']) {
  test(`dump-entries --output ${format} | head: exit 0, nothing on stderr, nothing left in TMPDIR`, async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'logdb-pipe-tmp-'));
    const child = spawn(process.execPath, [cliPath, 'dump-entries', join(fixtureDir(BASIC)!, 'nodehost'), '-c', '1', '-n', '1', '--output', format], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // read the first bytes, then hang up, as head does
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0);
    assert.equal(stderr, '');
    assert.deepEqual(readdirSync(tmp), [], 'nothing left in the temp dir');
    rmSync(tmp, { recursive: true });
  });
}
