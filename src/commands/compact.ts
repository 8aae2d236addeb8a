/**
 * logdb compact DIR [--cluster C --node N --to INDEX] — with a node, Dragonboat's RemoveEntriesTo +
 * CompactEntriesTo: drop the node's entries below INDEX and compact that key range. Without one, compact every
 * shard fully. Prints the disk size before and after.
 *
 * Pebble and RocksDB: the entries are dropped by a range tombstone written as a new WAL file; logdb does not rewrite their
 * tables, so the space comes back when the store next compacts, after the NodeHost next runs (the result says so).
 * A full compaction changes no record, so on Pebble and RocksDB there is nothing logdb could do: it is refused (exit 8).
 */
import { parseId, parseOptionalIndex } from '../cli/args.js';
import { defineCommand } from '../cli/command.js';
import { NODE_OPTIONS, requireNode } from '../cli/node-args.js';
import { runWrite } from '../cli/write-runner.js';
import { LogdbError, usageError } from '../errors.js';
import { discoverLayout, type Layout } from '../logdb/layout.js';
import { diskUsage } from '../logdb/stats/disk-usage.js';
import { compactionDeferred, planCompactNode, type CompactNodePlan } from '../logdb/write/compact.js';
import type { WritePlan } from '../logdb/write/plan.js';
import { planTanCompact } from '../tan/write/plan.js';

function shardSizes(layout: Layout, shards: number[]): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const i of shards) sizes[`logdb-${i}`] = diskUsage(layout.shards.find((s) => s.index === i)!).bytes;
  return sizes;
}

export default defineCommand({
  name: 'compact',
  summary: "remove a node's entries below an index (Dragonboat's RemoveEntriesTo + CompactEntriesTo), or compact every shard",
  arguments: '<dir>',
  options: [
    ...NODE_OPTIONS,
    { flags: '--to <index>', description: 'remove entries below this index (with --cluster and --node)' },
    { flags: '--force', description: 'allow --to above the newest snapshot index' },
  ],
  writes: true,
  examples: [
    'logdb compact /var/lib/dragonboat/nodehost --cluster 102 --node 3 --to 203 --dry-run',
    'logdb compact /var/lib/dragonboat/nodehost -c 102 -n 3 --to 203 --yes',
    'logdb compact /var/lib/dragonboat/nodehost --yes        # compact every shard',
  ],
  async run(ctx) {
    const withNode = ctx.opts.cluster !== undefined || ctx.opts.node !== undefined || ctx.opts.to !== undefined;
    if (!withNode) return compactAll(ctx);
    const c = parseId(ctx.opts.cluster, 'cluster ID', '--cluster');
    const n = parseId(ctx.opts.node, 'node ID', '--node');
    const to = parseOptionalIndex(ctx.opts.to, '--to');
    if (to === undefined) throw usageError('missing --to <index>: compact removes the entries below it');
    await runWrite<CompactNodePlan>(ctx, {
      shards: (reader) => [reader.shardOf(c)],
      async plan(reader) {
        await requireNode(reader, c, n);
        return planCompactNode(reader, c, n, to, Boolean(ctx.opts.force));
      },
      question: (plan) => `Remove the entries of cluster ${c} node ${n} below index ${to} (${plan.shards[0].rangeKeyCounts[0] ?? 0} records)?`,
      dryRunExtra: async (plan, reader) => ({ sizeBefore: shardSizes(reader.layout, plan.shards.map((s) => s.shard)) }),
      beforeOpen: (plan, layout) => ({ sizeBefore: shardSizes(layout, plan.shards.map((s) => s.shard)) }),
      async afterBatch(plan, writer) {
        const shards = plan.shards.map((s) => s.shard);
        if (plan.compactRange) await (await writer.shards.store(shards[0])).compact(plan.compactRange);
        const backend = writer.shards.location(shards[0]).backend;
        const deferred = backend !== 'leveldb' && plan.shards[0].ops.length > 0;
        const reclaim = compactionDeferred(backend === 'rocksdb' ? 'RocksDB' : 'Pebble');
        return { sizeAfter: shardSizes(writer.layout, shards), ...(deferred ? { spaceReclaimed: reclaim } : {}) };
      },
      tan: {
        async plan(reader) {
          await requireNode(reader, c, n);
          const notes = [...refuseBeyondSnapshot(c, n, to, await reader.newestSnapshotIndex(c, n), Boolean(ctx.opts.force))];
          const change = planTanCompact(reader, c, n, to);
          notes.push(
            change.obsolete.some((f) => f.endsWith('.log'))
              ? 'tan: the compaction record hides the entries at once; the logs holding only them are deleted now'
              : 'tan: the compaction record hides the entries at once; their logs stay until every entry in them is compacted (tan drops whole log files only)',
          );
          return { command: 'compact', clusterId: c, nodeId: n, shards: [], files: [], notes, tan: change };
        },
        question: () => `Remove the entries of cluster ${c} node ${n} up to index ${to} (a tan compaction record)?`,
      },
    });
  },
});

/** planCompactNode's rule (src/logdb/write/compact.ts) for tan: compacting past the newest snapshot needs --force. */
function refuseBeyondSnapshot(c: bigint, n: bigint, to: bigint, snapshotIndex: bigint, force: boolean): string[] {
  if (to <= snapshotIndex) return [];
  const why =
    snapshotIndex === 0n
      ? `cluster ${c} node ${n} has no snapshot, so entries up to ${to} are its only copy of that state`
      : `--to ${to} is above the newest snapshot index ${snapshotIndex}: entries ${snapshotIndex + 1n}..${to} are covered by no snapshot and a restarted node could not rebuild its state`;
  if (!force) throw new LogdbError('refused', why, 'compact to at most the newest snapshot index, or pass --force if you are sure');
  return [`forced: ${why}`];
}

async function compactAll(ctx: Parameters<typeof runWrite>[0]): Promise<void> {
  const layout = discoverLayout(ctx.args[0], { walDir: ctx.opts.walDir });
  if (layout.tanDir) {
    throw new LogdbError('unsupported', 'compacting every shard is not possible on tan: it has no shards, and its CompactEntriesTo does nothing (tan frees space only by dropping whole logs after RemoveEntriesTo)', "to drop a node's old entries use compact --cluster C --node N --to INDEX; nothing was changed");
  }
  refuseFullPebbleCompaction(layout);
  await runWrite<WritePlan>(ctx, {
    shards: (reader) => reader.layout.shards.map((s) => s.index),
    async plan(reader) {
      return {
        command: 'compact',
        clusterId: null,
        nodeId: null,
        shards: reader.layout.shards.map((s) => ({ shard: s.index, ops: [], rangeKeyCounts: [] })),
        files: [],
        notes: ['full compaction of every shard: no record changes, only the files are rewritten'],
      };
    },
    question: () => 'Compact every shard of this LogDB?',
    dryRunExtra: async (plan, reader) => ({ sizeBefore: shardSizes(reader.layout, plan.shards.map((s) => s.shard)) }),
    beforeOpen: (plan, layout) => ({ sizeBefore: shardSizes(layout, plan.shards.map((s) => s.shard)) }),
    async afterBatch(plan, writer) {
      const shards = plan.shards.map((s) => s.shard);
      for (const s of shards) await (await writer.shards.store(s)).compact();
      return { sizeAfter: shardSizes(writer.layout, shards) };
    },
  });
}

/** A full compaction writes no record; on Pebble and RocksDB, where logdb only adds WALs, it cannot do anything. */
function refuseFullPebbleCompaction(layout: Layout): void {
  const pebble = layout.shards.filter((s) => s.backend !== 'leveldb');
  if (pebble.length) {
    const store = pebble[0].backend === 'rocksdb' ? 'RocksDB' : 'Pebble';
    throw new LogdbError(
      'unsupported',
      `compacting every shard is not possible on ${store} (logdb-${pebble[0].index}${pebble.length > 1 ? ` and ${pebble.length - 1} more` : ''}): logdb changes a ${store} shard only by adding a WAL, and a full compaction changes no record. ${compactionDeferred(store)}`,
      'to drop a node\'s old entries use compact --cluster C --node N --to INDEX; nothing was changed',
    );
  }
}
