/**
 * What `logdb show-snapshot` reports about one snapshot: where it came from (a LogDB record, an exported or
 * local snapshot directory, a bare .gbsnap file), the .gbsnap header and blocks, the client sessions and the
 * size of the state machine's data (payload-reader.ts), the external files and the membership of the record.
 * Every problem is a finding (severity, one line); nothing here throws for damaged data.
 */
import { closeSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checksumTypeName, compressionTypeName } from '../codec/enums.js';
import { decodeFlagFile } from '../codec/flag-file.js';
import { readGbsnapLayout, type GbsnapLayout } from '../codec/gbsnap.js';
import { decodeSnapshot, type Snapshot } from '../codec/messages.js';
import { SNAPSHOT_FILE_SUFFIX, SNAPSHOT_FLAG_FILENAME, SNAPSHOT_METADATA_FILENAME } from './paths.js';
import { readSnapshotPayload, type PayloadReport, type PayloadWriter } from './payload-reader.js';

export interface Finding {
  severity: 'error' | 'warning';
  message: string;
}

export interface ExternalFileSource {
  fileId: bigint;
  recordedPath: string;
  /** where it is looked for */
  path: string;
  recordedSize: bigint;
  metadata: Buffer | null;
}

export interface SnapshotSource {
  kind: 'logdb' | 'directory' | 'file';
  /** the .gbsnap to read; null when there is none */
  gbsnapPath: string | null;
  record: Snapshot | null;
  /** where the record came from: logdb, snapshot.metadata or dragonboat.snapshot.message */
  recordFrom: string | null;
  files: ExternalFileSource[];
  findings: Finding[];
}

const hex = (b: Buffer | null | undefined): string | null => (b ? b.toString('hex') : null);

/** A snapshot directory: snapshot-<IDX>/ as exported, or as a NodeHost keeps it. */
export function directorySource(dir: string): SnapshotSource {
  const findings: Finding[] = [];
  const names = readdirSync(dir).sort();
  const gbsnaps = names.filter((n) => n.endsWith(SNAPSHOT_FILE_SUFFIX) && statSync(join(dir, n)).isFile());
  let record: Snapshot | null = null;
  let recordFrom: string | null = null;
  for (const name of [SNAPSHOT_METADATA_FILENAME, SNAPSHOT_FLAG_FILENAME]) {
    if (!names.includes(name)) continue;
    try {
      record = decodeSnapshot(decodeFlagFile(readFileSync(join(dir, name)), name));
      recordFrom = name;
    } catch (err) {
      findings.push({ severity: 'error', message: `${name}: ${(err as Error).message}` });
    }
    break;
  }
  if (!record && findings.length === 0) {
    findings.push({ severity: 'error', message: `no ${SNAPSHOT_METADATA_FILENAME}: the record (membership, external files, checksum) is missing; Dragonboat's import fails without it` });
  }
  let gbsnap: string | undefined;
  if (gbsnaps.length === 0) findings.push({ severity: 'error', message: 'no .gbsnap file in the directory (the snapshot is incomplete)' });
  else {
    if (gbsnaps.length > 1) findings.push({ severity: 'error', message: `${gbsnaps.length} .gbsnap files (${gbsnaps.join(', ')}); Dragonboat wants exactly one` });
    const wanted = record ? basename(record.filepath) : undefined;
    gbsnap = gbsnaps.find((n) => n === wanted) ?? gbsnaps[0];
  }
  const files = (record?.files ?? []).map((f) => ({
    fileId: f.fileId,
    recordedPath: f.filepath,
    path: join(dir, basename(f.filepath)),
    recordedSize: f.fileSize,
    metadata: f.metadata,
  }));
  return { kind: 'directory', gbsnapPath: gbsnap ? join(dir, gbsnap) : null, record, recordFrom, files, findings };
}

export function fileSource(path: string): SnapshotSource {
  return { kind: 'file', gbsnapPath: path, record: null, recordFrom: null, files: [], findings: [] };
}

export interface SnapshotReport {
  source: { kind: string; gbsnap: string | null; recordFrom: string | null };
  header: Record<string, unknown> | null;
  blocks: PayloadReport['blocks'];
  tail: { totalBlockBytes: string; magic: string; magicOk: boolean; totalOk: boolean } | null;
  payload: {
    checksum: string | null;
    checksumFromStoredCrcs: string | null;
    checksumFromData: string | null;
    verifies: boolean;
    streamBytes: number | null;
    sessionTableBytes: number | null;
    stateMachineBytes: number | null;
  } | null;
  sessions: PayloadReport['sessions'];
  files: { fileId: string; filepath: string; fileSize: string; metadata: string | null; path: string; present: boolean; actualSize: string | null }[];
  record: Snapshot | null;
  findings: Finding[];
}

/** Reads the snapshot once (constant memory) and reports everything; `write` gets the state machine's stream. */
export async function analyseSnapshot(source: SnapshotSource, write?: PayloadWriter): Promise<SnapshotReport> {
  const findings = [...source.findings];
  const err = (message: string) => findings.push({ severity: 'error', message });
  const report: SnapshotReport = {
    source: { kind: source.kind, gbsnap: source.gbsnapPath, recordFrom: source.recordFrom },
    header: null,
    blocks: [],
    tail: null,
    payload: null,
    sessions: null,
    files: [],
    record: source.record,
    findings,
  };

  if (source.gbsnapPath) {
    let fd: number | undefined;
    try {
      fd = openSync(source.gbsnapPath, 'r');
      const size = statSync(source.gbsnapPath).size;
      let layout: GbsnapLayout | undefined;
      try {
        layout = readGbsnapLayout(fd, size);
      } catch (e) {
        err(`${basename(source.gbsnapPath)}: ${(e as Error).message}`);
      }
      if (layout) await inspect(layout, fd, size, source, report, err, findings, write);
    } catch (e) {
      err(`${source.gbsnapPath}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  for (const f of source.files) {
    let actual: number | null = null;
    try {
      const st = statSync(f.path);
      actual = st.isFile() ? st.size : null;
    } catch {
      actual = null;
    }
    if (actual === null) err(`external file ${f.fileId} (${basename(f.recordedPath)}) is missing at ${f.path}`);
    else if (BigInt(actual) !== f.recordedSize) err(`external file ${f.fileId} is ${actual} bytes, the record says ${f.recordedSize}`);
    report.files.push({
      fileId: f.fileId.toString(),
      filepath: f.recordedPath,
      fileSize: f.recordedSize.toString(),
      metadata: f.metadata ? f.metadata.toString('base64') : null,
      path: f.path,
      present: actual !== null,
      actualSize: actual === null ? null : String(actual),
    });
  }
  return report;
}

async function inspect(
  layout: GbsnapLayout,
  fd: number,
  size: number,
  source: SnapshotSource,
  report: SnapshotReport,
  err: (m: string) => void,
  findings: Finding[],
  write: PayloadWriter | undefined,
): Promise<void> {
  const h = layout.header;
  report.header = {
    fileSize: String(size),
    headerLength: layout.headerLength,
    version: h.version,
    checksumType: checksumTypeName(h.checksumType),
    compressionType: compressionTypeName(h.compressionType),
    sessionSize: h.sessionSize.toString(),
    dataStoreSize: h.dataStoreSize.toString(),
    unreliableTime: h.unreliableTime.toString(),
    gitVersion: h.gitVersion,
    headerChecksum: hex(h.headerChecksum),
    headerChecksumOk: layout.headerChecksumOk,
    payloadChecksum: hex(h.payloadChecksum),
    reservedCrcSlot: layout.reservedCrcSlot.toString('hex'),
    reservedCrcOk: layout.reservedCrcOk,
    paddingIsZero: layout.paddingIsZero,
  };
  if (!layout.isV1 && !layout.isV2) err(`unknown snapshot version ${h.version}`);
  // NodeHost still reads version-1 files; only tools.ImportSnapshot (whose input a snapshot directory is) refuses them
  if (layout.isV1) {
    findings.push({
      severity: source.kind === 'directory' ? 'error' : 'warning',
      message: 'a version-1 snapshot file: not a v2 snapshot file, which Dragonboat\'s import tool refuses (a NodeHost still reads it)',
    });
  }
  if (h.checksumType !== 0) err(`checksum type ${checksumTypeName(h.checksumType)} is not implemented by Dragonboat (only CRC32IEEE)`);
  if (layout.headerChecksumOk === false) err('the header checksum does not match the header');
  if (!layout.reservedCrcOk) err(`the reserved CRC slot after the header holds ${layout.reservedCrcSlot.toString('hex')}, neither zero nor the header's CRC (Dragonboat panics: corrupted header)`);
  if (!layout.paddingIsZero) findings.push({ severity: 'warning', message: 'the header area padding is not zero' });

  if (!layout.isV1) {
    if (layout.blockLayoutError) err(layout.blockLayoutError);
    if (layout.tail) {
      report.tail = { totalBlockBytes: layout.tail.totalBlockBytes.toString(), magic: layout.tail.magic.toString('hex'), magicOk: layout.tail.magicOk, totalOk: layout.tail.totalOk };
      if (!layout.tail.magicOk) err(`the tail's magic is ${layout.tail.magic.toString('hex')}, not 3f5bcbf1faba819f (truncated or not a V2 file)`);
      if (!layout.tail.totalOk) err(`the tail says ${layout.tail.totalBlockBytes} block bytes, the file holds ${size - 1040} (truncated?)`);
    }
  }
  if (source.record) {
    if (source.record.fileSize !== BigInt(size)) err(`the file is ${size} bytes, the record says ${source.record.fileSize} (truncated?)`);
  }

  const payload = await readSnapshotPayload(fd, layout, write);
  for (const p of payload.problems) err(p);
  report.blocks = payload.blocks;
  report.sessions = payload.sessions;
  const stored = hex(h.payloadChecksum);
  const fromCrcs = layout.isV1 ? null : hex(layout.payloadChecksumFromStoredCrcs);
  const fromData = payload.computedPayloadChecksum;
  const verifies = stored !== null && (layout.isV1 ? fromData === stored : fromCrcs === stored && fromData === stored);
  if (stored === null) err('the header has no payload checksum');
  else if (!layout.isV1 && fromCrcs !== stored) err(`payload checksum ${stored} in the header, the stored block CRCs give ${fromCrcs}`);
  else if (fromData !== stored && fromData !== null) err(`payload checksum ${stored} in the header, the data gives ${fromData}`);
  const recordSum = hex(source.record?.checksum);
  if (source.record && recordSum !== stored) err(`the record's checksum ${recordSum} differs from the file's payload checksum ${stored}`);
  report.payload = {
    checksum: stored,
    checksumFromStoredCrcs: fromCrcs,
    checksumFromData: fromData,
    verifies,
    streamBytes: payload.streamBytes,
    sessionTableBytes: payload.sessions ? payload.sessions.size : null,
    stateMachineBytes: payload.stateMachineBytes,
  };
}
