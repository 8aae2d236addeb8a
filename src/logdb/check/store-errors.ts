/**
 * Whether an error means "the KV files of this shard are damaged" — reported as a finding (check) or a shard
 * marked unreadable (stats) — rather than a lock, a missing WAL or a bug, which stop the command.
 */
import { LogdbError } from '../../errors.js';

export function isStoreCorruption(err: unknown): boolean {
  if (err instanceof LogdbError) return err.kind === 'corrupt';
  const e = err as { name?: string } | undefined;
  return e?.name === 'KVCorruptionError' || e?.name === 'CodecError';
}
