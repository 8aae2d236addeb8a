/**
 * Which shard holds a cluster (spec §3). Both Dragonboat versions use `(cid % workerCount) % capacity`, with the
 * two counts swapped between them:
 *   v3.2: (clusterID % stepWorkerCount) % logdbShardCount
 *   v3.3: (clusterID % logdbShardCount) % stepWorkerCount
 * They agree whenever the two counts are equal (the default, 16/16). The version is told by `dragonboat.ds`:
 * v3.3 always writes field 11 (address_by_node_host_id), v3.2 never does, and only v3.2 had LevelDB. A file
 * without field 11 only says which version *created* the NodeHost: v3.3 keeps an existing file as it is, so a
 * RocksDB or Pebble NodeHost created by v3.2 may be run by v3.3 today. Only LevelDB pins v3.2.
 */
import type { RaftDataStatus } from '../codec/messages.js';
import { LogdbError } from '../errors.js';

export type WriterVersion = 'v3.2' | 'v3.3' | 'unknown';

export interface Partitioner {
  version: WriterVersion;
  shardCount: bigint;
  workerCount: bigint;
  shardOf(clusterId: bigint): number;
}

export function writerVersion(status: RaftDataStatus | undefined): WriterVersion {
  if (!status) return 'unknown';
  if (status.addressByNodeHostId !== null) return 'v3.3';
  return 'v3.2';
}

/** The version whose partition formula the running NodeHost uses, where dragonboat.ds makes it certain. */
function certainVersion(status: RaftDataStatus | undefined): WriterVersion {
  if (!status) return 'unknown';
  if (status.addressByNodeHostId !== null) return 'v3.3';
  return status.logdbType.toLowerCase().includes('leveldb') ? 'v3.2' : 'unknown';
}

export function makePartitioner(status: RaftDataStatus | undefined, shardCount: number): Partitioner {
  const shards = status && status.logdbShardCount > 0n ? status.logdbShardCount : BigInt(shardCount);
  const workers = status && status.stepWorkerCount > 0n ? status.stepWorkerCount : shards;
  const version = certainVersion(status);
  return {
    version,
    shardCount: shards,
    workerCount: workers,
    shardOf(clusterId: bigint): number {
      const v32 = (clusterId % workers) % shards;
      const v33 = (clusterId % shards) % workers;
      if (version === 'v3.2') return Number(v32);
      if (version === 'v3.3') return Number(v33);
      if (v32 !== v33) {
        throw new LogdbError(
          'unsupported',
          `cannot tell which shard holds cluster ${clusterId}: with ${shards} shards and ${workers} step workers Dragonboat v3.2 puts it in shard ${v32} and v3.3 in shard ${v33}, and dragonboat.ds does not tell which version runs this NodeHost`,
          'read the shard directly: logdb <command> <NodeHost dir>/<host>/<deployment>/logdb-N',
        );
      }
      return Number(v32);
    },
  };
}
