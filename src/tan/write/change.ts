/**
 * What a tan write changes, planned in full before anything is touched (v4-format.md §6 "Semantics"), in tan's
 * own terms — what v4's LogDB writes when the NodeHost opens a node's db and runs the operation:
 *   - opening a db starts a new log file and a new MANIFEST (tan numbers both from one counter);
 *   - RemoveEntriesTo appends a compaction record (State{Term 2^64−3, Commit i}) and drops the logs it made
 *     obsolete; CompactEntriesTo does nothing;
 *   - RemoveNodeData drops every older log (the new current one stays, empty) and deletes the BOOTSTRAP file;
 *   - ImportSnapshot writes BOOTSTRAP{Join, Type}, drops every older log and writes one Update{State{term, commit
 *     = index}, Snapshot}.
 * The new log gets its .index, as tan's close writes one: tan rebuilds only the newest log's index at open and
 * panics when an older live log has none (open.go), which is also why plan.ts refuses a db whose logs lack one.
 * Every write first finishes what an interrupted logdb import left in the bootstrap dir (../pending.ts).
 */
import type { VersionEdit } from '../manifest.js';

export interface TanChange {
  clusterId: bigint;
  nodeId: bigint;
  /** the node's db dir (created when it does not exist yet) */
  nodeDir: string;
  /** false for a node with no db dir yet (import of a new node) */
  dbExists: boolean;
  newLog: { fileNum: number; path: string; records: Buffer[]; describe: string[]; index: { path: string; bytes: Buffer } };
  /** the new MANIFEST: as tan writes it when an open creates one, then the operation's own edits */
  manifest: { fileNum: number; path: string; liveLogs: number[]; edits: VersionEdit[] };
  /** files no longer referenced once CURRENT names the new MANIFEST: deleted last */
  obsolete: string[];
  /** an import's BOOTSTRAP is written first as `pending` (named after the new MANIFEST), renamed after the commit */
  bootstrap: { path: string; action: 'keep' } | { path: string; action: 'delete' } | { path: string; action: 'write'; value: Buffer; pending: string };
  /** interrupted logdb imports (in any node of the tan dir), done before anything else */
  unfinished: UnfinishedImport[];
}

/** finish: a committed import's pending BOOTSTRAP renamed into place; drop: one that never committed, deleted. */
export type UnfinishedImport = { action: 'finish'; from: string; to: string } | { action: 'drop'; path: string };

/** The plan's file steps as the operator sees them (--dry-run, the confirmation, JSON). */
export function describeChange(t: TanChange): string[] {
  const lines: string[] = [];
  for (const u of t.unfinished) {
    if (u.action === 'finish') lines.push(`rename ${u.from} to ${u.to} (finishes an interrupted import-snapshot: its log was committed)`);
    else lines.push(`delete ${u.path} (left by an import-snapshot killed before its commit)`);
  }
  if (t.bootstrap.action === 'delete') lines.push(`delete ${t.bootstrap.path} (the node is removed from here on)`);
  lines.push(`write  ${t.newLog.path} (new log: ${t.newLog.describe.length ? t.newLog.describe.join('; ') : 'empty'}) and its .index`);
  lines.push(`write  ${t.manifest.path} (live logs ${t.manifest.liveLogs.join(', ')})`);
  if (t.bootstrap.action === 'write') lines.push(`write  ${t.bootstrap.pending} (the new BOOTSTRAP, in place once CURRENT names the new MANIFEST)`);
  lines.push(`switch ${t.nodeDir}/CURRENT to ${t.manifest.path.split('/').pop()}`);
  if (t.bootstrap.action === 'write') lines.push(`rename ${t.bootstrap.pending} to ${t.bootstrap.path}`);
  for (const f of t.obsolete) lines.push(`delete ${f} (no longer live)`);
  return lines;
}
