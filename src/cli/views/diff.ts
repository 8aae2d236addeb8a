/** The JSON shape and the readable report of `logdb diff` (README "logdb diff"). */
import type { DiffResult, IndexSpan, PairDiff } from '../../replicas/compare.js';
import type { Replica } from '../../replicas/replica.js';
import { stdoutColour } from '../colour.js';
import type { Json } from '../json.js';
import { renderTable } from '../table.js';

const str = (v: bigint | null | undefined): string | null => (v === null || v === undefined ? null : v.toString());
const span = (s: IndexSpan | null): Json => (s ? { count: s.count.toString(), first: s.first.toString(), last: s.last.toString() } : null);

export function replicaView(r: Replica, readTo: bigint | null): Json {
  const s = r.summary;
  return {
    name: r.name,
    nodeId: s.nodeId.toString(),
    nodeHostDir: r.nodeHostDir,
    address: r.address,
    hostname: r.hostname,
    backend: r.backend,
    state: s.state ? { term: s.state.term.toString(), vote: s.state.vote.toString(), commit: s.state.commit.toString() } : null,
    firstIndex: s.firstIndex.toString(),
    lastIndex: s.lastIndex.toString(),
    entryCount: s.entryCount.toString(),
    lastTerm: str(r.lastTerm),
    snapshotIndex: s.snapshotIndex.toString(),
    /** the last index the lockstep pass read: below lastIndex when the log has a gap */
    readTo: str(readTo),
  };
}

/** Raft's "more up-to-date log" (§5.4.1 of the Raft paper): higher last term, then longer. */
export function behindOf(p: PairDiff): Replica {
  const ta = p.a.lastTerm ?? 0n;
  const tb = p.b.lastTerm ?? 0n;
  if (ta !== tb) return ta < tb ? p.a : p.b;
  return p.a.summary.lastIndex < p.b.summary.lastIndex ? p.a : p.b;
}

export function pairView(p: PairDiff): Json {
  return {
    a: p.a.name,
    b: p.b.name,
    verdict: p.verdict,
    overlap: p.overlap ? { first: p.overlap.first.toString(), last: p.overlap.last.toString() } : null,
    compared: p.compared.toString(),
    commonCommit: p.commonCommit.toString(),
    firstTermDifference: str(p.firstTermDifference),
    overwritten: p.firstTermDifference !== null ? behindOf(p).name : null,
    firstDifference: p.firstDifference ? { index: p.firstDifference.index.toString(), fields: p.firstDifference.fields } : null,
    logMatching: span(p.logMatching),
    termMatchAfterDivergence: span(p.termMatchAfterDivergence),
    committedDifferences: span(p.committedDifferences),
  };
}

export function diffView(clusterId: bigint, result: DiffResult): Json {
  return {
    clusterId: clusterId.toString(),
    consistent: result.violations === 0,
    violations: result.violations,
    entriesRead: result.entriesRead.toString(),
    replicas: result.streams.map((s) => replicaView(s.replica, s.readTo)),
    pairs: result.pairs.map(pairView),
  };
}

const dash = (v: bigint | null | undefined) => (v === null || v === undefined ? '-' : v.toString());

function spanText(s: IndexSpan): string {
  return s.count === 1n ? `index ${s.first}` : `${s.count} indexes, ${s.first}..${s.last}`;
}

function pairLines(p: PairDiff): string[] {
  const title = `${p.a.name} / ${p.b.name}`;
  const lines: string[] = [];
  if (!p.overlap) return [`${title}: ${stdoutColour.dim('no index in common, nothing to compare')}`];
  const common = `both hold ${p.overlap.first}..${p.overlap.last}`;
  switch (p.verdict) {
    case 'identical':
      lines.push(`${title}: ${stdoutColour.green('identical')} (${common})`);
      break;
    case 'prefix': {
      const shorter = p.a.summary.lastIndex < p.b.summary.lastIndex ? p.a : p.b.summary.lastIndex < p.a.summary.lastIndex ? p.b : undefined;
      const why = shorter ? `${shorter.name} is behind, at ${shorter.summary.lastIndex}` : 'different first indexes (compaction)';
      lines.push(`${title}: ${stdoutColour.green('consistent')}, ${common}; ${why}`);
      break;
    }
    case 'diverged':
      lines.push(`${title}: ${stdoutColour.yellow('diverged')} (${common}) — an uncommitted suffix Raft will overwrite`);
      break;
    default:
      lines.push(`${title}: ${stdoutColour.red.bold('VIOLATION')} (${common})`);
  }
  if (p.firstTermDifference !== null) lines.push(`    terms first differ at ${p.firstTermDifference}: Raft overwrites ${behindOf(p).name} from there`);
  if (p.logMatching) {
    const f = p.firstDifference!;
    const fields = p.firstDifference && p.logMatching.first === f.index ? ` (first at ${f.index} differs in ${f.fields.join(', ')})` : '';
    lines.push(`    equal term, different entry — Log Matching broken: ${spanText(p.logMatching)}${fields}`);
  }
  if (p.termMatchAfterDivergence) lines.push(`    equal term again after the terms differed — Log Matching broken: ${spanText(p.termMatchAfterDivergence)}`);
  if (p.committedDifferences) lines.push(`    committed entries differ (at or below commit ${p.commonCommit} of both) — a safety violation: ${spanText(p.committedDifferences)}`);
  return lines;
}

export function renderDiff(clusterId: bigint, result: DiffResult): string {
  const rows = result.streams.map(({ replica: r, readTo }) => {
    const s = r.summary;
    const gap = s.entryCount > 0n && readTo !== s.lastIndex ? ` (log ends at ${dash(readTo)})` : '';
    return [
      r.name, r.address ?? '-', r.source.dir, dash(s.state?.term), dash(s.state?.vote), dash(s.state?.commit),
      s.firstIndex.toString(), s.lastIndex.toString() + gap, dash(r.lastTerm), s.snapshotIndex.toString(),
    ];
  });
  const table = renderTable(
    [
      { header: 'REPLICA' }, { header: 'ADDRESS' }, { header: 'NODEHOST' },
      { header: 'TERM', align: 'right' }, { header: 'VOTE', align: 'right' }, { header: 'COMMIT', align: 'right' },
      { header: 'FIRST', align: 'right' }, { header: 'LAST', align: 'right' }, { header: 'LAST TERM', align: 'right' },
      { header: 'SNAPSHOT', align: 'right' },
    ],
    rows,
  );
  const lines = [`cluster ${clusterId}: ${result.streams.length} replicas, ${result.entriesRead.toLocaleString('en-US')} entries read in one pass`, '', table.trimEnd(), ''];
  for (const p of result.pairs) lines.push(...pairLines(p));
  if (result.pairs.length) lines.push('');
  if (result.violations === 0) lines.push(`${stdoutColour.green('ok')}: the replicas are consistent (a replica may be behind; uncommitted suffixes may differ)`);
  else lines.push(`${stdoutColour.red.bold('not ok')}: ${result.violations} pair${result.violations === 1 ? '' : 's'} of replicas break Raft's safety`);
  return lines.join('\n') + '\n';
}
