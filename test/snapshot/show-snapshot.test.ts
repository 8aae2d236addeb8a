/**
 * logdb show-snapshot: on the ops fixtures' exports of every backend the header, blocks, record and files match
 * export.json, and --extract-payload writes exactly what the test state machine read when a NodeHost recovered
 * from it (Snappy export of the v3 sets: 2,883,636 bytes, its 52-byte header then 2,816 KiB); on NodeHost dirs
 * the records' files match snapshot-dirs.json; the damaged exports of ops/invalid are findings (exit 5) and
 * extraction refuses them unless --force. Client sessions are decoded from files built here (the fixtures'
 * snapshots hold none).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { checksumTypeName, compressionTypeName } from '../../src/codec/enums.js';
import { GBSNAP_MAGIC, computeHeaderChecksum, crc32, crc32Bytes } from '../../src/codec/gbsnap.js';
import { encodeSnapshotHeader } from '../../src/codec/messages.js';
import { snappyCompressBlock } from '../../src/codec/snappy.js';
import { crc32c, maskCrc } from '../../src/util/crc32c.js';
import { cliJson, cliPath, runCli, spawn } from '../helpers/cli.js';
import { copyFixture, copyToTemp, fixtureDir, readJson } from '../helpers/fixtures.js';
import { INVALID_EXPORT_MESSAGES } from '../helpers/invalid-exports.js';

const BACKENDS = ['leveldb-v3.2.8', 'pebble-v3.3.8', 'pebble-v4', 'rocksdb-v3.3.8', 'tan-v4'];
/** The backends whose LogDB this branch reads (for --cluster/--node). */
const LOGDB_BACKENDS = ['leveldb-v3.2.8', 'pebble-v3.3.8', 'pebble-v4', 'rocksdb-v3.3.8', 'tan-v4'];
const V3_OPS = new Set(['leveldb-v3.2.8', 'pebble-v3.3.8']);

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'logdb-show-snapshot-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The CLI with its stdout kept as bytes. */
function runBinary(args: string[]): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(chunks), stderr }));
  });
}

/** The header and blocks as export.json / snapshot-dirs.json decode them, in show-snapshot's shape. */
function assertMatchesDecoded(report: any, decoded: any, label: string): void {
  const h = decoded.header;
  assert.deepEqual(
    {
      fileSize: report.header.fileSize,
      headerLength: report.header.headerLength,
      version: String(report.header.version),
      checksumType: report.header.checksumType,
      compressionType: report.header.compressionType,
      sessionSize: report.header.sessionSize,
      dataStoreSize: report.header.dataStoreSize,
      unreliableTime: report.header.unreliableTime,
      gitVersion: report.header.gitVersion,
      headerChecksum: report.header.headerChecksum,
      headerChecksumOk: report.header.headerChecksumOk,
      payloadChecksum: report.header.payloadChecksum,
      reservedCrcSlot: report.header.reservedCrcSlot,
    },
    {
      fileSize: String(decoded.fileSize),
      headerLength: decoded.headerLength,
      version: h.version,
      checksumType: checksumTypeName(h.checksumType),
      compressionType: compressionTypeName(h.compressionType),
      sessionSize: h.sessionSize,
      dataStoreSize: h.dataStoreSize,
      unreliableTime: h.unreliableTime,
      gitVersion: h.gitVersion,
      headerChecksum: h.headerChecksum,
      headerChecksumOk: decoded.headerChecksumOK,
      payloadChecksum: h.payloadChecksum,
      reservedCrcSlot: decoded.reservedCrcSlot,
    },
    label,
  );
  assert.deepEqual(
    report.blocks.map((b: any) => ({ offset: b.offset, dataLength: b.dataLength, storedCrc: b.storedCrc, computedCrc: b.computedCrc, ok: b.ok })),
    decoded.blocks.map((b: any) => ({ offset: b.offset, dataLength: b.dataLength, storedCrc: b.storedCrc, computedCrc: b.computedCrc, ok: b.ok })),
    label,
  );
  assert.equal(report.tail.magic, decoded.tailMagic);
  assert.equal(report.tail.totalBlockBytes, String(decoded.tailTotal));
  assert.equal(report.payload.checksumFromStoredCrcs, decoded.payloadChecksumFromStoredBlockCrcs);
  assert.equal(report.payload.verifies, true, label);
}

/** The test state machine's snapshot header (fixtures README "ops"): its count, as the external file names it. */
function smHeaderCount(stream: Buffer, backend: string): bigint {
  // v3 sets: "FXSM", BE u64 count, 32-byte hash, BE u64 filler size; v4 and RocksDB: 12-byte name, LE u64 count, hash
  return V3_OPS.has(backend) ? stream.readBigUInt64BE(4) : stream.readBigUInt64LE(12);
}

for (const backend of BACKENDS) {
  for (const kind of ['snappy', 'uncompressed']) {
    test(`${backend} ${kind} export: header, blocks, record and files match export.json; the extracted payload is the state machine's stream`, async () => {
      const exportRoot = fixtureDir(`${backend}/ops/exports/${kind}`);
      assert.ok(exportRoot, `${backend}/ops/exports/${kind} is shipped`);
      const meta = readJson(join(exportRoot, 'export.json'));
      const { dir, cleanup } = copyToTemp(exportRoot, `${backend}-${kind}`);
      try {
        const snapDir = readdirSync(dir).find((n) => n.startsWith('snapshot-'))!;
        const exportDir = join(dir, snapDir);
        const gbsnapMeta = meta.files.find((f: any) => f.path.endsWith('.gbsnap'));
        const record = meta.files.find((f: any) => f.path.endsWith('snapshot.metadata')).decoded.snapshot;

        const report = await cliJson(['show-snapshot', exportDir]);
        assert.deepEqual(report.findings, []);
        assertMatchesDecoded(report, gbsnapMeta.decoded, `${backend} ${kind}`);
        assert.equal(report.source.recordFrom, 'snapshot.metadata');
        assert.equal(report.record.index, record.index);
        assert.equal(report.record.term, record.term);
        assert.deepEqual(report.membership, record.membership);
        assert.equal(report.sessions.count, 0);
        assert.equal(report.sessions.capacity, '4096');
        assert.equal(report.files.length, 1);
        const ext = meta.files.find((f: any) => f.path.endsWith('external-file-1'));
        assert.deepEqual({ present: report.files[0].present, size: report.files[0].actualSize, id: report.files[0].fileId }, { present: true, size: String(ext.size), id: '1' });

        const out = join(tmp, `${backend}-${kind}.bin`);
        const r = await runCli(['show-snapshot', exportDir, '--extract-payload', out, '--output', 'json']);
        assert.equal(r.code, 0, r.stderr);
        const stream = readFileSync(out);
        assert.equal(stream.length, report.payload.stateMachineBytes);
        assert.equal(report.payload.streamBytes, stream.length + report.payload.sessionTableBytes);
        assert.equal(report.payload.sessionTableBytes, 16, 'an empty session table: capacity and count');
        assert.match(r.stderr, new RegExp(`^wrote ${stream.length} bytes `));
        const metadataText = Buffer.from(report.files[0].metadata, 'base64').toString('utf8');
        assert.equal(`at count ${smHeaderCount(stream, backend)}`, /at count \d+$/.exec(metadataText)![0], 'the state machine header is at the start');
        if (V3_OPS.has(backend)) assert.equal(stream.readBigUInt64BE(44), BigInt(stream.length - 52), "the header's filler size is the rest");
        if (kind === 'uncompressed') {
          const data = gbsnapMeta.decoded.blocks.reduce((n: number, b: any) => n + b.dataLength, 0);
          assert.equal(stream.length, data - 16, 'uncompressed: all block data but the session table');
        }
        if (V3_OPS.has(backend) && kind === 'snappy') {
          assert.equal(stream.length, 2_883_636, 'the 52-byte header of the test state machine, then 2,816 KiB');
          assert.equal(stream.length - 52, 2816 * 1024);
        }
        if (backend === 'pebble-v4' && kind === 'uncompressed') assert.equal(stream.length, 52 + 2 * 1048576 + 100 * 1024);

        const piped = await runBinary(['show-snapshot', join(exportDir, basename(gbsnapMeta.path)), '--extract-payload', '-']);
        assert.equal(piped.code, 0, piped.stderr);
        assert.equal(sha256(piped.stdout), sha256(stream), 'a bare .gbsnap to stdout gives the same bytes');
      } finally {
        cleanup();
      }
    });
  }
}

test('a bare .gbsnap file: the header and payload, no record', async () => {
  const src = fixtureDir('pebble-v3.3.8/ops/exports/snappy')!;
  const { dir, cleanup } = copyToTemp(src, 'bare');
  try {
    const file = join(dir, 'snapshot-0000000000000062', 'snapshot-0000000000000062.gbsnap');
    const report = await cliJson(['show-snapshot', file]);
    assert.equal(report.source.kind, 'file');
    assert.equal(report.record, null);
    assert.equal(report.membership, null);
    assert.deepEqual(report.files, []);
    assert.equal(report.payload.stateMachineBytes, 2_883_636);
    assert.deepEqual(report.findings, []);
    const table = await runCli(['show-snapshot', file]);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^payload checksum +f0e24736 \(verifies\)$/m);
    assert.match(table.stdout, /^payload +2883652 bytes decompressed: 16 of session table, 2883636 for the state machine$/m);
  } finally {
    cleanup();
  }
});

for (const backend of LOGDB_BACKENDS) {
  test(`${backend} ops NodeHost dir: every record's .gbsnap (newest by default, --index) matches snapshot-dirs.json`, async () => {
    const { dir, cleanup } = copyFixture(`${backend}/ops/before-plain`);
    try {
      const dirs = readJson(join(dir, 'snapshot-dirs.json'));
      const byPath = new Map<string, any>(dirs.files.filter((f: any) => f.path.endsWith('.gbsnap')).map((f: any) => [f.path, f]));
      const nodehost = join(dir, 'nodehost');
      let compared = 0;
      for (const [c, n] of [['100', '1'], ['101', '2'], ['102', '3']]) {
        const records = await cliJson<any[]>(['ls-snapshots', nodehost, '-c', c, '-n', n]);
        assert.ok(records.length > 0);
        const newest = await cliJson(['show-snapshot', nodehost, '-c', c, '-n', n]);
        assert.equal(newest.record.index, records[records.length - 1].index, 'newest by default');
        for (const rec of records) {
          const rel = rec.filepath.slice(rec.filepath.indexOf('snapshot-part-'));
          const expected = byPath.get(rel);
          const r = await runCli(['show-snapshot', nodehost, '-c', c, '-n', n, '--index', rec.index, '--output', 'json']);
          const report = JSON.parse(r.stdout);
          assert.equal(report.source.recordFrom, 'logdb');
          assert.equal(report.record.index, rec.index);
          assert.deepEqual(report.membership, rec.membership);
          if (!expected) {
            assert.equal(r.code, 5, `${rel} is gone, so a finding`);
            assert.ok(report.findings.some((f: any) => /missing/.test(f.message)));
            continue;
          }
          assert.equal(r.code, 0, r.stderr);
          assertMatchesDecoded(report, expected.decoded, rel);
          compared++;
        }
      }
      assert.ok(compared >= 3);
      const none = await runCli(['show-snapshot', nodehost, '-c', '100', '-n', '1', '--index', '999999']);
      assert.equal(none.code, 4);
      const noNode = await runCli(['show-snapshot', nodehost]);
      assert.equal(noNode.code, 2, 'a NodeHost dir needs --cluster and --node');
    } finally {
      cleanup();
    }
  });
}

// RocksDB's set has no invalid/ (fixtures README)
for (const backend of BACKENDS.filter((b) => !b.startsWith('rocksdb'))) {
  const invalidRoot = fixtureDir(`${backend}/ops/invalid`);
  test(`${backend} ops/invalid: every damaged export is reported as findings (exit 5); extraction refuses unless --force`, async () => {
    const { dir, cleanup } = copyToTemp(invalidRoot, `${backend}-invalid`);
    try {
      const cases = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory());
      assert.ok(cases.length >= 6);
      for (const name of cases) {
        const snapDir = join(dir, name, readdirSync(join(dir, name))[0]!);
        const r = await runCli(['show-snapshot', snapDir, '--output', 'json']);
        assert.equal(r.code, 5, `${name}: ${r.stderr}`);
        assert.match(r.stderr, /^logdb: error: the snapshot has \d+ error finding\(s\)/, name);
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
        const report = JSON.parse(r.stdout);
        const errors = report.findings.filter((f: any) => f.severity === 'error');
        assert.ok(errors.length > 0, name);
        assert.ok(errors.some((f: any) => INVALID_EXPORT_MESSAGES[name]!.test(f.message)), `${name}: ${JSON.stringify(errors)}`);

        const out = join(tmp, `${backend}-${name}.bin`);
        const refused = await runCli(['show-snapshot', snapDir, '--extract-payload', out]);
        assert.equal(refused.code, 5, name);
        assert.match(refused.stderr, /refusing to extract the payload/, name);
        assert.equal(existsSync(out), false, `${name}: nothing written`);
      }
      // with --force what can be read is written, and the exit code still says the data is damaged
      const corrupted = join(dir, 'payload-data-corrupted');
      const forced = await runCli(['show-snapshot', join(corrupted, readdirSync(corrupted)[0]!), '--extract-payload', join(tmp, `${backend}-forced.bin`), '--force']);
      assert.equal(forced.code, 5);
      assert.match(forced.stderr, /wrote \d+ bytes/);
      assert.equal(statSync(join(tmp, `${backend}-forced.bin`)).size, 48 * 1024 + 52, 'one 48 KiB filler payload and the header');
    } finally {
      cleanup();
    }
  });
}

// ---- client sessions, from files built here --------------------------------------------------------------

function sessionTable(sessions: string[]): Buffer {
  const head = Buffer.alloc(16);
  head.writeBigUInt64LE(4096n, 0);
  head.writeBigUInt64LE(BigInt(sessions.length), 8);
  const parts: Buffer[] = [head];
  for (const s of sessions) {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(Buffer.byteLength(s)), 0);
    parts.push(len, Buffer.from(s));
  }
  return Buffer.concat(parts);
}

/** A Snappy framed stream as golang/snappy's Writer makes it: the identifier, then compressed chunks of 64 KiB. */
function snappyFramed(data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from([0xff, 6, 0, 0]), Buffer.from('sNaPpY')];
  for (let at = 0; at < data.length; at += 65536) {
    const chunk = data.subarray(at, at + 65536);
    const block = snappyCompressBlock(chunk);
    const head = Buffer.alloc(8);
    head[0] = 0x00;
    head.writeUIntLE(block.length + 4, 1, 3);
    head.writeUInt32LE(maskCrc(crc32c(chunk)), 4);
    parts.push(head, block);
  }
  return Buffer.concat(parts);
}

function buildGbsnap(payload: Buffer, compressionType: number): Buffer {
  const blocks: Buffer[] = [];
  const crcs: Buffer[] = [];
  for (let off = 0; off < payload.length; off += 2 * 1024 * 1024) {
    const data = payload.subarray(off, off + 2 * 1024 * 1024);
    const crc = crc32Bytes(crc32(data));
    crcs.push(crc);
    blocks.push(data, crc);
  }
  const body = Buffer.concat(blocks);
  const tail = Buffer.alloc(16);
  tail.writeBigUInt64LE(BigInt(body.length), 0);
  GBSNAP_MAGIC.copy(tail, 8);
  const header = { sessionSize: 0n, dataStoreSize: 0n, unreliableTime: 7n, gitVersion: '', headerChecksum: null, payloadChecksum: crc32Bytes(crc32(Buffer.concat(crcs))), checksumType: 0, version: 2, compressionType };
  const headerBytes = encodeSnapshotHeader({ ...header, headerChecksum: computeHeaderChecksum(header) });
  const area = Buffer.alloc(1024);
  area.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(area, 8);
  return Buffer.concat([area, body, tail]);
}

for (const compression of [0, 1]) {
  test(`client sessions are decoded exactly (uint64 limits) and left out of the extracted stream (${compression ? 'Snappy' : 'uncompressed'})`, async () => {
    const sessions = [
      '{"History":{"18446744073709551614":{"Value":18446744073709551615,"Data":"aGk="},"3":{"Value":0,"Data":null}},"ClientID":18446744073709551615,"RespondedUpTo":2}',
      '{"History":{},"ClientID":9007199254740993,"RespondedUpTo":0}',
    ];
    const smData = Buffer.alloc(3 * 1024 * 1024 + 123);
    for (let i = 0; i < smData.length; i++) smData[i] = (i * 31 + (i >> 12)) & 0xff;
    const stream = Buffer.concat([sessionTable(sessions), smData]);
    const file = join(tmp, `sessions-${compression}.gbsnap`);
    writeFileSync(file, buildGbsnap(compression ? snappyFramed(stream) : stream, compression));
    const report = await cliJson(['show-snapshot', file]);
    assert.deepEqual(report.findings, []);
    assert.deepEqual(report.sessions, {
      capacity: '4096',
      count: 2,
      sessions: [
        {
          clientId: '18446744073709551615',
          respondedUpTo: '2',
          history: [
            { seriesId: '3', value: '0', data: null },
            { seriesId: '18446744073709551614', value: '18446744073709551615', data: 'aGk=' },
          ],
        },
        { clientId: '9007199254740993', respondedUpTo: '0', history: [] },
      ],
    });
    const out = join(tmp, `sessions-${compression}.bin`);
    const r = await runCli(['show-snapshot', file, '--extract-payload', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(readFileSync(out).equals(smData), 'exactly the state machine data');
    assert.match(r.stdout, /^Client sessions \(2, capacity 4096\)$/m);
    assert.match(r.stdout, /^18446744073709551615 +2 +3→0, 18446744073709551614→18446744073709551615$/m);
  });
}

test('a session table cut short and a corrupt Snappy stream are findings, not crashes', async () => {
  const cut = sessionTable(['{"History":{},"ClientID":5,"RespondedUpTo":0}']).subarray(0, 30);
  const file = join(tmp, 'cut.gbsnap');
  writeFileSync(file, buildGbsnap(cut, 0));
  const r = await runCli(['show-snapshot', file, '--output', 'json']);
  assert.equal(r.code, 5);
  assert.match(JSON.parse(r.stdout).findings[0].message, /ends inside the session table/);

  const framed = snappyFramed(Buffer.concat([sessionTable([]), Buffer.alloc(100000, 7)]));
  framed[framed.length - 3] ^= 0xff;
  const bad = join(tmp, 'bad-snappy.gbsnap');
  writeFileSync(bad, buildGbsnap(framed, 1));
  const b = await runCli(['show-snapshot', bad, '--output', 'json']);
  assert.equal(b.code, 5);
  assert.match(JSON.parse(b.stdout).findings.map((f: any) => f.message).join('\n'), /does not decode: codec\/(snappy|snappy-framed)/);
});

test('an imported snapshot dir (record in dragonboat.snapshot.message) and the imported record in the LogDB', async () => {
  const { dir, cleanup } = copyFixture('pebble-v3.3.8/ops/import/after');
  try {
    const nodehost = join(dir, 'nodehost');
    const fromLogdb = await cliJson(['show-snapshot', nodehost, '-c', '100', '-n', '1']);
    assert.equal(fromLogdb.record.imported, true);
    assert.deepEqual(fromLogdb.findings, []);
    const snapDir = fromLogdb.source.gbsnap.slice(0, fromLogdb.source.gbsnap.lastIndexOf('/'));
    const fromDir = await cliJson(['show-snapshot', snapDir]);
    assert.equal(fromDir.source.recordFrom, 'dragonboat.snapshot.message');
    assert.deepEqual(fromDir.record, fromLogdb.record);
    assert.deepEqual(fromDir.findings, []);
    assert.equal(fromDir.payload.stateMachineBytes, 2_883_636, 'the Snappy export, copied by the import');
  } finally {
    cleanup();
  }
});
