/**
 * Enum names (spec §5.11) and session series IDs (§6.3).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  SERIES_ID_NOOP,
  SERIES_ID_REGISTER,
  SERIES_ID_UNREGISTER,
  checksumTypeByName,
  checksumTypeName,
  compressionTypeByName,
  compressionTypeName,
  configChangeTypeByName,
  configChangeTypeName,
  entryTypeByName,
  entryTypeName,
  seriesIdKind,
  stateMachineTypeByName,
  stateMachineTypeName,
} from '../../src/codec/enums.js';

describe('enums', () => {
  it('name entry types, Unknown(<n>) for the rest', () => {
    assert.deepEqual([0, 1, 2, 3].map(entryTypeName), ['ApplicationEntry', 'ConfigChangeEntry', 'EncodedEntry', 'MetadataEntry']);
    assert.equal(entryTypeName(4), 'Unknown(4)');
    assert.equal(entryTypeName(-1), 'Unknown(-1)');
  });

  it('look names up both ways, case-insensitively, including Unknown(<n>) and plain numbers', () => {
    assert.equal(entryTypeByName('EncodedEntry'), 2);
    assert.equal(entryTypeByName('metadataentry'), 3);
    assert.equal(entryTypeByName('Unknown(9)'), 9);
    assert.equal(entryTypeByName('1'), 1);
    assert.equal(entryTypeByName('Nope'), undefined);
    for (const [name, byName] of [
      [configChangeTypeName, configChangeTypeByName],
      [stateMachineTypeName, stateMachineTypeByName],
      [compressionTypeName, compressionTypeByName],
      [checksumTypeName, checksumTypeByName],
      [entryTypeName, entryTypeByName],
    ] as const) {
      for (let n = 0; n < 5; n++) assert.equal(byName(name(n)), n);
    }
  });

  it('cover the other enums', () => {
    assert.deepEqual([0, 1, 2, 3].map(configChangeTypeName), ['AddNode', 'RemoveNode', 'AddObserver', 'AddWitness']);
    assert.deepEqual([0, 1, 2, 3].map(stateMachineTypeName), [
      'UnknownStateMachine',
      'RegularStateMachine',
      'ConcurrentStateMachine',
      'OnDiskStateMachine',
    ]);
    assert.deepEqual([0, 1].map(compressionTypeName), ['NoCompression', 'Snappy']);
    assert.deepEqual([0, 1].map(checksumTypeName), ['CRC32IEEE', 'HIGHWAY']);
  });

  it('session series IDs', () => {
    assert.equal(SERIES_ID_NOOP, 0n);
    assert.equal(SERIES_ID_REGISTER, 18446744073709551614n);
    assert.equal(SERIES_ID_UNREGISTER, 18446744073709551615n);
    assert.equal(seriesIdKind(SERIES_ID_REGISTER), 'register');
    assert.equal(seriesIdKind(SERIES_ID_UNREGISTER), 'unregister');
    assert.equal(seriesIdKind(0n), 'noop');
    assert.equal(seriesIdKind(3n), 'proposal');
  });
});
