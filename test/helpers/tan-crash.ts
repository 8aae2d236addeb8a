/** Killing tan writes and reading what they left (tan-crash, tan-import-pending). */
import { spawn } from 'node:child_process';
import { CRASH_ENV } from '../../src/kv/pebble/writer-crash-points.js';
import { cliJson, cliNdjson, cliPath, runCli } from './cli.js';
import type { TanOp } from './tan-ops.js';

/** The cluster an operation changes: its -c, or the imported snapshot's cluster. */
export const clusterOf = (op: TanOp, dir: string): string => {
  const args = op.args(dir, '');
  const c = args.indexOf('-c');
  return c >= 0 ? args[c + 1]! : op.imported!.clusterId;
};

/** Runs the CLI with the test-only crash point `step` armed (src/tan/write/crash-points.ts). */
export function runWithCrash(args: string[], step: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: 'ignore', env: { ...process.env, [CRASH_ENV]: step } });
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
}

/**
 * What the read commands say, with the copy's own path masked: ls-nodes and stats for every node, and dump-state,
 * ls-snapshots and dump-entries for the nodes of `clusterId` — a tan write touches only that node's own tan db
 * (one per node), and the listings and counts would show a change to any other.
 */
export async function readState(nodehost: string, clusterId: string): Promise<string> {
  const nodes = await cliJson<any[]>(['ls-nodes', nodehost]);
  // stats shows what a compaction record hides (what compact would still reclaim)
  const stats = await cliJson<any>(['stats', nodehost, '--output', 'json']);
  const parts: unknown[] = [nodes, stats.nodes];
  for (const n of nodes.filter((node) => node.clusterId === clusterId)) {
    const args = ['--cluster', n.clusterId, '--node', n.nodeId];
    parts.push(await cliJson(['dump-state', nodehost, ...args]), await cliJson(['ls-snapshots', nodehost, ...args]), await cliNdjson(['dump-entries', nodehost, ...args]));
  }
  return JSON.stringify(parts).split(nodehost).join('<nodehost>');
}

/** check's tan-* findings (but the info that a node was removed): none on a healthy dir. */
export async function tanFindings(nodehost: string): Promise<{ code: string; severity: string; clusterId: string; nodeId: string }[]> {
  const r = await runCli(['check', nodehost, '--output', 'json']);
  return JSON.parse(r.stdout).findings.filter((f: any) => f.code.startsWith('tan-') && f.code !== 'tan-removed-node');
}
