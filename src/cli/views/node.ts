/** The JSON shape and table row of a node (README "JSON field reference"). */
import { stateMachineTypeName } from '../../codec/enums.js';
import type { Bootstrap } from '../../codec/messages.js';
import type { NodeSummary } from '../../logdb/node-summary.js';
import { toJson, type Json } from '../json.js';
import { snapshotView } from './snapshot.js';

export function bootstrapView(b: Bootstrap | null): Json {
  if (!b) return null;
  return { addresses: toJson(b.addresses), join: b.join, type: stateMachineTypeName(b.type) };
}

export function nodeView(n: NodeSummary, withSnapshots = false): Json {
  const view: { [k: string]: Json } = {
    clusterId: n.clusterId.toString(),
    nodeId: n.nodeId.toString(),
    shard: n.shard,
    bootstrap: bootstrapView(n.bootstrap),
    state: n.state ? { term: n.state.term.toString(), vote: n.state.vote.toString(), commit: n.state.commit.toString() } : null,
    firstIndex: n.firstIndex.toString(),
    lastIndex: n.lastIndex.toString(),
    entryCount: n.entryCount.toString(),
    snapshotIndex: n.snapshotIndex.toString(),
  };
  if (withSnapshots) view.snapshots = n.snapshots.map(snapshotView);
  return view;
}

/** "3 members, regular" / "join, on-disk" — a bootstrap record in a few words for a table cell. */
export function bootstrapSummary(b: Bootstrap | null): string {
  if (!b) return '-';
  const type = stateMachineTypeName(b.type).replace(/StateMachine$/, '').toLowerCase() || 'unknown';
  if (b.join) return `join, ${type}`;
  return `${b.addresses.size} member${b.addresses.size === 1 ? '' : 's'}, ${type}`;
}
