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
  bootstrap: { path: string; action: 'keep' } | { path: string; action: 'delete' } | { path: string; action: 'write'; value: Buffer };
}

/** The plan's file steps as the operator sees them (--dry-run, the confirmation, JSON). */
export function describeChange(t: TanChange): string[] {
  const lines: string[] = [];
  if (t.bootstrap.action === 'delete') lines.push(`delete ${t.bootstrap.path} (the node is removed from here on)`);
  lines.push(`write  ${t.newLog.path} (new log: ${t.newLog.describe.length ? t.newLog.describe.join('; ') : 'empty'}) and its .index`);
  lines.push(`write  ${t.manifest.path} (live logs ${t.manifest.liveLogs.join(', ')})`);
  if (t.bootstrap.action === 'write') lines.push(`write  ${t.bootstrap.path}`);
  lines.push(`switch ${t.nodeDir}/CURRENT to ${t.manifest.path.split('/').pop()}`);
  for (const f of t.obsolete) lines.push(`delete ${f} (no longer live)`);
  return lines;
}
