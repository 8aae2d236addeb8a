/** Commander wiring: every command gets the shared options, its examples in --help, and one error path. */
import { Argument, Command, CommanderError, Option } from 'commander';
import { usageError } from '../errors.js';
import { OUTPUT_FORMATS, type CommandDef, type OutputFormat } from './command.js';
import { EXIT_CODE_MEANINGS } from './exit-codes.js';

export const GLOBAL_HELP_FOOTER = `
Every command takes -o/--output table|json|ndjson (--json for short) and --wal-dir DIR.

Exit codes:
${EXIT_CODE_MEANINGS.map(([code, meaning]) => `  ${String(code).padStart(2)}  ${meaning}`).join('\n')}

See man logdb (man -l man/logdb.1 in the source tree).`;

export function buildProgram(commands: CommandDef[], version: string, run: (def: CommandDef, cmd: Command, args: string[]) => Promise<void>): Command {
  const program = new Command('logdb')
    .description('Inspect and repair Dragonboat LogDB directories (LevelDB, Pebble and RocksDB).')
    .version(version, '-V, --version')
    .helpCommand('help [command]', 'show help for a command')
    .showSuggestionAfterError(true)
    .addHelpText('after', GLOBAL_HELP_FOOTER)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, outputError: () => undefined });

  for (const def of commands) {
    const cmd = program.command(def.name).description(def.summary).exitOverride();
    for (const spec of def.arguments.split(' ').filter(Boolean)) {
      const arg = new Argument(spec);
      const choices = def.argumentChoices?.[arg.name()];
      cmd.addArgument(choices ? arg.choices(choices) : arg);
    }
    for (const o of def.options) {
      if (o.defaultValue !== undefined) cmd.option(o.flags, o.description, o.defaultValue as string);
      else cmd.option(o.flags, o.description);
    }
    cmd.addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'));
    cmd.option('--json', 'same as --output json');
    cmd.option('--wal-dir <dir>', "the NodeHost's WALDir, when it kept WAL files apart (Pebble, RocksDB)");
    cmd.option('--no-color', 'no colour even on a terminal (NO_COLOR=1 does the same)');
    if (def.writes) {
      cmd.option('--dry-run', 'print the plan and change nothing');
      cmd.option('-y, --yes', 'do not ask for confirmation (for scripts)');
      cmd.option('--backup-dir <dir>', 'where to keep the backup (default: beside the NodeHost dir)');
      cmd.option('--no-backup', 'skip the backup');
    }
    cmd.addHelpText('after', `\nExamples:\n${def.examples.map((e) => `  $ ${e}`).join('\n')}\n`);
    cmd.configureOutput({ writeErr: () => undefined, outputError: () => undefined });
    cmd.action(async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command;
      await run(def, command, command.args);
    });
  }
  return program;
}

export function resolveFormat(opts: Record<string, unknown>): OutputFormat {
  if (opts.json) {
    if (opts.output && opts.output !== 'table' && opts.output !== 'json') throw usageError('--json and --output ndjson contradict each other');
    return 'json';
  }
  return (opts.output as OutputFormat) ?? 'table';
}

/** Commander's own errors (unknown option, missing argument, bad choice) as one-line usage errors. */
export function commanderMessage(err: CommanderError): string {
  return err.message.replace(/^error:\s*/i, '').split('\n')[0];
}
