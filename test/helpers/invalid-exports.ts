/**
 * The damaged exports and bad member maps of ops/invalid/errors.json (each tried on Dragonboat's own
 * tools.ImportSnapshot), and the words logdb's refusal of each must contain.
 */
import { join } from 'node:path';
import { fixtureDir, readJson } from './fixtures.js';

export const INVALID_EXPORT_MESSAGES: Record<string, RegExp> = {
  'payload-checksum-mismatch': /checksum/i,
  'metadata-hash-broken': /snapshot\.metadata/,
  'missing-gbsnap': /gbsnap/i,
  'two-gbsnap': /more than one|2 \.gbsnap|two/i,
  'missing-metadata': /snapshot\.metadata/,
  'header-size-invalid': /header size/i,
  'header-version-1': /not a v2 snapshot/i,
  'payload-data-corrupted': /block/i,
  truncated: /truncated|incomplete|tail|size/i,
  'nodeID-not-in-members': /invalid members/,
  'address-differs-from-RaftAddress': /invalid members/,
  'member-address-changed': /node address changed/,
  'path-does-not-exist': /does not exist/,
  'adding-an-observer-as-regular-node': /adding an observer as regular node/,
  'observer-address-changed': /node address changed/,
  // v4's names for the same two cases (its error text says "nonVoting")
  'adding-a-non-voting-as-regular-node': /adding an nonVoting as regular node/,
  'non-voting-address-changed': /node address changed/,
  'adding-a-witness-as-regular-node': /adding a witness as regular node/,
  'adding-a-removed-node': /adding a removed node/,
};

export interface InvalidImportCase {
  case: string;
  nodeID: string;
  memberNodes: Record<string, string>;
  srcDir: string;
  /** where the damaged export is shipped, relative to the backend folder (ops/invalid/…), if it is one */
  shippedAs?: string;
  toolsImportSnapshotResult?: string;
  result?: string;
}

/** The cases of `<backend>/ops/invalid/errors.json`, none when the fixture is absent. */
export function invalidImportCases(ops: string): InvalidImportCase[] {
  const dir = fixtureDir(ops);
  return dir ? readJson(join(dir, 'invalid/errors.json')).cases : [];
}

/** `--members` as the command takes it. */
export function membersArg(c: InvalidImportCase): string {
  return Object.entries(c.memberNodes).map(([id, addr]) => `${id}=${addr}`).join(',');
}
