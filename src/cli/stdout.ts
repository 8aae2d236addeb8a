/**
 * Stdout for data. Text is encoded straight into one large buffer that is written when full (one write per
 * line halves dump throughput; joining many small strings first costs almost as much), and writes honour
 * back-pressure, so `dump-entries` streams in constant memory. A closed pipe (`logdb … | head`) ends the process
 * quietly with status 0: the reader has what it wanted.
 */
const BUFFER_BYTES = 1024 * 1024;

let buffer = Buffer.allocUnsafe(BUFFER_BYTES);
let used = 0;

export function installPipeHandling(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

/** Queues text for stdout; returns a promise to await when the buffer was flushed into a full pipe. */
export function out(text: string): Promise<void> | undefined {
  // a UTF-16 code unit never takes more than 3 bytes in UTF-8
  if (text.length * 3 > BUFFER_BYTES - used) {
    const wait = flush();
    if (text.length * 3 > BUFFER_BYTES) {
      const direct = process.stdout.write(text);
      return wait ?? (direct ? undefined : drained());
    }
    used += buffer.write(text, used, 'utf8');
    return wait;
  }
  used += buffer.write(text, used, 'utf8');
  return undefined;
}

/**
 * For writers that encode bytes themselves: makes sure `bytes` more bytes fit in the buffer (flushing it first
 * when not) and returns a promise to await when that flush found the pipe full. Then write into rawBuffer() from
 * rawUsed() on and call setRawUsed() with the position after the last byte written. `bytes` must not exceed
 * RAW_LIMIT.
 */
export function room(bytes: number): Promise<void> | undefined {
  return bytes > BUFFER_BYTES - used ? flush() : undefined;
}

export const RAW_LIMIT = BUFFER_BYTES;

export function rawBuffer(): Buffer {
  return buffer;
}

export function rawUsed(): number {
  return used;
}

export function setRawUsed(position: number): void {
  used = position;
}

function drained(): Promise<void> {
  return new Promise((resolve) => process.stdout.once('drain', resolve));
}

export function flush(): Promise<void> | undefined {
  if (!used) return undefined;
  const full = buffer;
  const length = used;
  used = 0;
  const written = process.stdout.write(full.subarray(0, length));
  // Nothing left queued in the stream: the write went to the file or pipe at once (stdout to a file or pipe is
  // synchronous on Linux), so the buffer is free to fill again. Otherwise the stream holds on to it until it is
  // written: keep filling a fresh one. (A fresh megabyte per flush is also garbage the collector must sweep.)
  buffer = process.stdout.writableLength === 0 ? full : Buffer.allocUnsafe(BUFFER_BYTES);
  return written ? undefined : drained();
}

/** Flushes and waits until stdout has taken everything (before the process exits). */
export async function finish(): Promise<void> {
  await flush();
  if (process.stdout.writableNeedDrain) await drained();
}
