/**
 * RocksDB's block checksums besides CRC-32C (footer checksum type 1), registered with the table reader
 * (src/kv/pebble/block.ts). The trailer after a block is the compression type byte then a u32 LE checksum:
 *   2 kxxHash    XXH32 (seed 0) over the block bytes and the type byte
 *   3 kxxHash64  the low 32 bits of XXH64 (seed 0) over the block bytes and the type byte
 *   4 kXXH3      the low 32 bits of XXH3_64bits (seed 0) over the block bytes only, XOR the type byte times
 *                0x6b9083d9 (RocksDB's ComputeBuiltinChecksumWithLastByte: XXH3 is not extended by one byte;
 *                the default from RocksDB 7.0 / format_version 5 on, what Dragonboat's RocksDB shards hold)
 * The hashes are hash-wasm's (WebAssembly, no native build), which load asynchronously: await
 * loadRocksDBChecksums() before reading a RocksDB table.
 */
import { createXXHash3, createXXHash32, createXXHash64, type IHasher } from 'hash-wasm';
import { registerBlockChecksum } from '../pebble/block.js';

// --- wire format: footer checksum types ---
export const CHECKSUM_XXHASH = 2;
export const CHECKSUM_XXHASH64 = 3;
export const CHECKSUM_XXH3 = 4;
const XXH3_LAST_BYTE_PRIME = 0x6b9083d9;

let loading: Promise<void> | undefined;

/** Loads the hashers once and registers the three checksum types. */
export function loadRocksDBChecksums(): Promise<void> {
  loading ??= (async () => {
    const [xxh32, xxh64, xxh3] = await Promise.all([createXXHash32(0), createXXHash64(0, 0), createXXHash3(0, 0)]);
    registerBlockChecksum(CHECKSUM_XXHASH, (raw, length) => low32(xxh32, raw.subarray(0, length + 1)));
    registerBlockChecksum(CHECKSUM_XXHASH64, (raw, length) => low32(xxh64, raw.subarray(0, length + 1)));
    registerBlockChecksum(CHECKSUM_XXH3, (raw, length) => xxh3Checksum(xxh3, raw, length));
  })();
  return loading;
}

function xxh3Checksum(hasher: IHasher, raw: Buffer, length: number): number {
  return (low32(hasher, raw.subarray(0, length)) ^ Math.imul(raw[length]!, XXH3_LAST_BYTE_PRIME)) >>> 0;
}

/** The low 32 bits of the hash of `data` (hash-wasm digests are big-endian). */
function low32(hasher: IHasher, data: Uint8Array): number {
  const digest = hasher.init().update(data).digest('binary');
  const n = digest.length;
  return ((digest[n - 4]! << 24) | (digest[n - 3]! << 16) | (digest[n - 2]! << 8) | digest[n - 1]!) >>> 0;
}
