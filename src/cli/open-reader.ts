/** Opening a LogDB for a read command, and always closing it (removing LevelDB checkpoints) afterwards. */
import { tableBytesCopied } from '../kv/leveldb/checkpoint.js';
import { discoverLayout } from '../logdb/layout.js';
import { openLogReader, type AnyReader } from '../logdb/open-log-reader.js';
import type { RunContext } from './command.js';
import { warn } from './report-error.js';

/** Copying more table bytes than this into a checkpoint is worth telling the operator how to avoid. */
const COPY_WARNING_BYTES = 64 * 1024 * 1024;

export async function withReader<T>(ctx: RunContext, fn: (reader: AnyReader) => Promise<T>): Promise<T> {
  const layout = discoverLayout(ctx.args[0], { walDir: ctx.opts.walDir });
  const reader = await openLogReader(layout);
  const closeOnSignal = () => {
    void reader.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', closeOnSignal);
  process.once('SIGTERM', closeOnSignal);
  try {
    return await fn(reader);
  } finally {
    process.off('SIGINT', closeOnSignal);
    process.off('SIGTERM', closeOnSignal);
    await reader.close();
    if (tableBytesCopied > COPY_WARNING_BYTES) {
      warn(
        `the temp dir is on another filesystem than the NodeHost dir, so ${Math.round(tableBytesCopied / 1048576)} MiB of LevelDB tables were copied instead of hard-linked; set TMPDIR to a directory on the NodeHost's filesystem to make reads instant`,
      );
    }
  }
}
