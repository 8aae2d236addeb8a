/** The fish completion script: one `complete` line per command, option and argument. */
import type { CompletionModel, WordKind } from './model.js';

const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function values(kind: WordKind): string {
  switch (kind.kind) {
    case 'directory':
      return `-x -a '(__fish_complete_directories)'`;
    case 'file':
      return '-r -F';
    case 'choices':
      return `-x -a ${quote(kind.choices.join(' '))}`;
    case 'free':
      return '-x';
  }
}

export function fishScript(model: CompletionModel): string {
  const p = model.program;
  const names = model.commands.map((c) => c.name).join(' ');
  const lines = [
    `# fish completion for ${p}: save as ~/.config/fish/completions/${p}.fish, or: ${p} completion fish | source`,
    `complete -c ${p} -f`,
    `complete -c ${p} -n "not __fish_seen_subcommand_from ${names}" -s V -l version -d 'output the version number'`,
    ...model.commands.map((c) => `complete -c ${p} -n "not __fish_seen_subcommand_from ${names}" -a ${c.name} -d ${quote(c.summary)}`),
  ];
  for (const c of model.commands) {
    const when = `-n "__fish_seen_subcommand_from ${c.name}"`;
    for (const o of c.options) {
      const short = o.short ? ` -s ${o.short.replace(/^-/, '')}` : '';
      lines.push(`complete -c ${p} ${when}${short} -l ${o.long.replace(/^--/, '')}${o.value ? ` ${values(o.value)}` : ''} -d ${quote(o.description)}`);
    }
    const arg = c.args[0];
    if (arg && arg.kind !== 'free') lines.push(`complete -c ${p} ${when} ${arg.kind === 'directory' ? `-a '(__fish_complete_directories)'` : arg.kind === 'file' ? '-F' : `-a ${quote(arg.choices.join(' '))}`}`);
  }
  return `${lines.join('\n')}\n`;
}
