/** Progress is drawn for people only: on a terminal, after a tenth of a second, and erased when done. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { terminalProgress } from '../../src/cli/progress.js';
import { noProgress } from '../../src/logdb/progress.js';

test('progress draws only on a terminal, and erases itself', async () => {
  const written: string[] = [];
  const stream = (isTTY: boolean) => ({ isTTY, write: (s: string) => written.push(s) }) as unknown as NodeJS.WriteStream;
  const quiet = terminalProgress('checking', stream(false));
  assert.equal(quiet, noProgress);
  const p = terminalProgress('checking', stream(true));
  p.advance(10, 'logdb-1');
  assert.deepEqual(written, [], 'nothing in the first tenth of a second');
  await new Promise((resolve) => setTimeout(resolve, 120));
  p.advance(5, 'logdb-2');
  p.done();
  assert.equal(written.length, 2);
  assert.match(written[0], /^\r\x1b\[Kchecking: logdb-2, 15 records read$/);
  assert.equal(written[1], '\r\x1b[K');
});
