/**
 * Asking before a write. On a terminal the operator types "yes"; scripts pass --yes. Without a terminal and
 * without --yes the answer is no — a pipe must never hang waiting for input nobody will give.
 */
import { createInterface } from 'node:readline/promises';
import { LogdbError } from '../errors.js';
import { stderrColour } from './colour.js';

export async function confirm(question: string, opts: { yes?: boolean; interactive: boolean }): Promise<void> {
  if (opts.yes) return;
  if (!opts.interactive) {
    throw new LogdbError('refused', 'not confirmed: no terminal to ask on and no --yes; nothing was changed', 'add --yes to run it from a script, or --dry-run to see the plan');
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${stderrColour.bold(question)} Type "yes" to continue: `);
    if (answer.trim().toLowerCase() !== 'yes') throw new LogdbError('refused', 'not confirmed; nothing was changed');
  } finally {
    rl.close();
  }
}
