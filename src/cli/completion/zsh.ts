/** The zsh completion script: native _arguments specs, usable from fpath (#compdef) or sourced. */
import type { CompletionModel, WordKind } from './model.js';

/** Text inside a single-quoted _arguments spec: no quotes, brackets or colons of its own. */
const clean = (text: string) => text.replace(/'/g, '’').replace(/\[/g, '(').replace(/\]/g, ')').replace(/:/g, '\\:');

function action(kind: WordKind): string {
  switch (kind.kind) {
    case 'directory':
      return '_files -/';
    case 'file':
      return '_files';
    case 'choices':
      return `(${kind.choices.join(' ')})`;
    case 'free':
      return ' ';
  }
}

export function zshScript(model: CompletionModel): string {
  const fn = `_${model.program.replace(/[^a-zA-Z0-9_]/g, '_')}`;
  const described = model.commands.map((c) => `    '${c.name}:${clean(c.summary)}'`);
  const cases = model.commands.map((c) => {
    const specs = c.options.map((o) => {
      const names = o.short ? `'(${o.short} ${o.long})'{${o.short},${o.long}}` : `'${o.long}`;
      const open = o.short ? `'` : '';
      const value = o.value ? `:${o.long.replace(/^--/, '')}:${action(o.value)}` : '';
      return `        ${names}${open}[${clean(o.description)}]${value}'`;
    });
    const args = c.args.map((kind, i) => `        '${c.variadic && i === c.args.length - 1 ? '*' : String(i + 1)}:argument:${action(kind)}'`);
    return [`      ${c.name})`, `        _arguments \\`, [...specs, ...args].join(' \\\n'), `        ;;`].join('\n');
  });
  return `#compdef ${model.program}
# zsh completion for ${model.program}: put it in a directory of $fpath as _${model.program}, or: source <(${model.program} completion zsh)
${fn}() {
  local curcontext="$curcontext" state line
  typeset -A opt_args
  _arguments -C '(- *)'{-h,--help}'[display help]' '(- *)'{-V,--version}'[output the version number]' '1: :->command' '*:: :->args' && return
  case $state in
    command)
      local -a commands
      commands=(
${described.join('\n')}
      )
      _describe -t commands 'logdb command' commands
      ;;
    args)
      case $line[1] in
${cases.join('\n')}
      esac
      ;;
  esac
}
if [[ "\${funcstack[1]}" == "${fn}" ]]; then ${fn} "$@"; else compdef ${fn} ${model.program}; fi
`;
}
