/**
 * A user decoder turns the user's command bytes (payload.ts) into the `user` field of dump-entries: JSON text,
 * or an error for that entry alone. Built from the command line by loadUserDecoder; undefined when no decoder
 * option was given (then the dump does no per-entry work for it at all).
 */
import type { Entry } from '../codec/colfer.js';
import { usageError } from '../errors.js';

/** JSON text for `user`, or the entry's error. */
export type DecodeResult = { json: string } | { error: string };

export interface UserDecoder {
  /** Decodes one payload; a promise when the decoder is asynchronous (module, stream). Never rejects. */
  decode(payload: Buffer, e: Entry): DecodeResult | Promise<DecodeResult>;
  /** No more payloads will come (a stream decoder's stdin is closed, so it can answer what it buffered). */
  endInput?(): void;
  /** Releases what the decoder holds (a child process); rejects if it failed as a whole. */
  close(): Promise<void>;
}

export interface DecoderOptions {
  proto?: string;
  protoPath?: string;
  descriptorSet?: string;
  message?: string;
  decoder?: string;
  streamDecoder?: string;
  payload?: string;
}

/** The options of dump-entries that choose a decoder (README "Decoding the user's commands"). */
export const DECODER_OPTIONS = [
  { flags: '--proto <files>', description: 'decode commands with this protobuf schema (.proto files, comma-separated); needs --message' },
  { flags: '--proto-path <dirs>', description: 'where --proto imports are found (comma-separated directories)' },
  { flags: '--descriptor-set <file>', description: 'decode commands with a compiled schema (protoc -o FILE, a FileDescriptorSet); needs --message' },
  { flags: '--message <type>', description: 'the fully qualified message type of the commands, e.g. kv.Command' },
  { flags: '--decoder <module>', description: 'an ES module exporting decode(bytes, entry); what it returns is the user field' },
  { flags: '--stream-decoder <command>', description: "etcd-dump-logs compatible: one hex line per payload to the program's stdin, one 'STATUS|DATA' line back" },
  { flags: '--payload <format>', description: 'show the command as text, json, hex or base64 (no schema needed)' },
];

/** Parses and loads the chosen decoder; a schema or module that does not load is a usage error (exit 2). */
export async function loadUserDecoder(opts: DecoderOptions): Promise<UserDecoder | undefined> {
  const chosen = [
    (opts.proto !== undefined || opts.descriptorSet !== undefined) && '--proto/--descriptor-set',
    opts.decoder !== undefined && '--decoder',
    opts.streamDecoder !== undefined && '--stream-decoder',
    opts.payload !== undefined && '--payload',
  ].filter(Boolean);
  if (chosen.length > 1) throw usageError(`${chosen.join(' and ')} cannot be combined`, 'choose one way to decode the commands');
  if (opts.proto !== undefined && opts.descriptorSet !== undefined) throw usageError('--proto and --descriptor-set cannot be combined', 'give the schema one way');
  if (opts.message !== undefined && opts.proto === undefined && opts.descriptorSet === undefined) {
    throw usageError('--message needs a schema', 'give --proto FILE.proto or --descriptor-set FILE');
  }
  if (opts.protoPath !== undefined && opts.proto === undefined) throw usageError('--proto-path needs --proto');
  if (opts.proto !== undefined || opts.descriptorSet !== undefined) {
    const { loadProtoDecoder } = await import('./proto.js');
    return loadProtoDecoder(opts);
  }
  if (opts.decoder !== undefined) {
    const { loadModuleDecoder } = await import('./module.js');
    return loadModuleDecoder(opts.decoder);
  }
  if (opts.streamDecoder !== undefined) {
    const { startStreamDecoder } = await import('./stream.js');
    return startStreamDecoder(opts.streamDecoder);
  }
  if (opts.payload !== undefined) {
    const { payloadFormatDecoder } = await import('./formats.js');
    return payloadFormatDecoder(opts.payload);
  }
  return undefined;
}
