/** `--cluster C --node N`, parsed and checked against the LogDB (a node that is not there is exit code 4). */
import { notFound } from '../errors.js';
import type { LogReader } from '../logdb/log-reader.js';
import { parseId } from './args.js';
import type { OptionDef, RunContext } from './command.js';

export const NODE_OPTIONS: OptionDef[] = [
  { flags: '-c, --cluster <id>', description: 'cluster ID (uint64)' },
  { flags: '-n, --node <id>', description: 'node ID (uint64)' },
];

export function parseNodeArgs(ctx: RunContext): { clusterId: bigint; nodeId: bigint } {
  return { clusterId: parseId(ctx.opts.cluster, 'cluster ID', '--cluster'), nodeId: parseId(ctx.opts.node, 'node ID', '--node') };
}

export async function requireNode(reader: LogReader, c: bigint, n: bigint): Promise<void> {
  if (await reader.nodeExists(c, n)) return;
  throw notFound(`no node with cluster ${c} and node ${n} in this LogDB (shard logdb-${reader.shardOf(c)})`, 'list the nodes with `logdb ls-nodes DIR`');
}
