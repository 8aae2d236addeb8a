/**
 * RocksDB index blocks with delta-encoded values (table format_version ≥ 4, property
 * `rocksdb.index.value.is.delta.encoded` = 1).
 *
 * Wire format: the usual block (entries, then u32 LE restart offsets, then the u32 LE restart count), but an entry
 * carries no value length: uvarint shared | uvarint unshared | unshared key bytes | value. Where `shared` is 0 (every
 * restart point, and every entry with the index restart interval 1 RocksDB uses by default) the value is a whole
 * block handle (uvarint offset, uvarint size); otherwise it is the zig-zag signed varint difference of the size from
 * the previous entry's, and the block starts right after the previous one and its 5-byte trailer.
 */
import { Cursor, readUint32LE } from '../pebble/coding.js';
import { BLOCK_TRAILER_SIZE, type IndexBlock } from '../pebble/block.js';
import { DecodeError } from '../pebble/errors.js';
import { TRAILER_LENGTH } from '../pebble/internal-key.js';

/** Decodes a delta-encoded index block; `keyIsUserKey` when the table says its index keys carry no trailer. */
export function decodeDeltaIndexBlock(block: Buffer, keyIsUserKey: boolean): IndexBlock {
  if (block.length < 4) throw new DecodeError('block shorter than its restart count', 0);
  const numRestarts = readUint32LE(block, block.length - 4);
  const end = block.length - 4 - 4 * numRestarts;
  if (numRestarts === 0 || end < 0) throw new DecodeError(`bad restart count ${numRestarts}`, block.length - 4);
  const index: IndexBlock = { count: 0, separators: [], offsets: [], lengths: [] };
  const c = new Cursor(block, 0, end);
  let prevKey = Buffer.alloc(0);
  while (c.remaining > 0) {
    const entryStart = c.pos;
    const shared = c.uvarint();
    const unshared = c.uvarint();
    if (shared > prevKey.length) throw new DecodeError('entry shares more bytes than the previous key has', entryStart);
    const key = Buffer.concat([prevKey.subarray(0, shared), c.bytes(unshared)]);
    let offset: number;
    let length: number;
    if (shared === 0) {
      offset = c.uvarint();
      length = c.uvarint();
    } else {
      if (index.count === 0) throw new DecodeError('delta-encoded index value without a previous handle', entryStart);
      const prevOffset = index.offsets[index.count - 1]!;
      const prevLength = index.lengths[index.count - 1]!;
      const zigzag = c.uvarint();
      const delta = zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
      offset = prevOffset + prevLength + BLOCK_TRAILER_SIZE;
      length = prevLength + delta;
      if (length < 0) throw new DecodeError('delta-encoded index value gives a negative block size', entryStart);
    }
    if (!keyIsUserKey && key.length < TRAILER_LENGTH) throw new DecodeError('index key shorter than its trailer', entryStart);
    index.separators.push(keyIsUserKey ? key : key.subarray(0, key.length - TRAILER_LENGTH));
    index.offsets.push(offset);
    index.lengths.push(length);
    index.count++;
    prevKey = key;
  }
  return index;
}
