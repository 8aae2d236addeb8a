/**
 * Nothing depends on the fixtures' hostname or deployment ID: the same data under another hostname and a deployment
 * ID at the uint64 limit (dragonboat.ds rewritten to say so, the directories renamed as Dragonboat would name them)
 * reads exactly as Dragonboat read the original — on v3 Pebble, v4 sharded-pebble and v4 tan.
 */
import assert from 'node:assert/strict';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeFlagFile, encodeFlagFile } from '../../src/codec/flag-file.js';
import { decodeRaftDataStatus, encodeRaftDataStatus } from '../../src/codec/messages.js';
import { deploymentDirName } from '../../src/logdb/layout.js';
import { copyFixture, fixtureDir, readJson } from '../helpers/fixtures.js';
import { assertReadCommandsAgree } from '../helpers/expected.js';
import { cliJson } from '../helpers/cli.js';

const HOST = 'raft-node-7.prod.example.org';
const DEPLOYMENT = 2n ** 64n - 1n;

for (const dataset of ['pebble-v3.3.8/basic', 'pebble-v4/basic', 'tan-v4/basic']) {
  test(`${dataset} under another hostname and deployment ${DEPLOYMENT}: every read command agrees`, async () => {
    const { dir, cleanup } = copyFixture(dataset);
    try {
      const nodehost = join(dir, 'nodehost');
      const dsPath = join(nodehost, 'dragonboat.ds');
      const ds = decodeRaftDataStatus(decodeFlagFile(readFileSync(dsPath)));
      const oldHost = join(nodehost, ds.hostname);
      renameSync(join(oldHost, deploymentDirName(ds.deploymentId)), join(oldHost, deploymentDirName(DEPLOYMENT)));
      renameSync(oldHost, join(nodehost, HOST));
      writeFileSync(dsPath, encodeFlagFile(encodeRaftDataStatus({ ...ds, hostname: HOST, deploymentId: DEPLOYMENT })));

      const info = await cliJson<any>(['info', nodehost]);
      assert.equal(info.dragonboatDs.hostname, HOST);
      assert.equal(info.dragonboatDs.deploymentId, DEPLOYMENT.toString());
      await assertReadCommandsAgree(nodehost, readJson(join(fixtureDir(dataset), 'expected.json')));
    } finally {
      cleanup();
    }
  });
}
