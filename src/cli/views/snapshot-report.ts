/** show-snapshot's output: the report as JSON (README "show-snapshot"), or sections for people. */
import { stateMachineTypeName } from '../../codec/enums.js';
import type { SnapshotReport } from '../../snapshot/show.js';
import { stdoutColour } from '../colour.js';
import type { Json } from '../json.js';
import { renderFields, renderTable } from '../table.js';
import { membershipView, snapshotView } from './snapshot.js';

export function snapshotReportJson(r: SnapshotReport): Json {
  return {
    source: r.source,
    header: r.header as Json,
    blocks: r.blocks as unknown as Json,
    tail: r.tail,
    payload: r.payload,
    sessions: r.sessions ? { capacity: r.sessions.capacity, count: r.sessions.sessions.length, sessions: r.sessions.sessions as unknown as Json } : null,
    files: r.files,
    membership: r.record ? membershipView(r.record.membership) : null,
    record: r.record ? snapshotView(r.record) : null,
    findings: r.findings as unknown as Json,
  };
}

function section(title: string): string {
  return `\n${stdoutColour.bold(title)}\n`;
}

function ids(m: Map<bigint, unknown>): string {
  return [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((k) => `${k}${typeof m.get(k) === 'string' ? ` ${m.get(k)}` : ''}`).join(', ') || '-';
}

export function snapshotReportText(r: SnapshotReport): string {
  let text = '';
  const fields: [string, string][] = [['file', r.source.gbsnap ?? '(none)']];
  if (r.record) {
    const s = r.record;
    fields.push(
      ['record', `${r.source.recordFrom}: index ${s.index}, term ${s.term}, cluster ${s.clusterId}, ${stateMachineTypeName(s.type)}${s.dummy ? ', dummy' : ''}${s.imported ? ', imported' : ''}${s.witness ? ', witness' : ''}${s.onDiskIndex ? `, on-disk index ${s.onDiskIndex}` : ''}`],
    );
  }
  const h = r.header;
  if (h) {
    fields.push(
      ['size', `${h.fileSize} bytes`],
      ['version', String(h.version)],
      ['checksum type', String(h.checksumType)],
      ['compression', String(h.compressionType)],
      ['session size', String(h.sessionSize)],
      ['written at', `${h.unreliableTime} (ns since 1970)`],
      ['header checksum', `${h.headerChecksum ?? '(none)'}${h.headerChecksumOk === true ? ' (verifies)' : h.headerChecksumOk === false ? ' (MISMATCH)' : ''}`],
    );
  }
  if (r.payload) {
    const p = r.payload;
    fields.push(
      ['payload checksum', `${p.checksum ?? '(none)'} (${p.verifies ? 'verifies' : `does not verify: block CRCs give ${p.checksumFromStoredCrcs ?? '-'}, data gives ${p.checksumFromData ?? '-'}`})`],
      ['payload', p.streamBytes === null ? 'does not decode' : `${p.streamBytes} bytes decompressed: ${p.sessionTableBytes} of session table, ${p.stateMachineBytes} for the state machine`],
    );
  }
  text += renderFields(fields);
  if (r.blocks.length) {
    text += section('Blocks');
    text += renderTable(
      [{ header: 'BLOCK', align: 'right' }, { header: 'OFFSET', align: 'right' }, { header: 'BYTES', align: 'right' }, { header: 'STORED CRC' }, { header: 'COMPUTED' }, { header: 'OK' }],
      r.blocks.map((b) => [String(b.index), String(b.offset), String(b.dataLength), b.storedCrc, b.computedCrc, b.ok ? 'yes' : 'NO']),
    );
  }
  if (r.sessions) {
    text += section(`Client sessions (${r.sessions.sessions.length}, capacity ${r.sessions.capacity})`);
    if (r.sessions.sessions.length) {
      text += renderTable(
        [{ header: 'CLIENT', align: 'right' }, { header: 'RESPONDED UP TO', align: 'right' }, { header: 'RESULTS KEPT' }],
        r.sessions.sessions.map((s) => [s.clientId, s.respondedUpTo, s.history.map((x) => `${x.seriesId}→${x.value}`).join(', ') || '-']),
      );
    }
  }
  if (r.files.length) {
    text += section('External files');
    text += renderTable(
      [{ header: 'ID', align: 'right' }, { header: 'SIZE', align: 'right' }, { header: 'PRESENT' }, { header: 'METADATA' }, { header: 'PATH' }],
      r.files.map((f) => [f.fileId, f.fileSize, f.present ? (f.actualSize === f.fileSize ? 'yes' : `size ${f.actualSize}`) : 'MISSING', f.metadata ?? '-', f.path]),
    );
  }
  if (r.record) {
    const m = r.record.membership;
    text += section(`Membership (config change ${m.configChangeId})`);
    text += renderFields([
      ['voting', ids(m.addresses)],
      ['observers', ids(m.observers)],
      ['witnesses', ids(m.witnesses)],
      ['removed', ids(m.removed)],
    ]);
  }
  if (r.findings.length) {
    text += section('Findings');
    text += r.findings.map((f) => `${f.severity === 'error' ? stdoutColour.red('error') : stdoutColour.yellow('warning')}  ${f.message}`).join('\n') + '\n';
  }
  return text;
}
