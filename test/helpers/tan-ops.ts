/** The tan-v4/ops operations and how their results are compared with v4's own after dirs (tan-writes, tan-crash). */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { decodeFlagFile } from '../../src/codec/flag-file.js';
import { decodeSnapshot } from '../../src/codec/messages.js';
import { toJson } from '../../src/cli/json.js';
import { readJson } from './fixtures.js';

export interface TanOp {
  name: string;
  after: string;
  args(dir: string, nodehost: string): string[];
  /** the node whose snapshot record the operation writes (import) */
  imported?: { clusterId: string; nodeId: string };
}

/** The operations as op.json / import.json describe them (IDs and members read from there, not assumed). */
export function tanOps(dir: string): TanOp[] {
  const remove = readJson(join(dir, 'remove-plain/op.json'));
  const compact = readJson(join(dir, 'compact-plain/op.json'));
  const imp = readJson(join(dir, 'import/import.json'));
  const members = imp.memberNodeOrder.map((id: string) => `${id}=${imp.memberNodes[id]}`).join(',');
  return [
    { name: 'remove-node', after: 'remove-plain/after', args: (_d, nh) => ['remove-node', nh, '-c', remove.clusterID, '-n', remove.nodeID] },
    { name: 'compact', after: 'compact-plain/after', args: (_d, nh) => ['compact', nh, '-c', compact.clusterID, '-n', compact.nodeID, '--to', compact.index] },
    { name: 'import-snapshot', after: 'import/after', imported: { clusterId: imp.clusterID, nodeId: imp.nodeID }, args: (d, nh) => ['import-snapshot', nh, '-s', join(d, imp.srcDirShippedAs.replace(/^ops\//, '')), '-n', imp.nodeID, '-m', members] },
  ];
}

/** Where the NodeHost that wrote the after dirs had its dir: its snapshot records name paths under it. */
export const recordedNodeHostDir = (dir: string) => readJson(join(dir, 'import/import.json')).nodeHostConfig.NodeHostDir as string;

/** Every file under the snapshot-part-* dirs: size and sha256; flag files decoded with the NodeHost path masked. */
export function snapshotTree(nodehost: string, recorded: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = relative(nodehost, path);
      if (statSync(path).isDirectory()) {
        if (name !== 'tandb') walk(path);
        continue;
      }
      if (!rel.includes('snapshot-part-')) continue;
      const bytes = readFileSync(path);
      out[rel] = name === 'dragonboat.snapshot.message' || name === 'snapshot.metadata'
        ? JSON.stringify(toJson(decodeSnapshot(decodeFlagFile(bytes)))).split(nodehost).join(recorded)
        : `${bytes.length} ${createHash('sha256').update(bytes).digest('hex')}`;
    }
  };
  walk(nodehost);
  return out;
}

/**
 * expected.json with the recorded NodeHost dir replaced by ours in the records an import writes (their absolute
 * paths name where the snapshot was imported); every other record keeps the path it had.
 */
export function expectedAt(afterDir: string, recorded: string, nodehost: string, imported?: { clusterId: string; nodeId: string }): any {
  const expected = readJson(join(afterDir, 'expected.json'));
  if (!imported) return expected;
  expected.nodes = expected.nodes.map((n: any) =>
    n.clusterId === imported.clusterId && n.nodeId === imported.nodeId ? JSON.parse(JSON.stringify(n).split(recorded).join(nodehost)) : n,
  );
  return expected;
}

