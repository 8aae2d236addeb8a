/**
 * The files behind a node's snapshot records (§2.5, §10.1): each record names a `.gbsnap` file and, for on-disk
 * state machines, external files; each must exist with the recorded size. With --deep, the `.gbsnap` is read:
 * its header and tail must decode, its V2 payload checksum (the CRC32 of the stored block CRCs, what
 * `tools.ImportSnapshot` compares) must equal the record's checksum, and every block's data must match its CRC.
 *
 * NodeHost recovers a node from its NEWEST snapshot, so damage there is an error; older records are only kept
 * until Dragonboat garbage-collects them (ImportSnapshot even keeps an older record whose directory it deleted),
 * so the same damage there is a warning. Dummy and witness snapshots have no file.
 */
import { closeSync, openSync, statSync } from 'node:fs';
import { computeV1PayloadChecksum, readGbsnapLayout, verifyBlockCrcs } from '../../codec/gbsnap.js';
import type { Snapshot } from '../../codec/messages.js';
import type { CheckContext } from './context.js';
import type { Severity } from './finding.js';
import { newestSnapshotIndex, type NodeRecords } from './node-records.js';
import { locateSnapshotFile, type SnapshotFileLocation } from './snapshot-paths.js';

interface RecordPlace {
  node: NodeRecords;
  index: bigint;
  severity: Severity;
}

export function checkSnapshotFiles(ctx: CheckContext, node: NodeRecords, deploymentDir: string | undefined): void {
  const newest = newestSnapshotIndex(node);
  const moved: SnapshotFileLocation[] = [];
  for (const index of node.snapshotIndexes) {
    const snapshot = node.snapshots.get(index);
    if (!snapshot || snapshot.dummy || snapshot.witness) continue;
    const place: RecordPlace = { node, index, severity: index === newest ? 'error' : 'warning' };
    const gbsnap = locateSnapshotFile(snapshot.filepath, deploymentDir, node.clusterId, node.nodeId);
    if (gbsnap.elsewhere) moved.push(gbsnap);
    const size = checkFile(ctx, place, gbsnap, snapshot.fileSize, 'its .gbsnap file');
    if (size !== undefined && ctx.deep) checkGbsnapContent(ctx, place, gbsnap.path, size, snapshot);
    for (const file of snapshot.files) {
      const where = locateSnapshotFile(file.filepath, deploymentDir, node.clusterId, node.nodeId);
      checkFile(ctx, place, where, file.fileSize, `its external file ${file.fileId}`);
    }
  }
  if (moved.length) reportMoved(ctx, node, moved);
}

function describe(place: RecordPlace): string {
  const { node, index } = place;
  return `snapshot ${index} of cluster ${node.clusterId} node ${node.nodeId}${place.severity === 'error' ? ' (the newest, which NodeHost recovers from)' : ' (an older one; NodeHost only reads the newest)'}`;
}

function hintFor(ctx: CheckContext, place: RecordPlace): string {
  const { node } = place;
  if (place.severity === 'error') return `${ctx.hints.lsSnapshots(node.clusterId, node.nodeId)}; then ${ctx.hints.rebuildReplica(node.clusterId, node.nodeId)}`;
  return `${ctx.hints.lsSnapshots(node.clusterId, node.nodeId)}; harmless unless you need this snapshot`;
}

/** Checks existence and size; returns the actual size when the file is there. */
function checkFile(ctx: CheckContext, place: RecordPlace, where: SnapshotFileLocation, recordedSize: bigint, what: string): number | undefined {
  const { node } = place;
  let size: number;
  try {
    const st = statSync(where.path);
    if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOTFILE' });
    size = st.size;
  } catch {
    const also = where.path !== where.recorded ? ` (the record names ${where.recorded}, outside this NodeHost dir)` : '';
    ctx.sink.add({
      code: 'snapshot-file-missing',
      severity: place.severity,
      shard: node.shard,
      clusterId: node.clusterId,
      nodeId: node.nodeId,
      index: place.index,
      message: `${describe(place)}: ${what} ${where.path} does not exist${also}`,
      hint: hintFor(ctx, place),
    });
    return undefined;
  }
  if (BigInt(size) !== recordedSize) {
    ctx.sink.add({
      code: 'snapshot-file-size',
      severity: place.severity,
      shard: node.shard,
      clusterId: node.clusterId,
      nodeId: node.nodeId,
      index: place.index,
      message: `${describe(place)}: ${what} ${where.path} is ${size} bytes, the record says ${recordedSize}${BigInt(size) < recordedSize ? ' (truncated?)' : ''}`,
      hint: hintFor(ctx, place),
    });
  }
  return size;
}

function checkGbsnapContent(ctx: CheckContext, place: RecordPlace, path: string, size: number, snapshot: Snapshot): void {
  const { node } = place;
  const report = (code: 'snapshot-file-corrupt' | 'snapshot-checksum' | 'snapshot-block-crc', message: string) =>
    ctx.sink.add({ code, severity: place.severity, shard: node.shard, clusterId: node.clusterId, nodeId: node.nodeId, index: place.index, message: `${describe(place)}: ${path}: ${message}`, hint: hintFor(ctx, place) });
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    report('snapshot-file-corrupt', `cannot be opened: ${(err as NodeJS.ErrnoException).code ?? err}`);
    return;
  }
  try {
    let layout;
    try {
      layout = readGbsnapLayout(fd, size);
    } catch (err) {
      report('snapshot-file-corrupt', (err as Error).message);
      return;
    }
    if (layout.headerChecksumOk === false) report('snapshot-file-corrupt', 'the snapshot header does not match its header checksum');
    if (!layout.reservedCrcOk) report('snapshot-file-corrupt', 'the reserved CRC slot after the header is neither zero nor the header CRC (Dragonboat panics)');
    const recorded = snapshot.checksum;
    if (layout.isV1) {
      const computed = computeV1PayloadChecksum(fd, size);
      if (recorded && !computed.equals(recorded)) report('snapshot-checksum', `the payload checksum is ${computed.toString('hex')}, the record says ${recorded.toString('hex')}`);
      return;
    }
    if (!layout.isV2) {
      report('snapshot-file-corrupt', `unknown snapshot file version ${layout.version}`);
      return;
    }
    if (!layout.blocks || !layout.payloadChecksumFromStoredCrcs) {
      report('snapshot-file-corrupt', layout.blockLayoutError ?? 'no payload blocks');
      return;
    }
    if (layout.tail && !layout.tail.magicOk) report('snapshot-file-corrupt', `the tail magic is ${layout.tail.magic.toString('hex')}, not 3f5bcbf1faba819f`);
    else if (layout.tail && !layout.tail.totalOk) report('snapshot-file-corrupt', `the tail says ${layout.tail.totalBlockBytes} block bytes, the file holds ${size - 1024 - 16}`);
    const fromCrcs = layout.payloadChecksumFromStoredCrcs;
    if (recorded && !fromCrcs.equals(recorded)) {
      report('snapshot-checksum', `the payload checksum over the stored block CRCs is ${fromCrcs.toString('hex')}, the record says ${recorded.toString('hex')}`);
    } else if (layout.header.payloadChecksum && !fromCrcs.equals(layout.header.payloadChecksum)) {
      report('snapshot-checksum', `the payload checksum over the stored block CRCs is ${fromCrcs.toString('hex')}, the file header says ${layout.header.payloadChecksum.toString('hex')}`);
    }
    for (const block of verifyBlockCrcs(fd, size)) {
      if (block.ok) continue;
      report('snapshot-block-crc', `block ${block.index} (${block.dataLength} bytes at offset ${block.offset}) has CRC ${block.computedCrc.toString('hex')}, the stored CRC is ${block.storedCrc.toString('hex')}`);
    }
  } finally {
    closeSync(fd);
  }
}

function reportMoved(ctx: CheckContext, node: NodeRecords, moved: SnapshotFileLocation[]): void {
  const foundHere = moved.filter((m) => m.foundHere).length;
  const example = moved[moved.length - 1];
  ctx.sink.add({
    code: 'snapshot-records-moved',
    severity: 'warning',
    shard: node.shard,
    clusterId: node.clusterId,
    nodeId: node.nodeId,
    message:
      `the snapshot records of cluster ${node.clusterId} node ${node.nodeId} name files outside this NodeHost directory (e.g. ${example.recorded}): it was moved or copied. ` +
      (foundHere === moved.length
        ? 'The files are at the same place under this directory and were checked there, but Dragonboat opens the recorded paths'
        : `${foundHere} of ${moved.length} files are at the same place under this directory; Dragonboat opens the recorded paths`),
    hint: 'run the NodeHost from the directory the records name, or move the directory back there',
  });
}
