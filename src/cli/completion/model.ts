/**
 * What shell completion needs to know of the CLI, read off the commander program itself (so every command and
 * option — shared ones included — is there without a second list to keep in step): command names and summaries,
 * each option's spellings, and what kind of word each value or positional argument is.
 */
import type { Command } from 'commander';

/** What to offer for a word: nothing in particular, a directory, any file, or one of fixed choices. */
export type WordKind = { kind: 'free' } | { kind: 'directory' } | { kind: 'file' } | { kind: 'choices'; choices: string[] };

export interface CompletionOption {
  short?: string;
  long: string;
  description: string;
  /** undefined when the option is a flag that takes no value */
  value?: WordKind;
}

export interface CompletionCommand {
  name: string;
  summary: string;
  options: CompletionOption[];
  /** what the positional arguments are */
  args: WordKind[];
  /** the last positional argument takes any number of words */
  variadic: boolean;
}

export interface CompletionModel {
  program: string;
  commands: CompletionCommand[];
}

/** A value named <dir>, <nodehost-dir>, <file>, <path> … says what it is; choices beat names. */
function kindOf(valueName: string, choices: readonly string[] | undefined): WordKind {
  if (choices && choices.length > 0) return { kind: 'choices', choices: [...choices] };
  const name = valueName.toLowerCase();
  if (/dir/.test(name)) return { kind: 'directory' };
  if (/file|path|proto|module|snapshot/.test(name)) return { kind: 'file' };
  return { kind: 'free' };
}

const valueNameOf = (flags: string) => /[<[]([^>\]]+)[>\]]/.exec(flags)?.[1] ?? '';

export function completionModel(program: Command): CompletionModel {
  const commands: CompletionCommand[] = program.commands.map((cmd) => ({
    name: cmd.name(),
    summary: cmd.description(),
    options: [
      ...cmd.options.map((o) => ({
        short: o.short,
        long: o.long ?? o.short ?? '',
        description: o.description,
        value: o.required || o.optional ? kindOf(valueNameOf(o.flags), o.argChoices) : undefined,
      })),
      { short: '-h', long: '--help', description: 'display help for command' },
    ],
    args: cmd.registeredArguments.map((a) => kindOf(a.name(), a.argChoices)),
    variadic: cmd.registeredArguments.at(-1)?.variadic ?? false,
  }));
  const names = commands.map((c) => c.name);
  commands.push({ name: 'help', summary: 'show help for a command', options: [], args: [{ kind: 'choices', choices: names }], variadic: false });
  return { program: program.name(), commands };
}
