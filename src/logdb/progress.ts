/**
 * How a long pass over a LogDB (`check`, `stats`, big writes) reports progress, without knowing whether anyone
 * is watching: the pass calls `advance`; src/cli decides whether a terminal line is drawn.
 */
export interface Progress {
  /** `records` more key/value pairs read, now in `where` (e.g. "logdb-3") */
  advance(records: number, where: string): void;
  /** erases what was drawn */
  done(): void;
}

export const noProgress: Progress = { advance: () => undefined, done: () => undefined };
