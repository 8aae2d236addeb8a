/** Every command, in the order `logdb --help` lists them. */
import type { CommandDef } from '../cli/command.js';
import check from './check.js';
import compact from './compact.js';
import dumpEntries from './dump-entries.js';
import dumpState from './dump-state.js';
import importSnapshot from './import-snapshot.js';
import info from './info.js';
import lsNodes from './ls-nodes.js';
import lsSnapshots from './ls-snapshots.js';
import removeNode from './remove-node.js';
import restoreBackup from './restore-backup.js';
import stats from './stats.js';

export const allCommands: CommandDef[] = [info, lsNodes, dumpState, dumpEntries, lsSnapshots, importSnapshot, removeNode, compact, restoreBackup, check, stats];
