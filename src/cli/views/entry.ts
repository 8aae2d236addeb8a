/**
 * The JSON shape of a log entry (README "JSON field reference"), built as a string directly: dump-entries
 * emits hundreds of thousands of these, and a generic object-to-JSON pass would cost a third of the time.
 *
 * `decoded` says what the entry means, where that takes decoding (spec §6):
 *   {"kind":"configChange","configChange":{…}}       ConfigChangeEntry
 *   {"kind":"encoded","version":0,"compression":"snappy","hasSession":false,"payloadLength":N,"payload":"…"}
 *        `payload` is the decompressed payload for Snappy entries; for uncompressed ones it is null, the payload
 *        being `cmd` after its 1-byte header (so a dump does not carry every payload twice)
 *   {"kind":"registerSession"} / {"kind":"unregisterSession"}   session markers (empty cmd, series 2^64−2 / −1)
 *   {"kind":"noOp"}                                    the new leader's empty entry (no key, no client)
 *   {"kind":"emptyProposal"}                           an empty proposal (it has a request key)
 *   {"kind":"metadata"}                                MetadataEntry (what a witness stores)
 *   {"kind":"invalid","error":"…"}                     a cmd that does not decode; the raw cmd is still there
 *   null                                               an ApplicationEntry whose cmd is the payload itself
 */
import type { Entry } from '../../codec/colfer.js';
import { decodeEncodedEntryCmd } from '../../codec/encoded-entry.js';
import { configChangeTypeName, entryTypeName, SERIES_ID_REGISTER, SERIES_ID_UNREGISTER } from '../../codec/enums.js';
import { decodeConfigChange } from '../../codec/messages.js';

const APPLICATION = 0;
const CONFIG_CHANGE = 1;
const ENCODED = 2;
const METADATA = 3;
const ENCODED_PLAIN_PREFIX = '{"kind":"encoded","version":0,"compression":"none","hasSession":false,"payloadLength":';

export interface DecodedEntry {
  kind: 'configChange' | 'encoded' | 'registerSession' | 'unregisterSession' | 'noOp' | 'emptyProposal' | 'metadata' | 'invalid';
  [field: string]: unknown;
}

export function decodeEntryMeaning(e: Entry): DecodedEntry | null {
  try {
    switch (e.type) {
      case CONFIG_CHANGE: {
        const cc = decodeConfigChange(e.cmd);
        return {
          kind: 'configChange',
          configChange: {
            configChangeId: cc.configChangeId.toString(),
            type: configChangeTypeName(cc.type),
            nodeId: cc.nodeId.toString(),
            address: cc.address,
            initialize: cc.initialize,
          },
        };
      }
      case ENCODED: {
        const d = decodeEncodedEntryCmd(e.cmd);
        return {
          kind: 'encoded',
          version: d.version,
          compression: d.compression,
          hasSession: d.hasSession,
          payloadLength: d.payload.length,
          payload: d.compression === 'none' ? null : d.payload.toString('base64'),
        };
      }
      case METADATA:
        return { kind: 'metadata' };
      case APPLICATION:
        if (e.cmd.length !== 0) return null;
        if (e.seriesId === SERIES_ID_REGISTER) return { kind: 'registerSession' };
        if (e.seriesId === SERIES_ID_UNREGISTER) return { kind: 'unregisterSession' };
        return e.key === 0n && e.clientId === 0n ? { kind: 'noOp' } : { kind: 'emptyProposal' };
      default:
        return null;
    }
  } catch (err) {
    return { kind: 'invalid', error: (err as Error).message };
  }
}

/** `decoded` as JSON text; the common EncodedEntry case is written out directly (the hot path of a dump). */
function decodedJson(e: Entry): string {
  if (e.type === ENCODED) {
    // header 0x00 (version 0, no compression, no session): nothing to decode, the payload is the rest of cmd
    if (e.cmd.length > 1 && e.cmd[0] === 0) return `${ENCODED_PLAIN_PREFIX}${e.cmd.length - 1},"payload":null}`;
    let d;
    try {
      d = decodeEncodedEntryCmd(e.cmd);
    } catch (err) {
      return JSON.stringify({ kind: 'invalid', error: (err as Error).message });
    }
    const payload = d.compression === 'none' ? 'null' : `"${d.payload.toString('base64')}"`;
    return `{"kind":"encoded","version":${d.version},"compression":"${d.compression}","hasSession":${d.hasSession},"payloadLength":${d.payload.length},"payload":${payload}}`;
  }
  const decoded = decodeEntryMeaning(e);
  return decoded === null ? 'null' : JSON.stringify(decoded);
}

/** One entry as a JSON object string (no trailing newline). */
export function entryJson(e: Entry): string {
  return (
    `{"index":"${e.index}","term":"${e.term}","type":"${entryTypeName(e.type)}","key":"${e.key}",` +
    `"clientId":"${e.clientId}","seriesId":"${e.seriesId}","respondedTo":"${e.respondedTo}",` +
    `"cmd":"${e.cmd.toString('base64')}","decoded":${decodedJson(e)}}`
  );
}

/** A few words for the table's last column: what the cmd holds. */
export function describeEntry(e: Entry): string {
  const d = decodeEntryMeaning(e);
  if (!d) return `${e.cmd.length} bytes`;
  switch (d.kind) {
    case 'configChange': {
      const cc = d.configChange as { type: string; nodeId: string; address: string; initialize: boolean };
      return `${cc.type} node ${cc.nodeId}${cc.address ? ` ${cc.address}` : ''}${cc.initialize ? ' (initial)' : ''}`;
    }
    case 'encoded':
      return `${d.payloadLength} bytes${d.compression === 'snappy' ? ` (snappy, ${e.cmd.length - 1} stored)` : ''}`;
    case 'registerSession':
      return 'register session';
    case 'unregisterSession':
      return 'unregister session';
    case 'noOp':
      return 'leader no-op';
    case 'emptyProposal':
      return 'empty proposal';
    case 'metadata':
      return 'metadata';
    case 'invalid':
      return `invalid: ${d.error}`;
  }
}

