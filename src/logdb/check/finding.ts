/**
 * What `logdb check` reports: findings, each naming the invariant that failed with a stable code, how bad it is,
 * where it is (node and shard), what it means in plain words, and what to run next.
 *
 * Severity is about what Dragonboat would do with the directory:
 *   error    Dragonboat refuses to start, panics, or silently loses or misreads data (exit code 9)
 *   warning  Dragonboat starts, but something is off and deserves a look (left-overs it will not clean up,
 *            records pointing at files that are gone, settings that only work with a hard-settings file)
 *   info     what Dragonboat itself leaves behind and cleans up or ignores; worth knowing, nothing to fix
 *
 * A badly damaged log could produce one finding per record. The sink keeps memory bounded: at most
 * FINDINGS_PER_GROUP findings per (code, shard, node); the rest are counted and summed up in one last finding.
 */

import type { FindingCode } from './codes.js';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITIES: Severity[] = ['error', 'warning', 'info'];

export interface Finding {
  code: string;
  severity: Severity;
  /** decimal strings; null for findings about a shard or the whole LogDB */
  clusterId: string | null;
  nodeId: string | null;
  /** the logdb-N shard, null for findings about the whole LogDB */
  shard: number | null;
  message: string;
  /** the suggested next step, usually a command */
  hint: string;
  /** the KV key (hex) of the record concerned */
  key?: string;
  /** the entry, batch or snapshot index concerned (decimal) */
  index?: string;
}

/** Where a finding is: a node in a shard, a shard, or (all null) the whole LogDB. */
export interface Place {
  clusterId?: bigint | null;
  nodeId?: bigint | null;
  shard?: number | null;
}

export interface NewFinding extends Place {
  code: FindingCode;
  severity: Severity;
  message: string;
  hint: string;
  key?: Buffer;
  index?: bigint;
}

export const FINDINGS_PER_GROUP = 20;

export class FindingSink {
  private readonly findings: Finding[] = [];
  private readonly perGroup = new Map<string, { kept: number; dropped: number; last: Finding }>();

  add(f: NewFinding): void {
    const finding: Finding = {
      code: f.code,
      severity: f.severity,
      clusterId: f.clusterId === undefined || f.clusterId === null ? null : f.clusterId.toString(),
      nodeId: f.nodeId === undefined || f.nodeId === null ? null : f.nodeId.toString(),
      shard: f.shard ?? null,
      message: f.message,
      hint: f.hint,
    };
    if (f.key) finding.key = f.key.toString('hex');
    if (f.index !== undefined) finding.index = f.index.toString();
    const group = `${finding.code}/${finding.severity}/${finding.shard}/${finding.clusterId}/${finding.nodeId}`;
    const seen = this.perGroup.get(group);
    if (seen && seen.kept >= FINDINGS_PER_GROUP) {
      seen.dropped++;
      seen.last = finding;
      return;
    }
    if (seen) seen.kept++;
    else this.perGroup.set(group, { kept: 1, dropped: 0, last: finding });
    this.findings.push(finding);
  }

  /** Every finding kept, plus one "and N more" finding per group that overflowed, most severe first. */
  list(): Finding[] {
    const all = [...this.findings];
    for (const { dropped, last } of this.perGroup.values()) {
      if (dropped === 0) continue;
      all.push({
        ...last,
        message: `${dropped} more ${last.code} finding${dropped === 1 ? '' : 's'} like the ones above (not listed one by one); the last: ${last.message}`,
      });
    }
    return all.sort(compareFindings);
  }
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function compareIds(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Most severe first; then the whole LogDB, then shards, then nodes in (cluster, node) order; then along the log. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compareIds(a.clusterId, b.clusterId) ||
    compareIds(a.nodeId, b.nodeId) ||
    (a.shard ?? -1) - (b.shard ?? -1) ||
    compareIds(a.index ?? null, b.index ?? null) ||
    a.code.localeCompare(b.code)
  );
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
