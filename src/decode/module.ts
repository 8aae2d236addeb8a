/**
 * --decoder ./decode.mjs: an ES module exporting `decode(bytes, entry)` (or a default export function). It gets
 * the payload as a Buffer and the entry's fields (index, term, key, clientId, seriesId, respondedTo as bigint;
 * type by name; cmd as stored). Whatever it returns (or resolves to) becomes `user`, in logdb's JSON conventions
 * (bigint → decimal string, bytes → base64, undefined → null); a throw is that entry's `userError`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Entry } from '../codec/colfer.js';
import { entryTypeName } from '../codec/enums.js';
import { stringifyJson } from '../cli/json.js';
import { usageError } from '../errors.js';
import { importFile } from '../util/import-file.js';
import type { DecodeResult, UserDecoder } from './user-decoder.js';

export interface DecoderEntry {
  index: bigint;
  term: bigint;
  type: string;
  key: bigint;
  clientId: bigint;
  seriesId: bigint;
  respondedTo: bigint;
  cmd: Buffer;
}

type DecodeFn = (bytes: Buffer, entry: DecoderEntry) => unknown;

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] || 'the decoder threw';
}

function toResult(value: unknown): DecodeResult {
  try {
    return { json: stringifyJson(value, false) ?? 'null' };
  } catch (err) {
    return { error: `the decoder's result is not JSON-able: ${errorText(err)}` };
  }
}

export async function loadModuleDecoder(file: string): Promise<UserDecoder> {
  const path = resolve(file);
  if (!existsSync(path)) throw usageError(`--decoder: ${file}: no such file`);
  let mod: Record<string, unknown>;
  try {
    mod = await importFile(pathToFileURL(path).href);
  } catch (err) {
    throw usageError(`--decoder: ${file} does not load: ${errorText(err)}`);
  }
  const fn = (typeof mod.decode === 'function' ? mod.decode : typeof mod.default === 'function' ? mod.default : undefined) as DecodeFn | undefined;
  if (!fn) throw usageError(`--decoder: ${file} exports no decode function`, 'export function decode(bytes, entry) { … }');
  return {
    decode(payload: Buffer, e: Entry): DecodeResult | Promise<DecodeResult> {
      const entry: DecoderEntry = {
        index: e.index,
        term: e.term,
        type: entryTypeName(e.type),
        key: e.key,
        clientId: e.clientId,
        seriesId: e.seriesId,
        respondedTo: e.respondedTo,
        cmd: e.cmd,
      };
      let value: unknown;
      try {
        value = fn(payload, entry);
      } catch (err) {
        return { error: errorText(err) };
      }
      if (value instanceof Promise) return value.then(toResult, (err: unknown) => ({ error: errorText(err) }));
      return toResult(value);
    },
    close: async () => undefined,
  };
}
