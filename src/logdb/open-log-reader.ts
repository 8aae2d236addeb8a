/** The reader for a discovered layout: tan's for a v4 tan LogDB, the key/value one for every other. */
import type { Layout } from './layout.js';
import { LogDBReader } from './reader.js';
import { TanReader } from '../tan/reader.js';

export type AnyReader = LogDBReader | TanReader;

export async function openLogReader(layout: Layout): Promise<AnyReader> {
  return layout.tanDir ? TanReader.open(layout) : new LogDBReader(layout, 'read');
}
