/**
 * Colour only for people: on when the stream is a terminal, off with NO_COLOR (any value, https://no-color.org),
 * off with --no-color, on with FORCE_COLOR. Data on stdout is never coloured when piped.
 *
 * chalk is loaded only when some stream gets colour: with its terminal detection it costs a short command a few
 * milliseconds, and without colour every style is the text itself (what chalk at level 0 returns).
 */

type Paint = (text: string) => string;

/** The styles logdb uses. */
export interface Colour {
  bold: Paint;
  cyan: Paint;
  dim: Paint;
  green: Paint;
  red: Paint & { bold: Paint };
  yellow: Paint;
}

const same: Paint = (text) => text;
const NO_COLOUR: Colour = { bold: same, cyan: same, dim: same, green: same, red: Object.assign((text: string) => text, { bold: same }), yellow: same };

function allowed(stream: NodeJS.WriteStream, disabled: boolean): boolean {
  if (disabled || ('NO_COLOR' in process.env && process.env.NO_COLOR !== '')) return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

export let stdoutColour: Colour = NO_COLOUR;
export let stderrColour: Colour = NO_COLOUR;

export async function configureColour(disabled: boolean): Promise<void> {
  const toStdout = allowed(process.stdout, disabled);
  const toStderr = allowed(process.stderr, disabled);
  if (!toStdout && !toStderr) {
    stdoutColour = stderrColour = NO_COLOUR;
    return;
  }
  const { default: chalk, Chalk } = await import('chalk');
  const level = chalk.level || 1;
  stdoutColour = toStdout ? new Chalk({ level }) : NO_COLOUR;
  stderrColour = toStderr ? new Chalk({ level }) : NO_COLOUR;
}
