/**
 * What a command file declares (after npm's lib/commands): its name, arguments, options, examples and a run
 * function. Everything shared — output format, colour, WAL dir, errors and exit codes — lives in src/cli.
 */
export type OutputFormat = 'table' | 'json' | 'ndjson';
export const OUTPUT_FORMATS: OutputFormat[] = ['table', 'json', 'ndjson'];

export interface OptionDef {
  flags: string;
  description: string;
  defaultValue?: string | boolean;
}

export interface RunContext {
  /** positional arguments in declaration order */
  args: string[];
  /** parsed options (commander's camelCase names) */
  opts: Record<string, any>;
  format: OutputFormat;
  /** stdin and stderr are terminals: prompts and progress are possible */
  interactive: boolean;
}

export interface CommandDef {
  name: string;
  summary: string;
  /** positional arguments in commander syntax, e.g. '<dir>' */
  arguments: string;
  /** the only values a positional argument (by name, e.g. 'shell') accepts */
  argumentChoices?: Record<string, string[]>;
  options: OptionDef[];
  /** shown under "Examples:" in --help and in the man page */
  examples: string[];
  /** whether the command writes (adds --dry-run, --yes, --backup-dir, --no-backup) */
  writes?: boolean;
  run(ctx: RunContext): Promise<void>;
}

export function defineCommand(def: CommandDef): CommandDef {
  return def;
}
