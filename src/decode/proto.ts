/**
 * --proto / --descriptor-set: the commands are protobuf messages of one type, printed with protobuf's JSON
 * mapping (protobufjs/ext/protojson: uint64 as decimal strings, bytes base64, enums by name, lowerCamelCase
 * names; proto2 fields that are present are printed even when zero, proto3 defaults are left out).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import protobuf from 'protobufjs';
import 'protobufjs/ext/descriptor.js';
import protojson from 'protobufjs/ext/protojson.js';
import { usageError } from '../errors.js';
import type { DecoderOptions, UserDecoder } from './user-decoder.js';

function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

function loadProtoFiles(files: string[], importDirs: string[]): protobuf.Root {
  const root = new protobuf.Root();
  const fallback = root.resolvePath.bind(root);
  root.resolvePath = (origin: string, target: string): string => {
    if (isAbsolute(target) || existsSync(target)) return target;
    for (const dir of importDirs) {
      const candidate = join(dir, target);
      if (existsSync(candidate)) return candidate;
    }
    return fallback(origin, target) ?? target;
  };
  for (const file of files) {
    if (!existsSync(file)) throw usageError(`--proto: ${file}: no such file`);
  }
  try {
    root.loadSync(files.map((f) => resolve(f)));
    root.resolveAll();
  } catch (err) {
    throw usageError(`--proto: the schema does not load: ${firstLine(err)}`, 'check the file, and give --proto-path DIR for its imports');
  }
  return root;
}

function loadDescriptorSet(file: string): protobuf.Root {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw usageError(`--descriptor-set: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? firstLine(err)}`);
  }
  try {
    const root = (protobuf.Root as unknown as { fromDescriptor(b: Uint8Array): protobuf.Root }).fromDescriptor(bytes);
    root.resolveAll();
    return root;
  } catch (err) {
    throw usageError(`--descriptor-set: ${file} is not a FileDescriptorSet: ${firstLine(err)}`, 'write one with protoc --include_imports -o FILE x.proto');
  }
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0]!;
}

/** Every message type in the schema, fully qualified (for the error when --message names none of them). */
function messageTypes(ns: protobuf.NamespaceBase, out: string[] = []): string[] {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) out.push(nested.fullName.replace(/^\./, ''));
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) messageTypes(nested as protobuf.NamespaceBase, out);
  }
  return out;
}

export function loadProtoDecoder(opts: DecoderOptions): UserDecoder {
  const root = opts.descriptorSet !== undefined
    ? loadDescriptorSet(opts.descriptorSet)
    : loadProtoFiles(splitList(opts.proto!), splitList(opts.protoPath ?? ''));
  const known = messageTypes(root).filter((n) => !n.startsWith('google.protobuf.'));
  if (opts.message === undefined) {
    throw usageError('--message is missing: which message type are the commands?', `the schema has ${known.slice(0, 8).join(', ') || 'no message type'}`);
  }
  let type: protobuf.Type;
  try {
    type = root.lookupType(opts.message.replace(/^\./, ''));
  } catch {
    throw usageError(`--message: no message type ${opts.message} in the schema`, `it has ${known.slice(0, 8).join(', ') || 'no message type'}${known.length > 8 ? ', …' : ''}`);
  }
  return {
    decode(payload) {
      try {
        return { json: protojson.toJsonString(type, type.decode(payload)) };
      } catch (err) {
        return { error: `not a ${opts.message}: ${firstLine(err)}` };
      }
    },
    close: async () => undefined,
  };
}
