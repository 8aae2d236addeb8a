/**
 * A write, planned before it is applied: per shard, the exact operations of its one atomic batch, and the file
 * work around it (snapshot directories). `--dry-run` prints the plan; applying runs exactly it. The plan is made
 * twice — once by the read-only reader before anything is touched, once from the opened shard just before the
 * write — and the two must agree, so what the operator confirmed is what happens.
 */
import { decodeKey, keyKindName } from '../../codec/keys.js';
import type { WriteOp } from '../../kv/kv.js';

export interface ShardPlan {
  shard: number;
  /** the batch, in order: deletes first, then puts (as Dragonboat builds its batches) */
  ops: WriteOp[];
  /** how many stored keys each deleteRange covers (same order as the deleteRange ops), for the plan display */
  rangeKeyCounts: number[];
}

export type FileStep =
  | { step: 'removeDir'; path: string; when: 'before' | 'after' }
  | { step: 'copyFile'; from: string; to: string; bytes: bigint; when: 'before' }
  | { step: 'finalizeSnapshot'; from: string; to: string; when: 'before' }
  | { step: 'writeFlagFile'; path: string; when: 'after' };

export interface WritePlan {
  command: string;
  clusterId: bigint | null;
  nodeId: bigint | null;
  shards: ShardPlan[];
  files: FileStep[];
  /** facts worth saying before the operator confirms (e.g. "index 300 is above the newest snapshot") */
  notes: string[];
}

/** A stable text form of a shard's operations, to check that the re-made plan is the confirmed one. */
export function planFingerprint(plan: WritePlan): string {
  return JSON.stringify(
    plan.shards.map((s) => [
      s.shard,
      s.rangeKeyCounts,
      s.ops.map((op) => (op.op === 'put' ? ['p', op.key.toString('hex'), op.value.toString('hex')] : op.op === 'delete' ? ['d', op.key.toString('hex')] : ['r', op.start.toString('hex'), op.end.toString('hex')])),
    ]),
  );
}

export function describeKey(key: Buffer): string {
  try {
    const k = decodeKey(key);
    const base = `${keyKindName(k.kind)} ${k.clusterId}/${k.nodeId}`;
    return k.index !== undefined ? `${base} #${k.index}` : base;
  } catch {
    return key.toString('hex');
  }
}

export function opCounts(plan: WritePlan): { puts: number; deletes: number; rangeDeletes: number; keysInRanges: number } {
  let puts = 0;
  let deletes = 0;
  let rangeDeletes = 0;
  let keysInRanges = 0;
  for (const s of plan.shards) {
    for (const op of s.ops) {
      if (op.op === 'put') puts++;
      else if (op.op === 'delete') deletes++;
      else rangeDeletes++;
    }
    keysInRanges += s.rangeKeyCounts.reduce((a, b) => a + b, 0);
  }
  return { puts, deletes, rangeDeletes, keysInRanges };
}

/** One line of a plan's file work, as the plan shows it. */
export function describeFileStep(f: FileStep): string {
  if (f.step === 'removeDir') return `remove dir ${f.path}`;
  if (f.step === 'copyFile') return `copy       ${f.from} -> ${f.to} (${f.bytes} bytes)`;
  if (f.step === 'finalizeSnapshot') return `finalize   ${f.from} -> ${f.to}`;
  return `write      ${f.path}`;
}
