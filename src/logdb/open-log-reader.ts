/** The reader for a discovered layout: tan's for a v4 tan LogDB, the key/value one for every other. */
import type { Layout } from './layout.js';
import { LogDBReader } from './reader.js';
import type { TanReader } from '../tan/reader.js';

export type AnyReader = LogDBReader | TanReader;

export async function openLogReader(layout: Layout): Promise<AnyReader> {
  if (!layout.tanDir) return new LogDBReader(layout, 'read');
  // loaded only for tan: its XXH64 (hash-wasm) is a quarter of a megabyte of JavaScript to compile
  const { TanReader } = await import('../tan/reader.js');
  return TanReader.open(layout);
}
