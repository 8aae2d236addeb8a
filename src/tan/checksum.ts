/**
 * tan's chunk checksum (v4-format.md §6 "Record framing"): the low 32 bits of XXH64 with seed 0 over the chunk's type
 * byte [+ log number] + payload, stored unmasked — where Pebble stores a masked CRC-32C over the same bytes.
 *
 * XXH64 comes from hash-wasm (kept, dependency-free WebAssembly); creating its hasher is asynchronous, so a tan
 * reader or writer creates it once when it opens and then checksums synchronously.
 */
import { createXXHash64 } from 'hash-wasm';
import type { ChunkChecksum } from '../kv/pebble/record.js';

let shared: Promise<ChunkChecksum> | undefined;

export function tanChunkChecksum(): Promise<ChunkChecksum> {
  shared ??= createXXHash64(0, 0).then((hasher) => (data: Buffer, start: number, end: number) => {
    hasher.init();
    hasher.update(data.subarray(start, end));
    const digest = hasher.digest('binary');
    // the canonical digest is big-endian: its last four bytes are the low 32 bits
    return ((digest[4]! << 24) | (digest[5]! << 16) | (digest[6]! << 8) | digest[7]!) >>> 0;
  });
  return shared;
}
