/**
 * Reading one table (`NNNNNN.sst`, LevelDB's `NNNNNN.ldb`): the RocksDB block-based table format as Pebble writes
 * it, and its ancestor, LevelDB's (LevelDB footer, no properties block).
 *
 * Layout: data blocks | meta blocks (range deletions, properties) | metaindex block | index block(s) | footer.
 *   - The footer (footer.ts) locates the metaindex and the index.
 *   - The metaindex maps names to block handles: `rocksdb.properties` (properties.ts), `rocksdb.range_del2` (Pebble
 *     and RocksDB ≥ 5.18: fragmented tombstones) or `rocksdb.range_del` (older RocksDB: the same encoding, maybe
 *     overlapping; the tombstone index fragments both anyway).
 *   - Index type 0: the footer's index block holds one entry per data block, keyed by a separator ≥ every key of that
 *     block and < every key of the next. Index type 2 (two-level): the footer's index block is the top-level index,
 *     whose entries point at index partitions, each an ordinary index block.
 *   - A range-deletion block is keyed by the tombstone's start (internal key, kind 15); the value is the exclusive
 *     end user key.
 * Every block is read with one positioned read and its checksum verified (block.ts). Small tables are read whole.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import {
  BLOCK_TRAILER_SIZE,
  blockUserKey,
  decodeBlockHandle,
  decodeDataBlock,
  decodeIndexBlock,
  decodeNamedBlock,
  unwrapBlock,
  type BlockHandle,
  type DataBlock,
  type IndexBlock,
} from './block.js';
import { corruption, DecodeError, decodeFailure, UnsupportedFormatError } from './errors.js';
import { decodeDeltaIndexBlock } from '../rocksdb/index-block.js';
import { decodeFooter, ROCKSDB_FOOTER_SIZE, type Footer } from './footer.js';
import type { KVPair } from '../kv.js';
import { compareBytes, isPointKind, KIND_MERGE, KIND_RANGE_DELETE, KIND_SET, KIND_SET_WITH_DELETE } from './internal-key.js';
import { compareRanges, LazyPair } from './memtable.js';
import type { InternalIterator, RangeTombstone } from './iterator.js';
import { BYTEWISE_COMPARATOR } from './manifest.js';
import { INDEX_TYPE_TWO_LEVEL, parseProperties, type TableProperties } from './properties.js';

// --- wire format: metaindex names ---
const META_PROPERTIES = 'rocksdb.properties';
const META_RANGE_DEL_V2 = 'rocksdb.range_del2';
const META_RANGE_DEL_V1 = 'rocksdb.range_del';

/**
 * Tables up to this size are read into memory whole at open; larger ones are read block by block, so that memory
 * stays flat however large the shard (a merged read holds one block per table, not the tables).
 */
const WHOLE_FILE_LIMIT = 256 * 1024;
/** How much a scan of a larger table reads at once. */
const READ_AHEAD = 256 * 1024;
const MODULE = 'pebble/sstable';
const EMPTY = Buffer.alloc(0);

export class TableReader {
  readonly footer: Footer;
  readonly properties: TableProperties;
  /** the footer's index block: the data-block index, or the top-level index of a two-level index */
  private readonly topIndex: IndexBlock;
  readonly twoLevel: boolean;
  private readonly rangeDelHandle?: BlockHandle;
  private readonly partitions = new Map<number, IndexBlock>();
  private lastBlock?: { offset: number; block: DataBlock };
  private fd?: number;
  private whole?: Buffer;
  /** the read-ahead window of a table read block by block: `ahead` holds the file from `aheadOffset` on */
  private ahead?: Buffer;
  private aheadOffset = 0;
  private lastReadEnd = -1;

  /** Opens and checks the table at `path` (footer, metaindex, properties, index). Throws KVCorruptionError. */
  static open(path: string): TableReader {
    let fd: number | undefined;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      throw corruption(MODULE, `cannot open table (${(err as NodeJS.ErrnoException).code ?? err})`, path);
    }
    try {
      const size = fstatSync(fd).size;
      let whole: Buffer | undefined;
      if (size <= WHOLE_FILE_LIMIT) {
        whole = readExactly(fd, 0, size, path);
        closeSync(fd);
        fd = undefined;
      }
      return new TableReader(path, size, fd, whole);
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      throw err;
    }
  }

  private constructor(
    readonly path: string,
    readonly size: number,
    fd: number | undefined,
    whole: Buffer | undefined,
  ) {
    this.fd = fd;
    this.whole = whole;
    const tailLength = Math.min(this.size, ROCKSDB_FOOTER_SIZE);
    const tailOffset = this.size - tailLength;
    this.footer = this.decode(tailOffset, () => decodeFooter(this.readRaw(tailOffset, tailLength), this.size));
    const metaindex = this.decode(this.footer.metaindex.offset, () => decodeNamedBlock(this.readBlock(this.footer.metaindex)));

    const propsHandle = this.metaHandle(metaindex, META_PROPERTIES);
    // LevelDB tables (LevelDB footer) have no properties block: every property takes its default
    if (!propsHandle && this.footer.format !== 'leveldb') throw corruption(MODULE, 'table has no properties block', path);
    this.properties = propsHandle
      ? this.decode(propsHandle.offset, () => parseProperties(decodeNamedBlock(this.readBlock(propsHandle))))
      : parseProperties(new Map());
    this.checkProperties();
    this.rangeDelHandle = this.metaHandle(metaindex, META_RANGE_DEL_V2) ?? this.metaHandle(metaindex, META_RANGE_DEL_V1);

    this.twoLevel = this.properties.indexType === INDEX_TYPE_TWO_LEVEL;
    this.topIndex = this.readIndexBlock(this.footer.index);
    if (this.topIndex.count === 0 && this.properties.numDataBlocks > 0) {
      throw corruption(MODULE, 'empty index in a table with data blocks', path, this.footer.index.offset);
    }
  }

  private checkProperties(): void {
    const { comparer, indexValueIsDeltaEncoded, indexType } = this.properties;
    if (comparer !== '' && comparer !== BYTEWISE_COMPARATOR) {
      throw corruption(MODULE, `table comparator ${JSON.stringify(comparer)} is not ${BYTEWISE_COMPARATOR}`, this.path);
    }
    if (indexType > INDEX_TYPE_TWO_LEVEL) throw decodeFailure(MODULE, new UnsupportedFormatError(`unsupported index type ${indexType}`, 0), this.path);
    if (indexValueIsDeltaEncoded > 1) {
      throw corruption(MODULE, `bad table property rocksdb.index.value.is.delta.encoded (${indexValueIsDeltaEncoded})`, this.path);
    }
  }

  private metaHandle(metaindex: Map<string, Buffer>, name: string): BlockHandle | undefined {
    const value = metaindex.get(name);
    if (value === undefined) return undefined;
    const handle = this.decode(this.footer.metaindex.offset, () => decodeBlockHandle(value));
    this.checkHandle(handle, this.footer.metaindex.offset);
    return handle;
  }

  private checkHandle(handle: BlockHandle, referrerOffset: number): void {
    if (handle.offset + handle.length + BLOCK_TRAILER_SIZE > this.footer.footerOffset) {
      throw corruption(MODULE, 'block handle points past the end of the table data', this.path, referrerOffset);
    }
  }

  /** Runs a decoder, turning its DecodeError into a KVCorruptionError at `baseOffset` + the error's offset. */
  private decode<T>(baseOffset: number, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof DecodeError) throw decodeFailure(MODULE, err, this.path, baseOffset + err.offset);
      throw err;
    }
  }

  private readRaw(offset: number, length: number): Buffer {
    if (this.whole) {
      if (offset + length > this.whole.length) throw corruption(MODULE, 'read past the end of the table', this.path, offset);
      return this.whole.subarray(offset, offset + length);
    }
    if (this.fd === undefined) throw new Error(`${MODULE}: table ${basename(this.path)} is closed`);
    const ahead = this.ahead;
    if (ahead && offset >= this.aheadOffset && offset + length <= this.aheadOffset + ahead.length) {
      this.lastReadEnd = offset + length;
      return ahead.subarray(offset - this.aheadOffset, offset - this.aheadOffset + length);
    }
    // A read that starts where the last one ended is a scan: read ahead, to pay one system call per many blocks.
    const sequential = offset === this.lastReadEnd;
    this.lastReadEnd = offset + length;
    if (!sequential) return readExactly(this.fd, offset, length, this.path);
    const size = Math.max(length, Math.min(READ_AHEAD, this.size - offset));
    this.ahead = readExactly(this.fd, offset, size, this.path);
    this.aheadOffset = offset;
    return this.ahead.subarray(0, length);
  }

  /** The contents of the block at `handle`, checksum verified and decompressed. */
  readBlock(handle: BlockHandle): Buffer {
    const raw = this.readRaw(handle.offset, handle.length + BLOCK_TRAILER_SIZE);
    try {
      return unwrapBlock(raw, this.footer.checksumType);
    } catch (err) {
      if (err instanceof DecodeError) throw decodeFailure(MODULE, err, this.path, handle.offset);
      throw err;
    }
  }

  private readIndexBlock(handle: BlockHandle): IndexBlock {
    const block = this.readBlock(handle);
    const userKeys = this.properties.indexKeyIsUserKey !== 0;
    // RocksDB format_version ≥ 4 (src/kv/rocksdb/index-block.ts); Pebble never delta-encodes
    const decodeIndex = this.properties.indexValueIsDeltaEncoded ? decodeDeltaIndexBlock : decodeIndexBlock;
    const index = this.decode(handle.offset, () => decodeIndex(block, userKeys));
    for (let i = 0; i < index.count; i++) this.checkHandle({ offset: index.offsets[i]!, length: index.lengths[i]! }, handle.offset);
    return index;
  }

  /** How many index partitions the iterator walks (1 for a binary-search index). */
  get partitionCount(): number {
    return this.twoLevel ? this.topIndex.count : 1;
  }

  /** The top-level index (separators of the partitions, or of the data blocks for a one-level index). */
  get topLevelIndex(): IndexBlock {
    return this.topIndex;
  }

  /** Index partition `i` (the whole data-block index for a binary-search index). */
  partition(i: number): IndexBlock {
    if (!this.twoLevel) return this.topIndex;
    const offset = this.topIndex.offsets[i]!;
    let part = this.partitions.get(offset);
    if (!part) {
      part = this.readIndexBlock({ offset, length: this.topIndex.lengths[i]! });
      this.partitions.set(offset, part);
    }
    return part;
  }

  /** The decoded data block at `offset`. */
  dataBlock(offset: number, length: number): DataBlock {
    if (this.lastBlock?.offset === offset) return this.lastBlock.block;
    const contents = this.readBlock({ offset, length });
    const block = this.decode(offset, () => decodeDataBlock(contents));
    for (let i = 0; i < block.count; i++) {
      if (!isPointKind(block.kinds[i]!)) {
        throw corruption(MODULE, `unexpected key kind ${block.kinds[i]} in a data block`, this.path, offset);
      }
    }
    this.lastBlock = { offset, block };
    return block;
  }

  /** The table's range tombstones, as stored (not truncated to the table's bounds). */
  rangeTombstones(): RangeTombstone[] {
    const handle = this.rangeDelHandle;
    if (!handle) return [];
    const contents = this.readBlock(handle);
    const block = this.decode(handle.offset, () => decodeDataBlock(contents));
    const out: RangeTombstone[] = [];
    for (let i = 0; i < block.count; i++) {
      if (block.kinds[i] !== KIND_RANGE_DELETE) {
        throw corruption(MODULE, `unexpected key kind ${block.kinds[i]} in the range-deletion block`, this.path, handle.offset);
      }
      const end = block.block.subarray(block.valueStarts[i]!, block.valueEnds[i]!);
      out.push({ start: blockUserKey(block, i), end, seq: block.seqs[i]! });
    }
    return out;
  }

  newIterator(): TableIterator {
    return new TableIterator(this);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.whole = undefined;
    this.ahead = undefined;
    this.lastBlock = undefined;
    this.partitions.clear();
  }
}

function readExactly(fd: number, offset: number, length: number, path: string): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, offset + done);
    if (n === 0) throw corruption(MODULE, `table is truncated (wanted ${length} bytes)`, path, offset);
    done += n;
  }
  return buf;
}

/** Index of the first separator >= `key` in `index`, or index.count. */
function searchIndex(index: IndexBlock, key: Buffer): number {
  let lo = 0;
  let hi = index.count;
  const seps = index.separators;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(seps[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first entry at or after `from` whose user key is >= `key` in `block`, or block.count. */
function searchBlock(block: DataBlock, key: Buffer, from = 0): number {
  let lo = from;
  let hi = block.count;
  const { keys, keyStarts, keyEnds } = block;
  const kl = key.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareRanges(keys, keyStarts[mid]!, keyEnds[mid]!, key, 0, kl) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Walks one table's point entries in internal-key order. */
export class TableIterator implements InternalIterator {
  valid = false;
  key: Buffer = EMPTY;
  seq = 0;
  kind = 0;
  private partIdx = 0;
  private part?: IndexBlock;
  private blockIdx = 0;
  private block?: DataBlock;
  private pos = 0;
  /** after emitRun ran off the end of the table: the user key it consumed last */
  lastKey?: Buffer;

  constructor(private readonly table: TableReader) {}

  value(): Buffer {
    const b = this.block!;
    return b.block.subarray(b.valueStarts[this.pos]!, b.valueEnds[this.pos]!);
  }

  first(): void {
    this.loadPartition(0);
    this.loadBlock(0);
    this.pos = 0;
    this.settle();
  }

  seekGE(userKey: Buffer): void {
    const table = this.table;
    const partIdx = table.twoLevel ? searchIndex(table.topLevelIndex, userKey) : 0;
    if (partIdx >= table.partitionCount) {
      this.valid = false;
      return;
    }
    this.loadPartition(partIdx);
    this.loadBlock(searchIndex(this.part!, userKey));
    this.pos = this.block ? searchBlock(this.block, userKey) : 0;
    this.settle();
  }

  next(): void {
    this.pos++;
    const b = this.block!;
    if (this.pos < b.count) {
      this.loadEntry(b);
      return;
    }
    this.settle();
  }

  emitRun(out: KVPair[], max: number, limit: Buffer | undefined, deletedBelow: number): boolean {
    let moved = false;
    blocks: while (this.valid) {
      const b = this.block!;
      const { keys, keyStarts, keyEnds, kinds, seqs, valueStarts, valueEnds } = b;
      // the entries of this block below the limit, found by one search rather than a comparison per entry (older
      // versions of a key below the limit are below it too)
      const stop = limit === undefined ? b.count : searchBlock(b, limit, this.pos);
      let pos = this.pos;
      while (pos < stop && out.length < max) {
        const kind = kinds[pos]!;
        if (kind === KIND_MERGE) break;
        const ks = keyStarts[pos]!;
        const ke = keyEnds[pos]!;
        if ((kind === KIND_SET || kind === KIND_SET_WITH_DELETE) && seqs[pos]! >= deletedBelow) {
          out.push(new LazyPair(keys, ks, ke, b.block, valueStarts[pos]!, valueEnds[pos]!));
        }
        moved = true;
        pos++;
        while (pos < stop && rangesEqual(keys, keyStarts[pos]!, keyEnds[pos]!, keys, ks, ke)) pos++;
        if (pos === b.count) {
          // the block ended: the older versions of its last key may go on in the next blocks
          this.pos = pos;
          this.settle();
          this.skipVersionsOf(keys, ks, ke);
          if (!this.valid) this.lastKey = keys.subarray(ks, ke);
          continue blocks;
        }
      }
      // the limit, a MERGE or a full `out`: the run ends inside this block
      this.pos = pos;
      this.loadEntry(b);
      break;
    }
    return moved;
  }

  /** Moves past the entries whose user key is keys[ks, ke) (the iterator is at a block's first entry or invalid). */
  private skipVersionsOf(keys: Buffer, ks: number, ke: number): void {
    while (this.valid) {
      const b = this.block!;
      if (!rangesEqual(b.keys, b.keyStarts[this.pos]!, b.keyEnds[this.pos]!, keys, ks, ke)) return;
      this.next();
    }
  }

  private loadEntry(b: DataBlock): void {
    const pos = this.pos;
    this.key = b.keys.subarray(b.keyStarts[pos]!, b.keyEnds[pos]!);
    this.seq = b.seqs[pos]!;
    this.kind = b.kinds[pos]!;
  }

  private loadPartition(i: number): void {
    this.partIdx = i;
    this.part = i < this.table.partitionCount ? this.table.partition(i) : undefined;
  }

  private loadBlock(i: number): void {
    this.blockIdx = i;
    const part = this.part;
    this.block = part && i < part.count ? this.table.dataBlock(part.offsets[i]!, part.lengths[i]!) : undefined;
  }

  /** Moves forward from (partIdx, blockIdx, pos) to the first existing entry and loads its fields. */
  private settle(): void {
    for (;;) {
      const part = this.part;
      if (!part) {
        this.valid = false;
        return;
      }
      const b = this.block;
      if (b && this.pos < b.count) {
        this.valid = true;
        this.loadEntry(b);
        return;
      }
      if (this.blockIdx + 1 < part.count) {
        this.loadBlock(this.blockIdx + 1);
      } else {
        this.loadPartition(this.partIdx + 1);
        this.loadBlock(0);
      }
      this.pos = 0;
    }
  }
}

function rangesEqual(a: Buffer, as: number, ae: number, b: Buffer, bs: number, be: number): boolean {
  if (ae - as !== be - bs) return false;
  for (let i = ae - as - 1; i >= 0; i--) if (a[as + i] !== b[bs + i]) return false;
  return true;
}
