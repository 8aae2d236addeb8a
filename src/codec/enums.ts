/**
 * Dragonboat's enums (spec §5.11) and session constants (§6.3), with name lookups both ways.
 *
 *     EntryType         ApplicationEntry 0, ConfigChangeEntry 1, EncodedEntry 2, MetadataEntry 3 (2, 3 since v3.2)
 *     ConfigChangeType  AddNode 0, RemoveNode 1, AddObserver 2, AddWitness 3
 *     StateMachineType  UnknownStateMachine 0, RegularStateMachine 1, ConcurrentStateMachine 2, OnDiskStateMachine 3
 *     CompressionType   NoCompression 0, Snappy 1
 *     ChecksumType      CRC32IEEE 0, HIGHWAY 1 (only CRC32IEEE is implemented by Dragonboat)
 *
 * `xxxName(n)` gives the Go constant name, or `Unknown(<n>)` for a value Dragonboat does not define.
 * `xxxByName(name)` accepts the Go name case-insensitively (and `Unknown(<n>)` / a plain decimal number) and
 * returns undefined for anything else.
 */

export const EntryType = { ApplicationEntry: 0, ConfigChangeEntry: 1, EncodedEntry: 2, MetadataEntry: 3 } as const;
export const ConfigChangeType = { AddNode: 0, RemoveNode: 1, AddObserver: 2, AddWitness: 3 } as const;
export const StateMachineType = {
  UnknownStateMachine: 0,
  RegularStateMachine: 1,
  ConcurrentStateMachine: 2,
  OnDiskStateMachine: 3,
} as const;
export const CompressionType = { NoCompression: 0, Snappy: 1 } as const;
export const ChecksumType = { CRC32IEEE: 0, HIGHWAY: 1 } as const;

/** Session series IDs (§6.3): SeriesID 0 = no-op session, 2^64−2 = register, 2^64−1 = unregister. */
export const SERIES_ID_NOOP = 0n;
export const SERIES_ID_REGISTER = 2n ** 64n - 2n;
export const SERIES_ID_UNREGISTER = 2n ** 64n - 1n;
/** ClientID 0: the proposal is not session managed. */
export const NOT_SESSION_MANAGED_CLIENT_ID = 0n;

type Table = Readonly<Record<string, number>>;

/** Names by value, built once: entry type names are looked up for every entry dumped. */
const namesByValue = new WeakMap<Table, Map<number, string>>();

function nameOf(table: Table, value: number): string {
  let names = namesByValue.get(table);
  if (!names) {
    names = new Map(Object.entries(table).map(([name, v]) => [v, name]));
    namesByValue.set(table, names);
  }
  return names.get(value) ?? `Unknown(${value})`;
}

const UNKNOWN = /^unknown\((-?\d+)\)$/i;
const NUMBER = /^-?\d+$/;

function valueOf(table: Table, name: string): number | undefined {
  const trimmed = name.trim();
  for (const [n, v] of Object.entries(table)) if (n.toLowerCase() === trimmed.toLowerCase()) return v;
  const unknown = UNKNOWN.exec(trimmed);
  const digits = unknown ? unknown[1]! : NUMBER.test(trimmed) ? trimmed : undefined;
  if (digits === undefined) return undefined;
  const value = Number(digits);
  return Number.isSafeInteger(value) && value >= -0x80000000 && value <= 0x7fffffff ? value : undefined;
}

export const entryTypeName = (n: number): string => nameOf(EntryType, n);
export const entryTypeByName = (name: string): number | undefined => valueOf(EntryType, name);
export const configChangeTypeName = (n: number): string => nameOf(ConfigChangeType, n);
export const configChangeTypeByName = (name: string): number | undefined => valueOf(ConfigChangeType, name);
export const stateMachineTypeName = (n: number): string => nameOf(StateMachineType, n);
export const stateMachineTypeByName = (name: string): number | undefined => valueOf(StateMachineType, name);
export const compressionTypeName = (n: number): string => nameOf(CompressionType, n);
export const compressionTypeByName = (name: string): number | undefined => valueOf(CompressionType, name);
export const checksumTypeName = (n: number): string => nameOf(ChecksumType, n);
export const checksumTypeByName = (name: string): number | undefined => valueOf(ChecksumType, name);

/** 'register', 'unregister', 'noop' or 'proposal' for a session-managed entry's series ID. */
export function seriesIdKind(seriesId: bigint): 'noop' | 'register' | 'unregister' | 'proposal' {
  if (seriesId === SERIES_ID_NOOP) return 'noop';
  if (seriesId === SERIES_ID_REGISTER) return 'register';
  if (seriesId === SERIES_ID_UNREGISTER) return 'unregister';
  return 'proposal';
}
