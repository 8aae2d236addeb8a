/**
 * The codec layer in one import: Dragonboat's LogDB keys (§4), values (§5), entry payloads (§6), flag files
 * (§2.2) and .gbsnap snapshot files (§10.1). Pure functions over Buffers and bigints; no I/O except the
 * positional reads of gbsnap.ts. Every decoder reports damaged input as a CodecError.
 */
export * from './errors.js';
export * from './uint64.js';
export * from './keys.js';
export * from './colfer.js';
export * from './entry-batch.js';
export * from './messages.js';
export * from './flag-file.js';
export * from './encoded-entry.js';
export * from './snappy.js';
export * from './enums.js';
export * from './gbsnap.js';
