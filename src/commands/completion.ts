/** logdb completion bash|zsh|fish — prints a shell completion script generated from the commands themselves. */
import { defineCommand } from '../cli/command.js';
import { completionModel } from '../cli/completion/model.js';
import { bashScript } from '../cli/completion/bash.js';
import { fishScript } from '../cli/completion/fish.js';
import { zshScript } from '../cli/completion/zsh.js';
import { buildProgram } from '../cli/program.js';
import { out } from '../cli/stdout.js';
import { commandNames, loadCommands } from './index.js';

const SHELLS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;

export default defineCommand({
  name: 'completion',
  summary: 'print a shell completion script (bash, zsh or fish)',
  arguments: '<shell>',
  argumentChoices: { shell: Object.keys(SHELLS) },
  options: [],
  examples: [
    'logdb completion bash > /etc/bash_completion.d/logdb   # every new bash',
    'source <(logdb completion bash)                        # now, in this bash',
    'logdb completion zsh > "${fpath[1]}/_logdb"            # zsh (then: compinit)',
    'logdb completion fish > ~/.config/fish/completions/logdb.fish',
  ],
  async run(ctx) {
    const script = SHELLS[ctx.args[0] as keyof typeof SHELLS];
    const commands = await loadCommands(commandNames);
    const program = buildProgram(commands, '', async () => undefined);
    out(script(completionModel(program)));
  },
});
