# The portable form of one recorded event: the store's envelope plus its opaque payload. Used
# to move events between backends (SQLite -> PostgreSQL) and to hand an auditor an export that
# can be re-verified with the hash chain (storage/hash_chain.h). The stores themselves keep
# these fields as table columns, not as this message.
#
# Evolution rules (docs/storage.md): field numbers never change, new fields take new numbers,
# retired fields stay in the schema marked as retired.
@0xd3fbe6e9087e2ab4;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("duban::storage::schema");

struct EventEnvelope {
  position @0 :Int64;        # global position, 1 for the log's first event, gap-free
  stream @1 :Text;           # stream id, e.g. "task/QH-2015-08-3.2"
  streamVersion @2 :Int64;   # 1 for the stream's first event, gap-free within the stream
  type @3 :Text;             # event type name, e.g. "TaskCreated"
  schemaVersion @4 :Int32;   # version of the payload schema for this type
  recordedAtMs @5 :Int64;    # commit time, milliseconds since the Unix epoch, UTC
  actor @6 :Text;            # who caused the event: user id, unit id, or "system"
  commandId @7 :Text;        # id of the command that appended it (retries reuse it)
  payload @8 :Data;          # the event's own encoded message, opaque to the store
  hash @9 :Data;             # 32-byte SHA-256 chain hash as stored (docs/storage.md)
}
