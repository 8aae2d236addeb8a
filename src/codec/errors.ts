/**
 * The one error type of the codec layer.
 *
 * Every decoder under src/codec/ reports bytes it cannot make sense of (truncated records, unknown headers,
 * checksum mismatches, garbage) by throwing a CodecError — never a RangeError, TypeError or a raw protobufjs
 * error — so callers can tell "this value on disk is damaged" apart from programming errors with one
 * `instanceof` check. Messages name the codec first, e.g. `codec/colfer: unknown header 0x09 at byte 3`.
 *
 * Encoders that are handed out-of-range arguments (a negative or > 2^64−1 bigint, a non-integer type) throw
 * RangeError instead: that is a caller bug, not damaged data.
 */

export class CodecError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CodecError';
  }
}

/** Wraps anything thrown by a third-party decoder (protobufjs, snappyjs) into a CodecError for `codec`. */
export function wrapCodecError(codec: string, what: string, err: unknown): CodecError {
  if (err instanceof CodecError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new CodecError(`codec/${codec}: ${what}: ${detail}`, { cause: err });
}
