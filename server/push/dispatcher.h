// Dispatcher: the one reader that tails the event log for the WebSocket push. It reads each new
// event once, decodes it once, routes it (task, document, units, via RoutingIndex), builds its
// message in both wire formats once, keeps the last `ring_capacity` of them in an in-memory
// ring, and tells every subscriber that the log advanced. Subscribers (WebSocket sessions) pull
// what they need from the ring on their own strand (the ring is bounded in events and in bytes);
// one that is behind the ring's start reads pages from the store through read_store(), annotated
// exactly like live events, until it is back within the ring. Because every subscriber walks the
// same contiguous sequence of positions, a switch between store and ring can neither skip nor
// repeat an event.
//
// The tailing thread wakes on appends made through the same EventStore object (the server's
// own commands), on other nodes' appends when the store hears of them (PostgreSQL: its NOTIFY
// listener), and reads the log every `poll_interval` anyway, so an append by another process
// whose wake-up got lost (or that a store never hears of: SQLite) is read within that interval.
// Positions are global, so what a subscriber sees on one node it would see on any other.
//
// Thread-safety: every public member may be called from any thread. Subscriber callbacks run on
// the dispatcher's thread and must not block (post to the subscriber's strand).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "model/ids.h"
#include "model/result.h"
#include "server/metrics.h"
#include "server/push/pushed_event.h"
#include "server/push/routing_index.h"
#include "storage/event_store.h"

namespace duban::server::push {

class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // The log advanced. Called on the dispatcher's thread: must return at once.
  virtual void on_log_advanced() = 0;
  // Time to tell a quiet subscriber how far it has got (checkpoint). Must return at once.
  virtual void on_checkpoint_tick() = 0;
};

struct DispatcherOptions {
  // Events kept in memory for subscribers to pull. Default 16384.
  std::size_t ring_capacity = 16384;
  // Events read per read_all() while tailing, at most ring_capacity / 2. Default 512.
  std::size_t page_size = 512;
  // How often to look for appends made by other processes. Default 100 ms.
  std::chrono::milliseconds poll_interval{100};
  // Bytes the ring may hold (PushedEvent::bytes()); the oldest events leave first, the newest
  // always stays. Default 64 MiB.
  std::size_t ring_max_bytes = 64 * 1024 * 1024;
};

class Dispatcher {
 public:
  using Events = std::vector<std::shared_ptr<const PushedEvent>>;

  // `store` and `metrics` must outlive the dispatcher.
  Dispatcher(storage::EventStore& store, Metrics& metrics, DispatcherOptions options);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Reads the whole log once to build the routing index, then starts the tailing thread.
  // `on_advanced` (optional) runs on that thread after each batch is read and before it is
  // published (ring, head(), subscribers), with the batch's last position: whatever it brings
  // up to date is so before any subscriber sees the batch. Returns the head it starts from.
  Result<GlobalPosition> start(std::function<void(GlobalPosition)> on_advanced = {});
  // Stops and joins the tailing thread. Idempotent.
  void stop();

  // The last position read off the log and available to subscribers.
  GlobalPosition head() const { return GlobalPosition(head_.load(std::memory_order_acquire)); }

  void add_subscriber(const std::shared_ptr<Subscriber>& subscriber);
  void remove_subscriber(const Subscriber* subscriber);
  // Calls on_checkpoint_tick() on every subscriber.
  void tick_checkpoints();

  enum class RingRead {
    kOk,       // `out` holds the events after `after` that the ring has (maybe none), in order
    kEvicted,  // the event after `after` has left the ring: read_store() it
  };
  // Appends up to `max` events with positions after `after` to `out`.
  RingRead read_ring(GlobalPosition after, std::size_t max, Events& out) const;

  // Reads up to `max` events after `after` from the store, never past head(), built exactly as
  // the live ones. Blocks on the store: call it off the I/O threads.
  Result<Events> read_store(GlobalPosition after, std::size_t max);

  // The store's own head: every append acknowledged so far, which head() may not have read yet.
  // Blocks on the store: call it off the I/O threads. Falls back to head() when the store fails.
  GlobalPosition store_head();

  // Blocks until head() reaches `at_least` (true), the timeout passes or the dispatcher stops
  // (then head() >= at_least). Call it off the I/O threads.
  bool wait_for_head(GlobalPosition at_least, std::chrono::milliseconds timeout);

  // True when `unit` was ever assigned to `task` (as far as the log has been read).
  bool ever_assigned(const std::string& task, const UnitId& unit) const {
    return index_.ever_assigned(task, unit);
  }

 private:
  std::shared_ptr<const PushedEvent> build(const storage::RecordedEvent& recorded, bool fold);
  void run();
  void wake_head_waiters();
  std::vector<std::shared_ptr<Subscriber>> live_subscribers();

  storage::EventStore& store_;
  Metrics& metrics_;
  const DispatcherOptions options_;
  RoutingIndex index_;
  std::function<void(GlobalPosition)> on_advanced_;

  mutable std::shared_mutex ring_mutex_;  // guards ring_, ring_start_ and ring_bytes_
  std::deque<std::shared_ptr<const PushedEvent>> ring_;
  std::size_t ring_bytes_ = 0;    // sum of bytes() over ring_
  GlobalPosition ring_start_{1};  // position of ring_.front(); head + 1 when empty
  std::atomic<std::int64_t> head_{0};
  std::mutex head_wait_mutex_;  // pairs with head_changed_ (wait_for_head)
  std::condition_variable head_changed_;

  std::mutex subscribers_mutex_;  // guards subscribers_
  std::unordered_map<const Subscriber*, std::weak_ptr<Subscriber>> subscribers_;

  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace duban::server::push
