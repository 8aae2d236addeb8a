/** --payload text|json|hex|base64: the common cases that need no schema. */
import { usageError } from '../errors.js';
import { minifyJson } from './json-text.js';
import type { DecodeResult, UserDecoder } from './user-decoder.js';

export const PAYLOAD_FORMATS = ['text', 'json', 'hex', 'base64'] as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeText(payload: Buffer): DecodeResult {
  try {
    return { json: JSON.stringify(utf8.decode(payload)) };
  } catch {
    return { error: 'not UTF-8 text' };
  }
}

function decodeJson(payload: Buffer): DecodeResult {
  let text: string;
  try {
    text = utf8.decode(payload);
    JSON.parse(text);
  } catch (err) {
    return { error: `not JSON: ${(err as Error).message}` };
  }
  // The text is re-emitted as written (only whitespace dropped), so numbers beyond 2^53 stay exact.
  return { json: minifyJson(text) };
}

export function payloadFormatDecoder(format: string): UserDecoder {
  let decode: (payload: Buffer) => DecodeResult;
  switch (format) {
    case 'text':
      decode = decodeText;
      break;
    case 'json':
      decode = decodeJson;
      break;
    case 'hex':
      decode = (p) => ({ json: `"${p.toString('hex')}"` });
      break;
    case 'base64':
      decode = (p) => ({ json: `"${p.toString('base64')}"` });
      break;
    default:
      throw usageError(`--payload: unknown format "${format}"`, `use ${PAYLOAD_FORMATS.join(', ')}`);
  }
  return { decode, close: async () => undefined };
}
