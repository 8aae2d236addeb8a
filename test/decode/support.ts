/** What the decoder tests share: the basic datasets this branch reads, their nodes, and expected payloads. */
import { join } from 'node:path';
import { cliJson } from '../helpers/cli.js';
import { copyFixture } from '../helpers/fixtures.js';

/** The basic datasets of every backend whose LogDB this branch reads. */
/** `basic` of every backend logdb reads (the first two are also used alone, by index) */
export const BASIC_DATASETS = ['leveldb-v3.2.8/basic', 'pebble-v3.3.8/basic', 'pebble-v4/basic', 'rocksdb-v3.3.8/basic', 'tan-v4/basic'];

export interface NodeRef {
  clusterId: string;
  nodeId: string;
}

export async function listNodes(nodehost: string): Promise<NodeRef[]> {
  const nodes = await cliJson<NodeRef[]>(['ls-nodes', nodehost]);
  if (nodes.length === 0) throw new Error(`${nodehost} lists no node`);
  return nodes;
}

/** A private copy of a basic dataset's NodeHost dir (reads never open fixtures in place). */
export function nodehostCopy(dataset: string): { nodehost: string; cleanup: () => void } {
  const { dir, cleanup } = copyFixture(dataset);
  return { nodehost: join(dir, 'nodehost'), cleanup };
}

/**
 * The user's command of an entry as printed without a decoder (README "JSON field reference"): an
 * ApplicationEntry's non-empty cmd, an EncodedEntry's payload (decoded.payload when Snappy, else cmd after the
 * header byte); null for everything else.
 */
export function expectedPayload(e: any): Buffer | null {
  const cmd = Buffer.from(e.cmd, 'base64');
  if (e.type === 'EncodedEntry') {
    if (e.decoded?.kind !== 'encoded') throw new Error(`entry ${e.index} does not decode: ${JSON.stringify(e.decoded)}`);
    return e.decoded.payload === null ? cmd.subarray(1) : Buffer.from(e.decoded.payload, 'base64');
  }
  if (e.type === 'ApplicationEntry') return cmd.length > 0 ? cmd : null;
  return null;
}
