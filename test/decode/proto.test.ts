/**
 * --proto / --descriptor-set with Dragonboat's own ConfigChange message, written from the spec
 * (docs/examples/dragonboat-config-change.proto, the one the README shows): on every config-change entry of the
 * basic datasets, protobuf decoding agrees with logdb's built-in decoding. A schema that does not load, or a
 * --message it does not have, is a usage error before anything is read.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor.js';
import { cliNdjson, inPool, runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';
import { BASIC_DATASETS, listNodes, nodehostCopy } from './support.js';

const PROTO = join(repoRoot, 'docs', 'examples', 'dragonboat-config-change.proto');

/** A FileDescriptorSet of the same schema, as `protoc -o` writes it, made with protobufjs's descriptor extension. */
function writeDescriptorSet(dir: string): string {
  const root = protobuf.loadSync(PROTO);
  const set = (root as any).toDescriptor('proto2');
  const file = join(dir, 'config-change.pb');
  writeFileSync(file, descriptor.FileDescriptorSet.encode(set).finish());
  return file;
}

async function checkAgreement(nodehost: string, schemaArgs: string[]): Promise<number> {
  let compared = 0;
  await inPool(await listNodes(nodehost), 3, async (node) => {
    const entries = await cliNdjson(['dump-entries', nodehost, '-c', node.clusterId, '-n', node.nodeId, '--all', '--type', 'ConfigChangeEntry', ...schemaArgs, '--message', 'raftpb.ConfigChange']);
    for (const e of entries) {
      assert.equal(e.type, 'ConfigChangeEntry');
      assert.equal(e.decoded.kind, 'configChange', `entry ${e.index} of ${node.clusterId}/${node.nodeId}`);
      assert.equal(e.userError, undefined, `entry ${e.index}: ${e.userError}`);
      const builtIn = e.decoded.configChange;
      assert.deepEqual(
        { configChangeId: e.user.configChangeId, type: e.user.type, nodeId: e.user.nodeId, address: e.user.address, initialize: e.user.initialize },
        { configChangeId: builtIn.configChangeId, type: builtIn.type, nodeId: builtIn.nodeId, address: builtIn.address, initialize: builtIn.initialize },
        `entry ${e.index} of ${node.clusterId}/${node.nodeId}`,
      );
      compared++;
    }
  });
  return compared;
}

for (const dataset of BASIC_DATASETS) {
  test(`${dataset}: --proto ConfigChange agrees with the built-in decoding on every config change`, async () => {
    const { nodehost, cleanup } = nodehostCopy(dataset);
    try {
      const compared = await checkAgreement(nodehost, ['--proto', PROTO]);
      assert.ok(compared >= 3, `${compared} config changes compared`);
    } finally {
      cleanup();
    }
  });
}

// the same decoder behind another loader: one dataset is enough
for (const dataset of [BASIC_DATASETS[1]!]) {
  test(`${dataset}: --descriptor-set (a compiled FileDescriptorSet) gives the same`, async () => {
    const { nodehost, cleanup } = nodehostCopy(dataset);
    const dir = mkdtempSync(join(tmpdir(), 'logdb-descriptor-'));
    try {
      const compared = await checkAgreement(nodehost, ['--descriptor-set', writeDescriptorSet(dir)]);
      assert.ok(compared >= 3);
    } finally {
      cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('--proto on EncodedEntry payloads that are not that message: per-entry errors, the dump goes on (exit 0)', async () => {
  const { nodehost, cleanup } = nodehostCopy(BASIC_DATASETS[1]!);
  try {
    const r = await runCli(['dump-entries', nodehost, '-c', '1', '-n', '1', '--proto', PROTO, '--message', 'raftpb.ConfigChange', '--output', 'ndjson']);
    assert.equal(r.code, 0, r.stderr);
    const entries = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const withPayload = entries.filter((e) => e.type === 'EncodedEntry');
    assert.ok(withPayload.length > 0);
    assert.ok(withPayload.some((e) => typeof e.userError === 'string' && e.user === null), 'random payloads are not ConfigChange messages');
    for (const e of entries.filter((x) => x.type === 'ConfigChangeEntry')) assert.equal(e.user, null, 'config changes are decoded only when --type selects them');
  } finally {
    cleanup();
  }
});

test('a schema that does not load, or lacks --message, is a usage error (exit 2) and nothing is printed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logdb-badproto-'));
  const { nodehost, cleanup } = nodehostCopy(BASIC_DATASETS[0]!);
  try {
    const broken = join(dir, 'broken.proto');
    writeFileSync(broken, 'syntax = "proto3"; message X { int32 a = 1 }');
    const badImport = join(dir, 'imports.proto');
    writeFileSync(badImport, 'syntax = "proto3"; import "nowhere/missing.proto"; message Y { int32 a = 1; }');
    const notASet = join(dir, 'not-a-set.pb');
    writeFileSync(notASet, 'this is not a descriptor set');
    const cases: string[][] = [
      ['--proto', broken, '--message', 'X'],
      ['--proto', badImport, '--message', 'Y'],
      ['--proto', join(dir, 'absent.proto'), '--message', 'X'],
      ['--proto', PROTO, '--message', 'raftpb.NoSuchType'],
      ['--proto', PROTO],
      ['--descriptor-set', notASet, '--message', 'X'],
      ['--message', 'raftpb.ConfigChange'],
      ['--proto', PROTO, '--message', 'raftpb.ConfigChange', '--payload', 'hex'],
      ['--payload', 'yaml'],
    ];
    for (const args of cases) {
      const r = await runCli(['dump-entries', nodehost, '-c', '1', '-n', '1', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '', args.join(' '));
      assert.match(r.stderr, /^logdb: error: .+\n$/, args.join(' '));
    }
  } finally {
    cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--proto-path finds imports: a schema split over two directories decodes like the single file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logdb-proto-path-'));
  const { nodehost, cleanup } = nodehostCopy(BASIC_DATASETS[1]!);
  try {
    const common = join(dir, 'include', 'raftpb');
    const main = join(dir, 'schema');
    mkdirSync(common, { recursive: true });
    mkdirSync(main, { recursive: true });
    writeFileSync(join(common, 'types.proto'), 'syntax = "proto2";\npackage raftpb;\nenum ConfigChangeType { AddNode = 0; RemoveNode = 1; AddObserver = 2; AddWitness = 3; }\n');
    writeFileSync(
      join(main, 'cc.proto'),
      'syntax = "proto2";\npackage raftpb;\nimport "raftpb/types.proto";\nmessage ConfigChange { optional uint64 config_change_id = 1; optional ConfigChangeType type = 2; optional uint64 node_id = 3; optional string address = 4; optional bool initialize = 5; }\n',
    );
    const withoutPath = await runCli(['dump-entries', nodehost, '-c', '1', '-n', '1', '--proto', join(main, 'cc.proto'), '--message', 'raftpb.ConfigChange']);
    assert.equal(withoutPath.code, 2, 'the import is not found without --proto-path');
    const compared = await checkAgreement(nodehost, ['--proto', join(main, 'cc.proto'), '--proto-path', join(dir, 'include')]);
    assert.ok(compared >= 3);
  } finally {
    cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});
