/**
 * `logdb check` on a tan LogDB (v4-format.md §6): every node db is replayed as tan would (CURRENT, MANIFEST, live
 * logs, .index presence) and judged by the same invariants the key/value check names — a gap in the log, a term
 * going down, a commit beyond the log, the newest snapshot's files — plus tan's own: a damaged file (error, with
 * file and offset), a torn tail in the newest log (warning: tan drops it at the next open), a live log other than
 * the newest without its .index (error: tan's open panics), and a node dir whose BOOTSTRAP file is gone (info:
 * the node was removed; RemoveNodeData leaves its records in the current log); and what an interrupted logdb
 * import left (pending.ts): committed but unfinished (warning: Dragonboat would read the old BOOTSTRAP), or
 * never committed (info: ignored).
 */
import { existsSync, statSync } from 'node:fs';
import type { CheckOptions, CheckReport } from '../logdb/check/run-check.js';
import { countBySeverity, FindingSink } from '../logdb/check/finding.js';
import { locateSnapshotFile } from '../logdb/check/snapshot-paths.js';
import { LogdbError } from '../errors.js';
import { listOrEmpty } from '../util/fs.js';
import { indexFile, parseNodeDirName } from './files.js';
import type { NodeDb } from './node-db.js';
import { updateEntries } from './update.js';
import type { TanReader } from './reader.js';

export async function checkTan(reader: TanReader, options: CheckOptions): Promise<CheckReport> {
  const sink = new FindingSink();
  const only = options.node;
  const wanted = (c: bigint, n: bigint) => !only || (only.clusterId === c && only.nodeId === n);
  const hint = `see \`logdb dump-state ${options.dir} --cluster C --node N\``;
  let nodes = 0;
  let records = 0;

  const listed = await reader.listNodeInfo();
  const live = new Set(listed.map((r) => `${r.clusterId}/${r.nodeId}`));
  for (const name of listOrEmpty(reader.tanDir)) {
    const ids = parseNodeDirName(name);
    if (!ids || live.has(`${ids.clusterId}/${ids.nodeId}`) || !wanted(ids.clusterId, ids.nodeId)) continue;
    nodes++;
    sink.add({
      code: 'tan-removed-node',
      severity: 'info',
      ...ids,
      message: `${name} has no BOOTSTRAP file: the node was removed, and tan ignores the records its current log still holds`,
      hint: 'nothing to do; the NodeHost drops the dir\'s logs as it compacts',
    });
  }

  for (const p of reader.pendingBootstraps()) {
    if (p.state === 'undecided' || !wanted(p.clusterId, p.nodeId)) continue;
    const place = { clusterId: p.clusterId, nodeId: p.nodeId };
    if (p.state === 'committed') {
      sink.add({
        code: 'tan-import-unfinished',
        severity: 'warning',
        ...place,
        message: `an import-snapshot was killed after its commit point: ${p.path} holds the node's new bootstrap (logdb reads it), but a NodeHost started now would read the old ${p.target}`,
        hint: 'finish it before starting the NodeHost: rerun the import-snapshot, or run any logdb write on this NodeHost (it renames the file into place first)',
      });
    } else {
      sink.add({
        code: 'tan-import-leftover',
        severity: 'info',
        ...place,
        message: `${p.path} was left by an import-snapshot killed before its commit point; nobody reads it (the import did not happen)`,
        hint: 'nothing to do; the next logdb write on this NodeHost deletes it',
      });
    }
  }

  for (const ref of listed) {
    const { clusterId: c, nodeId: n } = ref;
    if (!wanted(c, n)) continue;
    nodes++;
    const place = { clusterId: c, nodeId: n };
    let db: NodeDb | null;
    try {
      await reader.getBootstrap(c, n);
      db = reader.db(c, n);
    } catch (err) {
      if (!(err instanceof LogdbError) || err.kind !== 'corrupt') throw err;
      sink.add({ code: 'tan-file-corrupt', severity: 'error', ...place, message: err.message, hint: 'restore the node dir from a backup, or remove the node and rebuild it from a healthy replica' });
      continue;
    }
    if (!db) continue;
    records += db.logs.reduce((t, l) => t + l.records, 0);
    const newest = db.logs[db.logs.length - 1];
    for (const log of db.logs) {
      if (log.end === 'torn') {
        sink.add({
          code: 'tan-torn-tail',
          severity: 'warning',
          ...place,
          message: `${log.path} ends in a torn record at offset ${log.tornOffset} (${log.tornReason}); tan keeps the ${log.records} records before it`,
          hint: 'nothing to do: the NodeHost rewrites the log without it at its next start',
        });
      }
      if (log !== newest && !existsSync(indexFile(db.dir, log.fileNum))) {
        sink.add({
          code: 'tan-index-missing',
          severity: 'error',
          ...place,
          message: `live log ${log.path} has no .index file and is not the newest log: tan's open panics ("more than one log file have index missing") or skips it`,
          hint: 'restore the node dir from a backup',
        });
      }
    }
    checkLog(sink, db, place, hint);
    checkNewestSnapshotFiles(sink, db, place, reader.layout.deploymentDir);
  }

  const findings = sink.list();
  const counts = countBySeverity(findings);
  return {
    ok: counts.error === 0,
    findings,
    summary: { errors: counts.error, warnings: counts.warning, infos: counts.info, nodes, shards: 0, records, entryMode: 'plain', deep: Boolean(options.deep) },
  };
}

function checkLog(sink: FindingSink, db: NodeDb, place: { clusterId: bigint; nodeId: bigint }, hint: string): void {
  let prevEnd: bigint | undefined;
  let prevTerm = db.snapshot?.term ?? 0n;
  let lastIndex = db.snapshot?.index ?? 0n;
  let lastTerm = db.snapshot?.term ?? 0n;
  for (const run of db.runs) {
    if (prevEnd !== undefined && run.start !== prevEnd + 1n && run.start > (db.snapshot?.index ?? 0n)) {
      sink.add({ code: 'entry-gap', severity: 'error', ...place, index: prevEnd + 1n, message: `entries ${prevEnd + 1n}-${run.start - 1n} are missing from the log`, hint });
    }
    prevEnd = run.end;
    for (const e of updateEntries(run.record)) {
      if (e.index < run.start || e.index > run.end) continue;
      if (e.index > (db.snapshot?.index ?? 0n) && e.term < prevTerm) {
        sink.add({ code: 'term-decreases', severity: 'error', ...place, index: e.index, message: `entry ${e.index} has term ${e.term}, below ${prevTerm} before it`, hint });
      }
      if (e.index > (db.snapshot?.index ?? 0n)) prevTerm = e.term;
      lastIndex = e.index;
      lastTerm = e.term;
    }
  }
  if (db.state && db.state.commit > lastIndex) {
    sink.add({ code: 'commit-beyond-last', severity: 'error', ...place, index: db.state.commit, message: `the hard state commits ${db.state.commit} but the log ends at ${lastIndex}`, hint });
  }
  if (db.state && db.state.term < lastTerm) {
    sink.add({ code: 'state-term-behind', severity: 'warning', ...place, message: `the hard state's term ${db.state.term} is below the last entry's term ${lastTerm}`, hint });
  }
}

function checkNewestSnapshotFiles(sink: FindingSink, db: NodeDb, place: { clusterId: bigint; nodeId: bigint }, deploymentDir: string | undefined): void {
  const s = db.snapshot;
  if (!s || s.dummy || s.witness) return;
  const files = [{ path: s.filepath, size: s.fileSize, what: 'its .gbsnap file' }, ...s.files.map((f) => ({ path: f.filepath, size: f.fileSize, what: `its external file ${f.fileId}` }))];
  for (const f of files) {
    const where = locateSnapshotFile(f.path, deploymentDir, place.clusterId, place.nodeId);
    const path = where.elsewhere ? (where.foundHere ? where.path : undefined) : where.path;
    if (!path || !existsSync(path)) {
      sink.add({ code: 'snapshot-file-missing', severity: 'error', ...place, index: s.index, message: `snapshot ${s.index}: ${f.what} ${f.path} does not exist`, hint: 'restore the snapshot directory from a backup, or import a snapshot' });
      continue;
    }
    const size = statSync(path).size;
    if (BigInt(size) !== f.size) {
      sink.add({ code: 'snapshot-file-size', severity: 'error', ...place, index: s.index, message: `snapshot ${s.index}: ${f.what} is ${size} bytes, the record says ${f.size}`, hint: 'restore the snapshot directory from a backup' });
    }
  }
}

