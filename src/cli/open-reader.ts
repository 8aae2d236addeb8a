/** Opening a LogDB for a read command, and always closing it afterwards. */
import { discoverLayout } from '../logdb/layout.js';
import { openLogReader, type AnyReader } from '../logdb/open-log-reader.js';
import type { RunContext } from './command.js';
import { warn } from './report-error.js';
import { describeUnfinishedImport } from '../tan/pending.js';

export async function withReader<T>(ctx: RunContext, fn: (reader: AnyReader) => Promise<T>): Promise<T> {
  const layout = discoverLayout(ctx.args[0], { walDir: ctx.opts.walDir });
  const reader = await openLogReader(layout);
  if (reader.kind === 'tan') for (const p of reader.pendingBootstraps()) if (p.state === 'committed') warn(describeUnfinishedImport(p));
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
  }
}
