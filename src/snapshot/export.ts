/**
 * Validating an exported snapshot directory before it is imported (spec §10.2, §10.3 steps 3–5, §10.1, §2.2).
 *
 * An export is the directory `P/snapshot-<IDX>/` that NodeHost.SyncRequestSnapshot(…, Exported: true) leaves:
 *
 *     snapshot-<IDX>.gbsnap     data file: 1024-byte header area, 2 MiB blocks each followed by its BE CRC32,
 *                               a 16-byte tail (LE total block bytes, magic 3f5bcbf1faba819f) — §10.1
 *     snapshot.metadata         flag file (md5(payload)[8..16] ‖ payload), payload = the Snapshot record with
 *                               absolute paths under P, checksum = payload checksum, file_size, membership — §5.5
 *     external-file-<id>        external files listed in the record's `files`
 *
 * Dragonboat's tools.ImportSnapshot checks, in order: the dir exists ("path does not exist"); exactly one regular
 * file whose name ends with "gbsnap" ("snapshot is incomplete"); snapshot.metadata's flag-file hash (panic
 * "corrupted flag file content"); the .gbsnap header size (panic "invalid snapshot header size") and version
 * ("not a v2 snapshot file"); and the CRC32 of the stored block CRCs — found at offsets derived from the file size
 * alone — against the record's checksum ("snapshot is incomplete"). It never reads the block data, so a flipped
 * payload byte goes through. validateExport does all of that and, beyond Dragonboat:
 *  - the reserved CRC slot, the header checksum, the checksum and compression types of the header;
 *  - the tail (magic, total) and the file size against the record's file_size — a truncated file is named as such;
 *  - the record itself: index ≠ 0, type ≠ UnknownStateMachine, its .gbsnap base name = the file actually present;
 *  - every external file: present in srcDir under its base name, a regular file of the recorded size;
 *  - (verifyBlocks, default on) every block's CRC32 recomputed from its data, streamed with positional reads into
 *    one 2 MiB buffer — the whole file is never in memory.
 * Each failure is a LogdbError('invalidSnapshot', one line naming the file and the problem, hint); nothing in srcDir
 * is ever written.
 */
import { constants } from 'node:fs';
import { open, readdir, readFile, stat, type FileHandle } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { decodeFlagFile } from '../codec/flag-file.js';
import {
  GBSNAP_BLOCK_SIZE,
  GBSNAP_CRC_SIZE,
  GBSNAP_HEADER_AREA_SIZE,
  GBSNAP_MAGIC,
  GBSNAP_MAX_HEADER_LENGTH,
  GBSNAP_TAIL_SIZE,
  crc32,
  crc32Bytes,
  readGbsnapLayout,
  type GbsnapLayout,
} from '../codec/gbsnap.js';
import { decodeSnapshot, type Snapshot } from '../codec/messages.js';
import { ChecksumType, CompressionType, StateMachineType, compressionTypeName, stateMachineTypeName } from '../codec/enums.js';
import { LogdbError } from '../errors.js';
import { SNAPSHOT_FILE_SUFFIX, SNAPSHOT_FLAG_FILENAME, SNAPSHOT_METADATA_FILENAME } from './paths.js';

/** An external file of the export, as the import will copy it. */
export interface ExportedExternalFile {
  fileId: bigint;
  /** `srcDir/<name>` */
  sourcePath: string;
  /** base name of the recorded path (Dragonboat copies by base name), normally `external-file-<fileId>` */
  name: string;
  size: bigint;
}

export interface ValidatedExport {
  /** the export directory, absolute */
  dir: string;
  gbsnapPath: string;
  /** the actual file name of the .gbsnap (what the import copies it as) */
  gbsnapName: string;
  gbsnapSize: bigint;
  /** snapshot.metadata, decoded */
  record: Snapshot;
  externalFiles: ExportedExternalFile[];
}

export interface ValidateExportOptions {
  /** recompute every block's CRC from its data (default true; Dragonboat itself does not) */
  verifyBlocks?: boolean;
}

/** What the command can print about a validated export. */
export interface ExportStats {
  fileSize: bigint;
  headerVersion: number;
  compressionType: number;
  /** `NoCompression`, `Snappy` or `Unknown(<n>)` */
  compressionTypeName: string;
  blockCount: number;
  /** data bytes in all blocks, without their CRCs */
  payloadBytes: bigint;
  /** data + CRC bytes of all blocks (the tail's total) */
  blockBytes: bigint;
  /** the payload checksum, lower-case hex */
  checksum: string;
}

const HINT_EXPORT_AGAIN = 'export the snapshot again (NodeHost.SyncRequestSnapshot with Exported: true) and import that copy';
const HINT_GIVE_EXPORT_DIR = 'give the exported snapshot directory P/snapshot-<IDX>, the one holding the .gbsnap file and snapshot.metadata';

function refuse(message: string, hint: string = HINT_EXPORT_AGAIN): LogdbError {
  return new LogdbError('invalidSnapshot', message, hint);
}

function hex(buf: Buffer | null): string {
  return buf === null ? '(none)' : buf.toString('hex');
}

function errCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ?? (e instanceof Error ? e.message : String(err));
}

/**
 * Validates the exported snapshot in `srcDir` (see the module comment for every check). Resolves to what the
 * import needs; rejects with LogdbError('invalidSnapshot', …) naming the first problem found.
 */
export async function validateExport(srcDir: string, options: ValidateExportOptions = {}): Promise<ValidatedExport> {
  const dir = resolve(srcDir);
  try {
    return await validate(dir, options.verifyBlocks ?? true);
  } catch (err) {
    if (err instanceof LogdbError) throw err;
    // Anything unforeseen (a codec or I/O error in an odd place) still ends as one clean line.
    throw refuse(`${dir}: cannot validate the exported snapshot: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function validate(dir: string, verifyBlocks: boolean): Promise<ValidatedExport> {
  // §10.3 step 3: the directory, and exactly one *gbsnap regular file in it.
  let st;
  try {
    st = await stat(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw refuse(`${dir}: path does not exist`, HINT_GIVE_EXPORT_DIR);
    }
    throw refuse(`${dir}: cannot read the export directory: ${errCode(err)}`, HINT_GIVE_EXPORT_DIR);
  }
  if (!st.isDirectory()) throw refuse(`${dir}: is not a directory`, HINT_GIVE_EXPORT_DIR);

  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (err) {
    throw refuse(`${dir}: cannot list the export directory: ${errCode(err)}`, HINT_GIVE_EXPORT_DIR);
  }
  const gbsnaps: string[] = [];
  for (const name of names) {
    if (!name.endsWith(SNAPSHOT_FILE_SUFFIX)) continue;
    // Like Dragonboat: stat (following links), skip directories.
    const s = await stat(join(dir, name)).catch((err) => {
      throw refuse(`${join(dir, name)}: cannot stat: ${errCode(err)}`);
    });
    if (!s.isDirectory()) gbsnaps.push(name);
  }
  if (gbsnaps.length === 0) {
    throw refuse(`${dir}: no .gbsnap file (the snapshot data file is missing; Dragonboat: snapshot is incomplete)`);
  }
  if (gbsnaps.length > 1) {
    throw refuse(
      `${dir}: more than one .gbsnap file (${gbsnaps.join(', ')}); an export holds exactly one (Dragonboat: snapshot is incomplete)`,
      'remove the stray .gbsnap file, or export the snapshot again',
    );
  }
  const gbsnapName = gbsnaps[0]!;
  const gbsnapPath = join(dir, gbsnapName);

  // §10.3 step 4: snapshot.metadata.
  const record = await readMetadata(dir);
  checkRecord(record, dir, gbsnapName);

  // §10.3 step 5 and the rest of the .gbsnap structure.
  let fh: FileHandle;
  try {
    fh = await open(gbsnapPath, constants.O_RDONLY);
  } catch (err) {
    throw refuse(`${gbsnapPath}: cannot open: ${errCode(err)}`);
  }
  try {
    const fileStat = await fh.stat();
    if (!fileStat.isFile()) throw refuse(`${gbsnapPath}: is not a regular file`);
    const fileSize = fileStat.size;
    const layout = await checkGbsnapStructure(fh, gbsnapPath, fileSize, record);
    const externalFiles = await checkExternalFiles(dir, record, gbsnapName);
    if (verifyBlocks) await verifyBlockData(fh, gbsnapPath, layout);
    return { dir, gbsnapPath, gbsnapName, gbsnapSize: BigInt(fileSize), record, externalFiles };
  } finally {
    await fh.close().catch(() => undefined);
  }
}

async function readMetadata(dir: string): Promise<Snapshot> {
  const path = join(dir, SNAPSHOT_METADATA_FILENAME);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw refuse(`${path}: snapshot.metadata is missing (an export always has one)`);
    }
    throw refuse(`${path}: cannot read snapshot.metadata: ${errCode(err)}`);
  }
  let payload: Buffer;
  try {
    payload = decodeFlagFile(bytes, SNAPSHOT_METADATA_FILENAME);
  } catch (err) {
    // Dragonboat panics here: "corrupted flag file" / "corrupted flag file content".
    const detail = (err as Error).message.replace(/^codec\/flag-file: snapshot\.metadata: /, '');
    throw refuse(`${path}: snapshot.metadata is damaged: ${detail}`);
  }
  try {
    return decodeSnapshot(payload);
  } catch (err) {
    throw refuse(`${path}: snapshot.metadata cannot be decoded as a Snapshot record: ${(err as Error).message}`);
  }
}

function checkRecord(record: Snapshot, dir: string, gbsnapName: string): void {
  const path = join(dir, SNAPSHOT_METADATA_FILENAME);
  if (record.index === 0n) throw refuse(`${path}: snapshot.metadata records snapshot index 0, which no snapshot has`);
  if (record.type === StateMachineType.UnknownStateMachine) {
    throw refuse(
      `${path}: snapshot.metadata records state machine type ${stateMachineTypeName(record.type)} (${record.type}); ` +
        'LogDB.ImportSnapshot refuses it',
    );
  }
  const recorded = basename(record.filepath);
  if (recorded !== gbsnapName) {
    throw refuse(
      `${path}: snapshot.metadata names the data file "${recorded}" but ${dir} holds "${gbsnapName}"; the imported record would point at a missing file`,
      'rename the .gbsnap file back to the name the metadata records, or export the snapshot again',
    );
  }
}

async function readExactlyAt(fh: FileHandle, buf: Buffer, length: number, position: number): Promise<number> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

async function checkGbsnapStructure(fh: FileHandle, path: string, fileSize: number, record: Snapshot): Promise<GbsnapLayout> {
  // Header length first: Dragonboat panics "invalid snapshot header size" before anything else.
  const lengthBuf = Buffer.alloc(8);
  if ((await readExactlyAt(fh, lengthBuf, 8, 0)) < 8) {
    throw refuse(`${path}: truncated: ${fileSize} bytes, too short for the snapshot header`);
  }
  const headerLength = lengthBuf.readBigUInt64LE(0);
  if (headerLength > BigInt(GBSNAP_MAX_HEADER_LENGTH)) {
    throw refuse(`${path}: invalid snapshot header size ${headerLength} (at most ${GBSNAP_MAX_HEADER_LENGTH})`);
  }
  if (fileSize < GBSNAP_HEADER_AREA_SIZE) {
    throw refuse(`${path}: truncated: ${fileSize} bytes, shorter than the ${GBSNAP_HEADER_AREA_SIZE}-byte header area`);
  }

  let layout: GbsnapLayout;
  try {
    layout = readGbsnapLayout(fh.fd, fileSize);
  } catch (err) {
    throw refuse(`${path}: corrupted snapshot header: ${(err as Error).message.replace(/^codec\/gbsnap: /, '')}`);
  }
  const header = layout.header;
  if (header.version !== 2) {
    throw refuse(
      `${path}: not a v2 snapshot file (header version ${header.version}); only version 2 files can be imported`,
      'export the snapshot again; an import needs a version-2 .gbsnap file, which Dragonboat v3 writes',
    );
  }
  if (!layout.reservedCrcOk) {
    throw refuse(`${path}: corrupted snapshot header: the CRC slot after the header holds ${layout.reservedCrcSlot.toString('hex')}, not the header's CRC32`);
  }
  if (layout.headerChecksumOk === false) {
    throw refuse(`${path}: corrupted snapshot header: header checksum ${hex(header.headerChecksum)} does not match its fields`);
  }
  if (header.checksumType !== ChecksumType.CRC32IEEE) {
    throw refuse(`${path}: unsupported checksum type ${header.checksumType} in the snapshot header (only CRC32IEEE exists)`);
  }
  if (header.compressionType !== CompressionType.NoCompression && header.compressionType !== CompressionType.Snappy) {
    throw refuse(`${path}: unknown compression type ${header.compressionType} in the snapshot header`);
  }

  // Tail and size: a truncated or extended file is named as such rather than as a checksum mismatch.
  if (layout.blocks === null || layout.tail === null) {
    throw refuse(`${path}: truncated: ${fileSize} bytes, too short for any payload block and the 16-byte tail`);
  }
  if (!layout.tail.magicOk) {
    throw refuse(
      `${path}: truncated or damaged: the file ends with ${layout.tail.magic.toString('hex')}, not the tail magic ${GBSNAP_MAGIC.toString('hex')}`,
    );
  }
  if (!layout.tail.totalOk) {
    throw refuse(
      `${path}: truncated or damaged: the tail records ${layout.tail.totalBlockBytes} block bytes, the file holds ` +
        `${fileSize - GBSNAP_HEADER_AREA_SIZE - GBSNAP_TAIL_SIZE}`,
    );
  }
  if (BigInt(fileSize) !== record.fileSize) {
    throw refuse(`${path}: file size mismatch: the file is ${fileSize} bytes, snapshot.metadata records file_size ${record.fileSize}`);
  }

  // §10.3 step 5: CRC32 of the stored block CRCs = the record's checksum.
  const fromCrcs = layout.payloadChecksumFromStoredCrcs;
  if (fromCrcs === null || record.checksum === null || !fromCrcs.equals(record.checksum)) {
    throw refuse(
      `${path}: payload checksum mismatch: the stored block CRCs give ${hex(fromCrcs)}, snapshot.metadata records ` +
        `${hex(record.checksum)} — snapshot is incomplete`,
    );
  }
  if (header.payloadChecksum !== null && !header.payloadChecksum.equals(record.checksum)) {
    throw refuse(
      `${path}: the header's payload checksum ${hex(header.payloadChecksum)} differs from snapshot.metadata's ${hex(record.checksum)}`,
    );
  }
  return layout;
}

async function checkExternalFiles(dir: string, record: Snapshot, gbsnapName: string): Promise<ExportedExternalFile[]> {
  const out: ExportedExternalFile[] = [];
  const seen = new Set<string>();
  const reserved = new Set([gbsnapName, SNAPSHOT_METADATA_FILENAME, SNAPSHOT_FLAG_FILENAME]);
  for (const file of record.files) {
    const name = basename(file.filepath);
    if (name === '' || name === '.' || name === '..' || reserved.has(name) || seen.has(name)) {
      throw refuse(
        `${join(dir, SNAPSHOT_METADATA_FILENAME)}: external file ${file.fileId} has the unusable path "${file.filepath}"`,
      );
    }
    seen.add(name);
    const sourcePath = join(dir, name);
    let s;
    try {
      s = await stat(sourcePath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw refuse(`${sourcePath}: external file ${file.fileId} listed in snapshot.metadata is missing from the export`);
      }
      throw refuse(`${sourcePath}: cannot stat external file ${file.fileId}: ${errCode(err)}`);
    }
    if (!s.isFile()) throw refuse(`${sourcePath}: external file ${file.fileId} is not a regular file`);
    if (BigInt(s.size) !== file.fileSize) {
      throw refuse(`${sourcePath}: external file ${file.fileId} is ${s.size} bytes, snapshot.metadata records ${file.fileSize}`);
    }
    out.push({ fileId: file.fileId, sourcePath, name, size: file.fileSize });
  }
  return out;
}

/** Recomputes each block's CRC32 from its data (one 2 MiB + 4 buffer, positional reads). */
async function verifyBlockData(fh: FileHandle, path: string, layout: GbsnapLayout): Promise<void> {
  const buf = Buffer.allocUnsafe(GBSNAP_BLOCK_SIZE + GBSNAP_CRC_SIZE);
  for (const block of layout.blocks ?? []) {
    const where = `block ${block.index} at offset ${block.offset}`;
    if (block.dataLength === 0 || block.crcOffset !== block.offset + block.dataLength) {
      throw refuse(`${path}: ${where} holds no data (the payload is damaged)`);
    }
    const length = block.dataLength + GBSNAP_CRC_SIZE;
    const got = await readExactlyAt(fh, buf, length, block.offset);
    if (got < length) throw refuse(`${path}: truncated: ${where} needs ${length} bytes, the file has ${got}`);
    const computed = crc32Bytes(crc32(buf.subarray(0, block.dataLength)));
    const stored = buf.subarray(block.dataLength, length);
    if (!computed.equals(stored)) {
      throw refuse(
        `${path}: ${where} (${block.dataLength} bytes) is corrupt: its data has CRC32 ${computed.toString('hex')}, ` +
          `the stored CRC is ${stored.toString('hex')}`,
        "the payload was damaged after it was written (Dragonboat's own import would accept it; the node would fail reading it). Export the snapshot again",
      );
    }
  }
}

/** Block count, payload bytes and compression of a validated export (reads the header area, tail and CRCs). */
export async function exportStats(exp: ValidatedExport): Promise<ExportStats> {
  let fh: FileHandle;
  try {
    fh = await open(exp.gbsnapPath, constants.O_RDONLY);
  } catch (err) {
    throw refuse(`${exp.gbsnapPath}: cannot open: ${errCode(err)}`);
  }
  try {
    const fileSize = (await fh.stat()).size;
    let layout: GbsnapLayout;
    try {
      layout = readGbsnapLayout(fh.fd, fileSize);
    } catch (err) {
      throw refuse(`${exp.gbsnapPath}: corrupted snapshot header: ${(err as Error).message.replace(/^codec\/gbsnap: /, '')}`);
    }
    const blocks = layout.blocks ?? [];
    const payloadBytes = blocks.reduce((sum, b) => sum + BigInt(b.dataLength), 0n);
    return {
      fileSize: BigInt(fileSize),
      headerVersion: layout.version,
      compressionType: layout.header.compressionType,
      compressionTypeName: compressionTypeName(layout.header.compressionType),
      blockCount: blocks.length,
      payloadBytes,
      blockBytes: payloadBytes + BigInt(blocks.length * GBSNAP_CRC_SIZE),
      checksum: hex(layout.payloadChecksumFromStoredCrcs),
    };
  } finally {
    await fh.close().catch(() => undefined);
  }
}
