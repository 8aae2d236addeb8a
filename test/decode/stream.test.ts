/**
 * --stream-decoder, etcd-dump-logs' protocol: a shell program that turns each hex line back into bytes and
 * hashes them gives the same per-entry answers as the payloads printed without a decoder, and is started once
 * per dump. A program that dies early ends the dump with a clear error instead of hanging; ERROR lines are
 * per-entry errors.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseAnswer, splitCommandLine } from '../../src/decode/stream.js';
import { cliNdjson, runCli } from '../helpers/cli.js';
import { BASIC_DATASETS, expectedPayload, nodehostCopy } from './support.js';

let dir: string;
let starts: string;

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'logdb-stream-decoder-'));
  starts = join(dir, 'starts');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('splitCommandLine and parseAnswer follow the shell and etcd-dump-logs', () => {
  assert.deepEqual(splitCommandLine(`./dec --name 'a b' "c\\"d" e\\ f`), ['./dec', '--name', 'a b', 'c"d', 'e f']);
  assert.deepEqual(splitCommandLine('  sh  -c  "x | y" '), ['sh', '-c', 'x | y']);
  assert.throws(() => splitCommandLine("sh -c 'open"), /unbalanced/);
  assert.deepEqual(parseAnswer('OK|put k=v'), { json: '{"status":"OK","data":"put k=v"}' });
  assert.deepEqual(parseAnswer('OK|a|b'), { json: '{"status":"OK","data":"a|b"}' });
  assert.deepEqual(parseAnswer('no separator'), { json: '{"status":null,"data":"no separator"}' });
  assert.deepEqual(parseAnswer('ERROR|too short'), { error: 'ERROR|too short' });
});

for (const dataset of BASIC_DATASETS) {
  test(`${dataset}: a shell decoder that hashes hex-decoded payloads agrees entry by entry, started once`, async () => {
    const decoder = script(
      'hash.sh',
      `echo started >> '${starts}'
while IFS= read -r line; do
  sum=$(printf '%s' "$line" | perl -e 'local $/; my $h = <STDIN>; print pack("H*", $h)' | sha256sum | cut -d' ' -f1)
  echo "OK|$sum"
done`,
    );
    rmSync(starts, { force: true });
    const { nodehost, cleanup } = nodehostCopy(dataset);
    try {
      const base = ['dump-entries', nodehost, '-c', '1', '-n', '1', '--all'];
      const plain = await cliNdjson(base);
      const decoded = await cliNdjson([...base, '--stream-decoder', decoder]);
      assert.equal(decoded.length, plain.length);
      let compared = 0;
      for (let i = 0; i < plain.length; i++) {
        const payload = expectedPayload(plain[i]);
        if (payload === null) {
          assert.equal(decoded[i].user, null);
          continue;
        }
        assert.deepEqual(decoded[i].user, { status: 'OK', data: createHash('sha256').update(payload).digest('hex') }, `entry ${plain[i].index}`);
        compared++;
      }
      assert.ok(compared > 10);
      assert.equal(readFileSync(starts, 'utf8'), 'started\n', 'the program was started once for the whole dump');
    } finally {
      cleanup();
    }
  });
}

test('ERROR answers are per-entry errors; the dump goes on (exit 0)', async () => {
  // etcd's own test decoder: short payloads are errors
  const decoder = script('etcd-style.sh', 'while IFS= read -r line; do if [ ${#line} -ge 20 ]; then echo "OK|${#line}"; else echo "ERROR|short $line"; fi; done');
  const { nodehost, cleanup } = nodehostCopy(BASIC_DATASETS[1]!);
  try {
    const r = await runCli(['dump-entries', nodehost, '-c', '1', '-n', '1', '--stream-decoder', decoder, '--output', 'ndjson']);
    assert.equal(r.code, 0, r.stderr);
    const entries = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    let ok = 0;
    let errors = 0;
    for (const e of entries) {
      const payload = expectedPayload(e);
      if (payload === null) continue;
      const hex = payload.toString('hex');
      if (hex.length >= 20) {
        assert.deepEqual(e.user, { status: 'OK', data: String(hex.length) });
        ok++;
      } else {
        assert.equal(e.user, null);
        assert.equal(e.userError, `ERROR|short ${hex}`);
        errors++;
      }
    }
    assert.ok(ok > 0 && errors > 0, `${ok} answers, ${errors} errors`);
  } finally {
    cleanup();
  }
});

test('a decoder that dies early ends the dump with a clear error, never a hang', async () => {
  const dies = script('dies.sh', 'IFS= read -r line; echo "OK|first"; exit 3');
  const silent = script('silent.sh', 'exec cat > /dev/null');
  const { nodehost, cleanup } = nodehostCopy(BASIC_DATASETS[1]!);
  try {
    const r = await runCli(['dump-entries', nodehost, '-c', '1', '-n', '1', '--stream-decoder', dies, '--output', 'ndjson'], { timeoutMs: 60_000 });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^logdb: error: the stream decoder .*dies\.sh exited with status 3 after answering 1 payload\(s\)/m);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.filter((e) => e.user !== null).map((e) => e.user), [{ status: 'OK', data: 'first' }]);
    // a program that reads everything and answers nothing: at the end of input it exits, and the dump fails
    const s = await runCli(['dump-entries', nodehost, '-c', '1', '-n', '1', '--stream-decoder', silent], { timeoutMs: 60_000 });
    assert.equal(s.code, 1);
    assert.match(s.stderr, /stream decoder .*silent\.sh (exited with status 0|closed its output) after answering 0 payload/);
    const missing = await runCli(['dump-entries', nodehost, '-c', '1', '-n', '1', '--stream-decoder', join(dir, 'no-such-program')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^logdb: error: --stream-decoder: cannot start .*ENOENT/);
  } finally {
    cleanup();
  }
});
