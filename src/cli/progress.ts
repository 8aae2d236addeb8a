/**
 * Progress for long work, on stderr and only on a terminal: one line rewritten in place, at most ten times a
 * second. Scripts and pipes see nothing.
 */
export interface Progress {
  update(done: number, total?: number): void;
  finish(): void;
}

const SILENT: Progress = { update: () => undefined, finish: () => undefined };

export function progress(label: string, unit = ''): Progress {
  if (!process.stderr.isTTY) return SILENT;
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      const pct = total ? ` (${Math.floor((done / total) * 100)}%)` : '';
      process.stderr.write(`\r${label}: ${done.toLocaleString('en-US')}${total ? ` of ${total.toLocaleString('en-US')}` : ''}${unit}${pct}\x1b[K`);
    },
    finish() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}
