/**
 * Turning any failure into one line on stderr and a documented exit code. Never a stack trace: an unexpected
 * error prints its message (and `LOGDB_DEBUG=1` prints the stack for bug reports).
 */
import { LogdbError } from '../errors.js';
import { stderrColour } from './colour.js';
import { EXIT_CODES } from './exit-codes.js';

export function exitCodeOf(err: unknown): number {
  if (err instanceof LogdbError) return EXIT_CODES[err.kind];
  const name = (err as Error)?.name;
  if (name === 'KVCorruptionError' || name === 'CodecError') return EXIT_CODES.corrupt;
  return EXIT_CODES.failure;
}

export function describeError(err: unknown): string {
  if (err instanceof LogdbError) return err.hint ? `${err.message} (${err.hint})` : err.message;
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return `permission denied: ${e.path ?? e.message}`;
  if (e?.code === 'ENOSPC') return `no space left on device${e.path ? `: ${e.path}` : ''}`;
  const text = String(e?.message ?? err).split('\n')[0];
  return text;
}

export function reportError(err: unknown): number {
  const code = exitCodeOf(err);
  process.stderr.write(`${stderrColour.red('logdb: error:')} ${describeError(err)}\n`);
  if (process.env.LOGDB_DEBUG && (err as Error)?.stack) process.stderr.write(`${(err as Error).stack}\n`);
  return code;
}

export function warn(message: string): void {
  process.stderr.write(`${stderrColour.yellow('logdb: warning:')} ${message}\n`);
}
