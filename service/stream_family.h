// StreamFamily: follows one family of streams of the log (those whose id starts with a prefix,
// such as "account/" or "token/") for a small projection that folds them: AccountService and
// TokenService. It keeps the checkpoint, reads the log after it page by page, decodes only the
// family's events and hands each page to the owner's fold.
//
// Catching up costs one read_all() even when nothing is new, so lookups on a hot path (every
// authenticated request) call catch_up_if_moved() instead: it reads the log only when the
// position this store object last committed (EventStore::wait_for_position() with no wait: no
// query on a writer store) or the head someone reported through observe() (the server's push
// dispatcher, which polls the log for other processes' appends) is past the checkpoint. An append
// by another process is therefore seen at the dispatcher's next poll (100 ms by default), or by
// the next catch_up().
//
// Thread-safety: every member may be called concurrently; one catch-up runs at a time (the fold
// runs under that lock, never concurrently with itself). The store is borrowed.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "model/ids.h"
#include "model/result.h"
#include "model/task/events.h"
#include "storage/event_store.h"

namespace duban::service {

// One event of the family: the stream id without the prefix, the record, and its decoding.
struct FamilyEvent {
  std::string id;
  const storage::RecordedEvent* record = nullptr;  // valid during the fold only
  task::Event event;
};

class StreamFamily {
 public:
  // Folds one page's events of the family (possibly none) into the owner's state; an error stops
  // the catch-up before the checkpoint moves past the page.
  using Fold = std::function<std::optional<Error>(std::vector<FamilyEvent>&)>;

  StreamFamily(storage::EventStore& store, std::string prefix, Fold fold)
      : store_(store), prefix_(std::move(prefix)), fold_(std::move(fold)) {}

  // Brings the owner's state up to the store's head; returns the position reached.
  Result<GlobalPosition> catch_up();
  // catch_up() when the log is known to have moved past the checkpoint (see the top); else the
  // checkpoint, without touching the store.
  Result<GlobalPosition> catch_up_if_moved();
  // The log's head is at least `head` (the push dispatcher reports what it read).
  void observe(GlobalPosition head);

  GlobalPosition checkpoint() const { return GlobalPosition(checkpoint_.load()); }

 private:
  storage::EventStore& store_;
  const std::string prefix_;
  const Fold fold_;
  std::mutex catch_up_mutex_;
  std::atomic<std::int64_t> checkpoint_{0};
  std::atomic<std::int64_t> observed_{0};
};

}  // namespace duban::service
