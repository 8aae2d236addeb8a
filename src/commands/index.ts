/**
 * Every command, in the order `logdb --help` lists them. Each is loaded only when it runs (or when all are
 * listed): a command's module pulls in its whole storage stack, and a CLI pays for every module it loads.
 */
import type { CommandDef } from '../cli/command.js';

const loaders: Record<string, () => Promise<{ default: CommandDef }>> = {
  info: () => import('./info.js'),
  'ls-nodes': () => import('./ls-nodes.js'),
  'dump-state': () => import('./dump-state.js'),
  'dump-entries': () => import('./dump-entries.js'),
  'ls-snapshots': () => import('./ls-snapshots.js'),
  'show-snapshot': () => import('./show-snapshot.js'),
  check: () => import('./check.js'),
  stats: () => import('./stats.js'),
  diff: () => import('./diff.js'),
  collect: () => import('./collect.js'),
  'recover-plan': () => import('./recover-plan.js'),
  'import-snapshot': () => import('./import-snapshot.js'),
  'remove-node': () => import('./remove-node.js'),
  compact: () => import('./compact.js'),
  'restore-backup': () => import('./restore-backup.js'),
  completion: () => import('./completion.js'),
};

export const commandNames = Object.keys(loaders);

/** The named commands (all of them by default), in listing order. */
export async function loadCommands(names: string[] = commandNames): Promise<CommandDef[]> {
  return Promise.all(names.map(async (name) => (await loaders[name]()).default));
}
