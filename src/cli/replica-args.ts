/**
 * What `diff`, `collect` and `recover-plan` share: several NodeHost dirs opened for reading (and always closed,
 * also on Ctrl-C), `--cluster C`, and `--node` given as a list (`--node 2 3`, `--node 2 --node 3`, `--node 2,3`).
 */
import { usageError } from '../errors.js';
import { closeSources, openSources, type ReplicaSource } from '../replicas/replica.js';
import { parseId } from './args.js';
import type { OptionDef, RunContext } from './command.js';
import { warn } from './report-error.js';

export const CLUSTER_OPTION: OptionDef = { flags: '-c, --cluster <id>', description: 'cluster ID (uint64)' };
export const NODES_OPTION: OptionDef = { flags: '-n, --node <ids...>', description: 'only these node IDs (repeat the option, or list them: 2,3)' };

export function parseNodeList(value: unknown): bigint[] | undefined {
  if (value === undefined) return undefined;
  const words = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((w) => w.trim()).filter(Boolean);
  if (!words.length) throw usageError('--node: no node ID given');
  const ids = words.map((w) => parseId(w, 'node ID', '--node'));
  return [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** --wal-dir names one NodeHost's WALDir, so it only makes sense with one dir. */
export function walDirFor(ctx: RunContext, dirs: string[]): string | undefined {
  if (ctx.opts.walDir !== undefined && dirs.length > 1) {
    throw usageError('--wal-dir applies to one NodeHost dir, and several were given', 'compare a NodeHost with a WALDir on its own, or collect its facts with `logdb collect DIR --wal-dir W` first');
  }
  return ctx.opts.walDir;
}

export async function withSources<T>(ctx: RunContext, dirs: string[], fn: (sources: ReplicaSource[]) => Promise<T>): Promise<T> {
  const sources = openSources(dirs, walDirFor(ctx, dirs));
  const closeOnSignal = () => {
    void closeSources(sources).finally(() => process.exit(130));
  };
  process.once('SIGINT', closeOnSignal);
  process.once('SIGTERM', closeOnSignal);
  try {
    return await fn(sources);
  } finally {
    process.off('SIGINT', closeOnSignal);
    process.off('SIGTERM', closeOnSignal);
    await closeSources(sources);
  }
}
