// The baseline: a bare classic-level iteration over one node's entry keys — tuned (large highWaterMarkBytes,
// nextv), no decoding, no output — as fast as LevelDB hands the pairs to JavaScript.
import { ClassicLevel } from 'classic-level';

const [dir, cluster, node] = process.argv.slice(2);
const prefix = Buffer.alloc(20);
prefix[0] = 1;
prefix[1] = 1;
prefix.writeBigUInt64BE(BigInt(cluster), 4);
prefix.writeBigUInt64BE(BigInt(node), 12);
const end = Buffer.concat([prefix, Buffer.alloc(8, 0xff)]);
const db = new ClassicLevel(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer', createIfMissing: false });
await db.open();
const it = db.iterator({ gte: prefix, lte: end, fillCache: false, highWaterMarkBytes: 64 * 1024 * 1024 });
let count = 0;
let bytes = 0;
for (;;) {
  const batch = await it.nextv(1000);
  if (batch.length === 0) break;
  count += batch.length;
  for (const [, v] of batch) bytes += v.length;
}
await it.close();
await db.close();
process.stdout.write(`${count} ${bytes}\n`);
