/** The README's decoder examples (docs/examples) work (the ConfigChange schema is checked by proto.test.ts). */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { repoRoot } from '../helpers/fixtures.js';

test('docs/examples/decode-kv.mjs decodes PUT and DELETE and throws on what it does not know', async () => {
  const { decode } = await import(pathToFileURL(join(repoRoot, 'docs', 'examples', 'decode-kv.mjs')).href);
  const key = Buffer.from('user/42');
  const put = Buffer.concat([Buffer.of(1, key.length), key, Buffer.from('{"name":"ada"}')]);
  assert.deepEqual(decode(put, { index: 1n }), { op: 'PUT', key: 'user/42', value: '{"name":"ada"}', valueBytes: 14 });
  const longKey = Buffer.alloc(200, 0x6b);
  assert.deepEqual(decode(Buffer.concat([Buffer.of(2, 0xc8, 0x01), longKey]), { index: 2n }), { op: 'DELETE', key: longKey.toString() });
  assert.throws(() => decode(Buffer.of(9), { index: 3n }), /unknown op 9 at index 3/);
  assert.throws(() => decode(Buffer.of(1, 5, 0x61), { index: 4n }), /past the end/);
});
