// Private to storage/: what the SQLite and PostgreSQL stores share around their group commit.
//
//   check_append()      the argument checks append() makes before queueing a command
//   AppendCommand       one command to append, as views into the caller's arguments
//   GroupCommitQueue    the waiting appends and the one writer thread that takes them in batches
//   CommittedPosition   the highest committed position known, and wait_for_position() on it
//   conflict errors     version_conflict / command_id_reused with the same words in both stores
//
// Each backend keeps only what differs: how a batch becomes one transaction, and its reads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <limits>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "model/ids.h"
#include "model/result.h"
#include "storage/event_store.h"
#include "storage/store_errc.h"

namespace duban::storage::detail {

// One command to append; views valid while its caller blocks in GroupCommitQueue::submit().
struct AppendCommand {
  const std::string& stream;
  ExpectedVersion expected;
  std::span<const NewEvent> events;
  const CommandId& command_id;
};

// Backend-specific limits on text: returns an error naming `what` when `s` cannot be stored.
using TextCheck = std::optional<Error> (*)(std::string_view what, std::string_view s);

// The checks append() makes before queueing, in this order: read-only, empty stream id, empty
// command id, no events, `text` on the stream id and the command id, then per event an empty
// type and `text` on its type and actor. `text` may be null (no limits). nullopt: go ahead.
inline std::optional<Error> check_append(bool read_only, const std::string& stream,
                                         std::span<const NewEvent> events,
                                         const CommandId& command_id, TextCheck text = nullptr) {
  if (read_only) return store_error(StoreErrc::read_only, "this event store was opened read-only");
  if (stream.empty()) return store_error(StoreErrc::invalid_argument, "empty stream id");
  if (command_id.empty()) return store_error(StoreErrc::invalid_argument, "empty command id");
  if (events.empty()) {
    return store_error(StoreErrc::invalid_argument, "a command must append at least one event");
  }
  if (text) {
    if (auto e = text("the stream id", stream)) return e;
    if (auto e = text("the command id", command_id.str())) return e;
  }
  for (const NewEvent& e : events) {
    if (e.type.empty()) return store_error(StoreErrc::invalid_argument, "event with empty type");
    if (!text) continue;
    if (auto err = text("an event type", e.type)) return err;
    if (auto err = text("an event actor", e.actor)) return err;
  }
  return std::nullopt;
}

// "stream 's' is at version 3 but the command expected no stream; …"
inline Error version_conflict(const std::string& stream, StreamVersion current,
                              ExpectedVersion expected) {
  std::string wanted;
  switch (expected.kind()) {
    case ExpectedVersion::Kind::any:
      wanted = "any version";
      break;
    case ExpectedVersion::Kind::no_stream:
      wanted = "no stream";
      break;
    case ExpectedVersion::Kind::exactly:
      wanted = "version " + std::to_string(expected.version().value());
      break;
  }
  return store_error(StoreErrc::version_conflict, "stream '" + stream + "' is at version " +
                                                      std::to_string(current.value()) +
                                                      " but the command expected " + wanted +
                                                      "; reload the stream and decide again");
}

// A retried command id that was first used on `used_on`, another stream.
inline Error command_id_reused(const CommandId& id, const std::string& used_on) {
  return store_error(StoreErrc::command_id_reused,
                     "command id '" + id.str() + "' was already used on stream '" + used_on +
                         "'; use a fresh command id for a new command");
}

// One queued append. Lives on the calling thread's stack: the caller blocks on `done` until
// the writer has answered, so the views in `command` stay valid for the writer.
struct PendingAppend {
  AppendCommand command;
  std::promise<Result<AppendResult>> done;
};

// The waiting appends and the writer thread. submit() queues a command and blocks; the writer
// takes every queued command (up to max_commands, and while their events add up to at most
// max_events, though a first larger command still goes alone), hands the batch to `run`, which
// must set every command's `done`, and starts over.
//
// Thread-safety: submit() may be called from any thread; start() and stop() from the owner only.
// stop() (also run by the destructor) lets the writer answer every queued append first.
class GroupCommitQueue {
 public:
  struct Limits {
    std::size_t max_commands = 1;
    std::size_t max_events = std::numeric_limits<std::size_t>::max();
  };
  using RunBatch = std::function<void(std::span<PendingAppend* const>)>;

  GroupCommitQueue() = default;
  GroupCommitQueue(const GroupCommitQueue&) = delete;
  GroupCommitQueue& operator=(const GroupCommitQueue&) = delete;
  ~GroupCommitQueue() { stop(); }

  void start(Limits limits, RunBatch run) {
    limits_ = limits;
    run_ = std::move(run);
    thread_ = std::thread([this] { loop(); });
  }

  void stop() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }

  Result<AppendResult> submit(const AppendCommand& command) {
    PendingAppend pending{command, {}};
    auto done = pending.done.get_future();
    {
      std::lock_guard lock(mu_);
      queue_.push_back(&pending);
    }
    cv_.notify_one();
    return done.get();
  }

 private:
  void loop() {
    std::vector<PendingAppend*> batch;
    for (;;) {
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and every queued append has been answered
        std::size_t events = 0;
        while (!queue_.empty() && batch.size() < limits_.max_commands &&
               (batch.empty() ||
                events + queue_.front()->command.events.size() <= limits_.max_events)) {
          events += queue_.front()->command.events.size();
          batch.push_back(queue_.front());
          queue_.pop_front();
        }
      }
      run_(batch);
      batch.clear();
    }
  }

  Limits limits_;
  RunBatch run_;  // set before the thread starts, then used only by it
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<PendingAppend*> queue_;  // guarded by mu_
  bool stopping_ = false;             // guarded by mu_
  std::thread thread_;
};

// The highest committed position this store knows of. publish() only ever raises it.
// Thread-safety: every member may be called from any thread.
class CommittedPosition {
 public:
  // The starting value, before any thread publishes.
  void reset(GlobalPosition p) {
    std::lock_guard lock(mu_);
    committed_ = p;
  }

  void publish(GlobalPosition p) {
    {
      std::lock_guard lock(mu_);
      if (p <= committed_) return;
      committed_ = p;
    }
    cv_.notify_all();
  }

  // Blocks until the position is past `after` or `timeout` passes; returns it then.
  GlobalPosition wait_past(GlobalPosition after, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return committed_ > after; });
    return committed_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  GlobalPosition committed_;  // guarded by mu_
};

}  // namespace duban::storage::detail
