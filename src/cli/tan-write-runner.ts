/**
 * The safety path of write-runner.ts for a v4 tan LogDB (src/tan/write/), step for step: lock (the NodeHost LOCK
 * held, tandb/LOCK tested) even for --dry-run, plan from the files as they are, show it, stop on --dry-run, confirm
 * (a terminal or --yes), back up the node's tan db, the bootstrap dir and the snapshot dirs, re-plan and refuse if
 * anything changed, then apply (src/tan/write/apply.ts) and the file work after it.
 */
import { LogdbError } from '../errors.js';
import { createBackup, defaultBackupRoot } from '../logdb/backup.js';
import type { Layout } from '../logdb/layout.js';
import { lockForWrite } from '../logdb/locks.js';
import { describeFileStep, type WritePlan } from '../logdb/write/plan.js';
import { TanReader } from '../tan/reader.js';
import { applyTanChange } from '../tan/write/apply.js';
import { describeChange, type TanChange } from '../tan/write/change.js';
import { stdoutColour } from './colour.js';
import type { RunContext } from './command.js';
import { confirm } from './confirm.js';
import { stringifyJson } from './json.js';
import { out } from './stdout.js';
import { dirname } from 'node:path';

export interface TanPlan extends WritePlan {
  tan: TanChange;
}

export interface TanWriteSpec<P extends TanPlan> {
  plan(reader: TanReader): Promise<P>;
  question(plan: P): string;
  /** directories to back up besides the node's tan db and the bootstrap dir (snapshot dirs) */
  backupDirs?(plan: P): string[];
  beforeApply?(plan: P): Promise<void>;
  afterApply?(plan: P): Promise<Record<string, unknown> | void>;
}

/** A plan's stable text form, to compare the confirmed plan with the one re-made just before writing. */
function fingerprint(plan: TanPlan): string {
  const t = plan.tan;
  return stringifyJson([describeChange(t), t.newLog.records.map((r) => r.toString('hex')), plan.files], false);
}

export async function runTanWrite<P extends TanPlan>(ctx: RunContext, layout: Layout, spec: TanWriteSpec<P>): Promise<void> {
  if (!layout.nodeHostDir || !layout.dataStatus) {
    throw new LogdbError('usage', 'write commands need the NodeHost directory (the one holding dragonboat.ds and LOCK)', 'give the NodeHost dir, not a deployment or tandb dir');
  }
  const locks = await lockForWrite(layout, []);
  try {
    const plan = await spec.plan(await TanReader.open(layout));
    if (ctx.opts.dryRun) {
      printResult(ctx, plan, { dryRun: true, applied: false, backup: null });
      return;
    }
    if (ctx.format === 'table') out(renderTanPlan(plan));
    await confirm(spec.question(plan), { yes: ctx.opts.yes, interactive: ctx.interactive });
    let backup: string | null = null;
    if (ctx.opts.backup !== false) {
      const dirs = [...new Set([plan.tan.nodeDir, dirname(plan.tan.bootstrap.path), ...(spec.backupDirs?.(plan) ?? [])])];
      backup = createBackup(ctx.opts.backupDir ?? defaultBackupRoot(layout.nodeHostDir), plan.command, layout.nodeHostDir, dirs);
      process.stderr.write(`backup: ${backup}\n`);
    }
    const replan = await spec.plan(await TanReader.open(layout));
    if (fingerprint(replan) !== fingerprint(plan)) {
      throw new LogdbError('failure', 'the LogDB changed between planning and writing; nothing was written', 'run the command again');
    }
    const reader = await TanReader.open(layout);
    await spec.beforeApply?.(plan);
    applyTanChange(plan.tan, reader.checksum);
    const after = await spec.afterApply?.(plan);
    printResult(ctx, plan, { dryRun: false, applied: true, backup, ...after });
  } finally {
    await locks.release();
  }
}

function renderTanPlan(plan: TanPlan): string {
  const lines = [stdoutColour.bold(`Plan: ${plan.command} cluster ${plan.clusterId} node ${plan.nodeId} (tan)`)];
  for (const step of describeChange(plan.tan)) lines.push(`  ${step}`);
  for (const f of plan.files) lines.push(`  ${describeFileStep(f)}`);
  for (const note of plan.notes) lines.push(`  note: ${note}`);
  return lines.join('\n') + '\n';
}

function printResult(ctx: RunContext, plan: TanPlan, result: Record<string, unknown>): void {
  if (ctx.format === 'table') {
    if (result.dryRun) out(renderTanPlan(plan) + 'dry run: nothing was changed\n');
    else {
      for (const [k, v] of Object.entries(result).filter(([k]) => !['dryRun', 'applied', 'backup'].includes(k))) out(`${k}: ${typeof v === 'object' ? stringifyJson(v, false) : String(v)}\n`);
      out(`done${result.backup ? `; backup in ${result.backup} (undo with: logdb restore-backup ${result.backup})` : ' (no backup)'}\n`);
    }
    return;
  }
  const view = { command: plan.command, clusterId: plan.clusterId, nodeId: plan.nodeId, backend: 'tan', steps: describeChange(plan.tan), files: plan.files, notes: plan.notes };
  out(stringifyJson({ ...view, ...result }, ctx.format === 'json') + '\n');
}
