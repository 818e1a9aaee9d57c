#include "server/metrics.h"

#include <sstream>

namespace duban::server {

void Metrics::count_request(int status) {
  std::lock_guard lock(mutex_);
  ++requests_by_status_[status];
}

void Metrics::count_command(std::string_view outcome) {
  std::lock_guard lock(mutex_);
  auto it = commands_by_outcome_.find(outcome);
  if (it == commands_by_outcome_.end()) it = commands_by_outcome_.emplace(outcome, 0).first;
  ++it->second;
}

void Metrics::read_model_caught_up(std::int64_t lag) {
  std::lock_guard lock(mutex_);
  read_model_ = ReadModelHealth{false, lag, {}, {}};
}

bool Metrics::read_model_failed(std::int64_t lag, std::string code, std::string message) {
  std::lock_guard lock(mutex_);
  const bool was_healthy = !read_model_.failed;
  read_model_ = ReadModelHealth{true, lag, std::move(code), std::move(message)};
  ++read_model_failures_;
  return was_healthy;
}

Metrics::ReadModelHealth Metrics::read_model_health() const {
  std::lock_guard lock(mutex_);
  return read_model_;
}

void Metrics::PushTally::observe(double seconds) {
  std::size_t i = 0;
  while (i < kLagBuckets.size() && seconds > kLagBuckets[i]) ++i;
  ++lag[i];
  ++lag_count;
  lag_sum_micros += static_cast<std::int64_t>(seconds * 1e6);
}

void Metrics::observe_queued_bytes(std::int64_t bytes) {
  std::int64_t peak = queued_bytes_peak.load(std::memory_order_relaxed);
  while (bytes > peak &&
         !queued_bytes_peak.compare_exchange_weak(peak, bytes, std::memory_order_relaxed)) {
  }
}

void Metrics::report(PushTally& t) {
  if (t.pushed == 0 && t.lag_count == 0) return;
  messages_pushed.fetch_add(t.pushed, std::memory_order_relaxed);
  for (std::size_t i = 0; i < t.lag.size(); ++i) {
    if (t.lag[i]) lag_buckets_[i].fetch_add(t.lag[i], std::memory_order_relaxed);
  }
  lag_count_.fetch_add(t.lag_count, std::memory_order_relaxed);
  lag_sum_micros_.fetch_add(t.lag_sum_micros, std::memory_order_relaxed);
  t = PushTally{};
}

std::string Metrics::render() const {
  std::ostringstream out;
  auto gauge = [&](const char* name, const char* help, const std::atomic<std::int64_t>& v,
                   const char* type = "gauge") {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n"
        << name << " " << v.load(std::memory_order_relaxed) << "\n";
  };
  gauge("duban_http_connections", "Open HTTP connections.", http_connections);
  gauge("duban_ws_connections", "Open WebSocket connections.", ws_connections);
  gauge("duban_ws_subscribers", "WebSocket connections with a subscription.", subscribers);
  gauge("duban_ws_queued_messages", "Messages waiting in WebSocket send queues.", queued_messages);
  gauge("duban_ws_queued_bytes", "Bytes of the messages waiting in WebSocket send queues.",
        queued_bytes);
  gauge("duban_ws_queued_bytes_peak",
        "Most bytes one WebSocket connection has had queued since start (bounded by its budget).",
        queued_bytes_peak);
  gauge("duban_ws_reads_paused_total",
        "Times a WebSocket's reading paused because its send queue was over the budget.",
        reads_paused, "counter");
  gauge("duban_ws_budget_closes_total",
        "WebSockets closed (1008) for staying over their send budget without reading.",
        budget_closes, "counter");
  gauge("duban_ws_pings_limited_total", "Client pings refused by the per-connection rate limit.",
        pings_limited, "counter");
  gauge("duban_push_ring_events", "Events in the push dispatcher's ring.", ring_events);
  gauge("duban_push_ring_bytes", "Bytes of the events in the push dispatcher's ring.", ring_bytes);
  gauge("duban_events_appended_total", "Events read off the log by the push dispatcher.",
        events_appended, "counter");
  gauge("duban_log_position", "Last global position read off the log.", log_position);
  gauge("duban_ws_messages_pushed_total", "WebSocket messages written.", messages_pushed,
        "counter");
  gauge("duban_ws_fell_behind_total", "Subscribers switched to store replay (fell_behind).",
        fell_behind, "counter");
  gauge("duban_ws_replay_pages_total", "Pages read from the store to serve replays.", replay_pages,
        "counter");
  gauge("duban_ws_client_errors_total", "Bad client messages answered with an error.",
        client_errors, "counter");
  gauge("duban_sweeps_total", "Deadline sweeps run.", sweeps, "counter");
  gauge("duban_heap_trims_total",
        "Times free heap was returned to the OS (malloc_trim) after a large connection closed "
        "or while idle.",
        heap_trims, "counter");
  gauge("duban_notify_delivered_total", "Notifications delivered by this node's notifier.",
        notify_delivered, "counter");
  gauge("duban_notify_retried_total", "Notification delivery attempts repeated after a failure.",
        notify_retried, "counter");
  gauge("duban_notify_given_up_total",
        "Notifications given up after their last attempt (GET /api/v1/notify/failures).",
        notify_given_up, "counter");
  gauge("duban_notify_backlog_events",
        "Events in the log after the notifier's checkpoint (as this node last read them).",
        notify_backlog);
  gauge("duban_notify_lease_held",
        "1 while this node holds the notifier lease and delivers; 0 on standby or without "
        "--notify.",
        notify_lease_held);
  {
    std::lock_guard lock(mutex_);
    out << "# HELP duban_http_requests_total HTTP requests answered, by status.\n"
           "# TYPE duban_http_requests_total counter\n";
    for (const auto& [status, n] : requests_by_status_) {
      out << "duban_http_requests_total{status=\"" << status << "\"} " << n << "\n";
    }
    out << "# HELP duban_commands_total Lifecycle commands, by outcome (accepted, duplicate, or "
           "the error code).\n# TYPE duban_commands_total counter\n";
    for (const auto& [outcome, n] : commands_by_outcome_) {
      out << "duban_commands_total{outcome=\"" << outcome << "\"} " << n << "\n";
    }
    out << "# HELP duban_read_model_lag_events Events in the log that the read model has not "
           "applied.\n# TYPE duban_read_model_lag_events gauge\nduban_read_model_lag_events "
        << read_model_.lag
        << "\n# HELP duban_read_model_failed 1 while the read model's last catch-up failed "
           "(/healthz answers 503), else 0.\n# TYPE duban_read_model_failed gauge\n"
           "duban_read_model_failed "
        << (read_model_.failed ? 1 : 0)
        << "\n# HELP duban_read_model_failures_total Read model catch-ups that failed.\n"
           "# TYPE duban_read_model_failures_total counter\nduban_read_model_failures_total "
        << read_model_failures_ << "\n";
  }
  out << "# HELP duban_push_lag_seconds From reading an event off the log to writing it to a "
         "subscriber.\n# TYPE duban_push_lag_seconds histogram\n";
  std::int64_t cumulative = 0;
  for (std::size_t i = 0; i < kLagBuckets.size(); ++i) {
    cumulative += lag_buckets_[i].load(std::memory_order_relaxed);
    out << "duban_push_lag_seconds_bucket{le=\"" << kLagBuckets[i] << "\"} " << cumulative << "\n";
  }
  cumulative += lag_buckets_.back().load(std::memory_order_relaxed);
  out << "duban_push_lag_seconds_bucket{le=\"+Inf\"} " << cumulative << "\n"
      << "duban_push_lag_seconds_sum " << lag_sum_micros_.load(std::memory_order_relaxed) / 1e6
      << "\nduban_push_lag_seconds_count " << lag_count_.load(std::memory_order_relaxed) << "\n";
  return out.str();
}

}  // namespace duban::server
