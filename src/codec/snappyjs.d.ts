// Types for snappyjs (raw Snappy block format; the package ships none). Only the Buffer overloads are used.
declare module 'snappyjs' {
  export function compress(uncompressed: Buffer): Buffer;
  export function compress(uncompressed: Uint8Array): Uint8Array;
  export function uncompress(compressed: Buffer, maxLength?: number): Buffer;
  export function uncompress(compressed: Uint8Array, maxLength?: number): Uint8Array;
}
