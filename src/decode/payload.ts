/**
 * Which bytes of an entry are the user's command (spec §6.1, §6.2): the payload a state machine's Update gets.
 * ApplicationEntry: the cmd itself (an empty one is a no-op, a session marker or an empty proposal — nothing to
 * decode); EncodedEntry: the payload after the header byte, Snappy-decompressed; any other type only when the
 * operator selected it with --type (its cmd as stored).
 */
import type { Entry } from '../codec/colfer.js';
import { decodeEncodedEntryCmd } from '../codec/encoded-entry.js';
import { EntryType } from '../codec/enums.js';

export type UserPayload = { bytes: Buffer } | { error: string } | null;

export function userPayload(e: Entry, selectedTypes: Set<number> | undefined): UserPayload {
  if (e.type === EntryType.EncodedEntry) {
    try {
      return { bytes: decodeEncodedEntryCmd(e.cmd).payload };
    } catch (err) {
      return { error: `the EncodedEntry cmd does not decode: ${(err as Error).message}` };
    }
  }
  if (e.type === EntryType.ApplicationEntry) return e.cmd.length > 0 ? { bytes: e.cmd } : null;
  return selectedTypes?.has(e.type) ? { bytes: e.cmd } : null;
}
