/** logdb restore-backup BACKUP_DIR — put back what a write command changed, from the backup it took first. */
import { defineCommand } from '../cli/command.js';
import { confirm } from '../cli/confirm.js';
import { stringifyJson } from '../cli/json.js';
import { out } from '../cli/stdout.js';
import { LogdbError } from '../errors.js';
import { readBackupManifest, restoreBackup } from '../logdb/backup.js';
import { discoverLayout } from '../logdb/layout.js';
import { lockForWrite } from '../logdb/locks.js';

export default defineCommand({
  name: 'restore-backup',
  summary: 'restore the shard and snapshot directories saved by a write command',
  arguments: '<backup-dir>',
  options: [
    { flags: '--dry-run', description: 'list what would be restored and change nothing' },
    { flags: '-y, --yes', description: 'do not ask for confirmation (for scripts)' },
  ],
  examples: [
    'logdb restore-backup /var/lib/dragonboat/logdb-backup-2026-11-26T10-00-00-000Z-remove-node',
    'logdb restore-backup BACKUP_DIR --dry-run --json',
  ],
  async run(ctx) {
    const backupDir = ctx.args[0];
    const manifest = readBackupManifest(backupDir);
    const view = { backup: backupDir, command: manifest.command, created: manifest.created, nodeHostDir: manifest.nodeHostDir, dirs: manifest.dirs.map((d) => d.original) };
    if (ctx.opts.dryRun) {
      if (ctx.format === 'table') out(`would restore (from ${manifest.command} at ${manifest.created}):\n${view.dirs.map((d) => `  ${d}`).join('\n')}\ndry run: nothing was changed\n`);
      else out(stringifyJson({ ...view, dryRun: true, restored: false }, ctx.format === 'json') + '\n');
      return;
    }
    if (!manifest.nodeHostDir) throw new LogdbError('unsupported', 'this backup does not name its NodeHost dir; restore it by hand (see backup.json)');
    const layout = discoverLayout(manifest.nodeHostDir);
    const locks = await lockForWrite(layout, layout.shards.map((s) => s.index));
    try {
      await confirm(`Replace ${manifest.dirs.length} director${manifest.dirs.length === 1 ? 'y' : 'ies'} under ${manifest.nodeHostDir} with the backup from ${manifest.created}?`, {
        yes: ctx.opts.yes,
        interactive: ctx.interactive,
      });
      restoreBackup(backupDir);
    } finally {
      await locks.release();
    }
    if (ctx.format === 'table') out(`restored ${manifest.dirs.length} director${manifest.dirs.length === 1 ? 'y' : 'ies'} from ${backupDir}\n`);
    else out(stringifyJson({ ...view, dryRun: false, restored: true }, ctx.format === 'json') + '\n');
  },
});
