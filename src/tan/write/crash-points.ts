/**
 * TEST-ONLY crash points of a tan write (apply.ts), like the Pebble writer's (src/kv/pebble/writer-crash-points.ts):
 * with `LOGDB_TEST_CRASH_AT` naming a step the process SIGKILLs itself there. In the order a write reaches them:
 *   tan-unfinished-done    an interrupted import's pending BOOTSTRAP is renamed into place or deleted
 *   tan-bootstrap-deleted  remove-node: the BOOTSTRAP file is gone (the node reads as removed from here on)
 *   tan-log-written        the new log is written and synced under its temporary name
 *   tan-log-renamed        the new log has its final name (not yet in any MANIFEST: tan ignores it)
 *   tan-manifest-written   the new MANIFEST is written and synced (not yet named by CURRENT)
 *   tan-bootstrap-pending  import: the new BOOTSTRAP is written and synced under its pending name
 *   tan-current-renamed    import: CURRENT names the new MANIFEST, the BOOTSTRAP is still the pending file
 *   tan-committed          CURRENT names the new MANIFEST (and an import's BOOTSTRAP is in place)
 *   tan-cleaned            the logs and MANIFEST no longer live are deleted
 */
import { CRASH_ENV } from '../../kv/pebble/writer-crash-points.js';

export const TAN_CRASH_STEPS = [
  'tan-unfinished-done',
  'tan-bootstrap-deleted',
  'tan-log-written',
  'tan-log-renamed',
  'tan-manifest-written',
  'tan-bootstrap-pending',
  'tan-current-renamed',
  'tan-committed',
  'tan-cleaned',
] as const;
export type TanCrashStep = (typeof TAN_CRASH_STEPS)[number];

export function tanCrashPoint(step: TanCrashStep): void {
  if (process.env[CRASH_ENV] === step) process.kill(process.pid, 'SIGKILL');
}
