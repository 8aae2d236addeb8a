/**
 * The errors logdb reports to people. Every layer throws these (or lets a lower layer's error be translated into
 * one); src/cli maps each kind to its documented exit code and prints the message as one line on stderr.
 */

export type ErrorKind =
  /** bad command line: unknown option, malformed ID, inverted range */
  | 'usage'
  /** the path is missing, not a directory, or holds no Dragonboat LogDB */
  | 'notLogdb'
  /** the requested node, snapshot or record does not exist */
  | 'notFound'
  /** data on disk that cannot be decoded */
  | 'corrupt'
  /** a running NodeHost (or another process) holds the directory */
  | 'inUse'
  /** the operator declined, or no terminal to ask and no --yes */
  | 'refused'
  /** the operation is not possible on this backend or layout */
  | 'unsupported'
  /** logdb check found errors */
  | 'findings'
  /** an exported snapshot or member map failed validation */
  | 'invalidSnapshot'
  /** anything else */
  | 'failure';

export class LogdbError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** what the operator can do next, printed after the message */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'LogdbError';
  }
}

export const usageError = (msg: string, hint?: string) => new LogdbError('usage', msg, hint);
export const notFound = (msg: string, hint?: string) => new LogdbError('notFound', msg, hint);
export const corrupt = (msg: string, hint?: string) => new LogdbError('corrupt', msg, hint);
