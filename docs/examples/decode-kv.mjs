// A complete --decoder module for a home-grown command format:
//   byte 0      op: 1 = PUT, 2 = DELETE
//   bytes 1..   uvarint key length, the key (UTF-8), then (PUT only) the value
//
//   logdb dump-entries DIR -c 1 -n 1 --decoder ./decode-kv.mjs --output ndjson | jq -c 'select(.user.op == "DELETE")'
//
// decode(bytes, entry): bytes is a Buffer holding the command (an EncodedEntry's payload already has its header
// removed and is decompressed); entry has index, term, key, clientId, seriesId, respondedTo (bigint), type (a
// name) and cmd (as stored). Return anything JSON-able (bigint becomes a decimal string, a Buffer base64), or a
// promise of it; throw to report that entry as undecodable (its userError), the dump goes on.

const OPS = { 1: 'PUT', 2: 'DELETE' };

function uvarint(bytes, at) {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    const b = bytes[at++];
    if (b === undefined) throw new Error('truncated key length');
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, at];
  }
  throw new Error('key length too long');
}

export function decode(bytes, entry) {
  const op = OPS[bytes[0]];
  if (!op) throw new Error(`unknown op ${bytes[0]} at index ${entry.index}`);
  const [keyLength, at] = uvarint(bytes, 1);
  if (at + keyLength > bytes.length) throw new Error('key runs past the end');
  const key = bytes.subarray(at, at + keyLength).toString('utf8');
  if (op === 'DELETE') return { op, key };
  const value = bytes.subarray(at + keyLength);
  return { op, key, value: value.toString('utf8'), valueBytes: value.length };
}
