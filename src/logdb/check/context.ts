/** What every family of checks is handed: the LogDB, where findings go, and how the pass was asked for. */
import type { EntryMode } from '../entry-store.js';
import type { LogDBReader } from '../reader.js';
import type { FindingSink } from './finding.js';
import type { Hints } from './hints.js';
import type { Progress } from '../progress.js';

export interface CheckContext {
  reader: LogDBReader;
  sink: FindingSink;
  hints: Hints;
  /** --deep: also recompute snapshot checksums and block CRCs and decompress entry payloads */
  deep: boolean;
  /** the entry mode Dragonboat would open this LogDB in (§7.1); records of the other mode are foreign */
  mode: EntryMode;
  batchSize: bigint;
  progress: Progress;
}
