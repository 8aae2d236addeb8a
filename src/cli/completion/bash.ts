/** The bash completion script: one function, a case per command (bash-completion's style, no dependency on it). */
import type { CompletionModel, WordKind } from './model.js';

const words = (list: string[]) => list.join(' ');

/** The COMPREPLY line for a word of this kind. */
function reply(kind: WordKind): string {
  switch (kind.kind) {
    case 'directory':
      return 'compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -d -- "$cur") )';
    case 'file':
      return 'compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -f -- "$cur") )';
    case 'choices':
      return `COMPREPLY=( $(compgen -W "${words(kind.choices)}" -- "$cur") )`;
    case 'free':
      return 'COMPREPLY=()';
  }
}

export function bashScript(model: CompletionModel): string {
  const fn = `_${model.program.replace(/[^a-zA-Z0-9_]/g, '_')}`;
  const commandCases = model.commands.map((c) => {
    const valueCases = c.options
      .filter((o) => o.value)
      .map((o) => `        ${[o.short, o.long].filter(Boolean).join('|')}) ${reply(o.value!)}; return ;;`);
    const optionWords = c.options.flatMap((o) => [o.long, ...(o.short ? [o.short] : [])]);
    const lastArg = c.variadic ? c.args.at(-1) : undefined;
    const argCases = c.args.map((kind, i) => `        ${i}) ${reply(kind)} ;;`);
    return [
      `    ${c.name})`,
      `      case "$prev" in`,
      ...valueCases,
      `      esac`,
      `      if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W "${words(optionWords)}" -- "$cur") ); return; fi`,
      `      case "$argn" in`,
      ...argCases,
      `        *) ${lastArg ? reply(lastArg) : 'COMPREPLY=()'} ;;`,
      `      esac`,
      `      ;;`,
    ].join('\n');
  });
  const valueOptions = [...new Set(model.commands.flatMap((c) => c.options.filter((o) => o.value).flatMap((o) => [o.long, ...(o.short ? [o.short] : [])])))];
  return `# bash completion for ${model.program}; load it with:  source <(${model.program} completion bash)
${fn}() {
  local cur prev cmd="" argn=0 i word
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  # the command is the first word that is not an option; positional arguments are counted after it
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$word" in
      ${valueOptions.join('|')}) i=$((i + 1)) ;;
      -*) ;;
      *) if [[ -z "$cmd" ]]; then cmd="$word"; else argn=$((argn + 1)); fi ;;
    esac
  done
  if [[ -z "$cmd" ]]; then
    COMPREPLY=( $(compgen -W "${words(model.commands.map((c) => c.name))} --help --version" -- "$cur") )
    return
  fi
  case "$cmd" in
${commandCases.join('\n')}
  esac
}
complete -F ${fn} ${model.program}
`;
}
