/**
 * --decoder MODULE and --payload FORMAT: a module that returns each payload's length and SHA-256 agrees, entry
 * by entry, with the payloads dump-entries prints without a decoder; a module that throws gives per-entry
 * errors and exit 0; --payload hex/base64/text/json print the same bytes in those forms.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cliNdjson, inPool, runCli } from '../helpers/cli.js';
import { BASIC_DATASETS, expectedPayload, listNodes, nodehostCopy, type NodeRef } from './support.js';

const HASHING_MODULE = `
import { createHash } from 'node:crypto';
export function decode(bytes, entry) {
  if (!Buffer.isBuffer(bytes)) throw new Error('bytes is not a Buffer');
  if (typeof entry.index !== 'bigint') throw new Error('entry.index is not a bigint');
  return { length: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), index: entry.index, type: entry.type, head: bytes.subarray(0, 4) };
}
`;
const THROWING_MODULE = `export function decode(bytes, entry) { throw new Error('cannot decode entry ' + entry.index); }`;
const ASYNC_MODULE = `export default async function (bytes) { await new Promise((r) => setTimeout(r, 1)); return bytes.length; }`;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'logdb-decoder-modules-'));
  writeFileSync(join(dir, 'hash.mjs'), HASHING_MODULE);
  writeFileSync(join(dir, 'throw.mjs'), THROWING_MODULE);
  writeFileSync(join(dir, 'async.mjs'), ASYNC_MODULE);
  writeFileSync(join(dir, 'none.mjs'), 'export const x = 1;');
  writeFileSync(join(dir, 'broken.mjs'), 'export function decode( {');
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every node of the first dataset with payloads of every kind; node 1/1 of the others. */
async function nodesOf(dataset: string, nodehost: string): Promise<NodeRef[]> {
  const nodes = await listNodes(nodehost);
  return dataset === BASIC_DATASETS[1] ? nodes : nodes.filter((n) => n.clusterId === '1' && n.nodeId === '1');
}

for (const dataset of BASIC_DATASETS) {
  test(`${dataset}: a module returning length and SHA-256 agrees with the payloads printed without a decoder`, async () => {
    const { nodehost, cleanup } = nodehostCopy(dataset);
    let compared = 0;
    try {
      await inPool(await nodesOf(dataset, nodehost), 2, async (node) => {
        const base = ['dump-entries', nodehost, '-c', node.clusterId, '-n', node.nodeId, '--all'];
        const plain = await cliNdjson(base);
        const decoded = await cliNdjson([...base, '--decoder', join(dir, 'hash.mjs')]);
        assert.equal(decoded.length, plain.length);
        for (let i = 0; i < plain.length; i++) {
          const p = plain[i];
          const d = decoded[i];
          const { user, userError, ...rest } = d;
          assert.deepEqual(rest, p, 'the entry itself is printed unchanged');
          const payload = expectedPayload(p);
          if (payload === null) {
            assert.equal(user, null, `entry ${p.index} (${p.type}) has no command`);
            continue;
          }
          assert.equal(userError, undefined, `entry ${p.index}: ${userError}`);
          assert.deepEqual(user, {
            length: payload.length,
            sha256: createHash('sha256').update(payload).digest('hex'),
            index: p.index,
            type: p.type,
            head: payload.subarray(0, 4).toString('base64'),
          });
          compared++;
        }
      });
      assert.ok(compared > 10, `${compared} payloads compared`);
    } finally {
      cleanup();
    }
  });
}

test('a throwing module: every command gets its error, entries without one do not, exit 0', async () => {
  const { nodehost, cleanup } = nodehostCopy(BASIC_DATASETS[1]!);
  try {
    const r = await runCli(['dump-entries', nodehost, '-c', '1', '-n', '1', '--decoder', join(dir, 'throw.mjs'), '--output', 'ndjson']);
    assert.equal(r.code, 0, r.stderr);
    const entries = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    let errors = 0;
    for (const e of entries) {
      assert.equal(e.user, null);
      if (expectedPayload(e) === null) assert.equal(e.userError, undefined);
      else {
        assert.equal(e.userError, `cannot decode entry ${e.index}`);
        errors++;
      }
    }
    assert.ok(errors > 0);
    const table = await runCli(['dump-entries', nodehost, '-c', '1', '-n', '1', '--decoder', join(dir, 'throw.mjs')]);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^ +INDEX +TERM +TYPE +CMD +USER$/m);
    assert.match(table.stdout, /error: cannot decode entry \d+/);
  } finally {
    cleanup();
  }
});

test('an async module (default export) is awaited, results stay in log order', async () => {
  const { nodehost, cleanup } = nodehostCopy(BASIC_DATASETS[1]!);
  try {
    const base = ['dump-entries', nodehost, '-c', '1', '-n', '1'];
    const plain = await cliNdjson(base);
    const decoded = await cliNdjson([...base, '--decoder', join(dir, 'async.mjs')]);
    assert.deepEqual(decoded.map((e) => e.index), plain.map((e) => e.index));
    for (let i = 0; i < plain.length; i++) assert.equal(decoded[i].user, expectedPayload(plain[i])?.length ?? null);
  } finally {
    cleanup();
  }
});

test('--payload hex, base64, text and json print the payload bytes', async () => {
  const { nodehost, cleanup } = nodehostCopy(BASIC_DATASETS[1]!);
  try {
    const base = ['dump-entries', nodehost, '-c', '1', '-n', '1'];
    const plain = await cliNdjson(base);
    const [hex, b64, text, json] = await Promise.all(['hex', 'base64', 'text', 'json'].map((f) => cliNdjson([...base, '--payload', f])));
    let texts = 0;
    for (let i = 0; i < plain.length; i++) {
      const payload = expectedPayload(plain[i]);
      assert.equal(hex[i].user, payload?.toString('hex') ?? null);
      assert.equal(b64[i].user, payload?.toString('base64') ?? null);
      if (payload === null) continue;
      let utf8: string | undefined;
      try {
        utf8 = new TextDecoder('utf-8', { fatal: true }).decode(payload);
      } catch {
        utf8 = undefined;
      }
      if (utf8 === undefined) {
        assert.equal(text[i].userError, 'not UTF-8 text');
        assert.match(json[i].userError, /^not JSON/);
        continue;
      }
      texts++;
      assert.equal(text[i].user, utf8);
      let parsed: unknown;
      try {
        parsed = JSON.parse(utf8);
      } catch {
        assert.match(json[i].userError, /^not JSON/);
        continue;
      }
      assert.deepEqual(json[i].user, parsed);
    }
    assert.ok(texts > 0, 'some payloads are text');
  } finally {
    cleanup();
  }
});

test('a module that does not load or exports no decode function is a usage error (exit 2)', async () => {
  const { nodehost, cleanup } = nodehostCopy(BASIC_DATASETS[0]!);
  try {
    for (const file of ['none.mjs', 'broken.mjs', 'absent.mjs']) {
      const r = await runCli(['dump-entries', nodehost, '-c', '1', '-n', '1', '--decoder', join(dir, file)]);
      assert.equal(r.code, 2, `${file}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^logdb: error: --decoder: .+\n$/);
    }
  } finally {
    cleanup();
  }
});

test('the table shows the decoded command on one line, cut to the terminal width', async () => {
  const { nodehost, cleanup } = nodehostCopy(BASIC_DATASETS[1]!);
  try {
    const r = await runCli(['dump-entries', nodehost, '-c', '1', '-n', '1', '--decoder', join(dir, 'hash.mjs')], { env: { COLUMNS: '100' } });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^ +INDEX +TERM +TYPE +CMD +USER$/);
    for (const line of lines) assert.ok(line.length <= 100, `${line.length} > 100: ${line}`);
    assert.ok(lines.some((l) => /\{"length":\d+,"sha256":"[0-9a-f]+…$/.test(l)), 'long results are cut with …');
    const wide = await runCli(['dump-entries', nodehost, '-c', '1', '-n', '1', '--decoder', join(dir, 'hash.mjs')], { env: { COLUMNS: '400' } });
    assert.ok(wide.stdout.split('\n').some((l) => /"head":"[A-Za-z0-9+/=]*"\}$/.test(l)), 'a wide terminal shows the whole result');
  } finally {
    cleanup();
  }
});
