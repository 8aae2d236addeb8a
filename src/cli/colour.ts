/**
 * Colour only for people: on when the stream is a terminal, off with NO_COLOR (any value, https://no-color.org),
 * off with --no-color, on with FORCE_COLOR. Data on stdout is never coloured when piped.
 */
import chalk, { Chalk, type ChalkInstance } from 'chalk';

function allowed(stream: NodeJS.WriteStream, disabled: boolean): boolean {
  if (disabled || ('NO_COLOR' in process.env && process.env.NO_COLOR !== '')) return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

export let stdoutColour: ChalkInstance = new Chalk({ level: 0 });
export let stderrColour: ChalkInstance = new Chalk({ level: 0 });

export function configureColour(disabled: boolean): void {
  const level = chalk.level || 1;
  stdoutColour = new Chalk({ level: allowed(process.stdout, disabled) ? level : 0 });
  stderrColour = new Chalk({ level: allowed(process.stderr, disabled) ? level : 0 });
}
