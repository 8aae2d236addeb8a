/**
 * The first sweep over a shard (see shard-scan.ts): every key that is not an entry record. Each key must be a
 * LogDB key of the right length with zero padding (§4.1), and each value must decode the way Dragonboat decodes
 * it (§5): State, Bootstrap and Snapshot protobufs, an 8-byte max index. Dragonboat panics on a value it cannot
 * decode, so a damaged record is an error, reported with its key — never thrown.
 *
 * What decodes is kept per node for the node-level checks (node-check.ts) and the entry sweep (log-check.ts).
 */
import { decodeKey, KeyKind, keyKindName, INDEXED_KEY_LENGTH, NODE_KEY_LENGTH, type DecodedKey } from '../../codec/keys.js';
import { decodeBootstrap, decodeSnapshot, decodeState } from '../../codec/messages.js';
import type { KVPair } from '../../kv/kv.js';
import type { CheckContext } from './context.js';
import type { NodeTable } from './node-records.js';

const MAX_INDEX_VALUE_LENGTH = 8;

/** Decodes a key, or reports it (bad-key / unknown-key) and returns undefined. */
export function checkKey(ctx: CheckContext, shard: number, key: Buffer): DecodedKey | undefined {
  try {
    return decodeKey(key);
  } catch (err) {
    const kind = key.length >= 2 && key[0] === key[1] ? key[0] : undefined;
    const known = kind !== undefined && kind >= KeyKind.Entry && kind <= KeyKind.EntryBatch;
    // keys long enough to carry a cluster and node ID name them, even when malformed
    const place = key.length >= NODE_KEY_LENGTH ? { clusterId: key.readBigUInt64BE(4), nodeId: key.readBigUInt64BE(12) } : {};
    if (known) {
      const want = kind === KeyKind.Entry || kind === KeyKind.Snapshot || kind === KeyKind.EntryBatch ? INDEXED_KEY_LENGTH : NODE_KEY_LENGTH;
      ctx.sink.add({
        code: 'bad-key',
        severity: 'error',
        shard,
        ...place,
        key,
        message: `a ${keyKindName(kind)} key in logdb-${shard} is malformed (${key.length} bytes, a ${keyKindName(kind)} key has ${want} with bytes 2-3 zero): ${(err as Error).message}`,
        hint: 'Dragonboat reads this key range and does not expect such a key; find what wrote it (a LogDB key has a fixed layout, spec §4.1)',
      });
    } else {
      ctx.sink.add({
        code: 'unknown-key',
        severity: 'warning',
        shard,
        ...place,
        key,
        message: `logdb-${shard} holds a key that is not a Dragonboat LogDB key (${key.length} bytes, starting ${key.subarray(0, 4).toString('hex')})`,
        hint: 'Dragonboat never reads it; something else wrote into this KV store',
      });
    }
    return undefined;
  }
}

/** Reads one chunk of the record sweep into `nodes`, reporting bad keys and undecodable values. */
export function readRecords(ctx: CheckContext, shard: number, chunk: KVPair[], nodes: NodeTable): void {
  for (const { key, value } of chunk) {
    const k = checkKey(ctx, shard, key);
    if (!k) continue;
    // Dragonboat treats a zero-length value as missing (§8)
    if (value.length === 0) continue;
    if (k.kind === KeyKind.NodeInfo) {
      ctx.sink.add({
        code: 'unknown-key',
        severity: 'info',
        shard,
        clusterId: k.clusterId,
        nodeId: k.nodeId,
        key,
        message: `a node-info (04 04) record for cluster ${k.clusterId} node ${k.nodeId}: the kind is defined but Dragonboat v3 never writes or reads it`,
        hint: 'nothing to do; it is ignored',
      });
      continue;
    }
    const node = nodes.get(shard, k.clusterId, k.nodeId);
    const bad = (what: string, detail: string) =>
      ctx.sink.add({
        code: 'undecodable-record',
        severity: 'error',
        shard,
        clusterId: k.clusterId,
        nodeId: k.nodeId,
        key,
        index: k.index,
        message: `the ${what} record of cluster ${k.clusterId} node ${k.nodeId} does not decode (${value.length} bytes): ${detail}; Dragonboat panics when it reads it`,
        hint: ctx.hints.rebuildReplica(k.clusterId, k.nodeId),
      });
    switch (k.kind) {
      case KeyKind.State:
        node.hasState = true;
        try {
          node.state = decodeState(value);
        } catch (err) {
          bad('state', (err as Error).message);
        }
        break;
      case KeyKind.MaxIndex:
        node.hasMaxIndex = true;
        if (value.length === MAX_INDEX_VALUE_LENGTH) node.maxIndex = value.readBigUInt64BE(0);
        else bad('max index', `a max index is 8 bytes, this one is ${value.length}`);
        break;
      case KeyKind.Snapshot:
        node.snapshotIndexes.push(k.index!);
        try {
          node.snapshots.set(k.index!, decodeSnapshot(value));
        } catch (err) {
          bad(`snapshot ${k.index}`, (err as Error).message);
        }
        break;
      case KeyKind.Bootstrap:
        node.hasBootstrap = true;
        try {
          node.bootstrap = decodeBootstrap(value);
        } catch (err) {
          bad('bootstrap', (err as Error).message);
        }
        break;
      default:
        // entry kinds are read by the entry sweep
        break;
    }
  }
}
