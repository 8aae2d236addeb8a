/**
 * import() of a module named by a file URL (a user's --decoder module). One place on purpose: in the bundle the
 * CLI runs from, V8 code compiled from a code cache cannot call import() itself, so scripts/bundle.mjs swaps this
 * module for one that asks the loader (bin/load-cli.js) to import.
 */
export function importFile(url: string): Promise<Record<string, unknown>> {
  return import(url) as Promise<Record<string, unknown>>;
}
