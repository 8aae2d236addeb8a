/**
 * The table properties block: facts the writer recorded about a table.
 *
 * Wire format: a block (block.ts) of entries keyed by property name in plain bytes (`rocksdb.num.entries`, …). Each
 * value is a uvarint, a string, or — for `rocksdb.block.based.table.index.type` only — a u32 LE. Index type 0 is a
 * binary-search index (one index block of data-block handles), 2 a two-level index (a top-level index of handles to
 * index partitions); 1 (hash search) is a binary-search index with extra metadata. The block is found through the
 * metaindex entry `rocksdb.properties`.
 */
import { Cursor } from './coding.js';
import { DecodeError } from './errors.js';

// --- wire format ---
export const INDEX_TYPE_BINARY_SEARCH = 0;
export const INDEX_TYPE_HASH_SEARCH = 1;
export const INDEX_TYPE_TWO_LEVEL = 2;
const PROP_INDEX_TYPE = 'rocksdb.block.based.table.index.type';
const NUMERIC_PROPS = {
  indexPartitions: 'rocksdb.index.partitions',
  indexSize: 'rocksdb.index.size',
  topLevelIndexSize: 'rocksdb.top-level.index.size',
  numDataBlocks: 'rocksdb.num.data.blocks',
  dataSize: 'rocksdb.data.size',
  numEntries: 'rocksdb.num.entries',
  numDeletions: 'rocksdb.deleted.keys',
  numRangeDeletions: 'rocksdb.num.range-deletions',
  rawKeySize: 'rocksdb.raw.key.size',
  rawValueSize: 'rocksdb.raw.value.size',
  formatVersion: 'rocksdb.format.version',
  indexKeyIsUserKey: 'rocksdb.index.key.is.user.key',
  indexValueIsDeltaEncoded: 'rocksdb.index.value.is.delta.encoded',
} satisfies Partial<Record<keyof TableProperties, string>>;
const STRING_PROPS = {
  comparer: 'rocksdb.comparator',
  mergeOperator: 'rocksdb.merge.operator',
  compression: 'rocksdb.compression',
  filterPolicy: 'rocksdb.filter.policy',
} satisfies Partial<Record<keyof TableProperties, string>>;

export interface TableProperties {
  indexType: number;
  indexPartitions: number;
  indexSize: number;
  topLevelIndexSize: number;
  numDataBlocks: number;
  dataSize: number;
  numEntries: number;
  /** point and range deletions */
  numDeletions: number;
  numRangeDeletions: number;
  rawKeySize: number;
  rawValueSize: number;
  formatVersion: number;
  indexKeyIsUserKey: number;
  indexValueIsDeltaEncoded: number;
  comparer: string;
  mergeOperator: string;
  compression: string;
  filterPolicy: string;
  /** every property as stored */
  raw: Map<string, Buffer>;
}

/** Interprets a decoded properties block (name → value). Absent numeric properties read as 0, strings as ''. */
export function parseProperties(raw: Map<string, Buffer>): TableProperties {
  const props = { raw, indexType: INDEX_TYPE_BINARY_SEARCH } as TableProperties;
  for (const [field, name] of Object.entries(NUMERIC_PROPS) as [keyof typeof NUMERIC_PROPS, string][]) {
    const value = raw.get(name);
    if (value === undefined) {
      props[field] = 0;
      continue;
    }
    try {
      props[field] = new Cursor(value).uvarint();
    } catch (err) {
      if (err instanceof DecodeError) throw new DecodeError(`bad table property ${name}: ${err.message}`, 0);
      throw err;
    }
  }
  for (const [field, name] of Object.entries(STRING_PROPS) as [keyof typeof STRING_PROPS, string][]) {
    props[field] = raw.get(name)?.toString('latin1') ?? '';
  }
  const indexType = raw.get(PROP_INDEX_TYPE);
  if (indexType !== undefined) {
    if (indexType.length !== 4) throw new DecodeError(`bad table property ${PROP_INDEX_TYPE}`, 0);
    props.indexType = indexType.readUInt32LE(0);
  }
  return props;
}
