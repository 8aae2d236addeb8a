/**
 * dump-entries' output when a user decoder is given: every entry gains `user` (the decoder's JSON, null when the
 * entry carries no command) and, when decoding failed, `userError`; the table shows a compact one-line USER
 * column cut to the terminal width. Results are printed in log order; asynchronous decoders (a module's
 * promises, a stream decoder's answers) may have up to WINDOW entries in flight.
 */
import type { Entry } from '../codec/colfer.js';
import { entryTypeName } from '../codec/enums.js';
import { stdoutColour } from '../cli/colour.js';
import type { OutputFormat } from '../cli/command.js';
import { out } from '../cli/stdout.js';
import { describeEntry, entryJson } from '../cli/views/entry.js';
import { userPayload } from './payload.js';
import type { DecodeResult, UserDecoder } from './user-decoder.js';

const WINDOW = 256;
const NO_COMMAND: DecodeResult = { json: 'null' };
const CMD_WIDTH = 28;

export interface DecodingPrinter {
  entry(e: Entry): Promise<void> | undefined;
  end(): Promise<void>;
}

interface Queued {
  e: Entry;
  result: DecodeResult | Promise<DecodeResult>;
}

/** An entry's JSON with the user fields added before its closing brace. */
export function entryJsonWithUser(e: Entry, r: DecodeResult): string {
  const base = entryJson(e);
  const user = 'json' in r ? `,"user":${r.json}` : `,"user":null,"userError":${JSON.stringify(r.error)}`;
  return base.slice(0, -1) + user + '}';
}

function terminalWidth(): number | undefined {
  if (process.stdout.isTTY && process.stdout.columns) return process.stdout.columns;
  const env = Number(process.env.COLUMNS);
  return Number.isInteger(env) && env > 0 ? env : undefined;
}

function cut(text: string, width: number | undefined): string {
  if (width === undefined || text.length <= width) return text;
  return width <= 1 ? text.slice(0, width) : text.slice(0, width - 1) + '…';
}

function emitter(format: OutputFormat): { emit(e: Entry, r: DecodeResult): Promise<void> | undefined; end(): void } {
  if (format === 'ndjson') return { emit: (e, r) => out(entryJsonWithUser(e, r) + '\n'), end: () => undefined };
  if (format === 'json') {
    let first = true;
    return {
      emit(e, r) {
        const text = (first ? '[\n  ' : ',\n  ') + entryJsonWithUser(e, r);
        first = false;
        return out(text);
      },
      end: () => void out(first ? '[]\n' : '\n]\n'),
    };
  }
  const width = terminalWidth();
  let count = 0;
  const prefix = (cols: string[]) => cols.join('  ');
  return {
    emit(e, r) {
      if (count++ === 0) {
        out(stdoutColour.bold(prefix(['INDEX'.padStart(10), 'TERM'.padStart(6), 'TYPE'.padEnd(17), 'CMD'.padEnd(CMD_WIDTH), 'USER']) + '\n'));
      }
      const start = prefix([String(e.index).padStart(10), String(e.term).padStart(6), entryTypeName(e.type).padEnd(17), cut(describeEntry(e), CMD_WIDTH).padEnd(CMD_WIDTH), '']);
      const user = 'json' in r ? (r.json === 'null' ? '-' : r.json) : `error: ${r.error}`;
      const room = width === undefined ? undefined : Math.max(8, width - start.length);
      return out((start + cut(user, room)).trimEnd() + '\n');
    },
    end: () => {
      if (count === 0) process.stderr.write('no entries in that range\n');
    },
  };
}

export function makeDecodingPrinter(format: OutputFormat, decoder: UserDecoder, selectedTypes: Set<number> | undefined): DecodingPrinter {
  const sink = emitter(format);
  const queue: Queued[] = [];

  async function drain(all: boolean): Promise<void> {
    while (queue.length > 0 && (all || queue.length >= WINDOW)) {
      const item = queue.shift()!;
      const wait = sink.emit(item.e, await item.result);
      if (wait) await wait;
    }
  }

  return {
    entry(e) {
      const payload = userPayload(e, selectedTypes);
      const result = payload === null ? NO_COMMAND : 'error' in payload ? payload : decoder.decode(payload.bytes, e);
      if (queue.length === 0 && !(result instanceof Promise)) return sink.emit(e, result);
      // a rejection waits in the queue until its turn; without this it would count as unhandled
      if (result instanceof Promise) result.catch(() => undefined);
      queue.push({ e, result });
      return queue.length >= WINDOW ? drain(false) : undefined;
    },
    async end() {
      decoder.endInput?.();
      await drain(true);
      sink.end();
    },
  };
}
