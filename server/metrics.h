// Metrics: the server's counters and gauges, rendered in the Prometheus text format at /metrics
// (docs/operations.md lists every series).
//
// Thread-safety: every member may be called concurrently; counters are relaxed atomics (a
// scrape may see one counter a moment ahead of another, never a torn value).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace duban::server {

class Metrics {
 public:
  // Push lag histogram bounds in seconds: from the dispatcher reading an event off the log to
  // the write of its message completing on one connection.
  static constexpr std::array<double, 10> kLagBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                         0.025,  0.05,  0.1,    0.5,   2.5};

  // What one WebSocket connection pushed since it last reported: sessions count locally and
  // report in batches, so the hot write path does not contend on shared counters.
  struct PushTally {
    std::int64_t pushed = 0;
    std::array<std::int64_t, kLagBuckets.size() + 1> lag{};
    std::int64_t lag_count = 0;
    std::int64_t lag_sum_micros = 0;
    void observe(double seconds);
  };
  // Adds `tally` and zeroes it.
  void report(PushTally& tally);
  // Raises queued_bytes_peak to `bytes` when it is larger.
  void observe_queued_bytes(std::int64_t bytes);

  void count_request(int status);
  // `outcome`: "accepted", "duplicate", or the error code of a refused/failed command.
  void count_command(std::string_view outcome);

  std::atomic<std::int64_t> http_connections{0};   // gauge: open HTTP connections
  std::atomic<std::int64_t> ws_connections{0};     // gauge: open WebSocket connections
  std::atomic<std::int64_t> subscribers{0};        // gauge: WebSockets with a subscription
  std::atomic<std::int64_t> queued_messages{0};    // gauge: messages waiting in send queues
  std::atomic<std::int64_t> queued_bytes{0};       // gauge: bytes of those messages
  std::atomic<std::int64_t> queued_bytes_peak{0};  // gauge: most bytes one connection held queued
  std::atomic<std::int64_t> reads_paused{0};       // counter: WebSocket reads paused over budget
  std::atomic<std::int64_t> budget_closes{0};      // counter: WebSockets closed over their budget
  std::atomic<std::int64_t> pings_limited{0};      // counter: pings refused by the rate limit
  std::atomic<std::int64_t> ring_events{0};        // gauge: events in the dispatcher's ring
  std::atomic<std::int64_t> ring_bytes{0};         // gauge: their bytes (both wire formats)
  std::atomic<std::int64_t> events_appended{0};  // counter: events the dispatcher read off the log
  std::atomic<std::int64_t> log_position{0};     // gauge: the last position read off the log
  std::atomic<std::int64_t> messages_pushed{0};  // counter: WebSocket messages written
  std::atomic<std::int64_t> fell_behind{0};      // counter: fell_behind messages sent
  std::atomic<std::int64_t> replay_pages{0};     // counter: pages read from the store for replay
  std::atomic<std::int64_t> client_errors{0};    // counter: bad client messages answered
  std::atomic<std::int64_t> sweeps{0};           // counter: deadline sweeps run
  std::atomic<std::int64_t> heap_trims{0};       // counter: free heap returned to the OS
  // The notifier inside the server (`duban serve --notify`, app/serve_notify.h); all 0 without it.
  std::atomic<std::int64_t> notify_delivered{0};   // counter: notifications delivered
  std::atomic<std::int64_t> notify_retried{0};     // counter: delivery attempts after a failure
  std::atomic<std::int64_t> notify_given_up{0};    // counter: recorded in notification_failures
  std::atomic<std::int64_t> notify_backlog{0};     // gauge: log head minus the checkpoint
  std::atomic<std::int64_t> notify_lease_held{0};  // gauge: 1 while this node holds the lease

  // The read model as the server last brought it up to date (server.cpp): how many events it
  // is behind the log's head, and whether its last catch-up failed and why. /healthz answers
  // 503 while it is failed; /metrics shows the lag and the flag.
  struct ReadModelHealth {
    bool failed = false;
    std::int64_t lag = 0;  // events the log has that the read model has not applied
    std::string code;      // the failure's error code; empty while healthy
    std::string message;   // and its message
  };
  // Records a catch-up that reached what it was asked to (lag is what remains, normally 0).
  void read_model_caught_up(std::int64_t lag);
  // Records a catch-up that failed; returns true when the read model was healthy before.
  bool read_model_failed(std::int64_t lag, std::string code, std::string message);
  ReadModelHealth read_model_health() const;

  // The Prometheus text exposition of everything above.
  std::string render() const;

 private:
  mutable std::mutex mutex_;  // guards the maps
  std::map<int, std::int64_t> requests_by_status_;
  std::map<std::string, std::int64_t, std::less<>> commands_by_outcome_;
  ReadModelHealth read_model_;
  std::int64_t read_model_failures_ = 0;  // counter: catch-ups that failed
  std::array<std::atomic<std::int64_t>, kLagBuckets.size() + 1> lag_buckets_{};  // +Inf last
  std::atomic<std::int64_t> lag_count_{0};
  std::atomic<std::int64_t> lag_sum_micros_{0};
};

}  // namespace duban::server
