/**
 * entryJson (entry.ts) written straight as bytes from EntryColumns, for the entries a dump holds by the hundred
 * thousand: encoded payloads without a header to decode, application entries, session markers, no-ops and
 * metadata. Byte for byte what entryJson gives (a test holds the two together on every fixture); anything else —
 * config changes, compressed or session-carrying payloads, unknown types — is left to entryJson.
 *
 * uint64 decimals come from the two 32-bit halves without bigint: below 2^53 as one number, above by a long
 * division by 10^8 over 16-bit limbs (every intermediate stays below 2^53).
 */
import { EntryColumns, FIELD_CLIENT_ID, FIELD_INDEX, FIELD_KEY, FIELD_RESPONDED_TO, FIELD_SERIES_ID, FIELD_TERM } from '../../codec/entry-columns.js';

const TWO_32 = 4294967296;
const APPLICATION = 0;
const ENCODED = 2;
const METADATA = 3;
const TYPE_NAMES = ['ApplicationEntry', 'ConfigChangeEntry', 'EncodedEntry', 'MetadataEntry'];

const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');
const OPEN_INDEX = ascii('{"index":"');
const TERM = ascii('","term":"');
/** `","type":"<name>","key":"` for each entry type */
const TYPE_TO_KEY = TYPE_NAMES.map((name) => ascii(`","type":"${name}","key":"`));
const CLIENT_ID = ascii('","clientId":"');
const SERIES_ID = ascii('","seriesId":"');
const RESPONDED_TO = ascii('","respondedTo":"');
const CMD = ascii('","cmd":"');
/** `","seriesId":"0","respondedTo":"0","cmd":"`: what entries outside a session carry */
const NO_SESSION_TO_CMD = ascii('","seriesId":"0","respondedTo":"0","cmd":"');
/** `","decoded":<json>}`: the end of an entry's JSON */
const decodedEnd = (json: string): Buffer => ascii(`","decoded":${json}}`);
const NULL_END = decodedEnd('null');
const METADATA_END = decodedEnd('{"kind":"metadata"}');
const REGISTER_END = decodedEnd('{"kind":"registerSession"}');
const UNREGISTER_END = decodedEnd('{"kind":"unregisterSession"}');
const NOOP_END = decodedEnd('{"kind":"noOp"}');
const EMPTY_PROPOSAL_END = decodedEnd('{"kind":"emptyProposal"}');

const BASE64 = ascii('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
const EQUALS = 0x3d;

/** The most bytes writeEntryJson can write for entry i (the fixed text, six 20-digit numbers, the base64 cmd). */
export function entryJsonBytesBound(cols: EntryColumns, i: number): number {
  return 400 + Math.ceil((cols.cmdEnd[i]! - cols.cmdStart[i]!) / 3) * 4;
}

function put(buf: Buffer, pos: number, bytes: Buffer): number {
  buf.set(bytes, pos);
  return pos + bytes.length;
}

/** "00" … "99" as byte pairs */
const PAIRS = Buffer.from(Array.from({ length: 100 }, (_, k) => String(k).padStart(2, '0')).join(''), 'latin1');

/** Writes n (an integer in [0, 10^8)) in decimal, without leading zeros. */
function putSmall(buf: Buffer, pos: number, n: number): number {
  const digits = n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : n < 1000000 ? 6 : n < 10000000 ? 7 : 8;
  let p = pos + digits;
  let x = n;
  while (p - pos >= 2) {
    const q = (x / 100) | 0;
    const r = (x - q * 100) << 1;
    buf[--p] = PAIRS[r + 1]!;
    buf[--p] = PAIRS[r]!;
    x = q;
  }
  if (p > pos) buf[--p] = 48 + x;
  return pos + digits;
}

/** Writes n (an integer in [0, 10^8)) as exactly eight digits. */
function put8(buf: Buffer, pos: number, n: number): number {
  const a = (n / 1000000) | 0;
  let r = n - a * 1000000;
  const b = (r / 10000) | 0;
  r -= b * 10000;
  const c = (r / 100) | 0;
  const d = r - c * 100;
  buf[pos] = PAIRS[a << 1]!;
  buf[pos + 1] = PAIRS[(a << 1) + 1]!;
  buf[pos + 2] = PAIRS[b << 1]!;
  buf[pos + 3] = PAIRS[(b << 1) + 1]!;
  buf[pos + 4] = PAIRS[c << 1]!;
  buf[pos + 5] = PAIRS[(c << 1) + 1]!;
  buf[pos + 6] = PAIRS[d << 1]!;
  buf[pos + 7] = PAIRS[(d << 1) + 1]!;
  return pos + 8;
}

/** Writes n (an integer in [0, 2^53)) in decimal. */
function putUint(buf: Buffer, pos: number, n: number): number {
  if (n < 1e8) return putSmall(buf, pos, n);
  const high = Math.floor(n / 1e8);
  const low = n - high * 1e8;
  if (high < 1e8) pos = putSmall(buf, pos, high);
  else {
    const top = Math.floor(high / 1e8);
    pos = putSmall(buf, pos, top);
    pos = put8(buf, pos, high - top * 1e8);
  }
  return put8(buf, pos, low);
}

function putU64(buf: Buffer, pos: number, hi: number, lo: number): number {
  if (hi < 0x200000) return putUint(buf, pos, hi * TWO_32 + lo);
  // value = hi·2^32 + lo ≥ 2^53: divide the limbs (hi>>>16, hi&ffff, lo>>>16, lo&ffff) by 10^8; the quotient
  // (below 2^64 / 10^8 < 2^53) is written as a number, then the remainder as eight digits
  let r = hi >>> 16;
  let cur = r * 65536 + (hi & 0xffff);
  const q1 = Math.floor(cur / 1e8);
  r = cur - q1 * 1e8;
  cur = r * 65536 + (lo >>> 16);
  const q2 = Math.floor(cur / 1e8);
  r = cur - q2 * 1e8;
  cur = r * 65536 + (lo & 0xffff);
  const q3 = Math.floor(cur / 1e8);
  r = cur - q3 * 1e8;
  pos = putUint(buf, pos, q1 * TWO_32 + q2 * 65536 + q3);
  return put8(buf, pos, r);
}

function putBase64(buf: Buffer, pos: number, src: Buffer, start: number, end: number): number {
  // Node's own encoder is faster once the call's overhead is spread over enough bytes
  if (end - start > 96) return pos + buf.write(src.toString('base64', start, end), pos, 'latin1');
  const t = BASE64;
  let i = start;
  const whole = end - ((end - start) % 3);
  while (i < whole) {
    const n = (src[i]! << 16) | (src[i + 1]! << 8) | src[i + 2]!;
    buf[pos] = t[n >>> 18]!;
    buf[pos + 1] = t[(n >>> 12) & 63]!;
    buf[pos + 2] = t[(n >>> 6) & 63]!;
    buf[pos + 3] = t[n & 63]!;
    pos += 4;
    i += 3;
  }
  const rest = end - i;
  if (rest === 1) {
    const n = src[i]! << 16;
    buf[pos] = t[n >>> 18]!;
    buf[pos + 1] = t[(n >>> 12) & 63]!;
    buf[pos + 2] = EQUALS;
    buf[pos + 3] = EQUALS;
    pos += 4;
  } else if (rest === 2) {
    const n = (src[i]! << 16) | (src[i + 1]! << 8);
    buf[pos] = t[n >>> 18]!;
    buf[pos + 1] = t[(n >>> 12) & 63]!;
    buf[pos + 2] = t[(n >>> 6) & 63]!;
    buf[pos + 3] = EQUALS;
    pos += 4;
  }
  return pos;
}

/** `","decoded":`, entry i's `decoded` value and the closing brace, or undefined when entryJson must decide. */
function endOf(cols: EntryColumns, i: number, hi: Uint32Array, lo: Uint32Array): Buffer | 'encoded' | undefined {
  const type = cols.types[i]!;
  const cmdLength = cols.cmdEnd[i]! - cols.cmdStart[i]!;
  if (type === ENCODED) return cmdLength > 1 && cols.bufs[i]![cols.cmdStart[i]!] === 0 ? 'encoded' : undefined;
  if (type === METADATA) return METADATA_END;
  if (type !== APPLICATION) return undefined;
  if (cmdLength !== 0) return NULL_END;
  const b = i * 8;
  if (hi[b + FIELD_SERIES_ID] === 0xffffffff && lo[b + FIELD_SERIES_ID] === 0xfffffffe) return REGISTER_END;
  if (hi[b + FIELD_SERIES_ID] === 0xffffffff && lo[b + FIELD_SERIES_ID] === 0xffffffff) return UNREGISTER_END;
  const keyZero = hi[b + FIELD_KEY] === 0 && lo[b + FIELD_KEY] === 0;
  const clientZero = hi[b + FIELD_CLIENT_ID] === 0 && lo[b + FIELD_CLIENT_ID] === 0;
  return keyZero && clientZero ? NOOP_END : EMPTY_PROPOSAL_END;
}

// `","term":"<term>","type":"<name>","key":"`, kept while consecutive entries repeat the term and type (they mostly do)
const termScratch = Buffer.alloc(96);
let termText = Buffer.alloc(0);
let termHi = -1;
let termLo = -1;
let termType = -1;
/** `","decoded":{"kind":"encoded",…,"payloadLength":<n>,"payload":null}}` by payload length (they repeat) */
const encodedPlainEnds = new Array<Buffer | undefined>(4096).fill(undefined);

function encodedPlainEnd(payloadLength: number): Buffer {
  let end = payloadLength < 4096 ? encodedPlainEnds[payloadLength] : undefined;
  if (end === undefined) {
    end = decodedEnd(`{"kind":"encoded","version":0,"compression":"none","hasSession":false,"payloadLength":${payloadLength},"payload":null}`);
    if (payloadLength < 4096) encodedPlainEnds[payloadLength] = end;
  }
  return end;
}

function termToKey(hi: Uint32Array, lo: Uint32Array, b: number, type: number): Buffer {
  const h = hi[b + FIELD_TERM]!;
  const l = lo[b + FIELD_TERM]!;
  if (h !== termHi || l !== termLo || type !== termType) {
    const end = put(termScratch, putU64(termScratch, put(termScratch, 0, TERM), h, l), TYPE_TO_KEY[type]!);
    termText = Buffer.from(termScratch.subarray(0, end));
    termHi = h;
    termLo = l;
    termType = type;
  }
  return termText;
}

// `","clientId":"<id>` of the last few client IDs: a log interleaves the entries of a few clients
const CLIENT_SLOTS = 4;
const clientHi = new Float64Array(CLIENT_SLOTS).fill(-1);
const clientLo = new Float64Array(CLIENT_SLOTS).fill(-1);
const clientText: Buffer[] = Array.from({ length: CLIENT_SLOTS }, () => Buffer.alloc(0));
const clientScratch = Buffer.alloc(64);
let nextClientSlot = 0;

function clientIdText(h: number, l: number): Buffer {
  for (let s = 0; s < CLIENT_SLOTS; s++) if (clientHi[s] === h && clientLo[s] === l) return clientText[s]!;
  const s = nextClientSlot;
  nextClientSlot = (s + 1) % CLIENT_SLOTS;
  const end = putU64(clientScratch, put(clientScratch, 0, CLIENT_ID), h, l);
  clientText[s] = Buffer.from(clientScratch.subarray(0, end));
  clientHi[s] = h;
  clientLo[s] = l;
  return clientText[s]!;
}

/**
 * Writes entry i's JSON (no newline) into buf at pos, which must have entryJsonBytesBound bytes of room.
 * Returns the position after it, or -1 (nothing meaningful written) when the entry needs entryJson.
 */
export function writeEntryJson(cols: EntryColumns, i: number, buf: Buffer, pos: number): number {
  const { hi, lo } = cols;
  const end = endOf(cols, i, hi, lo);
  if (end === undefined) return -1;
  const b = i * 8;
  pos = put(buf, pos, OPEN_INDEX);
  pos = putU64(buf, pos, hi[b + FIELD_INDEX]!, lo[b + FIELD_INDEX]!);
  pos = put(buf, pos, termToKey(hi, lo, b, cols.types[i]!));
  pos = putU64(buf, pos, hi[b + FIELD_KEY]!, lo[b + FIELD_KEY]!);
  pos = put(buf, pos, clientIdText(hi[b + FIELD_CLIENT_ID]!, lo[b + FIELD_CLIENT_ID]!));
  const sh = hi[b + FIELD_SERIES_ID]!;
  const sl = lo[b + FIELD_SERIES_ID]!;
  const rh = hi[b + FIELD_RESPONDED_TO]!;
  const rl = lo[b + FIELD_RESPONDED_TO]!;
  if ((sh | sl | rh | rl) === 0) pos = put(buf, pos, NO_SESSION_TO_CMD);
  else {
    pos = put(buf, pos, SERIES_ID);
    pos = putU64(buf, pos, sh, sl);
    pos = put(buf, pos, RESPONDED_TO);
    pos = putU64(buf, pos, rh, rl);
    pos = put(buf, pos, CMD);
  }
  const cmdStart = cols.cmdStart[i]!;
  const cmdEnd = cols.cmdEnd[i]!;
  pos = putBase64(buf, pos, cols.bufs[i]!, cmdStart, cmdEnd);
  if (end === 'encoded') return put(buf, pos, encodedPlainEnd(cmdEnd - cmdStart - 1));
  return put(buf, pos, end);
}
