/**
 * stdout's buffer: filled again right after a flush only when the stream took the chunk at once (nothing left
 * queued); while the stream still holds a chunk, that chunk's bytes must stay as they were.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flush, out } from '../../src/cli/stdout.js';

/** Runs `fn` with process.stdout replaced by a stream that keeps every chunk (and says whether it queued them). */
function withFakeStdout(queue: boolean, fn: () => void): Buffer[] {
  const chunks: Buffer[] = [];
  const stdout = process.stdout as any;
  const write = stdout.write;
  const length = Object.getOwnPropertyDescriptor(stdout, 'writableLength');
  stdout.write = (chunk: Buffer) => {
    chunks.push(chunk);
    return true;
  };
  Object.defineProperty(stdout, 'writableLength', { configurable: true, get: () => (queue ? chunks.reduce((n, c) => n + c.length, 0) : 0) });
  try {
    fn();
  } finally {
    stdout.write = write;
    if (length) Object.defineProperty(stdout, 'writableLength', length);
    else delete stdout.writableLength;
  }
  return chunks;
}

for (const queue of [true, false]) {
  test(`chunks ${queue ? 'still queued in the stream' : 'written at once'}: what was handed over is what was written`, () => {
    const line = (i: number) => `${String(i).padStart(8, '0')} ${'x'.repeat(200)}\n`;
    const snapshots: string[] = [];
    const chunks = withFakeStdout(queue, () => {
      for (let i = 0; i < 20000; i++) out(line(i));
      flush();
      // copy what each chunk holds now, after all the writing
    });
    for (const c of chunks) snapshots.push(c.toString('latin1'));
    let expected = '';
    for (let i = 0; i < 20000; i++) expected += line(i);
    assert.ok(chunks.length >= 3, `only ${chunks.length} flushes`);
    if (queue) assert.equal(snapshots.join(''), expected, 'a queued chunk was overwritten');
    else assert.ok(new Set(chunks.map((c) => c.buffer)).size < chunks.length, 'a chunk written at once frees its buffer for the next');
  });
}
