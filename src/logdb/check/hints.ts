/**
 * The "what next" of a finding: a command the operator can paste, built for the directory they gave. Kept in
 * one place so every finding about the same thing suggests the same command.
 */

export class Hints {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = /^[\w@%+=:,./-]+$/.test(dir) ? dir : `'${dir.replace(/'/g, `'\\''`)}'`;
  }

  private node(c: bigint, n: bigint): string {
    return `${this.dir} --cluster ${c} --node ${n}`;
  }

  dumpState(c: bigint, n: bigint): string {
    return `logdb dump-state ${this.node(c, n)}`;
  }

  lsSnapshots(c: bigint, n: bigint): string {
    return `logdb ls-snapshots ${this.node(c, n)}`;
  }

  /** dump-entries --all over [from, to] (inclusive), to see what is stored around an index. */
  dumpEntries(c: bigint, n: bigint, from?: bigint, to?: bigint): string {
    const range = `${from !== undefined ? ` --from ${from}` : ''}${to !== undefined ? ` --to ${to}` : ''}`;
    return `logdb dump-entries ${this.node(c, n)} --all${range}`;
  }

  info(): string {
    return `logdb info ${this.dir}`;
  }

  lsNodes(): string {
    return `logdb ls-nodes ${this.dir}`;
  }

  /** Around index `i`: a few entries either side. */
  around(c: bigint, n: bigint, i: bigint): string {
    return this.dumpEntries(c, n, i > 3n ? i - 3n : 0n, i + 3n);
  }

  /** The usual way out for a replica whose log is damaged. */
  rebuildReplica(c: bigint, n: bigint): string {
    return `restore cluster ${c} node ${n} from a healthy replica (export a snapshot there and \`logdb import-snapshot\` it here), or remove the node and let it rejoin`;
  }
}
