#include "app/serve_notify.h"

#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "notify/config.h"
#include "notify/notifier.h"
#include "storage/notify_lease.h"

namespace duban::app {

struct ServeNotifier::Impl {
  Impl(storage::EventStore& s, const Clock& c, std::chrono::milliseconds p)
      : store(s), clock(c), poll(p) {}

  storage::EventStore& store;
  const Clock& clock;
  server::Metrics* metrics = nullptr;  // set by start()
  std::chrono::milliseconds poll;
  std::size_t channel_count = 0;
  std::unique_ptr<storage::NotifyStateStore> state;
  std::unique_ptr<storage::NotifyLease> lease;
  notify::ThreadSleeper sleeper;
  std::unique_ptr<notify::Notifier> notifier;
  std::thread thread;
  std::atomic<bool> stopping{false};
  std::mutex mutex;  // guards the wait below
  std::condition_variable woken;

  // Waits `poll`, or less when stop() comes.
  void pause() {
    std::unique_lock lock(mutex);
    woken.wait_for(lock, poll, [&] { return stopping.load(); });
  }

  void update_backlog() {
    auto head = store.head();
    auto checkpoint = state->checkpoint(notify::kSubscription);
    if (head && checkpoint) {
      metrics->notify_backlog = head->position.value() - checkpoint->value();
    }
  }

  void loop() {
    bool was_held = false;
    std::string last_error;
    while (!stopping) {
      auto held = lease->hold();
      const bool holding = held && *held;
      metrics->notify_lease_held = holding ? 1 : 0;
      if (holding != was_held) {
        std::cerr << "duban serve: notifier "
                  << (holding ? "holds the lease: delivering"
                              : "on standby: another node holds the lease")
                  << std::endl;
        was_held = holding;
      }
      if (!held && held.error().message != last_error) {
        last_error = held.error().message;
        std::cerr << "duban serve: notifier lease: " << last_error << std::endl;
      }
      if (!holding) {
        update_backlog();
        pause();
        continue;
      }
      auto pass = notifier->run_once();
      update_backlog();
      if (!pass) {
        if (pass.error().message != last_error) {
          last_error = pass.error().message;
          std::cerr << "duban serve: notifier: " << pass.error().code << ": " << last_error
                    << " (retrying; the checkpoint stays before it)" << std::endl;
        }
        pause();
        continue;
      }
      last_error.clear();
      if (pass->events == 0 && !stopping) store.wait_for_position(pass->checkpoint, poll);
    }
    lease->release();
    metrics->notify_lease_held = 0;
  }
};

ServeNotifier::ServeNotifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ServeNotifier::~ServeNotifier() {
  stop();
}

Result<std::unique_ptr<ServeNotifier>> ServeNotifier::open(
    const std::string& db, const std::string& file, storage::EventStore& store, const Clock& clock,
    std::function<std::string(const UnitId&)> unit_names, const std::string& node,
    std::chrono::milliseconds poll) {
  auto config = notify::load_notify_config(file);
  if (!config) return config.error();
  auto state = storage::open_notify_state_store(db);
  if (!state) return state.error();
  auto lease = storage::open_notify_lease(db, node);
  if (!lease) return lease.error();
  auto impl = std::unique_ptr<Impl>(new Impl(store, clock, poll));
  impl->channel_count = config->channels.size();
  impl->state = std::move(*state);
  impl->lease = std::move(*lease);
  impl->notifier = std::make_unique<notify::Notifier>(
      store, *impl->state, *config, notify::make_channels(*config), clock, impl->sleeper);
  impl->notifier->set_unit_names(std::move(unit_names));
  return std::unique_ptr<ServeNotifier>(new ServeNotifier(std::move(impl)));
}

storage::NotifyStateStore& ServeNotifier::state() {
  return *impl_->state;
}

std::size_t ServeNotifier::channels() const {
  return impl_->channel_count;
}

void ServeNotifier::start(server::Metrics& metrics) {
  impl_->metrics = &metrics;
  impl_->notifier->on_outcome([metrics = &metrics](const notify::Notification& n,
                                                   const notify::DeliveryOutcome& outcome,
                                                   int attempts) {
    if (attempts > 1) metrics->notify_retried += attempts - 1;
    if (outcome.delivered) {
      ++metrics->notify_delivered;
    } else {
      ++metrics->notify_given_up;
      std::cerr << "duban serve: notifier gave up " << n.key << " after " << attempts
                << " attempts: " << outcome.error << std::endl;
    }
  });
  impl_->thread = std::thread([this] { impl_->loop(); });
}

void ServeNotifier::stop() {
  if (!impl_->thread.joinable()) return;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->woken.notify_all();
  impl_->notifier->stop();
  impl_->sleeper.interrupt();
  impl_->thread.join();
}

}  // namespace duban::app
