/**
 * TEST-ONLY crash points of the Pebble WAL writer (writer.ts), for the kill-safety tests.
 *
 * When the environment variable `LOGDB_TEST_CRASH_AT` names a step, the process kills itself with SIGKILL on
 * reaching it — no cleanup, no `finally`, exactly like a power cut or `kill -9` at that moment. Without the
 * variable (every real run) each call is one string comparison. The steps, in the order a write reaches them:
 *
 *   tmp-partial   half of `NNNNNN.log.tmp` written, not synced
 *   tmp-written   all of it written, not synced
 *   tmp-synced    fsynced
 *   tmp-verified  read back and checked
 *   linked        published as `NNNNNN.log` (a hard link), the `.tmp` name still present
 *   renamed       the `.tmp` name removed, the directory not yet synced
 *   dir-synced    the WAL dir fsynced: the write is complete
 */
export const CRASH_ENV = 'LOGDB_TEST_CRASH_AT';

export type CrashStep = 'tmp-partial' | 'tmp-written' | 'tmp-synced' | 'tmp-verified' | 'linked' | 'renamed' | 'dir-synced';

export const CRASH_STEPS: readonly CrashStep[] = ['tmp-partial', 'tmp-written', 'tmp-synced', 'tmp-verified', 'linked', 'renamed', 'dir-synced'];

/** True when the test asked to crash at `step`. */
export function crashRequested(step: CrashStep): boolean {
  return process.env[CRASH_ENV] === step;
}

/** Dies here, at once, if the test asked for it. */
export function crashPoint(step: CrashStep): void {
  if (crashRequested(step)) process.kill(process.pid, 'SIGKILL');
}
