/**
 * Reading a `.gbsnap` payload as Dragonboat's snapshotter.Load does (spec §10.1; Dragonboat snapshotter.go,
 * internal/rsm/rwv.go, internal/utils/dio): the V2 blocks in order, each checked against its CRC; their data
 * concatenated is the (possibly Snappy-framed) stream; decompressed, it starts with the client-session table
 * and the rest is exactly what the state machine's RecoverFromSnapshot reads. A version-1 file has no blocks:
 * the payload is everything after the header area, its CRC32 in the header.
 *
 * One pass, constant memory: a block at a time (2 MiB) is read, verified, decompressed and handed to `write`,
 * which is awaited (back-pressure). Problems are collected, not thrown: a bad block CRC is recorded and its
 * data still used; a decompression or session-table error stops the decoding (nothing after it can be trusted)
 * while the remaining block CRCs are still checked.
 */
import { readSync } from 'node:fs';
import { CompressionType } from '../codec/enums.js';
import { GBSNAP_HEADER_AREA_SIZE, crc32, crc32Bytes, type GbsnapLayout } from '../codec/gbsnap.js';
import { SnappyFramedDecoder } from '../codec/snappy-framed.js';
import { SessionTableSplitter, type SessionTable } from './session-table.js';

export interface BlockReport {
  index: number;
  offset: number;
  dataLength: number;
  storedCrc: string;
  computedCrc: string;
  ok: boolean;
}

export interface PayloadReport {
  blocks: BlockReport[];
  /** the payload checksum recomputed from the data (V2: CRC32 of the recomputed block CRCs; V1: of the payload) */
  computedPayloadChecksum: string | null;
  /** bytes of the decompressed stream (session table + state machine data); null if it could not be decoded */
  streamBytes: number | null;
  sessions: SessionTable | null;
  /** bytes after the session table: what RecoverFromSnapshot reads; null if it could not be decoded */
  stateMachineBytes: number | null;
  /** problems found while reading, one line each */
  problems: string[];
}

export type PayloadWriter = (chunk: Buffer) => Promise<void> | void;

const CHUNK = 2 * 1024 * 1024;

function readFully(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buf : buf.subarray(0, done);
}

export async function readSnapshotPayload(fd: number, layout: GbsnapLayout, write?: PayloadWriter): Promise<PayloadReport> {
  const problems: string[] = [];
  const report: PayloadReport = { blocks: [], computedPayloadChecksum: null, streamBytes: null, sessions: null, stateMachineBytes: null, problems };

  let streamBytes = 0;
  let smBytes = 0;
  let decoding = true;
  let out: Buffer[] = [];
  const splitter = new SessionTableSplitter((data) => {
    smBytes += data.length;
    if (write) out.push(data);
  });
  const toSplitter = (data: Buffer) => {
    streamBytes += data.length;
    splitter.push(data);
  };
  const compression = layout.header.compressionType;
  let snappy: SnappyFramedDecoder | undefined;
  if (compression === CompressionType.Snappy) snappy = new SnappyFramedDecoder(toSplitter);
  else if (compression !== CompressionType.NoCompression) {
    problems.push(`unknown compression type ${compression}: the payload cannot be decoded`);
    decoding = false;
  }

  const feed = async (data: Buffer) => {
    if (!decoding) return;
    try {
      if (snappy) snappy.push(data);
      else toSplitter(data);
    } catch (err) {
      problems.push(`the payload does not decode: ${(err as Error).message}`);
      decoding = false;
    }
    const chunks = out;
    out = [];
    if (write) for (const c of chunks) await write(c);
  };

  if (layout.isV1) {
    let crc = 0;
    for (let pos = GBSNAP_HEADER_AREA_SIZE; pos < layout.fileSize; pos += CHUNK) {
      const data = readFully(fd, Math.min(CHUNK, layout.fileSize - pos), pos);
      crc = crc32(data, crc);
      await feed(data);
    }
    report.computedPayloadChecksum = crc32Bytes(crc).toString('hex');
  } else if (layout.blocks) {
    let sumOfCrcs = 0;
    for (const block of layout.blocks) {
      const data = readFully(fd, block.dataLength, block.offset);
      const stored = readFully(fd, 4, block.crcOffset);
      const computed = crc32Bytes(crc32(data));
      const ok = data.length === block.dataLength && stored.length === 4 && block.dataLength > 0 && stored.equals(computed);
      sumOfCrcs = crc32(computed, sumOfCrcs);
      report.blocks.push({ index: block.index, offset: block.offset, dataLength: block.dataLength, storedCrc: stored.toString('hex'), computedCrc: computed.toString('hex'), ok });
      if (!ok) problems.push(`block ${block.index} (offset ${block.offset}, ${block.dataLength} bytes): stored CRC ${stored.toString('hex') || '(none)'}, computed ${computed.toString('hex')}`);
      await feed(data);
    }
    report.computedPayloadChecksum = crc32Bytes(sumOfCrcs).toString('hex');
  } else {
    decoding = false;
  }

  if (decoding) {
    try {
      snappy?.end();
      report.sessions = splitter.end();
      report.streamBytes = streamBytes;
      report.stateMachineBytes = smBytes;
    } catch (err) {
      problems.push(`the payload does not decode: ${(err as Error).message}`);
    }
    const chunks = out;
    out = [];
    if (write) for (const c of chunks) await write(c);
  }
  return report;
}
