/**
 * The LogDB half of import-snapshot: Dragonboat's ILogDB.ImportSnapshot(ss, nodeID) (spec §8.13), one batch:
 * delete State, Bootstrap, max index and the snapshot records at or above the imported index; put Bootstrap
 * {join: true, no addresses, type}, State {term: ss.term, vote 0, commit: ss.index}, the snapshot record and
 * max index = ss.index. Entries stay (they become invisible behind the max index).
 * Older snapshot records: v3 keeps them; v4 deletes them in the same batch, because its saveSnapshot keeps one
 * record per node (v4-format.md §1: "older snapshot keys are now also deleted"), so on v4 every existing record
 * of the node goes and the imported one is the only one left.
 */
import { bootstrapKey, maxIndexKey, snapshotKey, stateKey } from '../../codec/keys.js';
import { encodeBootstrap, encodeSnapshot, encodeState, type Snapshot } from '../../codec/messages.js';
import { u64BE } from '../../codec/uint64.js';
import { LogdbError } from '../../errors.js';
import type { WriteOp } from '../../kv/kv.js';
import type { DragonboatVersion } from '../detect-version.js';
import type { LogDBReader } from '../reader.js';
import type { FileStep, WritePlan } from './plan.js';

export async function planImportSnapshot(
  reader: LogDBReader,
  record: Snapshot,
  nodeId: bigint,
  files: FileStep[],
  version: DragonboatVersion | null = null,
): Promise<WritePlan> {
  if (record.type === 0) throw new LogdbError('invalidSnapshot', 'the snapshot record has state machine type UnknownStateMachine (Dragonboat panics on that)');
  const c = record.clusterId;
  const store = await reader.storeFor(c);
  const ops: WriteOp[] = [];
  for (const key of [stateKey(c, nodeId), bootstrapKey(c, nodeId), maxIndexKey(c, nodeId)]) {
    if (await store.get(key)) ops.push({ op: 'delete', key });
  }
  const older: bigint[] = [];
  const dropped: bigint[] = [];
  for (const s of await reader.listSnapshots(c, nodeId)) {
    if (s.index >= record.index || version === 'v4') ops.push({ op: 'delete', key: snapshotKey(c, nodeId, s.index) });
    if (s.index < record.index) (version === 'v4' ? dropped : older).push(s.index);
  }
  ops.push(
    { op: 'put', key: bootstrapKey(c, nodeId), value: encodeBootstrap({ addresses: new Map(), join: true, type: record.type }) },
    { op: 'put', key: stateKey(c, nodeId), value: encodeState({ term: record.term, vote: 0n, commit: record.index }) },
    { op: 'put', key: snapshotKey(c, nodeId, record.index), value: encodeSnapshot(record) },
    { op: 'put', key: maxIndexKey(c, nodeId), value: u64BE(record.index) },
  );
  const notes = older.length
    ? [`older snapshot records (${older.join(', ')}) are kept, as Dragonboat v3 keeps them; their directories are removed`]
    : [];
  if (dropped.length) notes.push(`older snapshot records (${dropped.join(', ')}) are deleted, as Dragonboat v4 keeps one snapshot record per node`);
  return { command: 'import-snapshot', clusterId: c, nodeId, shards: [{ shard: reader.shardOf(c), ops, rangeKeyCounts: [] }], files, notes };
}
