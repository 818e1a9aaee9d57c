#include "server/push/dispatcher.h"

#include <algorithm>
#include <chrono>
#include <iostream>

#include "server/api/json_render.h"
#include "server/push/wire.h"
#include "storage/event_codec.h"

namespace duban::server::push {
namespace {

// Only these event types change routing; the start-up scan decodes nothing else.
bool routes(const std::string& type) {
  return type == task::TaskCreated::kType || type == task::UnitAssigned::kType ||
         type == task::TaskReassigned::kType;
}

constexpr std::size_t kScanPage = 4096;

}  // namespace

Dispatcher::Dispatcher(storage::EventStore& store, Metrics& metrics, DispatcherOptions options)
    : store_(store), metrics_(metrics), options_([&] {
        options.ring_capacity = std::max<std::size_t>(options.ring_capacity, 2);
        options.page_size =
            std::clamp<std::size_t>(options.page_size, 1, options.ring_capacity / 2);
        return options;
      }()) {}

Dispatcher::~Dispatcher() {
  stop();
}

Result<GlobalPosition> Dispatcher::start(std::function<void(GlobalPosition)> on_advanced) {
  on_advanced_ = std::move(on_advanced);
  GlobalPosition at;
  for (;;) {
    auto page = store_.read_all(at.next(), kScanPage);
    if (!page) return page.error();
    for (const auto& r : *page) {
      const StreamName name = split_stream(r.stream);
      if (name.kind == "task" && routes(r.type)) {
        auto event = storage::decode_event(r);
        if (event) index_.fold(r.position, std::string(name.id), *event);
      }
      at = r.position;
    }
    if (page->size() < kScanPage) break;
  }
  {
    std::unique_lock write(ring_mutex_);
    ring_start_ = at.next();
  }
  head_.store(at.value(), std::memory_order_release);
  metrics_.log_position.store(at.value(), std::memory_order_relaxed);
  thread_ = std::thread([this] { run(); });
  return at;
}

void Dispatcher::stop() {
  stopping_.store(true);
  wake_head_waiters();
  if (thread_.joinable()) thread_.join();
}

void Dispatcher::wake_head_waiters() {
  // Under the mutex: a waiter is either before its check (and sees the new head) or waiting.
  std::lock_guard waiting(head_wait_mutex_);
  head_changed_.notify_all();
}

bool Dispatcher::wait_for_head(GlobalPosition at_least, std::chrono::milliseconds timeout) {
  std::unique_lock waiting(head_wait_mutex_);
  head_changed_.wait_for(waiting, timeout, [&] { return head() >= at_least || stopping_.load(); });
  return head() >= at_least;
}

std::shared_ptr<const PushedEvent> Dispatcher::build(const storage::RecordedEvent& r, bool fold) {
  auto e = std::make_shared<PushedEvent>();
  e->position = r.position;
  e->stream = r.stream;
  e->read_at = std::chrono::steady_clock::now();
  auto decoded = storage::decode_event(r);
  const StreamName name = split_stream(r.stream);
  if (name.kind == "task") {
    e->task = std::string(name.id);
    if (fold && decoded) index_.fold(r.position, e->task, *decoded);
    auto route = index_.route(e->task, r.position);
    e->document = std::move(route.document);
    e->units = std::move(route.units);
    e->parent = std::move(route.parent);
    e->parent_leads = std::move(route.parent_leads);
  } else if (name.kind == "document") {
    e->document = std::string(name.id);
  }
  encode_event(r, decoded ? &decoded.value() : nullptr,
               decoded ? std::string_view() : std::string_view(decoded.error().message), *e);
  return e;
}

void Dispatcher::run() {
  Events built;
  while (!stopping_.load()) {
    const GlobalPosition at = head();
    store_.wait_for_position(at, options_.poll_interval);
    if (stopping_.load()) break;
    auto page = store_.read_all(at.next(), options_.page_size);
    if (!page) {
      std::cerr << "duban serve: push: reading the log after position " << at.value()
                << " failed: " << page.error().code << ": " << page.error().message << "\n";
      std::this_thread::sleep_for(options_.poll_interval);
      continue;
    }
    built.clear();
    GlobalPosition expect = at.next();
    for (const auto& r : *page) {
      // A backend whose commits become visible out of position order would show a gap here:
      // stop before it and read again, so subscribers never see a position skipped.
      if (r.position != expect) break;
      built.push_back(build(r, true));
      expect = expect.next();
    }
    if (built.empty()) continue;
    const GlobalPosition last = built.back()->position;
    // Before any subscriber can see these events (the server catches its read model up here),
    // so a client that queries right after an event arrived finds it in the answer.
    if (on_advanced_) on_advanced_(last);
    {
      std::unique_lock write(ring_mutex_);
      for (auto& e : built) {
        ring_bytes_ += e->bytes();
        ring_.push_back(std::move(e));
      }
      while (ring_.size() > options_.ring_capacity ||
             (ring_bytes_ > options_.ring_max_bytes && ring_.size() > 1)) {
        ring_bytes_ -= ring_.front()->bytes();
        ring_.pop_front();
      }
      ring_start_ = ring_.front()->position;
      metrics_.ring_events.store(static_cast<std::int64_t>(ring_.size()),
                                 std::memory_order_relaxed);
      metrics_.ring_bytes.store(static_cast<std::int64_t>(ring_bytes_), std::memory_order_relaxed);
      head_.store(last.value(), std::memory_order_release);
    }
    metrics_.events_appended.fetch_add(static_cast<std::int64_t>(built.size()),
                                       std::memory_order_relaxed);
    metrics_.log_position.store(last.value(), std::memory_order_relaxed);
    wake_head_waiters();
    for (const auto& s : live_subscribers()) s->on_log_advanced();
  }
}

std::vector<std::shared_ptr<Subscriber>> Dispatcher::live_subscribers() {
  std::vector<std::shared_ptr<Subscriber>> out;
  std::lock_guard lock(subscribers_mutex_);
  out.reserve(subscribers_.size());
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    if (auto s = it->second.lock()) {
      out.push_back(std::move(s));
      ++it;
    } else {
      it = subscribers_.erase(it);
    }
  }
  return out;
}

void Dispatcher::add_subscriber(const std::shared_ptr<Subscriber>& subscriber) {
  std::lock_guard lock(subscribers_mutex_);
  subscribers_[subscriber.get()] = subscriber;
}

void Dispatcher::remove_subscriber(const Subscriber* subscriber) {
  std::lock_guard lock(subscribers_mutex_);
  subscribers_.erase(subscriber);
}

void Dispatcher::tick_checkpoints() {
  for (const auto& s : live_subscribers()) s->on_checkpoint_tick();
}

Dispatcher::RingRead Dispatcher::read_ring(GlobalPosition after, std::size_t max,
                                           Events& out) const {
  std::shared_lock read(ring_mutex_);
  const GlobalPosition first = after.next();
  if (first < ring_start_) return RingRead::kEvicted;
  const auto offset = static_cast<std::size_t>(first.value() - ring_start_.value());
  for (std::size_t i = offset; i < ring_.size() && out.size() < max; ++i) out.push_back(ring_[i]);
  return RingRead::kOk;
}

GlobalPosition Dispatcher::store_head() {
  if (!store_.shared_with_other_writers()) {
    // The only writer: its last commit, from memory, is the head (no database read).
    return std::max(store_.wait_for_position(GlobalPosition(0), std::chrono::milliseconds(0)),
                    head());
  }
  auto h = store_.head();
  return h ? std::max(h->position, head()) : head();
}

Result<Dispatcher::Events> Dispatcher::read_store(GlobalPosition after, std::size_t max) {
  Events out;
  const GlobalPosition limit = head();
  if (after >= limit || max == 0) return out;
  const auto count =
      std::min<std::size_t>(max, static_cast<std::size_t>(limit.value() - after.value()));
  auto page = store_.read_all(after.next(), count);
  if (!page) return page.error();
  metrics_.replay_pages.fetch_add(1, std::memory_order_relaxed);
  out.reserve(page->size());
  GlobalPosition expect = after.next();
  for (const auto& r : *page) {
    if (r.position != expect || r.position > limit) break;
    out.push_back(build(r, false));
    expect = expect.next();
  }
  return out;
}

}  // namespace duban::server::push
