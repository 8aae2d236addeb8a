/**
 * Names inside a tan directory (v4-format.md §6 "Directory layout"; internal/tan filename.go):
 *   <deployment>/tandb/bootstrap/BOOTSTRAP-<shard>-<replica>   (decimal IDs; `.tmp` while written)
 *       + BOOTSTRAP-<shard>-<replica>.logdb-pending-%06d        logdb's import-snapshot, until it finishes (pending.ts)
 *   <deployment>/tandb/node-<shard>-<replica>/                  one tan db per node ("regular" mode)
 *       CURRENT  MANIFEST-%06d  %06d.log  %06d.index  (+ *.logtmp, *.idxtmp, CURRENT-%06d.dbtmp temporaries)
 */
import { join } from 'node:path';

export const TAN_DIR = 'tandb';
export const BOOTSTRAP_DIR = 'bootstrap';
const BOOTSTRAP_FILE = /^BOOTSTRAP-(\d+)-(\d+)$/;
const NODE_DIR = /^node-(\d+)-(\d+)$/;
const LOG_FILE = /^(\d{6,})\.log$/;
const INDEX_FILE = /^(\d{6,})\.index$/;
const MANIFEST_FILE = /^MANIFEST-(\d{6,})$/;
const PENDING_BOOTSTRAP_FILE = /^BOOTSTRAP-(\d+)-(\d+)\.logdb-pending-(\d{6,})$/;

const num = (n: number) => String(n).padStart(6, '0');

export const bootstrapFile = (tanDir: string, c: bigint, n: bigint) => join(tanDir, BOOTSTRAP_DIR, `BOOTSTRAP-${c}-${n}`);
export const nodeDir = (tanDir: string, c: bigint, n: bigint) => join(tanDir, `node-${c}-${n}`);
export const logFile = (dir: string, fileNum: number) => join(dir, `${num(fileNum)}.log`);
export const indexFile = (dir: string, fileNum: number) => join(dir, `${num(fileNum)}.index`);
export const manifestName = (fileNum: number) => `MANIFEST-${num(fileNum)}`;
export const pendingBootstrapFile = (tanDir: string, c: bigint, n: bigint, manifestNum: number) =>
  join(tanDir, BOOTSTRAP_DIR, `BOOTSTRAP-${c}-${n}.logdb-pending-${num(manifestNum)}`);
export const currentTempFile = (dir: string, fileNum: number) => join(dir, `CURRENT-${num(fileNum)}.dbtmp`);

function ids(re: RegExp, name: string): { clusterId: bigint; nodeId: bigint } | undefined {
  const m = re.exec(name);
  if (!m) return undefined;
  const clusterId = BigInt(m[1]!);
  const nodeId = BigInt(m[2]!);
  return clusterId < 2n ** 64n && nodeId < 2n ** 64n ? { clusterId, nodeId } : undefined;
}

export const parseBootstrapName = (name: string) => ids(BOOTSTRAP_FILE, name);
export const parseNodeDirName = (name: string) => ids(NODE_DIR, name);

/** `BOOTSTRAP-<c>-<n>.logdb-pending-<MANIFEST number>`: the node and the MANIFEST that commits it. */
export function parsePendingBootstrapName(name: string): { clusterId: bigint; nodeId: bigint; manifestNum: number } | undefined {
  const m = PENDING_BOOTSTRAP_FILE.exec(name);
  const node = m ? ids(BOOTSTRAP_FILE, `BOOTSTRAP-${m[1]}-${m[2]}`) : undefined;
  return node && { ...node, manifestNum: Number(m![3]) };
}

export function parseFileNum(name: string): { kind: 'log' | 'index' | 'manifest'; fileNum: number } | undefined {
  for (const [kind, re] of [['log', LOG_FILE], ['index', INDEX_FILE], ['manifest', MANIFEST_FILE]] as const) {
    const m = re.exec(name);
    if (m) return { kind, fileNum: Number(m[1]) };
  }
  return undefined;
}
