/**
 * Stdout for data. Writes are gathered into large chunks (one write per line halves dump throughput) and honour
 * back-pressure, so `dump-entries` streams in constant memory. A closed pipe (`logdb … | head`) ends the
 * process quietly with status 0: the reader has what it wanted.
 */
const FLUSH_AT = 256 * 1024;

let pending: string[] = [];
let pendingLength = 0;
let pipeClosed = false;

export function installPipeHandling(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') {
      pipeClosed = true;
      process.exit(0);
    }
    throw err;
  });
}

export function isPipeClosed(): boolean {
  return pipeClosed;
}

/** Queues text for stdout; returns a promise to await when the buffer was flushed into a full pipe. */
export function out(text: string): Promise<void> | undefined {
  pending.push(text);
  pendingLength += text.length;
  if (pendingLength >= FLUSH_AT) return flush();
  return undefined;
}

export function flush(): Promise<void> | undefined {
  if (!pendingLength) return undefined;
  const text = pending.join('');
  pending = [];
  pendingLength = 0;
  if (process.stdout.write(text)) return undefined;
  return new Promise((resolve) => process.stdout.once('drain', resolve));
}

/** Flushes and waits until stdout has taken everything (before the process exits). */
export async function finish(): Promise<void> {
  await flush();
  if (process.stdout.writableNeedDrain) await new Promise((resolve) => process.stdout.once('drain', resolve));
}
