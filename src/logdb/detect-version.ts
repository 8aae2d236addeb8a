/**
 * Which Dragonboat wrote a NodeHost directory (v3.2, v3.3 or v4), and which LogDB type it runs, from the files
 * alone. Each fact found is one piece of evidence with the versions it is consistent with; the answer is what all
 * of them agree on, so `info` can say both what and why, and a directory two versions have touched in ways that
 * cannot coexist is reported as conflicting instead of guessed.
 *
 * Evidence (v4-format.md §3, §4, §6; logdb-format.md §2):
 *   - NODEHOST.ID: v4 stores a 16-byte UUID, v3.3 an 8-byte integer, v3.2 has no such file (v3.3 and v4 write one
 *     at every start). Each version panics on the other's payload, so this one is decisive.
 *   - the LogDB files: a `tandb/` dir is v4's tan (tan exists only in v4); Pebble's OPTIONS with
 *     `format_major_version` come from the Pebble v4 pins (0f086d933dac, 2022-12), OPTIONS without it from the
 *     2021 Pebble of v3.x; RocksDB was removed in v4; the LevelDB plugin exists only in v3.2.
 *   - dragonboat.ds: LogDB type "Tan"/"tan-pebble-tee" is v4; field 11 (address_by_node_host_id) is written by
 *     v3.3 and v4 when they create the file; a file without it was created by v3.2 (later versions keep it).
 *   - snapshot records (given by the caller, who can read the LogDB): v4 keeps one per node; several for a node
 *     is v3's habit. v4 leaves a pile it inherited until that node's next snapshot, so this is only a hint.
 * Works on any layout: a NodeHost dir, its `<hostname>/<deployment>` dir or one `logdb-N` dir; nothing is written.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { decodeFlagFile } from '../codec/flag-file.js';
import { decodeRaftDataStatus, type RaftDataStatus } from '../codec/messages.js';
import { readLatestOptions } from '../kv/pebble/options-file.js';
import { isDirectory, listOrEmpty } from '../util/fs.js';
import { deploymentDirName } from './layout.js';

export type DragonboatVersion = 'v3.2' | 'v3.3' | 'v4';
/** As dragonboat.ds names them (plugin/tan's is "Tan"). */
export type LogdbType = 'sharded-pebble' | 'sharded-rocksdb' | 'sharded-leveldb' | 'Tan' | 'unknown';

const ALL: readonly DragonboatVersion[] = ['v3.2', 'v3.3', 'v4'];

export interface Evidence {
  /** where the fact comes from: a file name or 'snapshot records' */
  source: string;
  fact: string;
  /** the versions this fact is consistent with */
  consistentWith: DragonboatVersion[];
  /** a hint only: not used to decide (see the module comment) */
  hint?: true;
}

export interface VersionReport {
  /** the one version every decisive fact agrees on; null when they leave several or none */
  version: DragonboatVersion | null;
  /** the versions still possible (empty: the facts conflict) */
  candidates: DragonboatVersion[];
  logdbType: LogdbType;
  /** the NODEHOST.ID as Dragonboat shows it: a UUID (v4) or `nhid-<decimal>` (v3.3) */
  nodeHostId: string | null;
  evidence: Evidence[];
  /** the answer in a few words, e.g. "Dragonboat v4, sharded-pebble" */
  verdict: string;
  /** the answer and the decisive reasons, one sentence */
  summary: string;
}

export interface DetectInput {
  nodeHostDir?: string;
  deploymentDir?: string;
  dataStatus?: RaftDataStatus;
  /** the most snapshot records any one node has, when the caller read them */
  maxSnapshotRecordsPerNode?: number;
}

const SHARD_DIR = /^logdb-\d+$/;

/** Finds the NodeHost dir and deployment dir for `path` (any of the three layouts; tan dirs too). */
export function locateDirs(path: string): DetectInput {
  const p = resolve(path);
  const own = SHARD_DIR.test(basename(p)) ? dirname(p) : p;
  let dir = p;
  for (let up = 0; up < 4; up++) {
    if (existsSync(join(dir, 'dragonboat.ds'))) {
      let dataStatus: RaftDataStatus | undefined;
      try {
        dataStatus = decodeRaftDataStatus(decodeFlagFile(readFileSync(join(dir, 'dragonboat.ds')), 'dragonboat.ds'));
      } catch {
        dataStatus = undefined;
      }
      const named = dataStatus ? join(dir, dataStatus.hostname, deploymentDirName(dataStatus.deploymentId)) : undefined;
      return { nodeHostDir: dir, deploymentDir: up === 0 ? (named && isDirectory(named) ? named : undefined) : own, dataStatus };
    }
    if (dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  return { deploymentDir: own };
}

function nodeHostIdEvidence(nodeHostDir: string | undefined): { evidence?: Evidence; id: string | null } {
  if (!nodeHostDir) return { id: null };
  const file = join(nodeHostDir, 'NODEHOST.ID');
  if (!existsSync(file)) {
    return { id: null, evidence: { source: 'NODEHOST.ID', fact: 'absent: Dragonboat v3.3 and v4 write it at every NodeHost start, v3.2 never', consistentWith: ['v3.2'] } };
  }
  let payload: Buffer;
  try {
    payload = decodeFlagFile(readFileSync(file), 'NODEHOST.ID');
  } catch {
    return { id: null, evidence: { source: 'NODEHOST.ID', fact: 'present but unreadable (bad flag-file hash)', consistentWith: ['v3.3', 'v4'] } };
  }
  if (payload.length === 16) {
    const hex = payload.toString('hex');
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    return { id, evidence: { source: 'NODEHOST.ID', fact: 'a 16-byte UUID, which only v4 writes (v3.3 stores 8 bytes)', consistentWith: ['v4'] } };
  }
  if (payload.length === 8) {
    return { id: `nhid-${payload.readBigUInt64LE(0)}`, evidence: { source: 'NODEHOST.ID', fact: 'an 8-byte integer, which only v3.3 writes (v4 stores a 16-byte UUID)', consistentWith: ['v3.3'] } };
  }
  return { id: null, evidence: { source: 'NODEHOST.ID', fact: `a ${payload.length}-byte payload, which no Dragonboat writes`, consistentWith: [] } };
}

function dataStatusEvidence(ds: RaftDataStatus | undefined): { evidence: Evidence[]; type?: LogdbType } {
  if (!ds) return { evidence: [] };
  const out: Evidence[] = [];
  const t = ds.logdbType;
  let type: LogdbType | undefined;
  if (t === 'Tan' || t === 'tan-pebble-tee') {
    type = 'Tan';
    out.push({ source: 'dragonboat.ds', fact: `LogDB type "${t}", which only v4 has`, consistentWith: ['v4'] });
  } else if (/leveldb/i.test(t)) type = 'sharded-leveldb';
  else if (/rocksdb/i.test(t)) type = 'sharded-rocksdb';
  else if (/pebble/i.test(t)) type = 'sharded-pebble';
  if (ds.addressByNodeHostId === null) {
    out.push({ source: 'dragonboat.ds', fact: 'no field 11 (address_by_node_host_id): the NodeHost dir was created by v3.2 (later versions keep the file as it is)', consistentWith: [...ALL] });
  } else {
    out.push({ source: 'dragonboat.ds', fact: 'has field 11 (address_by_node_host_id), which v3.3 and v4 write and v3.2 does not', consistentWith: ['v3.3', 'v4'] });
  }
  return { evidence: out, type };
}

/** The LogDB files under the deployment dir: tandb/, or the logdb-N shards' KV store and its version. */
function filesEvidence(deploymentDir: string | undefined): { evidence: Evidence[]; type?: LogdbType } {
  if (!deploymentDir) return { evidence: [] };
  const names = listOrEmpty(deploymentDir);
  if (names.includes('tandb') && isDirectory(join(deploymentDir, 'tandb'))) {
    return { evidence: [{ source: 'tandb/', fact: 'a tan LogDB directory: tan exists only in v4', consistentWith: ['v4'] }], type: 'Tan' };
  }
  const shards = (SHARD_DIR.test(basename(deploymentDir)) ? [deploymentDir] : names.filter((n) => SHARD_DIR.test(n)).map((n) => join(deploymentDir, n))).sort();
  for (const shard of shards) {
    const shardNames = listOrEmpty(shard);
    const options = readLatestOptions(shard, shardNames);
    const where = `${basename(shard)}/${options?.name ?? ''}`;
    if (options?.flavour === 'pebble') {
      const opts = options.sections.get('Options');
      if (opts?.has('format_major_version')) {
        return {
          evidence: [{ source: where, fact: `Pebble options with format_major_version=${opts.get('format_major_version')}: the Pebble of 2022-12 that v4 pins (v3.x pins 2021 Pebbles without that key)`, consistentWith: ['v4'] }],
          type: 'sharded-pebble',
        };
      }
      return { evidence: [{ source: where, fact: 'Pebble options without format_major_version: a 2021 Pebble, as v3.x pins (v4 writes that key)', consistentWith: ['v3.2', 'v3.3'] }], type: 'sharded-pebble' };
    }
    if (options?.flavour === 'rocksdb') {
      return { evidence: [{ source: where, fact: 'RocksDB options: v4 removed RocksDB', consistentWith: ['v3.2', 'v3.3'] }], type: 'sharded-rocksdb' };
    }
    if (shardNames.some((n) => n.endsWith('.ldb') || n === 'LOG')) {
      return { evidence: [{ source: basename(shard), fact: 'LevelDB files: the LevelDB plugin exists only in v3.2', consistentWith: ['v3.2'] }], type: 'sharded-leveldb' };
    }
  }
  return { evidence: [] };
}

function snapshotEvidence(maxPerNode: number | undefined): Evidence[] {
  if (maxPerNode === undefined || maxPerNode <= 1) return [];
  return [
    {
      source: 'snapshot records',
      fact: `a node has ${maxPerNode} snapshot records: v3 keeps several, v4 keeps one (it leaves those it inherited from v3 until the node's next snapshot)`,
      consistentWith: ['v3.2', 'v3.3'],
      hint: true,
    },
  ];
}

export function detectVersion(input: DetectInput): VersionReport {
  const id = nodeHostIdEvidence(input.nodeHostDir);
  const ds = dataStatusEvidence(input.dataStatus);
  const files = filesEvidence(input.deploymentDir);
  const evidence = [...(id.evidence ? [id.evidence] : []), ...files.evidence, ...ds.evidence, ...snapshotEvidence(input.maxSnapshotRecordsPerNode)];
  let candidates = [...ALL];
  for (const e of evidence) if (!e.hint) candidates = candidates.filter((v) => e.consistentWith.includes(v));
  const version = candidates.length === 1 ? candidates[0]! : null;
  const logdbType = files.type ?? ds.type ?? 'unknown';
  const verdict = describeVerdict(version, candidates, logdbType);
  return { version, candidates, logdbType, nodeHostId: id.id, evidence, verdict, summary: summarize(verdict, evidence) };
}

function describeVerdict(version: DragonboatVersion | null, candidates: DragonboatVersion[], type: LogdbType): string {
  const kind = type === 'unknown' ? 'an unknown LogDB type' : type;
  if (version) return `Dragonboat ${version}, ${kind}`;
  if (candidates.length === 0) return `conflicting evidence: no one Dragonboat version writes all of this (${kind})`;
  return `Dragonboat ${candidates.join(' or ')}, ${kind}`;
}

function summarize(verdict: string, evidence: Evidence[]): string {
  const decisive = evidence.filter((e) => !e.hint && e.consistentWith.length < ALL.length);
  return decisive.length ? `${verdict}: ${decisive.map((e) => `${e.source}: ${e.fact}`).join('; ')}` : `${verdict}: nothing on disk tells the version`;
}
