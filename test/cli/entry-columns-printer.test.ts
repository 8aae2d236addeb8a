/**
 * dump-entries' column printer: every entry as entryJson prints it, in order, as ndjson lines or one JSON array —
 * the byte-written ones, those left to entryJson, and one too large for stdout's buffer — with --type and --limit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeEntry, emptyEntry, encodeEntry, type Entry } from '../../src/codec/colfer.js';
import { encodeEncodedEntryCmd } from '../../src/codec/encoded-entry.js';
import { EntryColumns } from '../../src/codec/entry-columns.js';
import { entryJson } from '../../src/cli/views/entry.js';
import { printEntryColumns } from '../../src/cli/views/entry-columns-printer.js';
import { flush } from '../../src/cli/stdout.js';

const entries: Entry[] = [
  { ...emptyEntry(), index: 1n, term: 1n, type: 1, cmd: Buffer.from('0801', 'hex') },
  { ...emptyEntry(), index: 2n, term: 1n, type: 2, key: 5n, clientId: 2n ** 64n - 1n, cmd: encodeEncodedEntryCmd(Buffer.from('small'), 'none') },
  { ...emptyEntry(), index: 3n, term: 2n, type: 0, cmd: Buffer.alloc(2 * 1024 * 1024, 0x5a) },
  { ...emptyEntry(), index: 4n, term: 2n, type: 2, cmd: encodeEncodedEntryCmd(Buffer.alloc(300, 7), 'snappy') },
  { ...emptyEntry(), index: 5n, term: 2n, type: 0 },
];

async function* chunks(): AsyncIterable<EntryColumns> {
  for (let i = 0; i < entries.length; i += 2) {
    const columns = new EntryColumns(2);
    for (const e of entries.slice(i, i + 2)) {
      const record = encodeEntry(e);
      assert.ok(columns.push(record, 0, record.length));
    }
    yield columns;
  }
}

/** What printEntryColumns writes to stdout (replaced while it runs; its writes complete at once). */
async function printed(format: 'json' | 'ndjson', types?: Set<number>, limit?: number): Promise<string> {
  const parts: Buffer[] = [];
  const stdout = process.stdout as any;
  const write = stdout.write;
  stdout.write = (chunk: Buffer | string) => {
    parts.push(Buffer.from(chunk));
    return true;
  };
  try {
    await printEntryColumns(chunks(), format, types, limit);
    flush();
  } finally {
    stdout.write = write;
  }
  return Buffer.concat(parts).toString('utf8');
}

const json = (e: Entry) => entryJson(decodeEntry(encodeEntry(e)));

test('ndjson: one line per entry, as entryJson, including one larger than the output buffer', async () => {
  assert.equal(await printed('ndjson'), entries.map((e) => json(e) + '\n').join(''));
});

test('json: one array', async () => {
  const text = await printed('json');
  assert.equal(text, `[\n  ${entries.map(json).join(',\n  ')}\n]\n`);
  assert.equal(JSON.parse(text).length, entries.length);
});

test('--type and --limit', async () => {
  assert.equal(await printed('ndjson', new Set([0])), [entries[2]!, entries[4]!].map((e) => json(e) + '\n').join(''));
  assert.equal(await printed('ndjson', undefined, 2), entries.slice(0, 2).map((e) => json(e) + '\n').join(''));
  assert.equal(await printed('json', new Set([3])), '[]\n');
  assert.equal(await printed('ndjson', undefined, 0), '');
});
