/** The documented exit codes (README "Exit codes", man page EXIT STATUS). Scripts depend on these numbers. */
import type { ErrorKind } from '../errors.js';

export const EXIT_CODES: Record<ErrorKind | 'ok', number> = {
  ok: 0,
  failure: 1,
  usage: 2,
  notLogdb: 3,
  notFound: 4,
  corrupt: 5,
  inUse: 6,
  refused: 7,
  unsupported: 8,
  findings: 9,
  invalidSnapshot: 10,
};

export const EXIT_CODE_MEANINGS: [number, string][] = [
  [0, 'success (for check: no finding of severity error)'],
  [1, 'unexpected failure (a bug or an I/O error); the message says what failed'],
  [2, 'usage: unknown command or option, malformed or out-of-range ID, bad range or format'],
  [3, 'not a LogDB directory: missing, not a directory, empty or foreign, WAL files not found'],
  [4, 'not found: no such node (cluster/node pair) or snapshot in this LogDB'],
  [5, 'corrupt data: a record, table, log or flag file that cannot be decoded'],
  [6, 'in use: a running NodeHost (or another process) holds the directory lock'],
  [7, 'refused: confirmation declined, no terminal to ask and no --yes, or unsafe right now (e.g. a torn Pebble WAL)'],
  [8, 'unsupported: the operation is not possible on this backend or layout'],
  [9, 'check found at least one error; diff found replicas whose logs break Raft\'s safety'],
  [10, 'invalid exported snapshot or member map (import-snapshot)'],
];
