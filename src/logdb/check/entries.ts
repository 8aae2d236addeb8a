/**
 * The second sweep over a shard: every entry record, plain (`01 01`) then batched (`07 07`), in key order —
 * so each node's records arrive together and in index order, and one LogChecker at a time judges them.
 *
 * Records of the LogDB's own mode make up the nodes' logs. Records of the other mode are foreign: Dragonboat
 * refuses to start on a LogDB holding both (§8.14), so they are counted (node-check.ts reports them) and only
 * checked for decoding.
 */
import { decodeEntry } from '../../codec/colfer.js';
import { decodeEntryBatch } from '../../codec/entry-batch.js';
import { KeyKind, keyKindName } from '../../codec/keys.js';
import type { KVStore } from '../../kv/kv.js';
import type { CheckContext } from './context.js';
import { LogChecker } from './log-check.js';
import type { NodeRecords, NodeTable } from './node-records.js';
import { checkKey } from './records.js';
import { scanRanges, type ScanRanges } from './shard-scan.js';

/** Sweeps the entry ranges of one shard; returns the number of records read. */
export async function sweepEntries(ctx: CheckContext, shard: number, store: KVStore, ranges: ScanRanges, nodes: NodeTable): Promise<number> {
  const ownKind = ctx.mode === 'batched' ? KeyKind.EntryBatch : KeyKind.Entry;
  let read = 0;
  let current: { node: NodeRecords; checker: LogChecker } | undefined;
  const finish = () => {
    if (current) current.node.log = current.checker.finish();
    current = undefined;
  };
  for await (const chunk of scanRanges(store, ranges.entries)) {
    read += chunk.length;
    ctx.progress.advance(chunk.length, `logdb-${shard}`);
    for (const { key, value } of chunk) {
      const k = checkKey(ctx, shard, key);
      if (!k) continue;
      if (k.kind !== ownKind) {
        foreignRecord(ctx, shard, nodes.get(shard, k.clusterId, k.nodeId), k.kind, k.index!, key, value);
        continue;
      }
      if (!current || current.node.clusterId !== k.clusterId || current.node.nodeId !== k.nodeId) {
        finish();
        const node = nodes.get(shard, k.clusterId, k.nodeId);
        current = { node, checker: new LogChecker(ctx, node) };
      }
      if (k.kind === KeyKind.Entry) current.checker.plainRecord(key, k.index!, value);
      else current.checker.batchRecord(key, k.index!, value);
    }
  }
  finish();
  return read;
}

function foreignRecord(ctx: CheckContext, shard: number, node: NodeRecords, kind: KeyKind, index: bigint, key: Buffer, value: Buffer): void {
  node.foreignEntryRecords++;
  try {
    if (kind === KeyKind.Entry) decodeEntry(value);
    else decodeEntryBatch(value);
  } catch (err) {
    ctx.sink.add({
      code: 'undecodable-record',
      severity: 'warning',
      shard,
      clusterId: node.clusterId,
      nodeId: node.nodeId,
      key,
      index,
      message: `a ${keyKindName(kind)} record (${index}) of cluster ${node.clusterId} node ${node.nodeId} does not decode: ${(err as Error).message}; it is of the other entry mode, which Dragonboat does not read`,
      hint: 'see the mixed-entry-modes finding for this node',
    });
  }
}
