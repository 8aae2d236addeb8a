/**
 * A cluster's membership as Dragonboat's state machine applies it (rsm/membership.go): the start is the newest
 * snapshot record's membership, or — with no snapshot — the bootstrap record's addresses (spec §5.4, §5.5); then
 * every committed ConfigChangeEntry above the snapshot index is applied in log order (§5.8). Dragonboat changes
 * membership when a config change is applied, i.e. once it is committed, not when it is appended.
 *
 * Voters: full members (`addresses`) and witnesses — a witness votes in Dragonboat's elections and counts toward
 * the quorum, it just holds no state machine data. Observers (non-voting) do not vote.
 *
 * Config changes Dragonboat rejects are skipped the same way: adding a removed node, adding an existing member,
 * observer or witness again, AddObserver or AddWitness of a full member, witness/observer swaps, AddNode of a
 * witness, promoting an observer at another address, a new node at an address already in use, and RemoveNode of
 * the last full member. (The ordered-config-change check needs the node's Config, which is not on
 * disk; Dragonboat's default, OrderedConfigChange false, accepts any config change ID.)
 */
import type { Entry } from '../codec/colfer.js';
import { ConfigChangeType, EntryType } from '../codec/enums.js';
import { decodeConfigChange, type Bootstrap, type Membership, type Snapshot } from '../codec/messages.js';

export interface MembershipState {
  /** the index of the last config change applied (or the snapshot's configChangeId); 0 = bootstrap only */
  configChangeId: bigint;
  /** where the starting point came from */
  source: 'snapshot' | 'bootstrap' | 'log';
  addresses: Map<bigint, string>;
  observers: Map<bigint, string>;
  witnesses: Map<bigint, string>;
  removed: Set<bigint>;
}

export function startingMembership(bootstrap: Bootstrap | null, newestSnapshot: Snapshot | undefined): MembershipState {
  if (newestSnapshot) return fromSnapshot(newestSnapshot.membership);
  const addresses = new Map<bigint, string>();
  if (bootstrap && !bootstrap.join) for (const [id, addr] of bootstrap.addresses) addresses.set(id, addr);
  return { configChangeId: 0n, source: bootstrap && !bootstrap.join ? 'bootstrap' : 'log', addresses, observers: new Map(), witnesses: new Map(), removed: new Set() };
}

function fromSnapshot(m: Membership): MembershipState {
  return {
    configChangeId: m.configChangeId,
    source: 'snapshot',
    addresses: new Map(m.addresses),
    observers: new Map(m.observers),
    witnesses: new Map(m.witnesses),
    removed: new Set([...m.removed].filter(([, v]) => v).map(([id]) => id)),
  };
}

/** The config change an entry carries, or undefined for any other entry (or one that does not decode). */
export function configChangeOf(e: Entry): ReturnType<typeof decodeConfigChange> | undefined {
  if (e.type !== EntryType.ConfigChangeEntry) return undefined;
  try {
    return decodeConfigChange(e.cmd);
  } catch {
    return undefined;
  }
}

/** Dragonboat compares member addresses trimmed and case-insensitively. */
const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whether Dragonboat refuses the change (rsm/membership.go handleConfigChange), in its order of checks. */
function rejected(m: MembershipState, type: number, id: bigint, address: string): boolean {
  const adding = type === ConfigChangeType.AddNode || type === ConfigChangeType.AddObserver || type === ConfigChangeType.AddWitness;
  if (adding && m.removed.has(id)) return true;
  if (type === ConfigChangeType.AddNode && m.addresses.has(id)) return true;
  if (type === ConfigChangeType.AddObserver && (m.observers.has(id) || m.addresses.has(id) || m.witnesses.has(id))) return true;
  if (type === ConfigChangeType.AddWitness && (m.witnesses.has(id) || m.addresses.has(id) || m.observers.has(id))) return true;
  if (type === ConfigChangeType.AddNode && m.witnesses.has(id)) return true;
  const observer = m.observers.get(id);
  const promotion = type === ConfigChangeType.AddNode && observer !== undefined;
  if (promotion) return !sameAddress(observer, address); // an observer is promoted only at its own address
  // a new node may not take an address a member, observer or witness already has
  if (adding && [...m.addresses.values(), ...m.observers.values(), ...m.witnesses.values()].some((a) => sameAddress(a, address))) return true;
  return type === ConfigChangeType.RemoveNode && m.addresses.size === 1 && m.addresses.has(id); // never the last member
}

/** Applies one committed config-change entry; returns whether Dragonboat would have accepted it. */
export function applyConfigChange(m: MembershipState, e: Entry): boolean {
  const cc = configChangeOf(e);
  if (!cc || cc.type < ConfigChangeType.AddNode || cc.type > ConfigChangeType.AddWitness) return false;
  const id = cc.nodeId;
  if (rejected(m, cc.type, id, cc.address)) return false;
  switch (cc.type) {
    case ConfigChangeType.AddNode:
      m.observers.delete(id); // an observer's AddNode promotes it
      m.addresses.set(id, cc.address);
      break;
    case ConfigChangeType.AddObserver:
      m.observers.set(id, cc.address);
      break;
    case ConfigChangeType.AddWitness:
      m.witnesses.set(id, cc.address);
      break;
    default: // RemoveNode
      m.addresses.delete(id);
      m.observers.delete(id);
      m.witnesses.delete(id);
      m.removed.add(id);
  }
  m.configChangeId = e.index;
  return true;
}

/** Full members and witnesses: the nodes whose votes count (ascending ID). */
export function voters(m: MembershipState): bigint[] {
  return [...new Set([...m.addresses.keys(), ...m.witnesses.keys()])].sort(compareIds);
}

export function quorumOf(voterCount: number): number {
  return Math.floor(voterCount / 2) + 1;
}

export function roleOf(m: MembershipState, id: bigint): 'voter' | 'witness' | 'observer' | 'removed' | 'unknown' {
  if (m.addresses.has(id)) return 'voter';
  if (m.witnesses.has(id)) return 'witness';
  if (m.observers.has(id)) return 'observer';
  if (m.removed.has(id)) return 'removed';
  return 'unknown';
}

export function addressOf(m: MembershipState, id: bigint): string | undefined {
  return m.addresses.get(id) ?? m.witnesses.get(id) ?? m.observers.get(id);
}

export const compareIds = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
