/**
 * A RocksDB shard in a format logdb does not read is "unsupported" (exit 8, naming what and where), not corrupt:
 * a newer table format version, an unknown block checksum type, an unknown MANIFEST tag or custom field of tag 103.
 * Damaged bytes in a format it does read stay corrupt (exit 5).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readLogRecords } from '../../src/kv/pebble/record.js';
import { runCli } from '../helpers/cli.js';
import { copyFixture } from '../helpers/fixtures.js';
import { uvarint, writeLog } from '../kv/pebble/helpers.js';

const SHARD = 'nodehost/fixturehost/00000000000000000001/logdb-1';
const TABLE = '000008.sst';
const FOOTER_SIZE = 53;

async function withBasic(damage: (shardDir: string) => void, expectCode: number, message: RegExp): Promise<void> {
  const { dir, cleanup } = copyFixture('rocksdb-v3.3.8/basic');
  try {
    damage(join(dir, SHARD));
    for (const args of [['ls-nodes'], ['dump-entries', '--cluster', '1', '--node', '1']]) {
      const r = await runCli([args[0]!, join(dir, 'nodehost'), ...args.slice(1)]);
      assert.equal(r.code, expectCode, r.stderr);
      assert.match(r.stderr, message);
      // unsupported stops the command with one line; ls-nodes lists what it could read around corrupt data
      if (expectCode === 8) assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    }
  } finally {
    cleanup();
  }
}

function patchTable(shardDir: string, patch: (table: Buffer) => void): void {
  const path = join(shardDir, TABLE);
  const table = readFileSync(path);
  patch(table);
  writeFileSync(path, table);
}

/** Rewrites the MANIFEST with `extra` appended as one more version edit. */
function appendVersionEdit(shardDir: string, extra: Buffer): void {
  const name = readFileSync(join(shardDir, 'CURRENT'), 'latin1').trim();
  const path = join(shardDir, name);
  const records = readLogRecords(readFileSync(path), 0).records;
  writeFileSync(path, writeLog([...records, extra], 0, { recyclable: false }));
}

test('a table format version above 5 is unsupported, naming the version and the table', () =>
  withBasic((d) => patchTable(d, (t) => t.writeUInt32LE(6, t.length - 12)), 8, /unsupported table format version 6 in 000008\.sst/));

test('an unknown block checksum type is unsupported', () =>
  withBasic((d) => patchTable(d, (t) => (t[t.length - FOOTER_SIZE] = 9)), 8, /unsupported checksum type 9 .*000008\.sst/));

test('a flipped byte in an XXH3-checksummed block is corrupt', () =>
  withBasic((d) => patchTable(d, (t) => (t[100] ^= 0x01)), 5, /bad block checksum in 000008\.sst at offset 0/));

test('an unknown MANIFEST tag (e.g. RocksDB\'s blob file addition, 400) is unsupported', () =>
  withBasic((d) => appendVersionEdit(d, Buffer.concat([uvarint(400), uvarint(0)])), 8, /unsupported MANIFEST tag 400 in MANIFEST-000010/));

test('a tag-103 custom field that must not be ignored is unsupported', () =>
  withBasic((d) => {
    const key = Buffer.concat([Buffer.from('k'), Buffer.alloc(8)]);
    const lp = (b: Buffer) => Buffer.concat([uvarint(b.length), b]);
    appendVersionEdit(d, Buffer.concat([uvarint(103), uvarint(1), uvarint(99), uvarint(10), lp(key), lp(key), uvarint(0), uvarint(0), uvarint(70), lp(Buffer.alloc(1)), uvarint(1)]));
  }, 8, /custom field 70 not supported in MANIFEST-000010/));

test('a second column family in the MANIFEST is unsupported', async () => {
  await withBasic((d) => appendVersionEdit(d, Buffer.concat([uvarint(201), uvarint(5), Buffer.from('other')])), 8, /column families are not supported \(MANIFEST tag 201\) in MANIFEST-000010/);
  await withBasic((d) => appendVersionEdit(d, Buffer.concat([uvarint(200), uvarint(1), uvarint(2), uvarint(9)])), 8, /column family 1 is not supported \(only the default family\) in MANIFEST-000010/);
});
