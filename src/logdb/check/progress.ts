/**
 * Progress of a long pass over a LogDB (`check`, `stats`): a one-line counter on stderr, rewritten in place with
 * "\r", at most ten times a second — and only when stderr is a terminal, so scripts and pipes never see it.
 * The passes only call `advance`; whether anything is drawn is decided once, here.
 *
 * (This belongs in src/cli beside the other terminal concerns; it lives here until src/cli grows a progress
 * module, so that both commands share one.)
 */

export interface Progress {
  /** `records` more key/value pairs read, now in `where` (e.g. "logdb-3") */
  advance(records: number, where: string): void;
  /** erases the line */
  done(): void;
}

export const noProgress: Progress = { advance: () => undefined, done: () => undefined };

const REDRAW_EVERY_MS = 100;

/** A counter on stderr when it is a terminal, else nothing. */
export function terminalProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return noProgress;
  let total = 0;
  let lastDraw = 0;
  let drawn = false;
  return {
    advance(records, where) {
      total += records;
      const now = Date.now();
      if (now - lastDraw < REDRAW_EVERY_MS) return;
      lastDraw = now;
      drawn = true;
      stream.write(`\r\x1b[K${label}: ${where}, ${total.toLocaleString('en-US')} records read`);
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
