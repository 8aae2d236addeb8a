/**
 * The invariants between one node's records (§8), once both sweeps have read them:
 *  - it lives in the shard the partitioner routes its cluster to (§3), and holds entries of one mode (§8.14);
 *  - a node with a log has a hard state, a max index and a bootstrap record, and a bootstrap has something
 *    behind it (the reverse);
 *  - commit ≤ the last index; the newest snapshot ≤ the max index; the state's term ≥ the last entry's term;
 *  - each snapshot record's own index matches its key.
 * Entry records with no other record at all are what Dragonboat's RemoveNodeData leaves on LevelDB (§8.12,
 * its range delete is a no-op there): stale, not damage.
 */
import type { CheckContext } from './context.js';
import { hasNodeRecords, newestSnapshotIndex, type NodeRecords } from './node-records.js';

export interface NodeCheckInput {
  /** the shard Dragonboat routes the node's cluster to; undefined when it cannot be told */
  routedShard: number | undefined;
  /** the node's snapshot dir holds DELETED.dragonboat */
  removed: boolean;
  /** the backend of the node's shard */
  backend: string;
}

export function checkNode(ctx: CheckContext, node: NodeRecords, input: NodeCheckInput): void {
  const { clusterId: c, nodeId: n, shard } = node;
  const place = { clusterId: c, nodeId: n, shard };
  const who = `cluster ${c} node ${n}`;
  const log = node.log;
  const storedEntries = (log?.records ?? 0) > 0;

  if (input.routedShard !== undefined && input.routedShard !== shard) {
    ctx.sink.add({
      code: 'wrong-shard',
      severity: 'error',
      ...place,
      message: `${who} has records in logdb-${shard}, but Dragonboat routes cluster ${c} to logdb-${input.routedShard}: it never reads them here`,
      hint: `compare the shard settings in dragonboat.ds (\`${ctx.hints.info()}\`) with the NodeHost that wrote these records`,
    });
  }
  if (node.foreignEntryRecords > 0) {
    const foreign = ctx.mode === 'plain' ? 'batched (07 07)' : 'plain (01 01)';
    ctx.sink.add({
      code: 'mixed-entry-modes',
      severity: 'error',
      ...place,
      message: `${who} has ${node.foreignEntryRecords} ${foreign} entry record${node.foreignEntryRecords === 1 ? '' : 's'} in a LogDB whose entries are ${ctx.mode}: Dragonboat refuses to start on a LogDB holding both (ErrLogDBBrokenChange)`,
      hint: `${ctx.hints.info()}; the records of the other mode were written by a NodeHost with a different LogDB factory`,
    });
  }

  if (!hasNodeRecords(node)) {
    if (storedEntries || node.foreignEntryRecords > 0) {
      const count = (log?.records ?? 0) + node.foreignEntryRecords;
      const range = log?.lowestStored !== null && log?.lowestStored !== undefined ? ` (indexes ${log.lowestStored}-${log.highestStored})` : '';
      ctx.sink.add({
        code: 'stale-entries',
        severity: input.removed ? 'info' : 'warning',
        ...place,
        message:
          `${who} has ${count} entry record${count === 1 ? '' : 's'}${range} but no bootstrap, state, max index or snapshot record: ` +
          (input.removed
            ? 'it was removed with NodeHost.RemoveData, which leaves the entries behind on LevelDB; Dragonboat never reads them'
            : `what RemoveNodeData leaves${input.backend === 'leveldb' ? ' on LevelDB' : ''}; Dragonboat never reads them`),
        hint: `nothing reads them; ${ctx.hints.dumpEntries(c, n)} shows them`,
      });
    }
    return;
  }

  const hasLog = node.hasMaxIndex || storedEntries;
  if (!node.hasState && (hasLog || node.snapshotIndexes.length > 0)) {
    ctx.sink.add({
      code: 'state-missing',
      severity: 'error',
      ...place,
      message: `${who} has ${describeLog(node)} but no hard state record: Dragonboat reads no log for it (ErrNoSavedLog) and starts it as a new node`,
      hint: `${ctx.hints.dumpState(c, n)}; then ${ctx.hints.rebuildReplica(c, n)}`,
    });
  }
  if (!node.hasBootstrap && (node.hasState || hasLog || node.snapshotIndexes.length > 0)) {
    ctx.sink.add({
      code: 'bootstrap-missing',
      severity: 'error',
      ...place,
      message: `${who} has ${describeLog(node)} but no bootstrap record: ListNodeInfo does not list it and NodeHost cannot restart it`,
      hint: `${ctx.hints.dumpState(c, n)}; then ${ctx.hints.rebuildReplica(c, n)}`,
    });
  }
  if (node.hasBootstrap && !node.hasState && !hasLog && node.snapshotIndexes.length === 0) {
    const join = node.bootstrap?.join ?? false;
    ctx.sink.add({
      code: 'orphan-bootstrap',
      severity: join ? 'info' : 'warning',
      ...place,
      message: join
        ? `${who} has a bootstrap record (join) and nothing else: a joining node that has not heard from its cluster yet`
        : `${who} has a bootstrap record and nothing else: started once but never saved a hard state or log (NodeHost starts it afresh)`,
      hint: ctx.hints.dumpState(c, n),
    });
  }
  if (node.hasState && !node.hasMaxIndex && (log?.unread ?? 0) > 0) {
    ctx.sink.add({
      code: 'max-index-missing',
      severity: 'error',
      ...place,
      message: `${who} has ${log!.unread} entr${log!.unread === 1 ? 'y' : 'ies'} and a hard state but no max index record: Dragonboat sees an empty log`,
      hint: `${ctx.hints.dumpEntries(c, n)}; then ${ctx.hints.rebuildReplica(c, n)}`,
    });
  }

  const s = newestSnapshotIndex(node);
  const m = node.maxIndex;
  if (m !== null && s > m) {
    ctx.sink.add({
      code: 'snapshot-out-of-range',
      severity: 'error',
      ...place,
      index: s,
      message: `the newest snapshot of ${who} is at ${s}, beyond its max index ${m}: the log would have to run backwards from the snapshot`,
      hint: `${ctx.hints.lsSnapshots(c, n)}; ${ctx.hints.dumpState(c, n)}`,
    });
  }
  const state = node.state;
  const lastIndex = m ?? (node.hasMaxIndex ? null : s);
  if (state && lastIndex !== null && state.commit > lastIndex) {
    ctx.sink.add({
      code: 'commit-beyond-last',
      severity: 'error',
      ...place,
      index: state.commit,
      message: `the hard state of ${who} says entries up to ${state.commit} are committed, but its log ends at ${lastIndex}${m === null ? ' (the snapshot index; no max index record)' : ' (the max index)'}: committed entries are lost`,
      hint: `${ctx.hints.dumpState(c, n)}; then ${ctx.hints.rebuildReplica(c, n)}`,
    });
  }
  if (state && log?.lastTerm !== null && log?.lastTerm !== undefined && state.term < log.lastTerm) {
    ctx.sink.add({
      code: 'state-term-behind',
      severity: 'warning',
      ...place,
      index: log.lastIndex ?? undefined,
      message: `the hard state of ${who} has term ${state.term}, lower than the term ${log.lastTerm} of its last entry ${log.lastIndex}: the state was saved before the entries it should cover`,
      hint: ctx.hints.dumpState(c, n),
    });
  }
  for (const [index, snapshot] of node.snapshots) {
    if (snapshot.index !== index || (snapshot.clusterId !== 0n && snapshot.clusterId !== c)) {
      ctx.sink.add({
        code: 'snapshot-index-mismatch',
        severity: 'error',
        ...place,
        index,
        message: `the snapshot record stored under index ${index} of ${who} describes snapshot ${snapshot.index} of cluster ${snapshot.clusterId}`,
        hint: ctx.hints.lsSnapshots(c, n),
      });
    }
  }
}

function describeLog(node: NodeRecords): string {
  const parts: string[] = [];
  const entries = node.log?.records ?? 0;
  if (entries) parts.push(`${entries} entry record${entries === 1 ? '' : 's'}`);
  if (node.hasMaxIndex) parts.push('a max index');
  if (node.hasState) parts.push('a hard state');
  if (node.snapshotIndexes.length) parts.push(`${node.snapshotIndexes.length} snapshot record${node.snapshotIndexes.length === 1 ? '' : 's'}`);
  return parts.join(', ') || 'records';
}
