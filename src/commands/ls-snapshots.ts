/** logdb ls-snapshots DIR --cluster C --node N — the node's snapshot records, oldest first. */
import type { Snapshot } from '../codec/messages.js';
import { stateMachineTypeName } from '../codec/enums.js';
import { defineCommand } from '../cli/command.js';
import { emitRecords } from '../cli/emit.js';
import { NODE_OPTIONS, parseNodeArgs, requireNode } from '../cli/node-args.js';
import { withReader } from '../cli/open-reader.js';
import { renderTable } from '../cli/table.js';
import { snapshotView } from '../cli/views/snapshot.js';

const COLUMNS = [
  { header: 'INDEX', align: 'right' as const },
  { header: 'TERM', align: 'right' as const },
  { header: 'SIZE', align: 'right' as const },
  { header: 'TYPE' },
  { header: 'MEMBERS' },
  { header: 'FLAGS' },
  { header: 'FILE' },
];

function row(s: Snapshot): string[] {
  const flags = [s.imported && 'imported', s.dummy && 'dummy', s.witness && 'witness', s.files.length && `${s.files.length} external file(s)`, s.onDiskIndex && `on-disk ${s.onDiskIndex}`]
    .filter(Boolean)
    .join(', ');
  const m = s.membership;
  const members = [...m.addresses.keys()].sort((a, b) => (a < b ? -1 : 1)).join(',') || '-';
  return [String(s.index), String(s.term), String(s.fileSize), stateMachineTypeName(s.type).replace(/StateMachine$/, ''), members, flags || '-', s.filepath];
}

export function snapshotRows(snapshots: Snapshot[]): string {
  return renderTable(COLUMNS, snapshots.map(row));
}

export default defineCommand({
  name: 'ls-snapshots',
  summary: "list a node's snapshot records with membership, files and checksum",
  arguments: '<dir>',
  options: NODE_OPTIONS,
  examples: [
    'logdb ls-snapshots /var/lib/dragonboat/nodehost --cluster 5 --node 1',
    'logdb ls-snapshots /var/lib/dragonboat/nodehost -c 5 -n 1 --json | jq ".[-1].filepath"',
  ],
  async run(ctx) {
    const { clusterId, nodeId } = parseNodeArgs(ctx);
    await withReader(ctx, async (reader) => {
      await requireNode(reader, clusterId, nodeId);
      const snapshots = await reader.listSnapshots(clusterId, nodeId);
      emitRecords(ctx.format, snapshots.map(snapshotView), COLUMNS, (i) => row(snapshots[i]), `cluster ${clusterId} node ${nodeId} has no snapshot records`);
    });
  },
});
