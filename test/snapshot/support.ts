/**
 * Helpers shared by the snapshot tests: file-tree listings in the shape of the fixtures' snapshot-dirs.json, and
 * a Snapshot record rendered the way the fixtures' JSON decodes one (uint64 as decimal strings, bytes as hex,
 * maps as objects).
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from '../../src/codec/messages.js';
import { stateMachineTypeName } from '../../src/codec/enums.js';

export const BACKENDS = ['leveldb-v3.2.8', 'pebble-v3.3.8'] as const;
/** Where the fixtures' NodeHost lived when Dragonboat wrote them. */
export const FIXTURE_DEPLOYMENT_DIR = '/var/lib/dragonboat/nodehost/fixturehost/00000000000000000001';
/** A before/after dataset's deployment dir, relative to the dataset folder. */
export const DEPLOYMENT_SUBDIR = 'nodehost/fixturehost/00000000000000000001';

export interface TreeEntry {
  path: string;
  isDir?: true;
  size?: number;
  sha256?: string;
  mode?: number;
  mtimeMs?: number;
}

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** Every file and directory below `root` (not root itself), sorted by path, relative with '/' separators. */
export function listTree(root: string, withStat = false): TreeEntry[] {
  const out: TreeEntry[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const relPath = rel ? `${rel}/${name}` : name;
      const st = lstatSync(path);
      if (st.isDirectory()) {
        out.push({ path: relPath, isDir: true });
        walk(path, relPath);
      } else {
        const entry: TreeEntry = { path: relPath, size: st.size, sha256: sha256(readFileSync(path)) };
        if (withStat) {
          entry.mode = st.mode;
          entry.mtimeMs = st.mtimeMs;
        }
        out.push(entry);
      }
    }
  };
  walk(root, '');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const mapObject = <V>(m: Map<bigint, V>) => Object.fromEntries([...m.entries()].map(([k, v]) => [k.toString(), v]));

/** A Snapshot as the fixtures' JSON shows a decoded one. */
export function snapshotJson(s: Snapshot): Record<string, unknown> {
  return {
    filepath: s.filepath,
    fileSize: s.fileSize.toString(),
    index: s.index.toString(),
    term: s.term.toString(),
    membership: {
      configChangeId: s.membership.configChangeId.toString(),
      addresses: mapObject(s.membership.addresses),
      removed: mapObject(s.membership.removed),
      observers: mapObject(s.membership.observers),
      witnesses: mapObject(s.membership.witnesses),
    },
    files: s.files.map((f) => ({
      filepath: f.filepath,
      fileSize: f.fileSize.toString(),
      fileId: f.fileId.toString(),
      ...(f.metadata === null ? {} : { metadata: f.metadata.toString('hex') }),
    })),
    ...(s.checksum === null ? {} : { checksum: s.checksum.toString('hex') }),
    dummy: s.dummy,
    clusterId: s.clusterId.toString(),
    type: s.type,
    typeName: stateMachineTypeName(s.type),
    imported: s.imported,
    onDiskIndex: s.onDiskIndex.toString(),
    witness: s.witness,
  };
}

/** `s` with every path under `from` moved under `to` (records hold absolute paths). */
export function rebasePaths(s: Snapshot, from: string, to: string): Snapshot {
  const move = (p: string) => (p.startsWith(from + '/') ? to + p.slice(from.length) : p);
  return { ...s, filepath: move(s.filepath), files: s.files.map((f) => ({ ...f, filepath: move(f.filepath) })) };
}

/** Builds a Map<bigint,string> from the fixtures' `{ "1": "addr", … }`. */
export function membersFromJson(obj: Record<string, string>): Map<bigint, string> {
  return new Map(Object.entries(obj).map(([k, v]) => [BigInt(k), v]));
}
