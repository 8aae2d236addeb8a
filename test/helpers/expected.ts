/**
 * Comparing what the CLI prints with what Dragonboat's own API read back from a fixture (`expected.json`).
 * expected.json writes bytes as lowercase hex and enums as numbers plus a `typeName`; our JSON contract uses
 * base64 and names. These helpers translate the expectation, never the output.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cliJson, cliNdjson } from './cli.js';

const hexToBase64 = (hex: string | null | undefined) => (hex === null || hex === undefined ? null : Buffer.from(hex, 'hex').toString('base64'));

export function expectedSnapshot(s: any) {
  return {
    index: s.index,
    term: s.term,
    filepath: s.filepath,
    fileSize: s.fileSize,
    membership: {
      configChangeId: s.membership.configChangeId,
      addresses: s.membership.addresses ?? {},
      removed: s.membership.removed ?? {},
      observers: s.membership.observers ?? {},
      witnesses: s.membership.witnesses ?? {},
    },
    files: (s.files ?? []).map((f: any) => ({ fileId: f.fileId, filepath: f.filepath, fileSize: f.fileSize, metadata: hexToBase64(f.metadata) })),
    // Go prints a nil and an empty checksum alike (""); we print an absent field as null and an empty one as ""
    checksum: s.checksum === '' ? null : hexToBase64(s.checksum),
    dummy: s.dummy,
    clusterId: s.clusterId,
    type: s.typeName,
    imported: s.imported,
    onDiskIndex: s.onDiskIndex,
    witness: s.witness,
  };
}

export function expectedBootstrap(b: any) {
  if (!b || typeof b !== 'object' || b.error) return null;
  return { addresses: b.addresses ?? {}, join: b.join, type: b.typeName };
}

/** What ls-nodes / dump-state must say about a node, from expected.json. */
export function expectedNode(n: any) {
  const snapshots = n.snapshots ?? [];
  const rs = n.raftState;
  const first = BigInt(rs.firstIndex);
  const count = BigInt(rs.entryCount);
  return {
    clusterId: n.clusterId,
    nodeId: n.nodeId,
    shard: n.shard,
    bootstrap: expectedBootstrap(n.bootstrap),
    state: rs.state ?? null,
    firstIndex: rs.firstIndex,
    lastIndex: String(count > 0n ? first + count - 1n : first),
    entryCount: rs.entryCount,
    snapshotIndex: snapshots.length ? snapshots[snapshots.length - 1].index : '0',
  };
}

const emptyChecksumAsNull = (s: any) => (s.checksum === '' ? { ...s, checksum: null } : s);
const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** Checks one printed entry against expected.json's entry, field by field. */
export function assertEntry(got: any, want: any, where: string): void {
  assert.equal(got.index, want.index, `${where}: index`);
  assert.equal(got.term, want.term, `${where} index ${want.index}: term`);
  assert.equal(got.type, want.typeName, `${where} index ${want.index}: type`);
  assert.equal(got.key, want.key, `${where} index ${want.index}: key`);
  assert.equal(got.clientId, want.clientID, `${where} index ${want.index}: clientId`);
  assert.equal(got.seriesId, want.seriesID, `${where} index ${want.index}: seriesId`);
  assert.equal(got.respondedTo, want.respondedTo, `${where} index ${want.index}: respondedTo`);
  const cmd = Buffer.from(got.cmd, 'base64');
  assert.equal(cmd.length, want.cmdLen, `${where} index ${want.index}: cmd length`);
  if (want.cmdSha256) assert.equal(createHash('sha256').update(cmd).digest('hex'), want.cmdSha256, `${where} index ${want.index}: cmd sha256`);
  else assert.equal(cmd.toString('hex'), want.cmd, `${where} index ${want.index}: cmd`);
  if (want.configChange) {
    const cc = want.configChange;
    assert.deepEqual(
      got.decoded,
      { kind: 'configChange', configChange: { configChangeId: cc.configChangeId, type: cc.typeName, nodeId: cc.nodeID, address: cc.address, initialize: cc.initialize } },
      `${where} index ${want.index}: config change`,
    );
  }
  if (want.encoded) {
    const enc = want.encoded;
    assert.equal(got.decoded?.kind, 'encoded', `${where} index ${want.index}: decoded kind`);
    assert.equal(got.decoded.version, enc.version);
    assert.equal(got.decoded.compression, enc.compression);
    assert.equal(got.decoded.hasSession, enc.hasSession);
    assert.equal(got.decoded.payloadLength, enc.payloadLen, `${where} index ${want.index}: payload length`);
    // the payload is printed when it was compressed; otherwise it is the cmd after its 1-byte header
    const payload = got.decoded.compression === 'none' ? (assert.equal(got.decoded.payload, null), cmd.subarray(1)) : Buffer.from(got.decoded.payload, 'base64');
    assert.equal(createHash('sha256').update(payload).digest('hex'), enc.payloadSha256, `${where} index ${want.index}: payload sha256`);
    if (enc.payload !== undefined) assert.equal(payload.toString('hex'), enc.payload);
  }
}

/** The digest expected.json gives for long logs: one text line per entry (fixtures README, "expected.json"). */
export function entriesDigest(entries: any[]): string {
  const h = createHash('sha256');
  const typeNumber: Record<string, number> = { ApplicationEntry: 0, ConfigChangeEntry: 1, EncodedEntry: 2, MetadataEntry: 3 };
  for (const e of entries) {
    h.update(`${e.index},${e.term},${typeNumber[e.type]},${e.key},${e.clientId},${e.seriesId},${e.respondedTo},${Buffer.from(e.cmd, 'base64').toString('hex')}\n`);
  }
  return h.digest('hex');
}

/**
 * Runs ls-nodes, dump-state, ls-snapshots and dump-entries on `dir` and checks every listed node against
 * `expected` (a parsed expected.json). `extraArgs` carries e.g. --wal-dir.
 */
export async function assertReadCommandsAgree(dir: string, expected: any, extraArgs: string[] = []): Promise<void> {
  const listed = expected.nodes.filter((n: any) => n.listedByListNodeInfo);
  const nodes = await cliJson<any[]>(['ls-nodes', dir, ...extraArgs]);
  // Dragonboat's ListNodeInfo walks the shards in order, each in key order (cluster, node). The v4 sets list its
  // result sorted by (cluster, node) instead, so the order is checked against that rule, the nodes against the list.
  // tan has no key-value shards: logdb lists its nodes by (cluster, node), as its expected.json does.
  const byShard = expected.backend !== 'tan';
  const order = (a: any, b: any) => (byShard ? a.shard - b.shard : 0) || cmp(BigInt(a.clusterId), BigInt(b.clusterId)) || cmp(BigInt(a.nodeId), BigInt(b.nodeId));
  const shardOf = new Map(expected.nodes.map((n: any) => [`${n.clusterId}/${n.nodeId}`, n.shard]));
  const want = expected.listNodeInfo.map((n: any) => ({ ...n, shard: shardOf.get(`${n.clusterId}/${n.nodeId}`) })).sort(order);
  assert.deepEqual(
    nodes.map((n) => `${n.clusterId}/${n.nodeId}`),
    want.map((n: any) => `${n.clusterId}/${n.nodeId}`),
    `ls-nodes lists the nodes ListNodeInfo lists, in its order (${byShard ? 'shard by shard, by key' : 'by key'})`,
  );
  for (const want of listed) {
    const where = `${expected.dataset} ${want.clusterId}/${want.nodeId}`;
    const got = nodes.find((n) => n.clusterId === want.clusterId && n.nodeId === want.nodeId);
    assert.deepEqual(got, expectedNode(want), `${where}: ls-nodes row`);
    const nodeArgs = ['--cluster', want.clusterId, '--node', want.nodeId, ...extraArgs];
    const state = await cliJson<any>(['dump-state', dir, ...nodeArgs]);
    state.snapshots = state.snapshots.map(emptyChecksumAsNull);
    assert.deepEqual(state, { ...expectedNode(want), snapshots: (want.snapshots ?? []).map(expectedSnapshot) }, `${where}: dump-state`);
    const snapshots = (await cliJson<any[]>(['ls-snapshots', dir, ...nodeArgs])).map(emptyChecksumAsNull);
    assert.deepEqual(snapshots, (want.snapshots ?? []).map(expectedSnapshot), `${where}: ls-snapshots`);
    const entries = await cliNdjson(['dump-entries', dir, ...nodeArgs]);
    if (want.entriesDigest) {
      assert.equal(entries.length, want.entriesDigest.count, `${where}: entry count`);
      assert.equal(entriesDigest(entries), want.entriesDigest.sha256, `${where}: entries digest`);
      for (const sample of [...want.entriesDigest.first, ...want.entriesDigest.last, ...(want.entriesDigest.samples ?? [])]) {
        const e = entries[Number(BigInt(sample.index) - BigInt(entries[0].index))];
        assertEntry(e, sample, where);
      }
    } else {
      const wantEntries = want.entries ?? [];
      assert.equal(entries.length, wantEntries.length, `${where}: entry count`);
      wantEntries.forEach((w: any, i: number) => assertEntry(entries[i], w, where));
    }
  }
}

/** The Dragonboat version `info` must name for a dataset, from expected.json's `dragonboatVersion` ("v4 @4d070fa", "v3.3.8"). */
export function expectedWriterVersion(expected: any): string {
  const m = /^v(\d+)(?:\.(\d+))?/.exec(expected.dragonboatVersion);
  assert.ok(m, `expected.json names a Dragonboat version: ${expected.dragonboatVersion}`);
  return m[1] === '4' ? 'v4' : `v${m[1]}.${m[2]}`;
}

/** `info --json` against expected.json: dragonboat.ds field by field, NODEHOST.ID, shard count, entry mode, binary format, writer. */
export async function assertInfoAgrees(dir: string, expected: any, extraArgs: string[] = []): Promise<void> {
  const info = await cliJson<any>(['info', dir, ...extraArgs]);
  const { ['NODEHOST.ID']: nodeHostId, ...ds } = expected.dragonboatDs;
  const gotDs = { ...info.dragonboatDs };
  if (gotDs.addressByNodeHostId === null && !('addressByNodeHostId' in ds)) delete gotDs.addressByNodeHostId;
  assert.deepEqual(gotDs, ds, 'info: dragonboat.ds');
  assert.equal(info.nodeHostId, nodeHostId ?? null, 'info: NODEHOST.ID');
  assert.equal(info.shardCount, expected.logdbShards, 'info: shard count');
  assert.equal(info.entryMode, expected.batchedEntries ? 'batched' : 'plain', 'info: entry mode');
  assert.equal(info.binaryFormat, expected.binaryFormat, 'info: binary format');
  assert.equal(info.backend, expected.backend, 'info: backend');
  assert.equal(info.writerVersion, expectedWriterVersion(expected), 'info: which Dragonboat wrote it');
  assert.equal(info.dragonboat.version, info.writerVersion);
  assert.equal(info.dragonboat.logdbType, expected.logdbName, 'info: LogDB type');
  assert.ok(info.dragonboat.evidence.length > 0 && info.dragonboat.evidence.every((e: any) => e.source && e.fact), 'info: the evidence is given');
}

/**
 * `stats --json` against rawdump.json (keys per kind, per shard: what Dragonboat's own KV iterator saw) and
 * expected.json (per listed node: the stored log as ReadRaftState(…, 0) reads it, the newest snapshot).
 */
export async function assertStatsAgrees(dir: string, expected: any, rawdump: any, extraArgs: string[] = []): Promise<void> {
  const stats = await cliJson<any>(['stats', dir, ...extraArgs]);
  const kinds: Record<string, string> = { entry: 'entry', state: 'state', maxIndex: 'maxIndex', snapshot: 'snapshot', bootstrap: 'bootstrap', entryBatch: 'entryBatch' };
  for (const shard of rawdump.shards) {
    const got = stats.shards.find((s: any) => s.shard === shard.shard);
    assert.ok(got, `stats lists shard ${shard.shard}`);
    const total = Object.values(got.keys as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.equal(total, shard.count, `stats: keys in shard ${shard.shard}`);
    for (const [name, ours] of Object.entries(kinds)) {
      assert.equal(got.keys[ours] ?? 0, shard.keyKinds?.[name] ?? 0, `stats: ${name} keys in shard ${shard.shard}`);
    }
  }
  assert.equal(stats.totals.keys, rawdump.shards.reduce((a: number, s: any) => a + s.count, 0), 'stats: keys in all');
  for (const want of expected.nodes.filter((n: any) => n.listedByListNodeInfo)) {
    const where = `stats ${want.clusterId}/${want.nodeId}`;
    const got = stats.nodes.find((n: any) => n.clusterId === want.clusterId && n.nodeId === want.nodeId);
    const zero = want.raftStateFromIndexZero;
    if (!zero || zero.error || zero.entryCount === undefined || zero.entryCount === '0') continue;
    assert.ok(got, `${where}: listed`);
    const snapshots = want.snapshots ?? [];
    assert.equal(got.snapshotIndex, snapshots.length ? snapshots[snapshots.length - 1].index : '0', `${where}: newest snapshot`);
    assert.equal(got.firstIndex, zero.firstIndex, `${where}: first stored index`);
    // the last index Dragonboat reads is the max index record (stats' lastIndex is the last stored, stale ones too)
    assert.equal(got.maxIndex, String(BigInt(zero.firstIndex) + BigInt(zero.entryCount) - 1n), `${where}: max index`);
  }
}
