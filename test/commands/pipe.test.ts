/**
 * `logdb … | head` exits quietly: when the reader of stdout goes away, logdb stops with status 0, prints
 * nothing on stderr, and leaves nothing behind in the temp dir.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

// stdout's buffer is filled again as soon as a write went out whole, and only then: a reader that falls behind
// (the pipe fills, writes queue up in the stream) must still get every byte in order
test('dump-entries into a pipe read slowly gives the same bytes as into a file', async () => {
  const dir = join(fixtureDir('pebble-v3.3.8/lsm-large')!, 'nodehost');
  const args = [cliPath, 'dump-entries', dir, '-c', '5', '-n', '1', '--output', 'ndjson', '--limit', '40000'];
  const tmp = mkdtempSync(join(tmpdir(), 'logdb-pipe-file-'));
  try {
    const file = join(tmp, 'out.ndjson');
    const toFile = spawnSync('sh', ['-c', '"$0" "$@" > "$OUT"', process.execPath, ...args], { env: { ...process.env, OUT: file } });
    assert.equal(toFile.status, 0, String(toFile.stderr));
    const expected = readFileSync(file);
    assert.ok(expected.length > 4 * 1024 * 1024, `only ${expected.length} bytes: too little to fill the pipe several times`);

    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const parts: Buffer[] = [];
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // read in small sips with pauses, so logdb finds the pipe full again and again
    for await (const part of child.stdout) {
      parts.push(part as Buffer);
      if (parts.length % 16 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)));
    assert.equal(code, 0);
    assert.ok(Buffer.concat(parts).equals(expected), 'the slowly read output differs from the file');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
