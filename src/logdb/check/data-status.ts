/**
 * `dragonboat.ds` against the directory it describes (§2.3, §11). NodeHost checks the flag file at every start
 * and refuses on a mismatch; these are the mismatches that can be seen from the files alone:
 *  - the LogDB type against the KV files (leveldb vs pebble/rocksdb; v3.3 treats pebble and rocksdb as one);
 *  - the shard count against the logdb-N dirs;
 *  - the binary format (100 plain, 210 batched) against the entry records;
 *  - hostname and deployment ID against the `<hostname>/<deployment>` dirs the LogDB sits in;
 *  - hard settings that need a dragonboat-hard-settings.json to be met again (§2.4);
 *  - files of Dragonboat versions that cannot share one NodeHost dir (detect-version.ts), e.g. v4's Pebble beside
 *    v3.3's 8-byte NODEHOST.ID: each version panics on the other's NODEHOST.ID (v4-format.md §3).
 * v4 keeps v3.3's rules here (the same LogDB type, shard, binary-format and host checks), so v4 dirs are judged
 * by them, named as v4.
 * The address and the machine's hostname are not checked: they describe where the NodeHost runs, not the data.
 */
import { basename, dirname, join } from 'node:path';
import { deploymentDirName, type Layout } from '../layout.js';
import { detectVersion } from '../detect-version.js';
import { writerVersion } from '../partition.js';
import type { CheckContext } from './context.js';
import type { Severity } from './finding.js';
import { isDirectory, listOrEmpty } from '../../util/fs.js';

const PLAIN_FORMAT = 100;
const BATCHED_FORMAT = 210;
const DEFAULT_BATCH_SIZE = 48n;

export interface StoredModes {
  plain: boolean;
  batched: boolean;
}

export function checkDataStatus(ctx: CheckContext, layout: Layout, stored: StoredModes): void {
  const ds = layout.dataStatus;
  const report = (severity: Severity, message: string, hint = ctx.hints.info()) => ctx.sink.add({ code: 'ds-mismatch', severity, message, hint });
  if (!ds) {
    if (layout.kind !== 'shard') {
      ctx.sink.add({
        code: 'ds-missing',
        severity: 'warning',
        message: `no dragonboat.ds found for ${layout.deploymentDir}: shard count, batch size and binary format are guessed, and NodeHost would write a new one`,
        hint: 'give the NodeHost directory (the one holding dragonboat.ds)',
      });
    }
    return;
  }
  const version = writerVersion(ds);
  const detected = detectVersion({ nodeHostDir: layout.nodeHostDir, deploymentDir: layout.deploymentDir, dataStatus: ds });
  const newer = detected.version === 'v4' ? 'v4' : 'v3.3';
  if (detected.candidates.length === 0) {
    ctx.sink.add({
      code: 'version-conflict',
      severity: 'error',
      message: `no one Dragonboat version wrote all of this NodeHost dir: ${detected.evidence.filter((e) => !e.hint).map((e) => `${e.source}: ${e.fact}`).join('; ')}`,
      hint: 'find out which Dragonboat runs this NodeHost (`logdb info DIR` lists the evidence); restore the files of the other version from a backup',
    });
  }

  // 1. LogDB type vs the KV files
  const type = ds.logdbType.trim().toLowerCase().replace(/^sharded-/, '');
  const backends = [...new Set(layout.shards.map((s) => s.backend))];
  if (type === '') {
    if (version === 'v3.3') report('error', `dragonboat.ds has an empty LogDB type: Dragonboat ${newer} refuses it (ErrLogDBType)`);
  } else {
    for (const backend of backends) {
      const compatible = type === backend || (version !== 'v3.2' && ['pebble', 'rocksdb'].includes(type) && ['pebble', 'rocksdb'].includes(backend));
      if (!compatible) {
        report('error', `dragonboat.ds says the LogDB type is ${ds.logdbType}, but the shards hold ${backend} files: NodeHost refuses to start (ErrLogDBType)`);
      }
    }
  }

  // 2. shard count vs logdb-N dirs
  if (layout.kind !== 'shard' && layout.deploymentDir) {
    const count = Number(ds.logdbShardCount);
    const present = new Set(layout.shards.map((s) => s.index));
    const missing = [...Array(count).keys()].filter((i) => !present.has(i));
    if (missing.length) {
      report('warning', `dragonboat.ds says ${count} shards, but ${missing.map((i) => `logdb-${i}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: NodeHost creates ${missing.length === 1 ? 'it' : 'them'} empty, and any node that lived there has lost its log`);
    }
    const extra = shardDirsBeyond(layout.deploymentDir, count);
    if (extra.length) report('warning', `${extra.join(', ')} ${extra.length === 1 ? 'is' : 'are'} beyond the ${count} shards dragonboat.ds names: Dragonboat never opens ${extra.length === 1 ? 'it' : 'them'}`);
  }
  if (ds.stepWorkerCount !== ds.logdbShardCount) {
    report('warning', `dragonboat.ds has ${ds.stepWorkerCount} step workers and ${ds.logdbShardCount} LogDB shards: Dragonboat v3.2 and v3.3 route clusters to different shards when these differ (spec §3)`);
  }

  // 3. binary format vs entry records
  if (ds.binVer !== PLAIN_FORMAT && ds.binVer !== BATCHED_FORMAT) {
    report('error', `dragonboat.ds has binary format ${ds.binVer}; Dragonboat v3 and v4 write ${PLAIN_FORMAT} (plain) or ${BATCHED_FORMAT} (batched) and refuses anything else (ErrIncompatibleData)`);
  } else if (ds.binVer === PLAIN_FORMAT && stored.batched && !stored.plain) {
    report('error', `dragonboat.ds says binary format ${PLAIN_FORMAT} (plain entries), but the entries are batched (07 07): NodeHost refuses to start (ErrIncompatibleData)`);
  } else if (ds.binVer === BATCHED_FORMAT && stored.plain && !stored.batched) {
    report('error', `dragonboat.ds says binary format ${BATCHED_FORMAT} (batched entries), but the entries are plain (01 01): NodeHost refuses to start (ErrLogDBBrokenChange)`);
  } else if (ds.binVer === BATCHED_FORMAT && !stored.plain && !stored.batched && version === 'v3.3') {
    report('warning', `dragonboat.ds says binary format ${BATCHED_FORMAT} (batched), but no entry is stored: Dragonboat ${newer}'s default LogDB factory then reports ${PLAIN_FORMAT} and refuses to start (ErrLogDBBrokenChange); open it with the batched factory`);
  }

  // 4. hostname and deployment dirs
  if (layout.deploymentDir && layout.kind !== 'shard') {
    const wantDeployment = deploymentDirName(ds.deploymentId);
    const haveDeployment = basename(layout.deploymentDir);
    const haveHost = basename(dirname(layout.deploymentDir));
    if (haveDeployment !== wantDeployment) {
      report('error', `the LogDB sits in deployment dir ${haveDeployment}, but dragonboat.ds names deployment ${ds.deploymentId} (${wantDeployment}): NodeHost looks there, finds nothing, and refuses to start (ErrDeploymentIDChanged) or starts empty`);
    }
    if (ds.hostname !== '' && haveHost !== ds.hostname) {
      report('error', `the LogDB sits under hostname dir ${haveHost}, but dragonboat.ds names hostname ${ds.hostname}: NodeHost looks under ${ds.hostname} and refuses to start (ErrHostnameChanged)`);
    }
    if (layout.nodeHostDir) {
      const others = otherLogdbDirs(layout.nodeHostDir, layout.deploymentDir);
      if (others.length) {
        ctx.sink.add({
          code: 'ds-mismatch',
          severity: 'info',
          message: `the NodeHost dir also holds ${others.join(', ')}: another hostname or deployment ID used this NodeHost dir; only ${ds.hostname}/${wantDeployment} is read`,
          hint: 'check each with `logdb check <that dir>`',
        });
      }
    }
  }

  // 5. hard settings that need an override file
  if (ds.entryBatchSize !== DEFAULT_BATCH_SIZE && ds.entryBatchSize !== 0n) {
    ctx.sink.add({
      code: 'ds-mismatch',
      severity: 'info',
      message: `dragonboat.ds records entry batch size ${ds.entryBatchSize} (the default is ${DEFAULT_BATCH_SIZE}): this NodeHost only starts with a dragonboat-hard-settings.json that sets it`,
      hint: 'keep the hard-settings file with the data',
    });
  }
}

function shardDirsBeyond(deploymentDir: string, count: number): string[] {
  return listOrEmpty(deploymentDir)
    .map((name) => /^logdb-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) >= count && isDirectory(join(deploymentDir, m[0])))
    .map((m) => m[0])
    .sort();
}

/** `<host>/<deployment>` dirs holding logdb-N shards, other than the one being checked. */
function otherLogdbDirs(nodeHostDir: string, deploymentDir: string): string[] {
  const found: string[] = [];
  for (const host of listOrEmpty(nodeHostDir)) {
    const hostDir = join(nodeHostDir, host);
    if (!isDirectory(hostDir)) continue;
    for (const dep of listOrEmpty(hostDir)) {
      const dir = join(hostDir, dep);
      if (dir === deploymentDir || !/^\d{20}$/.test(dep)) continue;
      if (listOrEmpty(dir).some((n) => /^logdb-\d+$/.test(n))) found.push(`${host}/${dep}`);
    }
  }
  return found.sort();
}
