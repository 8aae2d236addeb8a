/** The JSON shape of a snapshot record (README "JSON field reference"). */
import { stateMachineTypeName } from '../../codec/enums.js';
import type { Membership, Snapshot } from '../../codec/messages.js';
import { toJson, type Json } from '../json.js';

export function membershipView(m: Membership): Json {
  return toJson({
    configChangeId: m.configChangeId,
    addresses: m.addresses,
    removed: m.removed,
    observers: m.observers,
    witnesses: m.witnesses,
  });
}

export function snapshotView(s: Snapshot): Json {
  return {
    index: s.index.toString(),
    term: s.term.toString(),
    filepath: s.filepath,
    fileSize: s.fileSize.toString(),
    membership: membershipView(s.membership),
    files: s.files.map((f) => ({
      fileId: f.fileId.toString(),
      filepath: f.filepath,
      fileSize: f.fileSize.toString(),
      metadata: f.metadata ? f.metadata.toString('base64') : null,
    })),
    checksum: s.checksum ? s.checksum.toString('base64') : null,
    dummy: s.dummy,
    clusterId: s.clusterId.toString(),
    type: stateMachineTypeName(s.type),
    imported: s.imported,
    onDiskIndex: s.onDiskIndex.toString(),
    witness: s.witness,
  };
}
