/**
 * Every finding code `logdb check` can report, with the invariant it names. The codes are a contract: scripts
 * match on them, so a code is never renamed or reused for another meaning. The severity each code gets is
 * decided where it is found (the same code can be an error for the newest snapshot and a warning for an old
 * one); the README lists the usual ones.
 */
export const FINDING_CODES = {
  // the log (entries), per node
  'entry-gap': 'entries are missing between the first index and the max index',
  'entries-missing': 'the max index promises entries above the newest snapshot, but none is stored',
  'entry-index-mismatch': "an entry's own index differs from the index its key (or its batch) says",
  'batch-id-mismatch': 'a batch record holds an entry whose index belongs to another batch ID',
  'term-decreases': 'a term goes down along the log (or below the snapshot term)',
  'stale-entries': 'entry records that Dragonboat no longer reads (above the max index, or of a removed node)',
  'undecodable-payload': "an entry's command does not decode (EncodedEntry header or Snappy block, config change)",
  // the node's records
  'state-missing': 'entries or a max index but no hard state record',
  'bootstrap-missing': 'a node with a state, max index or snapshot record but no bootstrap record',
  'orphan-bootstrap': 'a bootstrap record with no state and no log',
  'max-index-missing': 'entries and a hard state but no max index record, so Dragonboat sees an empty log',
  'commit-beyond-last': "the hard state's commit index is beyond the last index of the log",
  'state-term-behind': "the hard state's term is lower than the term of the last entry",
  'snapshot-out-of-range': 'the newest snapshot index is beyond the max index',
  'snapshot-index-mismatch': "a snapshot record's index (or cluster) differs from its key",
  // records and keys
  'undecodable-record': 'a value that does not decode (protobuf, Colfer, entry batch, max index)',
  'bad-key': 'a key of a LogDB kind with the wrong length or non-zero padding',
  'unknown-key': 'a key of a kind Dragonboat v3 never writes',
  'shard-unreadable': 'the KV store of a shard cannot be opened or read',
  // placement and format
  'wrong-shard': 'a node whose records are in a shard the partitioner does not route its cluster to',
  'mixed-entry-modes': 'plain (01 01) and batched (07 07) entry records in one LogDB: Dragonboat refuses to start',
  'ds-mismatch': 'dragonboat.ds disagrees with what is on disk (type, shards, binary format, host, deployment)',
  'ds-missing': 'no dragonboat.ds next to the LogDB',
  'version-conflict': 'files of Dragonboat versions that cannot share a NodeHost dir (e.g. v4 Pebble and a v3.3 NODEHOST.ID)',
  // snapshot files and directories
  'snapshot-file-missing': 'a snapshot record points at a .gbsnap or external file that does not exist',
  'snapshot-file-size': 'a snapshot file whose size differs from the one recorded',
  'snapshot-file-corrupt': 'a .gbsnap header, tail or flag file in a snapshot directory that does not decode',
  'snapshot-checksum': "a .gbsnap whose payload checksum differs from the record's (--deep)",
  'snapshot-block-crc': 'a .gbsnap block whose data does not match its CRC (--deep)',
  'snapshot-records-moved': 'snapshot records hold absolute paths outside this NodeHost directory (it was moved)',
  'orphan-temp-dir': 'a .generating or .receiving snapshot directory left by an interrupted snapshot',
  'orphan-snapshot-message': 'a snapshot directory still holding dragonboat.snapshot.message',
  'unrecorded-snapshot-dir': 'a snapshot directory with no snapshot record in the LogDB',
  'deleted-marker': 'a DELETED.dragonboat marker: the node was removed with NodeHost.RemoveData',
  'wrong-snapshot-part': 'a node snapshot directory under the wrong snapshot-part-N directory',
  // Dragonboat v4's tan LogDB (src/tan/check.ts)
  'tan-file-corrupt': 'a tan file (CURRENT, MANIFEST, log, index, BOOTSTRAP) with an invalid chunk or a record that does not decode',
  'tan-torn-tail': "the newest log of a node ends in a torn record: tan drops it at the next open (a crash while writing)",
  'tan-index-missing': 'a live tan log other than the newest has no .index file: tan panics or skips it at open',
  'tan-removed-node': 'a tan node dir without a BOOTSTRAP file: the node was removed (RemoveNodeData) and tan ignores its records',
  'tan-import-unfinished': "a logdb import-snapshot killed after its commit: the node's new BOOTSTRAP is still a pending file that Dragonboat does not read",
  'tan-import-leftover': 'the pending BOOTSTRAP of a logdb import-snapshot killed before its commit: ignored, the import did not happen',
} as const;

export type FindingCode = keyof typeof FINDING_CODES;
