/** The entry point: parse, run one command, flush stdout, exit with the documented code. */
import { readFileSync } from 'node:fs';
import { CommanderError, type Command } from 'commander';
import { usageError } from '../errors.js';
import { commandNames, loadCommands } from '../commands/index.js';
import { configureColour } from './colour.js';
import type { CommandDef } from './command.js';
import { EXIT_CODES } from './exit-codes.js';
import { buildProgram, commanderMessage, resolveFormat } from './program.js';
import { reportError } from './report-error.js';
import { finish, installPipeHandling } from './stdout.js';

/**
 * The version in logdb's package.json: the nearest one above this module, which runs from dist/src/cli/ (tsc) or
 * from the bundle in dist/cli/ (scripts/bundle.mjs).
 */
function packageVersion(): string {
  for (let dir = new URL('.', import.meta.url); ; ) {
    try {
      return String(JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')).version);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return '0.0.0';
    }
    const parent = new URL('..', dir);
    if (parent.href === dir.href) return '0.0.0';
    dir = parent;
  }
}

async function runCommand(def: CommandDef, command: Command, args: string[]): Promise<void> {
  const opts = command.opts();
  await configureColour(opts.color === false);
  await def.run({
    args,
    opts,
    format: resolveFormat(opts),
    // stderr first: process.stdin is created on first use (with Node's file streams) and is seldom needed
    interactive: Boolean(process.stderr.isTTY && process.stdin.isTTY),
  });
}

export async function main(argv: string[]): Promise<void> {
  installPipeHandling();
  await configureColour(argv.includes('--no-color'));
  let code = EXIT_CODES.ok;
  // `logdb <command> …` loads just that command; help, errors and anything else load them all
  const requested = argv[2];
  const commands = await loadCommands(commandNames.includes(requested) ? [requested] : commandNames);
  const program = buildProgram(commands, packageVersion(), runCommand);
  try {
    if (argv.length <= 2) {
      process.stdout.write(program.helpInformation());
      code = EXIT_CODES.usage;
    } else {
      await program.parseAsync(argv);
    }
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') code = EXIT_CODES.ok;
      else code = reportError(usageError(`${commanderMessage(err)}`, 'see `logdb --help`'));
    } else {
      // what the command printed before it failed (check's findings) comes before the error line
      await finish();
      code = reportError(err);
    }
  }
  await finish();
  process.exit(code);
}
