/**
 * Whether Dragonboat could apply an entry's command (spec §6): an EncodedEntry needs a v0 header without the
 * session flag and a known compression (and, checked with --deep, a Snappy block that decompresses); a
 * ConfigChangeEntry needs a ConfigChange protobuf. Dragonboat panics on either when it applies the entry.
 * The cheap header test runs on every entry; decompression only with --deep.
 */
import type { Entry } from '../../codec/colfer.js';
import { decodeEncodedEntryCmd, parseEncodedEntryHeader } from '../../codec/encoded-entry.js';
import { EntryType, entryTypeName } from '../../codec/enums.js';
import { decodeConfigChange } from '../../codec/messages.js';

const KNOWN_TYPES = new Set<number>(Object.values(EntryType));

/** What is wrong with the entry's command, or undefined when it would apply. */
export function payloadProblem(e: Pick<Entry, 'type' | 'cmd'>, deep: boolean): string | undefined {
  switch (e.type) {
    case EntryType.EncodedEntry: {
      if (e.cmd.length === 0) return 'an EncodedEntry with an empty command (it always starts with a header byte)';
      if (deep) {
        try {
          decodeEncodedEntryCmd(e.cmd);
        } catch (err) {
          return (err as Error).message;
        }
        return undefined;
      }
      const header = parseEncodedEntryHeader(e.cmd[0]!);
      if (header.version !== 0) return `EncodedEntry header 0x${e.cmd[0]!.toString(16)} has version ${header.version} (only 0 exists)`;
      if (header.hasSession) return `EncodedEntry header 0x${e.cmd[0]!.toString(16)} has the session flag set (invalid in version 0)`;
      if (header.compressionCode > 1) return `EncodedEntry header 0x${e.cmd[0]!.toString(16)} names compression ${header.compressionCode} (0 none, 1 Snappy)`;
      return undefined;
    }
    case EntryType.ConfigChangeEntry:
      try {
        decodeConfigChange(e.cmd);
      } catch (err) {
        return `config change does not decode: ${(err as Error).message}`;
      }
      return undefined;
    default:
      return KNOWN_TYPES.has(e.type) ? undefined : `unknown entry type ${e.type} (${entryTypeName(e.type)})`;
  }
}
