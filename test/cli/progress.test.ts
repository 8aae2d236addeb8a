/** Progress is drawn for people only: on a terminal, after a tenth of a second, and erased when done. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { terminalProgress } from '../../src/cli/progress.js';
import { noProgress } from '../../src/logdb/progress.js';

test('progress draws only on a terminal, and erases itself', () => {
  const written: string[] = [];
  const stream = (isTTY: boolean) => ({ isTTY, write: (s: string) => written.push(s) }) as unknown as NodeJS.WriteStream;
  const quiet = terminalProgress('checking', stream(false));
  assert.equal(quiet, noProgress);
  let clock = 1_000;
  const p = terminalProgress('checking', stream(true), () => clock);
  clock += 99;
  p.advance(10, 'logdb-1');
  assert.deepEqual(written, [], 'nothing in the first tenth of a second');
  clock += 21;
  p.advance(5, 'logdb-2');
  clock += 50;
  p.advance(1, 'logdb-3');
  assert.equal(written.length, 1, 'at most one redraw per tenth of a second');
  p.done();
  assert.equal(written.length, 2);
  assert.match(written[0], /^\r\x1b\[Kchecking: logdb-2, 15 records read$/);
  assert.equal(written[1], '\r\x1b[K');
});
