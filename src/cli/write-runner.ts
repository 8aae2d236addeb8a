/**
 * The one path every write command takes, so the safety rules are written once:
 *   1. find the LogDB; refuse backends we cannot write;
 *   2. take the NodeHost lock and check the shard locks (refuse while Dragonboat runs) — even for --dry-run —
 *      then the shards' own preconditions (Pebble, RocksDB: verified format, no torn WAL; src/kv/pebble/writer-inspect.ts);
 *   3. plan with the read-only reader (nothing touched yet) and show the plan; --dry-run stops here;
 *   4. confirm (a terminal, or --yes);
 *   5. back up what will change (unless --no-backup): the shard dirs, their WAL dirs, the snapshot dirs;
 *   6. open the shards in place, re-plan, and refuse if the plan changed;
 *   7. file work that must precede the batch, the one synced batch per shard, then the file work after it.
 */
import { LogdbError } from '../errors.js';
import { createBackup, defaultBackupRoot } from '../logdb/backup.js';
import { discoverLayout, type Layout } from '../logdb/layout.js';
import { lockForWrite } from '../logdb/locks.js';
import { LogDBReader } from '../logdb/reader.js';
import { checkShardWritable, translateStoreError } from '../logdb/shards.js';
import { describeFileStep, describeKey, opCounts, planFingerprint, type WritePlan } from '../logdb/write/plan.js';
import { stdoutColour } from './colour.js';
import type { RunContext } from './command.js';
import { confirm } from './confirm.js';
import { stringifyJson } from './json.js';
import { progress } from './progress.js';
import { runTanWrite, type TanPlan, type TanWriteSpec } from './tan-write-runner.js';
import { out } from './stdout.js';

export interface WriteSpec<P extends WritePlan> {
  /** the shards the write touches, known before planning (for the lock check) */
  shards(reader: LogDBReader): number[];
  plan(reader: LogDBReader): Promise<P>;
  /** what the operator is asked to confirm, naming the cluster and node */
  question(plan: P): string;
  /** directories to back up besides the affected shards (snapshot dirs) */
  backupDirs?(plan: P): string[];
  /** measurements before the shards are opened for writing (sizes); merged into the result */
  beforeOpen?(plan: P, layout: Layout): Record<string, unknown>;
  /** file work before the batch (staging an imported snapshot) */
  beforeBatch?(plan: P): Promise<void>;
  /** file work and compaction after the batch; returns extra result fields */
  afterBatch?(plan: P, writer: LogDBReader): Promise<Record<string, unknown> | void>;
  /** extra result fields for the dry run (e.g. sizes before) */
  dryRunExtra?(plan: P, reader: LogDBReader): Promise<Record<string, unknown> | void>;
  /** the same write on a v4 tan LogDB (src/tan/write/); without it the command refuses tan (exit 8) */
  tan?: TanWriteSpec<TanPlan>;
  /** why a command without `tan` cannot run there */
  tanRefusal?: string;
}

export function requireWritableLayout(layout: Layout, shards: number[]): void {
  if (!layout.nodeHostDir || !layout.dataStatus) {
    throw new LogdbError('usage', 'write commands need the NodeHost directory (the one holding dragonboat.ds and LOCK)', 'give the NodeHost dir, not a shard or deployment dir');
  }
  for (const index of shards) {
    const shard = layout.shards.find((s) => s.index === index);
    if (!shard) throw new LogdbError('notLogdb', `shard logdb-${index} is missing from ${layout.deploymentDir}`);
  }
}

/** The shards' own preconditions for a write, checked under the locks, before anything is planned or changed. */
async function requireWritableShards(layout: Layout, shards: number[]): Promise<void> {
  for (const index of shards) {
    const shard = layout.shards.find((s) => s.index === index)!;
    try {
      await checkShardWritable(shard);
    } catch (err) {
      throw translateStoreError(err, shard);
    }
  }
}

export async function runWrite<P extends WritePlan>(ctx: RunContext, spec: WriteSpec<P>): Promise<void> {
  const layout = discoverLayout(ctx.args[0], { walDir: ctx.opts.walDir });
  if (layout.tanDir) {
    if (!spec.tan) throw new LogdbError('unsupported', spec.tanRefusal ?? 'this write is not supported on a tan LogDB', 'nothing was changed');
    return runTanWrite(ctx, layout, spec.tan);
  }
  const planner = new LogDBReader(layout, 'read');
  const shards = spec.shards(planner);
  requireWritableLayout(layout, shards);
  const locks = await lockForWrite(layout, shards);
  let writer: LogDBReader | undefined;
  try {
    await requireWritableShards(layout, shards);
    let plan: P;
    let extra: Record<string, unknown> | void = undefined;
    try {
      plan = await spec.plan(planner);
      if (ctx.opts.dryRun) extra = await spec.dryRunExtra?.(plan, planner);
    } finally {
      await planner.close();
    }
    if (ctx.opts.dryRun) {
      printResult(ctx, plan, { dryRun: true, applied: false, backup: null, ...extra });
      return;
    }
    if (ctx.format === 'table') out(renderPlan(plan));
    await confirm(spec.question(plan), { yes: ctx.opts.yes, interactive: ctx.interactive });

    let backup: string | null = null;
    if (ctx.opts.backup !== false) {
      const shardDirs = plan.shards.flatMap((s) => {
        const l = layout.shards.find((l) => l.index === s.shard)!;
        return l.walDir !== l.dir ? [l.dir, l.walDir] : [l.dir];
      });
      const dirs = [...new Set([...shardDirs, ...(spec.backupDirs?.(plan) ?? [])])];
      const p = progress('backing up', ' bytes');
      let saved = 0;
      backup = createBackup(ctx.opts.backupDir ?? defaultBackupRoot(layout.nodeHostDir!), plan.command, layout.nodeHostDir, dirs, (bytes) => p.update((saved += bytes)));
      p.finish();
      process.stderr.write(`backup: ${backup}\n`);
    }

    const before = spec.beforeOpen?.(plan, layout);
    writer = new LogDBReader(layout, 'write');
    const replan = await spec.plan(writer);
    if (planFingerprint(replan) !== planFingerprint(plan)) {
      throw new LogdbError('failure', 'the LogDB changed between planning and writing; nothing was written', 'run the command again');
    }
    await spec.beforeBatch?.(plan);
    for (const s of plan.shards) {
      if (!s.ops.length) continue;
      const store = await writer.shards.store(s.shard);
      const p = progress(`writing logdb-${s.shard}`, ' keys');
      const total = s.rangeKeyCounts.reduce((a, b) => a + b, 0);
      try {
        await store.write(s.ops, { onKeys: (keys) => p.update(keys, total) });
      } catch (err) {
        throw translateStoreError(err, writer.shards.location(s.shard));
      } finally {
        p.finish();
      }
    }
    const after = await spec.afterBatch?.(plan, writer);
    printResult(ctx, plan, { dryRun: false, applied: true, backup, ...before, ...after });
  } finally {
    await writer?.close();
    await locks.release();
  }
}

function opView(op: WritePlan['shards'][number]['ops'][number], keys: number | undefined) {
  if (op.op === 'put') return { op: 'put', key: op.key.toString('base64'), record: describeKey(op.key), valueBytes: op.value.length };
  if (op.op === 'delete') return { op: 'delete', key: op.key.toString('base64'), record: describeKey(op.key) };
  return { op: 'deleteRange', start: op.start.toString('base64'), end: op.end.toString('base64'), record: `${describeKey(op.start)} .. ${describeKey(op.end)} (end exclusive)`, keys };
}

function planView(plan: WritePlan) {
  return {
    command: plan.command,
    clusterId: plan.clusterId,
    nodeId: plan.nodeId,
    shards: plan.shards.map((s) => {
      let r = 0;
      return { shard: s.shard, batch: s.ops.map((op) => opView(op, op.op === 'deleteRange' ? s.rangeKeyCounts[r++] : undefined)) };
    }),
    files: plan.files,
    notes: plan.notes,
  };
}

export function renderPlan(plan: WritePlan): string {
  const lines: string[] = [];
  const who = plan.clusterId !== null ? ` cluster ${plan.clusterId} node ${plan.nodeId}` : '';
  lines.push(stdoutColour.bold(`Plan: ${plan.command}${who}`));
  for (const s of plan.shards) {
    lines.push(`  logdb-${s.shard}: one synced batch of ${s.ops.length} operation${s.ops.length === 1 ? '' : 's'}`);
    let r = 0;
    for (const op of s.ops) {
      const v = opView(op, op.op === 'deleteRange' ? s.rangeKeyCounts[r++] : undefined);
      const tag = v.op === 'put' ? stdoutColour.green('put   ') : stdoutColour.red(v.op === 'delete' ? 'delete' : 'delete');
      lines.push(`    ${tag} ${v.record}${v.op === 'deleteRange' ? `, ${v.keys} stored key${v.keys === 1 ? '' : 's'}` : ''}${v.op === 'put' ? ` (${v.valueBytes} bytes)` : ''}`);
    }
  }
  if (plan.files.length) {
    lines.push('  files:');
    for (const f of plan.files) lines.push(`    ${describeFileStep(f)}`);
  }
  for (const note of plan.notes) lines.push(`  note: ${note}`);
  const c = opCounts(plan);
  lines.push(`  total: ${c.puts} put, ${c.deletes} delete, ${c.rangeDeletes} range delete covering ${c.keysInRanges} key${c.keysInRanges === 1 ? '' : 's'}`);
  return lines.join('\n') + '\n';
}

function printResult(ctx: RunContext, plan: WritePlan, result: Record<string, unknown>): void {
  if (ctx.format === 'table') {
    if (result.dryRun) out(renderPlan(plan) + 'dry run: nothing was changed\n');
    else {
      const extras = Object.entries(result).filter(([k]) => !['dryRun', 'applied', 'backup'].includes(k));
      for (const [k, v] of extras) out(`${k}: ${typeof v === 'object' ? stringifyJson(v, false) : String(v)}\n`);
      out(`done${result.backup ? `; backup in ${result.backup} (undo with: logdb restore-backup ${result.backup})` : ' (no backup)'}\n`);
    }
    return;
  }
  out(stringifyJson({ ...planView(plan), ...result }, ctx.format === 'json') + '\n');
}
