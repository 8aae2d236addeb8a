/**
 * How the Pebble reader reports trouble.
 *
 * Every problem with the bytes on disk is a KVCorruptionError whose one-line message starts with the module that
 * found it (`pebble/sstable: …`, `pebble/record: …`) and names the file and, where known, the byte offset. A WAL that
 * the reader cannot find because it lives in a separate WAL dir is not corruption; it gets its own class so that the
 * CLI can suggest `--wal-dir`.
 */
import { basename } from 'node:path';
import { LogdbError } from '../../errors.js';
import { KVCorruptionError } from '../kv.js';

/** A corruption error from `module` (e.g. 'pebble/sstable') about `file` at `offset`. */
export function corruption(module: string, problem: string, file: string, offset?: number): KVCorruptionError {
  const where = offset === undefined ? `in ${basename(file)}` : `in ${basename(file)} at offset ${offset}`;
  return new KVCorruptionError(`${module}: ${problem} ${where}`, file, offset);
}

/**
 * A structural decoding problem found by a low-level decoder that does not know which file it reads; the caller
 * turns it into a KVCorruptionError with `corruption(module, err.message, file, base + err.offset)`.
 */
export class DecodeError extends Error {
  constructor(
    message: string,
    /** offset relative to the start of the buffer being decoded */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'DecodeError';
  }
}

/**
 * A well-formed structure in a format this reader does not implement (a newer table format version, an unknown
 * checksum type or MANIFEST tag): not corruption. Low-level decoders throw it like a DecodeError; `decodeFailure`
 * turns it into an 'unsupported' LogdbError (exit 8) naming the file.
 */
export class UnsupportedFormatError extends DecodeError {
  constructor(message: string, offset: number) {
    super(message, offset);
    this.name = 'UnsupportedFormatError';
  }
}

/** The error to throw for a DecodeError from `module` at `offset` of `file`: unsupported or corruption. */
export function decodeFailure(module: string, err: DecodeError, file: string, offset?: number): Error {
  if (err instanceof UnsupportedFormatError) {
    return new LogdbError('unsupported', `${module}: ${err.message} in ${basename(file)} (${file})`, 'logdb cannot read this format');
  }
  return corruption(module, err.message, file, offset);
}

/**
 * The reader found no WAL where it looked although the shard should have one: typically the NodeHost used a separate
 * WAL dir (the shard's OPTIONS file records it as `wal_dir`), which must be given to the reader (`--wal-dir`).
 */
export class PebbleMissingWalError extends Error {
  readonly code = 'PEBBLE_MISSING_WAL';
  constructor(
    message: string,
    readonly shardDir: string,
    readonly searchedDir: string,
    /** the WAL dir the shard's OPTIONS file records, if any (a path on the machine that wrote it) */
    readonly recordedWalDir?: string,
  ) {
    super(message);
    this.name = 'PebbleMissingWalError';
  }
}
