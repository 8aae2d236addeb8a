/**
 * The JSON contract (protobuf's JSON conventions): uint64 as decimal strings, bytes as base64, maps keyed by
 * decimal IDs in ascending order, absent things as null. `toJson` turns any domain value into that shape.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function toJson(value: unknown): Json {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Map) {
    const keys = [...value.keys()].sort((a, b) => (typeof a === 'bigint' && typeof b === 'bigint' ? (a < b ? -1 : a > b ? 1 : 0) : String(a).localeCompare(String(b))));
    const out: { [key: string]: Json } = {};
    for (const k of keys) out[String(k)] = toJson(value.get(k));
    return out;
  }
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value as object)) out[k] = toJson(v);
    return out;
  }
  return String(value);
}

export function stringifyJson(value: unknown, pretty: boolean): string {
  return JSON.stringify(toJson(value), null, pretty ? 2 : undefined);
}
