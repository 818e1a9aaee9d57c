// Private to storage/: learns how far the log has grown through appends by OTHER store objects
// and processes (other duban nodes) on the same database, so wait_for_position() wakes for
// them too.
//
// Its own thread holds one connection that LISTENs on the channel every append transaction
// notifies at commit (payload: the new head position). Notifications are only a wake-up hint:
// the listener also reads log_head after every (re)connect and every poll_interval, so a
// notification lost with a dropped connection, or never sent, only delays the news. Positions
// it reports are committed ones; readers still read by position.
//
// Thread-safety: construct and destroy from one thread; on_position runs on the listener's
// thread and must be thread-safe. The destructor wakes the thread at once (a self-pipe) and
// joins it.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "model/ids.h"

namespace duban::storage::detail {

// The channel append transactions notify; per database (NOTIFY does not cross databases).
inline constexpr const char* kPgEventsChannel = "duban_events";

struct PgListenerOptions {
  std::string url;
  std::string application_name;
  bool read_only = false;
  bool listen = true;  // false: poll only (e.g. behind PgBouncer)
  std::chrono::milliseconds poll_interval{1000};
};

class PgListener {
 public:
  PgListener(PgListenerOptions options, std::function<void(GlobalPosition)> on_position);
  ~PgListener();
  PgListener(const PgListener&) = delete;
  PgListener& operator=(const PgListener&) = delete;

 private:
  void run();
  // Sleeps until the wake pipe or `fd` (if >= 0) is readable, or `timeout`; false when woken
  // by the pipe (stop).
  bool wait(int fd, std::chrono::milliseconds timeout);

  const PgListenerOptions options_;
  const std::function<void(GlobalPosition)> on_position_;
  int wake_[2] = {-1, -1};  // self-pipe: the destructor writes, run() polls the read end
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace duban::storage::detail
