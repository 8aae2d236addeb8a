/**
 * The client-session table Dragonboat writes at the start of every snapshot payload, before the state
 * machine's own data (Dragonboat internal/rsm/lrusession.go save/load, session.go):
 *
 *     u64 LE  LRU capacity (the hard setting LRUMaxSessionCount, 4096)
 *     u64 LE  number of sessions
 *     per session, oldest first:  u64 LE length, then Go's encoding/json of
 *         {"History":{"<seriesId>":{"Value":<uint64>,"Data":<base64|null>}},"ClientID":<uint64>,"RespondedUpTo":<uint64>}
 *         (version-1 snapshots: History maps series IDs to bare uint64 results)
 *
 * Everything after the table is what the state machine's RecoverFromSnapshot reads. SessionTableSplitter is
 * push-based: it keeps the table's bytes (bounded by Dragonboat's 4096 sessions) and hands the rest on.
 */
import { CodecError } from '../codec/errors.js';

export interface SessionResult {
  seriesId: string;
  value: string;
  /** base64, or null */
  data: string | null;
}

export interface ClientSession {
  clientId: string;
  respondedUpTo: string;
  history: SessionResult[];
}

export interface SessionTable {
  capacity: string;
  /** the byte length of the table in the payload */
  size: number;
  sessions: ClientSession[];
}

/** Go's encoding/json text with every number turned into a string, so uint64 values stay exact. */
function parseGoJson(text: string): any {
  let out = '';
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j]!)) j++;
      out += text.slice(start, i) + '"' + text.slice(i, j) + '"';
      start = j;
      i = j - 1;
    }
  }
  return JSON.parse(out + text.slice(start));
}

function numeric(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export function decodeSession(json: Buffer): ClientSession {
  let v: any;
  try {
    v = parseGoJson(json.toString('utf8'));
  } catch (err) {
    throw new CodecError(`snapshot/sessions: a session is not JSON: ${(err as Error).message}`);
  }
  if (!v || typeof v !== 'object' || typeof v.ClientID !== 'string') throw new CodecError('snapshot/sessions: a session has no ClientID');
  const history: SessionResult[] = Object.entries((v.History ?? {}) as Record<string, any>)
    .map(([seriesId, r]) =>
      r !== null && typeof r === 'object'
        ? { seriesId, value: String(r.Value ?? '0'), data: typeof r.Data === 'string' ? r.Data : null }
        : { seriesId, value: String(r), data: null },
    )
    .sort((a, b) => numeric(a.seriesId, b.seriesId));
  return { clientId: v.ClientID, respondedUpTo: String(v.RespondedUpTo ?? '0'), history };
}

/** Splits a payload stream into the session table and the state machine's data. */
export class SessionTableSplitter {
  private buf: Buffer = Buffer.alloc(0);
  private capacity: bigint | undefined;
  private remaining: bigint | undefined;
  private size = 0;
  private readonly sessions: ClientSession[] = [];
  private done = false;

  constructor(private readonly onData: (data: Buffer) => void) {}

  push(data: Buffer): void {
    if (this.done) {
      if (data.length) this.onData(data);
      return;
    }
    this.buf = this.buf.length ? Buffer.concat([this.buf, data]) : data;
    let at = 0;
    const take = (n: number): Buffer | undefined => {
      if (this.buf.length - at < n) return undefined;
      const b = this.buf.subarray(at, at + n);
      at += n;
      return b;
    };
    while (!this.done) {
      if (this.capacity === undefined) {
        const head = take(16);
        if (!head) break;
        this.capacity = head.readBigUInt64LE(0);
        this.remaining = head.readBigUInt64LE(8);
        if (this.remaining > 1_000_000n) throw new CodecError(`snapshot/sessions: the table claims ${this.remaining} sessions`);
      } else if (this.remaining! > 0n) {
        if (this.buf.length - at < 8) break;
        const length = this.buf.readBigUInt64LE(at);
        if (length > 64n * 1024n * 1024n) throw new CodecError(`snapshot/sessions: session ${this.sessions.length} claims ${length} bytes`);
        if (this.buf.length - at - 8 < Number(length)) break;
        at += 8;
        this.sessions.push(decodeSession(take(Number(length))!));
        this.remaining!--;
      } else {
        this.done = true;
      }
    }
    this.size += at;
    const rest = this.buf.subarray(at);
    this.buf = this.done ? Buffer.alloc(0) : Buffer.from(rest);
    if (this.done && rest.length) this.onData(rest);
  }

  /** The table, once the stream ended; throws if it ended inside the table. */
  end(): SessionTable {
    if (!this.done) {
      if (this.capacity !== undefined && this.remaining === 0n) this.done = true;
      else throw new CodecError(`snapshot/sessions: the payload ends inside the session table (after ${this.size + this.buf.length} bytes)`);
    }
    return { capacity: String(this.capacity), size: this.size, sessions: this.sessions };
  }
}
