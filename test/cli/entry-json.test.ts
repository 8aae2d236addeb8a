/** The hand-written JSON of an entry is the generic JSON of its meaning, for the shortcut cases too. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyEntry } from '../../src/codec/colfer.js';
import { encodeEncodedEntryCmd } from '../../src/codec/encoded-entry.js';
import { decodeEntryMeaning, entryJson } from '../../src/cli/views/entry.js';

test('EncodedEntry JSON: the uncompressed shortcut says what the full decoder says', () => {
  const cmds = [
    encodeEncodedEntryCmd(Buffer.from('payload'), 'none'),
    encodeEncodedEntryCmd(Buffer.from('x'), 'none'),
    Buffer.of(0),
    encodeEncodedEntryCmd(Buffer.alloc(300, 7), 'snappy'),
    Buffer.of(0x10, 1),
    Buffer.alloc(0),
  ];
  for (const cmd of cmds) {
    const e = { ...emptyEntry(), type: 2, index: 2n ** 64n - 1n, cmd };
    const parsed = JSON.parse(entryJson(e));
    assert.deepEqual(parsed.decoded, JSON.parse(JSON.stringify(decodeEntryMeaning(e))), cmd.toString('hex'));
    assert.equal(parsed.index, '18446744073709551615');
  }
});
