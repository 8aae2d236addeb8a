/**
 * `.gbsnap` files (spec §10.1) and the flag files next to them, checked against the decoded listings that come
 * with the fixtures: ops/exports/*\/export.json, ops/invalid/errors.json and every snapshot-dirs.json.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CodecError } from '../../src/codec/errors.js';
import { compressionTypeName } from '../../src/codec/enums.js';
import { decodeFlagFile, encodeFlagFile } from '../../src/codec/flag-file.js';
import {
  GBSNAP_BLOCK_SIZE,
  GBSNAP_MAGIC,
  computeHeaderChecksum,
  computeV1PayloadChecksum,
  computeV2PayloadChecksum,
  crc32,
  crc32Bytes,
  readGbsnapLayout,
  v2BlockLayout,
  verifyBlockCrcs,
} from '../../src/codec/gbsnap.js';
import { decodeRaftDataStatus, decodeSnapshot, encodeRaftDataStatus, encodeSnapshot, encodeSnapshotHeader } from '../../src/codec/messages.js';
import { fixtureDir, readJson } from '../helpers/fixtures.js';
import { normaliseExpectedSnapshot, snapshotAsExpected } from './support.js';

interface ListedFile {
  /** Absolute path of the file. */
  file: string;
  /** Where it is listed, for messages. */
  label: string;
  decoded: any;
}

/** Every decoded file listed by the ops fixtures of one backend. */
function listedFiles(backend: string): ListedFile[] {
  const ops = fixtureDir(`${backend}/ops`);
  const out: ListedFile[] = [];
  const add = (base: string, listing: string, files: any[]) => {
    for (const f of files ?? []) if (f.decoded) out.push({ file: join(base, f.path), label: `${listing}: ${f.path}`, decoded: f.decoded });
  };
  for (const kind of ['snappy', 'uncompressed']) {
    const json = join(ops, 'exports', kind, 'export.json');
    if (existsSync(json)) add(join(ops, 'exports', kind), `${backend} exports/${kind}`, readJson(json).files);
  }
  const errors = join(ops, 'invalid', 'errors.json');
  if (existsSync(errors)) {
    for (const c of readJson(errors).cases) add(join(ops, 'invalid', c.case), `${backend} invalid/${c.case}`, c.files);
  }
  for (const side of ['before-plain', 'before-batched', 'import/after', 'remove-plain/after', 'remove-batched/after', 'compact-plain/after', 'compact-batched/after']) {
    const json = join(ops, side, 'snapshot-dirs.json');
    if (existsSync(json)) add(join(ops, side, 'nodehost', 'fixturehost', '00000000000000000001'), `${backend} ${side}`, readJson(json).files);
  }
  return out;
}

/** Opens `file` read-only for positional reads (never writes; the fixtures stay untouched). */
function withFd<T>(file: string, fn: (fd: number, size: number) => T): T {
  const fd = openSync(file, 'r');
  try {
    return fn(fd, statSync(file).size);
  } finally {
    closeSync(fd);
  }
}

function checkGbsnap(f: ListedFile): void {
  const want = f.decoded;
  withFd(f.file, (fd, size) => {
    assert.equal(size, want.fileSize, `${f.label}: file size`);
    // Checksum and blocks come from the file size alone, even when the header is unreadable.
    assert.equal(computeV2PayloadChecksum(fd, size).toString('hex'), want.payloadChecksumFromStoredBlockCrcs, `${f.label}: payload checksum`);
    const blocks = verifyBlockCrcs(fd, size);
    assert.deepEqual(
      blocks.map((b) => ({
        offset: b.offset,
        dataLength: b.dataLength,
        storedCrc: b.storedCrc.toString('hex'),
        computedCrc: b.computedCrc.toString('hex'),
        ok: b.ok,
      })),
      want.blocks.map((b: any) => ({ offset: b.offset, dataLength: b.dataLength, storedCrc: b.storedCrc, computedCrc: b.computedCrc, ok: b.ok })),
      `${f.label}: blocks`,
    );

    if (!want.header) {
      // header-size-invalid: Dragonboat panics "invalid snapshot header size".
      assert.equal(want.headerLength, 2000);
      assert.throws(() => readGbsnapLayout(fd, size), (err: unknown) => err instanceof CodecError && /invalid snapshot header size/.test(err.message));
      return;
    }
    const layout = readGbsnapLayout(fd, size);
    const h = layout.header;
    assert.equal(layout.headerLength, want.headerLength, `${f.label}: header length`);
    assert.deepEqual(
      {
        checksumType: h.checksumType,
        compressionType: h.compressionType,
        compressionTypeName: compressionTypeName(h.compressionType),
        dataStoreSize: `${h.dataStoreSize}`,
        gitVersion: h.gitVersion,
        headerChecksum: h.headerChecksum?.toString('hex'),
        payloadChecksum: h.payloadChecksum?.toString('hex'),
        sessionSize: `${h.sessionSize}`,
        unreliableTime: `${h.unreliableTime}`,
        version: `${h.version}`,
      },
      want.header,
      `${f.label}: header`,
    );
    assert.equal(layout.headerChecksumOk, want.headerChecksumOK, `${f.label}: header checksum`);
    assert.equal(layout.reservedCrcSlot.toString('hex'), want.reservedCrcSlot);
    assert.equal(layout.reservedCrcOk, true);
    assert.equal(layout.paddingIsZero, true);
    assert.equal(layout.tail?.magic.toString('hex'), want.tailMagic, `${f.label}: tail magic`);
    assert.equal(Number(layout.tail?.totalBlockBytes), want.tailTotal, `${f.label}: tail total`);
    assert.equal(layout.payloadChecksumFromStoredCrcs?.toString('hex'), want.payloadChecksumFromStoredBlockCrcs);
    assert.deepEqual(layout.blocks?.map((b) => b.offset), want.blocks.map((b: any) => b.offset));
    assert.equal(layout.isV2, want.header.version === '2');
    assert.equal(layout.isV1, want.header.version === '1');
    // The header bytes re-encode identically.
    assert.deepEqual(encodeSnapshotHeader(h), layout.headerBytes, `${f.label}: header re-encoded`);
  });
}

function checkFlagFile(f: ListedFile): void {
  const file = readFileSync(f.file);
  const want = f.decoded;
  if (want.error) {
    assert.match(want.error, /corrupted flag file/);
    assert.throws(() => decodeFlagFile(file, f.label), (err: unknown) => err instanceof CodecError && /corrupted flag file/.test(err.message));
    return;
  }
  const payload = decodeFlagFile(file, f.label);
  if (want.kind === 'flag file, payload = raftpb.Snapshot') {
    const s = decodeSnapshot(payload);
    assert.deepEqual(snapshotAsExpected(s), normaliseExpectedSnapshot(want.snapshot), `${f.label}: snapshot`);
    assert.deepEqual(encodeFlagFile(encodeSnapshot(s, { mapOrder: 'insertion' })), file, `${f.label}: re-encoded`);
  } else if (want.kind === 'flag file, payload = raftpb.RaftDataStatus (empty)') {
    const status = decodeRaftDataStatus(payload);
    assert.deepEqual(
      { address: status.address, binVer: status.binVer, hostname: status.hostname, logdbType: status.logdbType },
      { address: want.address, binVer: want.binVer, hostname: want.hostname, logdbType: want.logdbType },
    );
    assert.deepEqual(encodeFlagFile(encodeRaftDataStatus(status)), file, `${f.label}: re-encoded`);
  } else {
    assert.fail(`${f.label}: unknown listing kind ${want.kind}`);
  }
}

for (const backend of ['leveldb-v3.2.8', 'pebble-v3.3.8']) {
  describe(`gbsnap and flag files of ${backend}/ops`, () => {
    const files = listedFiles(backend);

    it('every .gbsnap matches its decoded listing (header, checksums, blocks, tail)', () => {
      const snaps = files.filter((f) => f.file.endsWith('.gbsnap'));
      assert.ok(snaps.length >= 15, `found ${snaps.length} .gbsnap listings`);
      for (const f of snaps) checkGbsnap(f);
    });

    it('every flag file (snapshot.metadata, dragonboat.snapshot.message, DELETED.dragonboat) matches its listing', () => {
      const flags = files.filter((f) => !f.file.endsWith('.gbsnap'));
      assert.ok(flags.length >= 10, `found ${flags.length} flag-file listings`);
      for (const f of flags) checkFlagFile(f);
    });

    it('shows why each invalid export fails the way errors.json says', () => {
      const ops = fixtureDir(`${backend}/ops`)!;
      const cases = new Map<string, any>(readJson(join(ops, 'invalid', 'errors.json')).cases.map((c: any) => [c.case, c]));
      const gbsnapOf = (name: string) => {
        const c = cases.get(name);
        const dir = join(ops, 'invalid', name, c.shippedAs.split('/').pop());
        const file = join(dir, `${c.shippedAs.split('/').pop()}.gbsnap`);
        const metadata = decodeSnapshot(decodeFlagFile(readFileSync(join(dir, 'snapshot.metadata'))));
        return { file, metadata };
      };

      // payload-checksum-mismatch and truncated: the checksum over the stored CRCs differs from snapshot.metadata.
      for (const name of ['payload-checksum-mismatch', 'truncated']) {
        const { file, metadata } = gbsnapOf(name);
        withFd(file, (fd, size) => assert.notDeepEqual(computeV2PayloadChecksum(fd, size), metadata.checksum, name));
      }
      // truncated: the tail no longer holds the magic.
      withFd(gbsnapOf('truncated').file, (fd, size) => assert.equal(readGbsnapLayout(fd, size).tail?.magicOk, false));
      // payload-data-corrupted: the stored CRCs still give the right checksum; only reading the data shows the damage.
      {
        const { file, metadata } = gbsnapOf('payload-data-corrupted');
        withFd(file, (fd, size) => {
          assert.deepEqual(computeV2PayloadChecksum(fd, size), metadata.checksum);
          assert.deepEqual(verifyBlockCrcs(fd, size).map((b) => b.ok), [false]);
        });
      }
      // header-version-1: "not a v2 snapshot file".
      withFd(gbsnapOf('header-version-1').file, (fd, size) => {
        const layout = readGbsnapLayout(fd, size);
        assert.equal(layout.isV2, false);
        assert.equal(layout.isV1, true);
        assert.equal(layout.headerChecksumOk, false, 'the version was edited after the header checksum was computed');
      });
      // header-size-invalid: "invalid snapshot header size".
      withFd(gbsnapOf('header-size-invalid').file, (fd, size) => assert.throws(() => readGbsnapLayout(fd, size), /invalid snapshot header size/));
      // The intact exports verify completely.
      for (const kind of ['snappy', 'uncompressed']) {
        const exp = readJson(join(ops, 'exports', kind, 'export.json'));
        const dir = join(ops, 'exports', kind, exp.snapshotDir);
        const metadata = decodeSnapshot(decodeFlagFile(readFileSync(join(dir, 'snapshot.metadata'))));
        withFd(join(dir, `${exp.snapshotDir}.gbsnap`), (fd, size) => {
          assert.equal(BigInt(size), metadata.fileSize);
          assert.deepEqual(computeV2PayloadChecksum(fd, size), metadata.checksum);
          const layout = readGbsnapLayout(fd, size);
          assert.deepEqual(layout.header.payloadChecksum, metadata.checksum);
          assert.equal(layout.tail?.magicOk && layout.tail.totalOk, true);
          assert.ok(verifyBlockCrcs(fd, size).every((b) => b.ok));
        });
      }
    });
  });
}

/** A V2 file built in memory, the way Dragonboat's writer lays it out. */
function buildGbsnap(payload: Buffer, version = 2): Buffer {
  const blocks: Buffer[] = [];
  const crcs: Buffer[] = [];
  for (let off = 0; off < payload.length; off += GBSNAP_BLOCK_SIZE) {
    const data = payload.subarray(off, off + GBSNAP_BLOCK_SIZE);
    const crc = crc32Bytes(crc32(data));
    crcs.push(crc);
    blocks.push(data, crc);
  }
  const body = Buffer.concat(blocks);
  const tail = Buffer.alloc(16);
  tail.writeBigUInt64LE(BigInt(body.length), 0);
  GBSNAP_MAGIC.copy(tail, 8);
  const header = {
    sessionSize: 0n,
    dataStoreSize: 0n,
    unreliableTime: 1n,
    gitVersion: '',
    headerChecksum: null,
    payloadChecksum: crc32Bytes(crc32(Buffer.concat(crcs))),
    checksumType: 0,
    version,
    compressionType: 0,
  };
  const withChecksum = { ...header, headerChecksum: computeHeaderChecksum(header) };
  const headerBytes = encodeSnapshotHeader(withChecksum);
  const area = Buffer.alloc(1024);
  area.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(area, 8);
  return Buffer.concat([area, body, tail]);
}

describe('gbsnap: layout from the file size', () => {
  it('two full 2 MiB blocks and a partial one, read through a Buffer or a positional reader', () => {
    const payload = Buffer.alloc(2 * GBSNAP_BLOCK_SIZE + 1000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
    const file = buildGbsnap(payload);
    const blocks = v2BlockLayout(file.length);
    assert.deepEqual(
      blocks.map((b) => [b.offset, b.dataLength, b.crcOffset]),
      [
        [1024, GBSNAP_BLOCK_SIZE, 1024 + GBSNAP_BLOCK_SIZE],
        [1024 + GBSNAP_BLOCK_SIZE + 4, GBSNAP_BLOCK_SIZE, 1024 + 2 * GBSNAP_BLOCK_SIZE + 4],
        [1024 + 2 * GBSNAP_BLOCK_SIZE + 8, 1000, file.length - 16 - 4],
      ],
    );
    const layout = readGbsnapLayout(file, file.length);
    assert.equal(layout.isV2, true);
    assert.equal(layout.headerChecksumOk, true);
    assert.deepEqual(layout.payloadChecksumFromStoredCrcs, layout.header.payloadChecksum);
    assert.equal(layout.tail?.totalOk, true);
    let reads = 0;
    const readAt = (position: number, length: number) => {
      reads++;
      return file.subarray(position, position + length);
    };
    const checks = verifyBlockCrcs(readAt, file.length, 64 * 1024);
    assert.ok(checks.every((b) => b.ok));
    assert.ok(reads > 64, 'block data is streamed in chunks');
    assert.deepEqual(computeV2PayloadChecksum(readAt, file.length), layout.header.payloadChecksum);
  });

  it('a payload of exactly one block has no partial block', () => {
    const file = buildGbsnap(Buffer.alloc(GBSNAP_BLOCK_SIZE, 1));
    assert.equal(v2BlockLayout(file.length).length, 1);
    assert.ok(verifyBlockCrcs(file, file.length)[0]!.ok);
  });

  it('"invalid file size" at 1040 bytes or less', () => {
    assert.throws(() => v2BlockLayout(1040), /invalid file size/);
    assert.throws(() => computeV2PayloadChecksum(Buffer.alloc(1040), 1040), CodecError);
    const layout = readGbsnapLayout(buildGbsnap(Buffer.alloc(0)), 1040);
    assert.equal(layout.blocks, null);
    assert.match(layout.blockLayoutError ?? '', /invalid file size/);
  });

  it('a version-1 file: the payload checksum is the CRC of everything after the header area', () => {
    const payload = Buffer.from('v1 payload bytes');
    const area = Buffer.alloc(1024);
    const header = encodeSnapshotHeader({
      sessionSize: 0n,
      dataStoreSize: 0n,
      unreliableTime: 0n,
      gitVersion: '',
      headerChecksum: null,
      payloadChecksum: crc32Bytes(crc32(payload)),
      checksumType: 0,
      version: 1,
      compressionType: 0,
    });
    area.writeBigUInt64LE(BigInt(header.length), 0);
    header.copy(area, 8);
    const file = Buffer.concat([area, payload]);
    const layout = readGbsnapLayout(file, file.length);
    assert.equal(layout.isV1, true);
    assert.deepEqual(computeV1PayloadChecksum(file, file.length), layout.header.payloadChecksum);
  });

  it('rejects what Dragonboat cannot read', () => {
    assert.throws(() => readGbsnapLayout(Buffer.alloc(4), 4), CodecError);
    const file = buildGbsnap(Buffer.alloc(10, 1));
    assert.throws(() => readGbsnapLayout(file.subarray(0, 900), 900), /truncated/);
    const bigHeader = Buffer.from(file);
    bigHeader.writeBigUInt64LE(1017n, 0);
    assert.throws(() => readGbsnapLayout(bigHeader, bigHeader.length), /invalid snapshot header size 1017/);
    const garbage = Buffer.from(file);
    garbage.fill(0xff, 8, 20);
    assert.throws(() => readGbsnapLayout(garbage, garbage.length), /corrupt snapshot header/);
    // A non-zero reserved CRC slot must be the CRC of the header bytes.
    const slot = Buffer.from(file);
    const length = Number(slot.readBigUInt64LE(0));
    slot.writeUInt32BE(0xdeadbeef, 8 + length);
    assert.equal(readGbsnapLayout(slot, slot.length).reservedCrcOk, false);
    crc32Bytes(crc32(slot.subarray(8, 8 + length))).copy(slot, 8 + length);
    assert.equal(readGbsnapLayout(slot, slot.length).reservedCrcOk, true);
  });
});
