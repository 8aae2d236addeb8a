/**
 * Writing to a closed Pebble shard by adding one WAL file (pebble-offline-writes.md, every rule; spec §9.2, §9.5).
 *
 * Pebble replays every live WAL when it opens, in number order, each batch at its own sequence number; it then
 * flushes what it replayed into an L0 table and deletes the WALs. So a tool that is not Pebble can change a closed
 * shard by adding one WAL holding one batch. The caller holds the shard's `LOCK` (writer-lock.ts) and the
 * NodeHost's; this module does the rest:
 *   1. inspect the shard and refuse what is unsafe (writer-inspect.ts): the batch gets S = 1 + the largest sequence
 *      number anywhere in the shard, the file gets N, above every number in use;
 *   2. remove `NNNNNN.log.tmp` files a killed run left (Pebble ignores that name; so does our reader);
 *   3. encode the whole change as ONE batch in ONE record (batch-encode.ts, log-writer.ts): a torn record is dropped
 *      as a unit, so the change is all or nothing;
 *   4. write it to `NNNNNN.log.tmp` in the WAL dir (the shard dir unless the NodeHost has a WAL dir), fsync;
 *   5. read it back and check it with the reader's own decoders (record.ts, batch.ts);
 *   6. publish it as `NNNNNN.log` without overwriting anything (a hard link, which fails if the name exists; then
 *      the `.tmp` name is removed), and fsync the directory.
 * A kill at any moment leaves either no `NNNNNN.log` (the shard as it was) or the complete, synced one (the whole
 * change); writer-crash-points.ts names those moments for the tests.
 */
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LogdbError } from '../../errors.js';
import type { WriteOp } from '../kv.js';
import { batchOps } from './batch.js';
import { encodeBatch, toBatchOp, type EncodedOp } from './batch-encode.js';
import { encodeLog } from './log-writer.js';
import { readLogRecords } from './record.js';
import { crashPoint, crashRequested } from './writer-crash-points.js';
import { inspectShardForWrite, PEBBLE_DIALECT, walFileName, type WalDialect, type WriteTarget } from './writer-inspect.js';

export interface WalWriteResult {
  /** the new WAL's path */
  file: string;
  fileNumber: number;
  /** the sequence number of the first operation; operation i has seq + i */
  seq: bigint;
  count: number;
  bytes: number;
}

/** Errors of link(2) that mean "this filesystem cannot hard-link", not "the name exists". */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/** Applies `ops` to the closed Pebble shard in `shardDir` as one new WAL file in `walDir`. The caller holds the locks. */
export function writeBatchAsWal(shardDir: string, walDir: string, ops: WriteOp[], dialect: WalDialect = PEBBLE_DIALECT): WalWriteResult {
  if (ops.length === 0) throw new Error('pebble/writer: an empty batch is not written');
  const target = inspectShardForWrite(shardDir, walDir, dialect);
  removeStaleTempFiles(target);

  const encoded = ops.map(toBatchOp);
  const record = encodeBatch(target.nextSequence, encoded);
  const bytes = encodeLog([record], target.fileNumber, { legacy: dialect.legacyRecords });
  const file = join(walDir, walFileName(target.fileNumber));
  const temp = `${file}.tmp`;

  writeSyncedFile(temp, bytes);
  try {
    verifyWal(temp, target, encoded, bytes);
  } catch (err) {
    unlinkSync(temp);
    throw err;
  }
  crashPoint('tmp-verified');
  publish(temp, file);
  return { file, fileNumber: target.fileNumber, seq: target.nextSequence, count: encoded.length, bytes: bytes.length };
}

function removeStaleTempFiles(target: WriteTarget): void {
  if (target.staleTempFiles.length === 0) return;
  for (const name of target.staleTempFiles) unlinkSync(join(target.walDir, name));
  fsyncDir(target.walDir);
}

/** Creates `path` (it must not exist), writes `bytes` and fsyncs. */
function writeSyncedFile(path: string, bytes: Buffer): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    const partial = crashRequested('tmp-partial') ? bytes.length >> 1 : bytes.length;
    writeAll(fd, bytes.subarray(0, partial));
    crashPoint('tmp-partial');
    writeAll(fd, bytes.subarray(partial));
    crashPoint('tmp-written');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  crashPoint('tmp-synced');
}

function writeAll(fd: number, bytes: Buffer): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

/** Reads the written file back and checks, with the reader's decoders, that it holds exactly the intended batch. */
function verifyWal(path: string, target: WriteTarget, ops: EncodedOp[], bytes: Buffer): void {
  const fail = (what: string): never => {
    throw new LogdbError('failure', `pebble/writer: the WAL written to ${path} does not read back as written (${what}); it was removed, nothing was changed`);
  };
  const data = readFileSync(path);
  if (!data.equals(bytes)) fail(`${data.length} bytes read, ${bytes.length} written, or different bytes`);
  const log = readLogRecords(data, target.fileNumber);
  if (log.end !== 'eof') fail(`the log ends ${log.end === 'torn' ? `torn: ${log.tornReason}` : 'at a trailer'}`);
  if (log.records.length !== 1) fail(`${log.records.length} records, not 1`);
  const { header, ops: decoded } = batchOps(log.records[0]!);
  if (BigInt(header.seq) !== target.nextSequence) fail(`sequence number ${header.seq}, not ${target.nextSequence}`);
  if (header.count !== ops.length || decoded.length !== ops.length) fail(`${decoded.length} operations, count ${header.count}, not ${ops.length}`);
  decoded.forEach((got, i) => {
    const want = ops[i]!;
    const sameValue = want.value === undefined ? got.value === undefined : got.value !== undefined && got.value.equals(want.value);
    if (got.kind !== want.kind || !got.key.equals(want.key) || !sameValue) fail(`operation ${i} differs`);
  });
}

/** Gives the synced temp file its final name, never replacing a file, and makes the name durable. */
function publish(temp: string, file: string): void {
  try {
    linkSync(temp, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') {
      unlinkSync(temp);
      throw new LogdbError('failure', `pebble/writer: ${file} appeared while logdb was writing it; nothing was changed`, 'is another program writing to this shard?');
    }
    if (!NO_HARD_LINKS.has(code)) throw err;
    // no hard links here: the locks we hold keep everyone else out, so check-then-rename cannot race
    if (existsSync(file)) {
      unlinkSync(temp);
      throw new LogdbError('failure', `pebble/writer: ${file} appeared while logdb was writing it; nothing was changed`);
    }
    renameSync(temp, file);
  }
  crashPoint('linked');
  if (existsSync(temp)) unlinkSync(temp);
  crashPoint('renamed');
  fsyncDir(dirname(file));
  crashPoint('dir-synced');
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
