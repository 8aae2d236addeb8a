/**
 * Progress for long work, on stderr and only on a terminal: one line rewritten in place, at most ten times a
 * second, nothing at all for the first tenth of a second (quick runs stay quiet). Scripts and pipes see nothing.
 */
import { noProgress, type Progress } from '../logdb/progress.js';

const REDRAW_EVERY_MS = 100;

/** A line that redraws itself at most every REDRAW_EVERY_MS; undefined when `stream` is not a terminal. */
/** `now` is the clock (tests pass their own). */
function liveLine(stream: NodeJS.WriteStream, now: () => number = Date.now): { draw(text: string): void; clear(): void } | undefined {
  if (!stream.isTTY) return undefined;
  let last = now();
  let drawn = false;
  return {
    draw(text) {
      const at = now();
      if (at - last < REDRAW_EVERY_MS) return;
      last = at;
      drawn = true;
      stream.write(`\r\x1b[K${text}`);
    },
    clear() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

/** A counter of records read during a pass over the shards (check, stats). */
export function terminalProgress(label: string, stream: NodeJS.WriteStream = process.stderr, now?: () => number): Progress {
  const line = liveLine(stream, now);
  if (!line) return noProgress;
  let total = 0;
  return {
    advance(records, where) {
      total += records;
      line.draw(`${label}: ${where}, ${total.toLocaleString('en-US')} records read`);
    },
    done: () => line.clear(),
  };
}

export interface Counter {
  update(done: number, total?: number): void;
  finish(): void;
}

/** A counter of work done out of a known total (bytes copied, …). */
export function progress(label: string, unit = '', stream: NodeJS.WriteStream = process.stderr): Counter {
  const line = liveLine(stream);
  if (!line) return { update: () => undefined, finish: () => undefined };
  return {
    update(done, total) {
      const pct = total ? ` (${Math.floor((done / total) * 100)}%)` : '';
      line.draw(`${label}: ${done.toLocaleString('en-US')}${total ? ` of ${total.toLocaleString('en-US')}` : ''}${unit}${pct}`);
    },
    finish: () => line.clear(),
  };
}
