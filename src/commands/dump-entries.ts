/**
 * logdb dump-entries DIR --cluster C --node N — the node's Raft log as Dragonboat sees it: from ReadRaftState's
 * first index (called with the newest snapshot index, as NodeHost does) up to the max index record, contiguous.
 * `--all` shows every entry record still stored up to the max index, including those below the snapshot.
 * Streams in constant memory in every format.
 */
import type { Entry } from '../codec/colfer.js';
import { entryTypeName } from '../codec/enums.js';
import { MAX_UINT64 } from '../codec/uint64.js';
import { parseEntryTypes, parseLimit, parseOptionalIndex } from '../cli/args.js';
import { stdoutColour } from '../cli/colour.js';
import { defineCommand, type OutputFormat } from '../cli/command.js';
import { NODE_OPTIONS, parseNodeArgs, requireNode } from '../cli/node-args.js';
import { withReader } from '../cli/open-reader.js';
import { out } from '../cli/stdout.js';
import { describeEntry, entryJson } from '../cli/views/entry.js';
import { printEntryColumns } from '../cli/views/entry-columns-printer.js';
import { makeDecodingPrinter } from '../decode/printer.js';
import { usageError } from '../errors.js';
import { DECODER_OPTIONS, loadUserDecoder } from '../decode/user-decoder.js';

export default defineCommand({
  name: 'dump-entries',
  summary: "print a node's log entries, decoded (config changes, encoded payloads, session markers)",
  arguments: '<dir>',
  options: [
    ...NODE_OPTIONS,
    { flags: '--from <index>', description: 'first index to show (inclusive)' },
    { flags: '--to <index>', description: 'last index to show (inclusive)' },
    { flags: '--limit <count>', description: 'show at most this many entries' },
    { flags: '--type <types>', description: 'only these entry types, comma-separated (EncodedEntry, ConfigChange, Application, Metadata or 0-3)' },
    { flags: '--all', description: 'also show entries below the first index that are still stored (compacted away for Dragonboat)' },
    ...DECODER_OPTIONS,
  ],
  examples: [
    'logdb dump-entries /var/lib/dragonboat/nodehost --cluster 1 --node 1',
    'logdb dump-entries /var/lib/dragonboat/nodehost -c 1 -n 1 --from 1000 --limit 20',
    'logdb dump-entries /var/lib/dragonboat/nodehost -c 1 -n 1 --type ConfigChange',
    'logdb dump-entries /var/lib/dragonboat/nodehost -c 1 -n 1 --output ndjson | jq -c .decoded',
    "logdb dump-entries /var/lib/dragonboat/nodehost -c 1 -n 1 --proto kv.proto --message kv.Command --output ndjson | jq -c 'select(.user.op == \"DELETE\")'",
    'logdb dump-entries /var/lib/dragonboat/nodehost -c 1 -n 1 --decoder ./decode.mjs --from 1048576 --limit 1',
    "logdb dump-entries /var/lib/dragonboat/nodehost -c 1 -n 1 --stream-decoder './my-etcd-decoder --flag'",
    'logdb dump-entries /var/lib/dragonboat/nodehost -c 1 -n 1 --payload json --output ndjson | jq .user',
  ],
  async run(ctx) {
    const { clusterId: c, nodeId: n } = parseNodeArgs(ctx);
    const from = parseOptionalIndex(ctx.opts.from, '--from');
    const to = parseOptionalIndex(ctx.opts.to, '--to');
    if (from !== undefined && to !== undefined && from > to) throw usageError(`--from ${from} is after --to ${to}`, 'give --from <= --to');
    const limit = parseLimit(ctx.opts.limit);
    const types = parseEntryTypes(ctx.opts.type);
    // loaded before anything is read: a schema that does not load is a usage error
    const decoder = await loadUserDecoder(ctx.opts);

    await withReader(ctx, async (reader) => {
      await requireNode(reader, c, n);
      const maxIndex = await reader.getMaxIndex(c, n);
      const end = maxIndex === undefined ? (ctx.opts.all ? MAX_UINT64 : 0n) : maxIndex + 1n;
      const high = to !== undefined && to + 1n < end ? to + 1n : end;
      let low = from ?? 0n;
      let hasLog = true;
      if (!ctx.opts.all) {
        const raft = await reader.readRaftState(c, n, await reader.newestSnapshotIndex(c, n));
        if (raft.firstIndex > low) low = raft.firstIndex;
        hasLog = raft.entryCount > 0n;
      }
      // the common dump, json or ndjson without a user decoder, skips building an object per entry
      if (!decoder && ctx.format !== 'table') {
        const columns = await reader.entryColumns(c, n, low, hasLog ? high : low, !ctx.opts.all);
        if (columns) return printEntryColumns(columns, ctx.format, types, limit);
      }
      const source = !hasLog ? empty() : ctx.opts.all ? reader.storedEntries(c, n, low, high) : reader.iterateEntries(c, n, low, high);
      const printer = decoder ? makeDecodingPrinter(ctx.format, decoder, types) : makePrinter(ctx.format);
      let shown = 0;
      if (limit !== 0) {
        outer: for await (const chunk of source) {
          for (const e of chunk) {
            if (types && !types.has(e.type)) continue;
            const wait = printer.entry(e);
            if (wait) await wait;
            if (limit !== undefined && ++shown >= limit) break outer;
          }
        }
      }
      await printer.end();
    }).finally(() => decoder?.close());
  },
});

async function* empty(): AsyncIterable<Entry[]> {}

interface Printer {
  entry(e: Entry): Promise<void> | undefined;
  end(): Promise<void> | void;
}

function makePrinter(format: OutputFormat): Printer {
  if (format === 'ndjson') return { entry: (e) => out(entryJson(e) + '\n'), end: () => undefined };
  if (format === 'json') {
    let first = true;
    return {
      entry(e) {
        const text = (first ? '[\n  ' : ',\n  ') + entryJson(e);
        first = false;
        return out(text);
      },
      end: () => void out(first ? '[]\n' : '\n]\n'),
    };
  }
  let header = false;
  let count = 0;
  const line = (cols: string[]) => cols.join('  ').trimEnd() + '\n';
  return {
    entry(e) {
      if (!header) {
        header = true;
        out(stdoutColour.bold(line(['INDEX'.padStart(10), 'TERM'.padStart(6), 'TYPE'.padEnd(17), 'KEY'.padStart(20), 'CLIENT'.padStart(20), 'SERIES'.padStart(20), 'RESPONDED'.padStart(9), 'CMD'])));
      }
      count++;
      return out(
        line([
          String(e.index).padStart(10),
          String(e.term).padStart(6),
          entryTypeName(e.type).padEnd(17),
          String(e.key).padStart(20),
          String(e.clientId).padStart(20),
          String(e.seriesId).padStart(20),
          String(e.respondedTo).padStart(9),
          describeEntry(e),
        ]),
      );
    },
    end: () => {
      if (count === 0) process.stderr.write('no entries in that range\n');
    },
  };
}
