// EventStore: duban's append-only event log, the source of truth for every task. A store holds
// ordered streams of events (one stream per task or document); every event also gets a
// gap-free global position across all streams and a link in a SHA-256 hash chain.
//
// The store is payload-agnostic: it keeps opaque payload bytes with a type name and a schema
// version, and never decodes them. Backends (SQLite now, PostgreSQL next) implement this one
// interface and report failures with the codes of storage/store_errc.h; nothing above this
// header knows which backend it talks to. `main()` picks one.
//
// Thread-safety: every member function may be called concurrently from any number of threads.
// append() blocks until its events are durable (or refused); reads see every append that was
// acknowledged before the read started. Destroying a store while calls are in flight is a bug.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/ids.h"
#include "model/result.h"
#include "model/time.h"

namespace duban::storage {

// SHA-256 digest size; RecordedEvent::hash and Head::hash hold this many raw bytes.
inline constexpr std::size_t kHashSize = 32;

// An event a command wants to append. The store adds everything else in RecordedEvent.
struct NewEvent {
  std::string type;                 // e.g. "TaskCreated"; non-empty
  std::int32_t schema_version = 1;  // version of the payload's schema for this type
  std::string payload;              // opaque bytes (a Cap'n Proto message in duban)
  std::string actor;                // who caused it: a user id, a unit id, or "system"
};

// An event as stored. Immutable once appended.
struct RecordedEvent {
  GlobalPosition position;  // 1 for the log's first event, then gap-free
  std::string stream;       // stream id, e.g. "task/QH-2015-08-3.2"
  StreamVersion version;    // 1 for the stream's first event, then gap-free
  std::string type;
  std::int32_t schema_version = 0;
  std::string payload;
  Timestamp recorded_at;  // from the store's injected Clock, when the append committed
  std::string actor;
  CommandId command_id;  // the command that appended it (shared by its sibling events)
  std::string hash;      // kHashSize raw bytes: SHA-256(previous hash ‖ envelope ‖
                         // payload); see storage/hash_chain.h and docs/storage.md
};

// A recorded event's fields that a replay folds, as views into the store's own buffers: valid
// only during the scan_all() callback that receives them.
struct EventView {
  GlobalPosition position;
  std::string_view stream;
  StreamVersion version;
  std::string_view type;
  std::int32_t schema_version = 0;
  std::string_view payload;
};

// What the stream must look like for an append to go ahead (optimistic concurrency).
class ExpectedVersion {
 public:
  enum class Kind { any, no_stream, exactly };

  // No check: append after whatever the stream holds (creating it if needed).
  static ExpectedVersion any() { return ExpectedVersion(Kind::any, StreamVersion(0)); }
  // The stream must not exist yet. Same as exactly(StreamVersion(0)).
  static ExpectedVersion no_stream() { return ExpectedVersion(Kind::no_stream, StreamVersion(0)); }
  // The stream's last event must have version `v`; exactly(0) means no_stream().
  static ExpectedVersion exactly(StreamVersion v) {
    return v.value() == 0 ? no_stream() : ExpectedVersion(Kind::exactly, v);
  }

  Kind kind() const { return kind_; }
  StreamVersion version() const { return version_; }  // 0 unless kind() == exactly
  // True when a stream whose last version is `current` (0: no stream) satisfies this.
  bool admits(StreamVersion current) const { return kind_ == Kind::any || current == version_; }

 private:
  ExpectedVersion(Kind k, StreamVersion v) : kind_(k), version_(v) {}
  Kind kind_;
  StreamVersion version_;
};

// The outcome of an accepted append. For a retried command id, the ORIGINAL outcome with
// `duplicate` set; nothing is appended again.
struct AppendResult {
  GlobalPosition first;    // position of the command's first event
  GlobalPosition last;     // position of its last event
  StreamVersion version;   // the stream's version after the command's events
  bool duplicate = false;  // true when the command id had already been appended
};

// The end of the log.
struct Head {
  GlobalPosition position;  // last event's position; 0 when the log is empty
  std::string hash;         // its hash; kHashSize zero bytes when the log is empty
};

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Appends `events` (at least one) to `stream` as one atomic unit, if the stream matches
  // `expected`, and returns once they are durable. `command_id` makes retries idempotent: if it
  // was already appended to the same stream, nothing is written and the original result comes
  // back with duplicate = true (checked before `expected`, so a retry after a lost reply
  // succeeds). Errors: version_conflict, command_id_reused (same id, other stream),
  // invalid_argument, read_only, and environment failures (busy, io_error, corrupt, internal).
  virtual Result<AppendResult> append(const std::string& stream, ExpectedVersion expected,
                                      std::span<const NewEvent> events,
                                      const CommandId& command_id) = 0;

  // The stream's events with version >= from_version, in version order; empty when the stream
  // does not exist.
  virtual Result<std::vector<RecordedEvent>> read_stream(
      const std::string& stream, StreamVersion from_version = StreamVersion(1)) = 0;

  // Up to max_count events with position >= from_position, in position order. A reader that
  // has processed position p continues with read_all(p.next(), n).
  virtual Result<std::vector<RecordedEvent>> read_all(GlobalPosition from_position,
                                                      std::size_t max_count) = 0;

  // read_all() without copying: calls `each` for up to max_count events with position >=
  // from_position, in position order, until it returns false. Returns how many it was given. A
  // rebuild reads the whole log this way (service/projections/read_model.h). The default goes
  // through read_all(); a backend that can lend its row buffers overrides it (SQLite).
  virtual Result<std::size_t> scan_all(GlobalPosition from_position, std::size_t max_count,
                                       const std::function<bool(const EventView&)>& each) {
    auto page = read_all(from_position, max_count);
    if (!page) return page.error();
    std::size_t given = 0;
    for (const RecordedEvent& r : *page) {
      ++given;
      if (!each(EventView{r.position, r.stream, r.version, r.type, r.schema_version, r.payload})) {
        break;
      }
    }
    return given;
  }

  // The last committed position and its hash.
  virtual Result<Head> head() = 0;

  // Blocks until an append by THIS store object commits an event past `after`, or until
  // `timeout`; returns the last committed position then known (> after when woken by an
  // append, possibly <= after on timeout). Returns at once if the log is already past `after`.
  // Appends by other processes are not signalled (poll with read_all for those).
  virtual GlobalPosition wait_for_position(GlobalPosition after,
                                           std::chrono::milliseconds timeout) = 0;

  // Whether anything but this object may append to the log while it is open: another process,
  // another node, or another store object on the same log. When false, the last position this
  // object committed IS the log's head, so wait_for_position(GlobalPosition(0), 0 ms) answers
  // head().position from memory, and a reader may skip its head() read (TaskService::refresh).
  // It must only be false when the store ENFORCES it for its whole lifetime (SQLite opened with
  // SqliteOptions::exclusive holds a lock every duban writer of the file takes), never on a
  // promise. Default true, the safe answer: wrappers and PostgreSQL (always shared) keep it.
  // Constant for the object's lifetime.
  virtual bool shared_with_other_writers() const { return true; }
};

}  // namespace duban::storage
