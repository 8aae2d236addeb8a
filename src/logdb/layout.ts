/**
 * Finding a Dragonboat LogDB on disk (spec §2.1): from a NodeHost dir (holding `dragonboat.ds`), from its
 * `<hostname>/<20-digit deployment id>` dir, or from a single `logdb-N` shard dir, work out where every shard
 * lives, where its WAL files live, which KV store wrote it, and what `dragonboat.ds` says.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { decodeFlagFile } from '../codec/flag-file.js';
import { decodeRaftDataStatus, type RaftDataStatus } from '../codec/messages.js';
import { LogdbError } from '../errors.js';
import { isDirectory, listOrEmpty, readTextOrEmpty } from '../util/fs.js';

export type Backend = 'leveldb' | 'pebble' | 'rocksdb';

export interface ShardLocation {
  index: number;
  dir: string;
  /** where this shard's WAL (`*.log`) files are: the shard dir itself unless the NodeHost had a WALDir */
  walDir: string;
  backend: Backend;
}

export interface Layout {
  /** how the input was recognised */
  kind: 'nodehost' | 'deployment' | 'shard';
  nodeHostDir: string | undefined;
  /** `<NodeHostDir>/<hostname>/<deployment id>`, the parent of the logdb-N dirs */
  deploymentDir: string | undefined;
  dataStatus: RaftDataStatus | undefined;
  hostname: string | undefined;
  deploymentId: bigint | undefined;
  /** the number of shards the LogDB was created with (from dragonboat.ds, else the logdb-N dirs found) */
  shardCount: number;
  /** the shards present, by index; a single-shard input has just that one */
  shards: ShardLocation[];
  walDir: string | undefined;
  /** Dragonboat v4's tan LogDB (`<deployment>/tandb`) instead of logdb-N shards; `shards` is then empty */
  tanDir?: string;
}

export interface LayoutOptions {
  /** the NodeHost's WALDir, laid out like the NodeHost dir (spec §2.1) */
  walDir?: string;
}

const SHARD_DIR = /^logdb-(\d+)$/;
const TAN_DIR = 'tandb';
const DEPLOYMENT_DIR = /^\d{20}$/;

export function notLogdb(message: string, hint?: string): LogdbError {
  return new LogdbError('notLogdb', message, hint);
}

/** Deployment ID 0 means "unmanaged" and is stored as 1 (§2.1). */
export function deploymentDirName(deploymentId: bigint): string {
  return (deploymentId === 0n ? 1n : deploymentId).toString().padStart(20, '0');
}

export function readDataStatus(file: string): RaftDataStatus {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw notLogdb(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  try {
    return decodeRaftDataStatus(decodeFlagFile(bytes, 'dragonboat.ds'));
  } catch (err) {
    throw new LogdbError('corrupt', `${file} is corrupt: ${(err as Error).message}`);
  }
}

export function discoverLayout(input: string, options: LayoutOptions = {}): Layout {
  const path = resolve(input);
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw notLogdb(`${input} does not exist`, 'give the NodeHost directory (the one holding dragonboat.ds)');
    throw notLogdb(`cannot read ${input}: ${code}`);
  }
  if (!st.isDirectory()) throw notLogdb(`${input} is a file, not a directory`, 'give the NodeHost directory (the one holding dragonboat.ds)');
  let names: string[];
  try {
    names = readdirSync(path);
  } catch (err) {
    throw notLogdb(`cannot list ${input}: ${(err as NodeJS.ErrnoException).code}`);
  }

  if (names.includes('dragonboat.ds')) return fromNodeHostDir(path, options);
  if (names.some((n) => SHARD_DIR.test(n) || n === TAN_DIR)) return fromDeploymentDir(path, options);
  if (basename(path) === TAN_DIR && names.includes('bootstrap')) return fromDeploymentDir(dirname(path), options);
  const shardMatch = SHARD_DIR.exec(basename(path));
  if (shardMatch && (names.includes('CURRENT') || names.some((n) => n.startsWith('MANIFEST-')))) {
    return fromShardDir(path, Number(shardMatch[1]), options);
  }
  const nested = findDeploymentDirs(path);
  if (nested.length === 1) return fromDeploymentDir(nested[0], options, path);
  if (nested.length > 1) {
    throw notLogdb(`${input} holds several LogDBs (${nested.map((d) => d.slice(path.length + 1)).join(', ')}) and no dragonboat.ds`, 'give one <hostname>/<deployment id> directory');
  }
  throw notLogdb(
    `${input} is not a Dragonboat LogDB directory: no dragonboat.ds, no logdb-N shard directories`,
    'give the NodeHost directory (the one holding dragonboat.ds), its <hostname>/<deployment id> directory, or one logdb-N directory',
  );
}

function findDeploymentDirs(root: string): string[] {
  const found: string[] = [];
  for (const host of listOrEmpty(root)) {
    const hostDir = join(root, host);
    if (!isDirectory(hostDir)) continue;
    for (const dep of listOrEmpty(hostDir)) {
      const depDir = join(hostDir, dep);
      if (DEPLOYMENT_DIR.test(dep) && isDirectory(depDir) && listOrEmpty(depDir).some((n) => SHARD_DIR.test(n) || n === TAN_DIR)) found.push(depDir);
    }
  }
  return found;
}

function fromNodeHostDir(nodeHostDir: string, options: LayoutOptions): Layout {
  const status = readDataStatus(join(nodeHostDir, 'dragonboat.ds'));
  const deploymentDir = join(nodeHostDir, status.hostname, deploymentDirName(status.deploymentId));
  if (!isDirectory(deploymentDir)) {
    const nested = findDeploymentDirs(nodeHostDir);
    const seen = nested.length ? ` (found ${nested.map((d) => d.slice(nodeHostDir.length + 1)).join(', ')})` : '';
    throw notLogdb(
      `dragonboat.ds names hostname "${status.hostname}" and deployment ${status.deploymentId}, but ${deploymentDir} does not exist${seen}`,
      nested.length === 1 ? `give ${nested[0]} directly to read it anyway` : undefined,
    );
  }
  return build('nodehost', nodeHostDir, deploymentDir, status, options);
}

function fromDeploymentDir(deploymentDir: string, options: LayoutOptions, nodeHostDir?: string): Layout {
  const candidate = nodeHostDir ?? dirname(dirname(deploymentDir));
  const dsFile = join(candidate, 'dragonboat.ds');
  const status = existsSync(dsFile) ? readDataStatus(dsFile) : undefined;
  return build(nodeHostDir ? 'nodehost' : 'deployment', status || nodeHostDir ? candidate : undefined, deploymentDir, status, options);
}

function fromShardDir(shardDir: string, index: number, options: LayoutOptions): Layout {
  const deploymentDir = dirname(shardDir);
  const nodeHostDir = dirname(dirname(deploymentDir));
  const dsFile = join(nodeHostDir, 'dragonboat.ds');
  const status = existsSync(dsFile) ? readDataStatus(dsFile) : undefined;
  const walDir = shardWalDir(shardDir, index, status, deploymentDir, options);
  return {
    kind: 'shard',
    nodeHostDir: status ? nodeHostDir : undefined,
    deploymentDir: status ? deploymentDir : undefined,
    dataStatus: status,
    hostname: status?.hostname,
    deploymentId: status?.deploymentId,
    shardCount: status ? Number(status.logdbShardCount) : 1,
    shards: [{ index, dir: shardDir, walDir, backend: detectBackend(shardDir, status) }],
    walDir: options.walDir ? resolve(options.walDir) : undefined,
  };
}

function build(
  kind: Layout['kind'],
  nodeHostDir: string | undefined,
  deploymentDir: string,
  status: RaftDataStatus | undefined,
  options: LayoutOptions,
): Layout {
  const found = listOrEmpty(deploymentDir)
    .map((n) => SHARD_DIR.exec(n))
    .filter((m): m is RegExpExecArray => m !== null && isDirectory(join(deploymentDir, m[0])))
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  const tanDir = join(deploymentDir, TAN_DIR);
  if (found.length === 0 && isDirectory(tanDir)) return tanLayout(kind, nodeHostDir, deploymentDir, tanDir, status);
  if (found.length === 0) throw notLogdb(`${deploymentDir} holds no logdb-N shard directories`);
  const shardCount = status && status.logdbShardCount > 0n ? Number(status.logdbShardCount) : found[found.length - 1] + 1;
  const shards = found
    .filter((i) => i < shardCount)
    .map((index) => {
      const dir = join(deploymentDir, `logdb-${index}`);
      return { index, dir, walDir: shardWalDir(dir, index, status, deploymentDir, options), backend: detectBackend(dir, status) };
    });
  return {
    kind,
    nodeHostDir,
    deploymentDir,
    dataStatus: status,
    ...deploymentIdentity(deploymentDir, status),
    shardCount,
    shards,
    walDir: options.walDir ? resolve(options.walDir) : undefined,
  };
}

/** Hostname and deployment ID: from dragonboat.ds, else from the `<hostname>/<deployment>` path itself. */
function deploymentIdentity(deploymentDir: string, status: RaftDataStatus | undefined): { hostname: string; deploymentId: bigint | undefined } {
  return {
    hostname: status?.hostname ?? basename(dirname(deploymentDir)),
    deploymentId: status?.deploymentId ?? (DEPLOYMENT_DIR.test(basename(deploymentDir)) ? BigInt(basename(deploymentDir)) : undefined),
  };
}

/**
 * A v4 tan LogDB (v4-format.md §6): no logdb-N shards but `<deployment>/tandb/` with a `bootstrap/` dir and one
 * `node-<cluster>-<node>/` db per node. dragonboat.ds says `Tan`; the shard count still drives the partitioner
 * Dragonboat reports shards with.
 */
function tanLayout(kind: Layout['kind'], nodeHostDir: string | undefined, deploymentDir: string, tanDir: string, status: RaftDataStatus | undefined): Layout {
  return {
    kind,
    nodeHostDir,
    deploymentDir,
    dataStatus: status,
    ...deploymentIdentity(deploymentDir, status),
    shardCount: status && status.logdbShardCount > 0n ? Number(status.logdbShardCount) : 16,
    shards: [],
    walDir: undefined,
    tanDir,
  };
}

/** `<WALDir>/<hostname>/<deployment>/logdb-N` when a WALDir is given, else the shard dir itself (§2.1). */
function shardWalDir(shardDir: string, index: number, status: RaftDataStatus | undefined, deploymentDir: string, options: LayoutOptions): string {
  if (!options.walDir) return shardDir;
  const root = resolve(options.walDir);
  const hostname = status?.hostname ?? basename(dirname(deploymentDir));
  const deployment = status ? deploymentDirName(status.deploymentId) : basename(deploymentDir);
  const nested = join(root, hostname, deployment, `logdb-${index}`);
  if (isDirectory(nested)) return nested;
  // a WAL dir given at the shard level itself
  if (SHARD_DIR.test(basename(root)) || listOrEmpty(root).some((n) => n.endsWith('.log'))) return root;
  throw notLogdb(`--wal-dir ${options.walDir} has no ${join(hostname, deployment, `logdb-${index}`)}`, 'give the NodeHost WALDir (the directory holding its own dragonboat.ds)');
}

/**
 * Which KV store wrote a shard: Pebble and RocksDB leave an `OPTIONS-*` file (Pebble's says `pebble_version`),
 * LevelDB leaves `*.ldb` tables and a `LOG`. A shard with nothing telling falls back to dragonboat.ds.
 */
export function detectBackend(shardDir: string, status?: RaftDataStatus): Backend {
  const names = listOrEmpty(shardDir);
  const options = names.find((n) => n.startsWith('OPTIONS-'));
  if (options) {
    const text = readTextOrEmpty(join(shardDir, options));
    return /rocksdb_version/.test(text) && !/pebble_version/.test(text) ? 'rocksdb' : 'pebble';
  }
  if (names.some((n) => n.endsWith('.ldb') || n === 'LOG' || n === 'LOG.old')) return 'leveldb';
  const type = status?.logdbType.toLowerCase() ?? '';
  if (type.includes('leveldb')) return 'leveldb';
  if (type.includes('rocksdb')) return 'rocksdb';
  if (type.includes('pebble')) return 'pebble';
  if (names.includes('CURRENT')) return 'leveldb';
  throw notLogdb(`${shardDir} holds no LevelDB, Pebble or RocksDB files`);
}

