/**
 * The member map of an import (`--members "1=host1:port,2=host2:port"`) and Dragonboat's checks of it
 * (spec §10.3 steps 2 and 6; tools.ImportSnapshot's checkImportSettings and checkMembers).
 *
 * Step 2: memberNodes[nodeID] must exist and equal the NodeHost's RaftAddress, else ErrInvalidMembers
 * ("invalid members"). Step 6, for each (id, address) of the map against the exported snapshot's membership:
 *   - a full member (addresses) at another address          → "node address changed"
 *   - an observer at another address                        → "node address changed"
 *   - an observer at the same address                       → "adding an observer as regular node"
 *   - a witness at another address                          → "node address changed"
 *   - a witness at the same address                         → "adding a witness as regular node"
 *   - a removed node                                        → "adding a removed node"
 * v4 (tools/import.go, the same checks) calls observers non-voting members: its error reads "adding an nonVoting
 * as regular node" (sic); the `dialect` argument picks the wording.
 * Go walks the map in random order and stops at the first failure; we walk it in ascending node ID, so the same
 * input always names the same node.
 *
 * Addresses are compared EXACTLY, as ImportSnapshot does: it does not CleanAddress (lower-case/trim) the map
 * (only bootstrap records are cleaned), and the map's strings go into the imported record unchanged. The
 * NodeHost's RaftAddress is taken from dragonboat.ds (written from RaftAddress verbatim); when it differs only
 * in case or surrounding spaces, the error says so, because Dragonboat would still refuse it.
 */
import type { Membership } from '../codec/messages.js';
import { MAX_UINT64 } from '../codec/uint64.js';
import { LogdbError } from '../errors.js';

const MEMBERS_HINT = 'give --members as "<nodeID>=<address>,…", e.g. --members "1=host1:63000,4=host4:63000"';

function usage(message: string): LogdbError {
  return new LogdbError('usage', message, MEMBERS_HINT);
}

const DIGITS = /^[0-9]+$/;
const WHITESPACE = /\s/;

/**
 * Parses `1=host1:port,2=host2:port`. Entries are separated by commas; whitespace around an entry is ignored.
 * Each entry is `<nodeID>=<address>`: the ID a decimal uint64 other than 0, the address everything after the
 * first `=`, non-empty and without whitespace. Duplicate IDs are refused. The map iterates in ascending ID order.
 */
export function parseMembers(text: string): Map<bigint, string> {
  if (typeof text !== 'string' || text.trim() === '') throw usage('--members is empty: give at least this node\'s ID and address');
  const parsed = new Map<bigint, string>();
  const entries = text.split(',');
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!.trim();
    if (entry === '') throw usage(`--members entry ${i + 1} is empty (stray comma in ${JSON.stringify(text)})`);
    const eq = entry.indexOf('=');
    if (eq < 0) throw usage(`--members entry ${JSON.stringify(entry)} is not <nodeID>=<address>`);
    const idText = entry.slice(0, eq);
    const address = entry.slice(eq + 1);
    if (!DIGITS.test(idText)) {
      throw usage(`--members entry ${JSON.stringify(entry)}: node ID ${JSON.stringify(idText)} is not an unsigned 64-bit integer`);
    }
    const id = BigInt(idText);
    if (id > MAX_UINT64) {
      throw usage(`--members entry ${JSON.stringify(entry)}: node ID ${idText} is larger than ${MAX_UINT64}`);
    }
    if (id === 0n) throw usage(`--members entry ${JSON.stringify(entry)}: node ID 0 is not a valid Raft node ID`);
    if (address === '') throw usage(`--members entry ${JSON.stringify(entry)}: the address of node ${id} is empty`);
    if (WHITESPACE.test(address)) {
      throw usage(`--members entry ${JSON.stringify(entry)}: the address of node ${id} contains whitespace`);
    }
    if (parsed.has(id)) throw usage(`--members names node ${id} twice`);
    parsed.set(id, address);
  }
  return new Map([...parsed.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

function invalid(message: string, hint: string): LogdbError {
  return new LogdbError('invalidSnapshot', message, hint);
}

const sameLoosely = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * §10.3 step 2 then step 6 (see the module comment). `nodeHostAddress` is the NodeHost's RaftAddress
 * (dragonboat.ds `address`); when it is unknown the map cannot be checked and the import is refused.
 * Throws LogdbError('invalidSnapshot', …) whose message starts with Dragonboat's own error text.
 */
export function checkMembers(members: Map<bigint, string>, nodeId: bigint, nodeHostAddress: string | undefined, old: Membership, dialect: 'v3' | 'v4' = 'v3'): void {
  const observerWord = dialect === 'v4' ? 'non-voting member' : 'observer';
  const anObserver = dialect === 'v4' ? 'a non-voting member' : 'an observer';
  const addingObserver = dialect === 'v4' ? 'adding an nonVoting as regular node' : 'adding an observer as regular node';
  const mine = members.get(nodeId);
  if (mine === undefined) {
    throw invalid(
      `invalid members: node ${nodeId} (the node being imported) is not in the member list (${describe(members)})`,
      `add ${nodeId}=<this NodeHost's RaftAddress> to --members`,
    );
  }
  if (nodeHostAddress === undefined) {
    throw invalid(
      `invalid members: this NodeHost's RaftAddress is unknown (no dragonboat.ds), so member ${nodeId}'s address "${mine}" cannot be checked`,
      'point the command at the NodeHost directory (the one holding dragonboat.ds)',
    );
  }
  if (mine !== nodeHostAddress) {
    const loose = sameLoosely(mine, nodeHostAddress) ? ' (they differ only in case or spaces, which Dragonboat does not ignore here)' : '';
    throw invalid(
      `invalid members: member ${nodeId} has address "${mine}" but this NodeHost's RaftAddress (dragonboat.ds) is "${nodeHostAddress}"${loose}`,
      `give ${nodeId}=${nodeHostAddress} in --members, or run the import on the host that owns node ${nodeId}`,
    );
  }

  const ids = [...members.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const id of ids) {
    const addr = members.get(id)!;
    const voter = old.addresses.get(id);
    if (voter !== undefined && voter !== addr) {
      throw invalid(
        `node address changed: node ${id} is "${addr}" in --members but "${voter}" in the exported snapshot's membership`,
        `keep node ${id}'s address "${voter}", or give the new host a new node ID`,
      );
    }
    const observer = old.observers.get(id);
    if (observer !== undefined) {
      if (observer !== addr) {
        throw invalid(
          `node address changed: ${observerWord} ${id} is "${addr}" in --members but "${observer}" in the exported snapshot's membership`,
          `${anObserver} cannot become a regular member; give the new member a new node ID`,
        );
      }
      throw invalid(
        `${addingObserver}: node ${id} ("${addr}") is ${anObserver} in the exported snapshot's membership`,
        `leave node ${id} out of --members, or give the new member a new node ID`,
      );
    }
    const witness = old.witnesses.get(id);
    if (witness !== undefined) {
      if (witness !== addr) {
        throw invalid(
          `node address changed: witness ${id} is "${addr}" in --members but "${witness}" in the exported snapshot's membership`,
          `a witness cannot become a regular member; give the new member a new node ID`,
        );
      }
      throw invalid(
        `adding a witness as regular node: node ${id} ("${addr}") is a witness in the exported snapshot's membership`,
        `leave node ${id} out of --members, or give the new member a new node ID`,
      );
    }
    if (old.removed.has(id)) {
      throw invalid(
        `adding a removed node: node ${id} ("${addr}") was removed from the cluster in the exported snapshot's membership`,
        'a removed node ID can never be reused; give the new member a new node ID',
      );
    }
  }
}

function describe(members: Map<bigint, string>): string {
  return [...members.entries()].map(([id, addr]) => `${id}=${addr}`).join(',') || 'empty';
}
