/**
 * The Snapshot record an import writes (spec §10.3 step 9, §5.5; tools.ImportSnapshot's
 * getProcessedSnapshotRecord). It goes into `dragonboat.snapshot.message` of the new snapshot dir and, through
 * LogDB.ImportSnapshot (§8.13), into the node's `05 05` snapshot key.
 *
 * From the export's snapshot.metadata record (`old`):
 *   filepath       finalDir + base name of old.filepath
 *   file_size, index, term, checksum, dummy, type, cluster_id     copied
 *   files          copied, each filepath rewritten to finalDir + its base name (`external-file-<id>`)
 *   imported       true
 *   on_disk_index  0, witness false (not copied)
 *   membership     config_change_id = old.index; addresses = the member map; observers = witnesses = {};
 *                  removed = every old address/observer/witness ID not in the member map, plus every old removed
 *                  ID, each with the value true
 * Go writes the maps in random order; this record's Maps are in ascending ID order (and so is encodeSnapshot's
 * default output), so compare records decoded.
 */
import { basename, join } from 'node:path';
import type { Membership, Snapshot } from '../codec/messages.js';
import { LogdbError } from '../errors.js';

const ascending = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

function sortedMap<V>(entries: Iterable<[bigint, V]>): Map<bigint, V> {
  return new Map([...entries].sort((a, b) => ascending(a[0], b[0])));
}

/** §10.3 step 9. `gbsnapName` is the data file actually present in the export (must be old.filepath's base name). */
export function buildImportRecord(old: Snapshot, members: Map<bigint, string>, finalDir: string, gbsnapName: string): Snapshot {
  const recorded = basename(old.filepath);
  if (recorded !== gbsnapName) {
    throw new LogdbError(
      'invalidSnapshot',
      `snapshot.metadata names the data file "${recorded}" but the export holds "${gbsnapName}"`,
      'rename the .gbsnap file back to the name the metadata records, or export the snapshot again',
    );
  }
  const removed = new Map<bigint, boolean>();
  const prev = old.membership;
  for (const ids of [prev.addresses.keys(), prev.observers.keys(), prev.witnesses.keys()]) {
    for (const id of ids) if (!members.has(id)) removed.set(id, true);
  }
  for (const id of prev.removed.keys()) removed.set(id, true);

  const membership: Membership = {
    configChangeId: old.index,
    addresses: sortedMap(members.entries()),
    removed: sortedMap(removed.entries()),
    observers: new Map(),
    witnesses: new Map(),
  };
  return {
    filepath: join(finalDir, recorded),
    fileSize: old.fileSize,
    index: old.index,
    term: old.term,
    membership,
    files: old.files.map((f) => ({
      filepath: join(finalDir, basename(f.filepath)),
      fileSize: f.fileSize,
      fileId: f.fileId,
      metadata: f.metadata === null ? null : Buffer.from(f.metadata),
    })),
    checksum: old.checksum === null ? null : Buffer.from(old.checksum),
    dummy: old.dummy,
    clusterId: old.clusterId,
    type: old.type,
    imported: true,
    onDiskIndex: 0n,
    witness: false,
  };
}
