#include "notify/notifier.h"

#include "model/task/apply.h"
#include "notify/channels.h"
#include "storage/event_codec.h"

namespace duban::notify {
namespace {

// Events read per read_all() call.
constexpr std::size_t kPage = 256;

bool is_task_stream(const std::string& stream) {
  return stream.starts_with("task/");
}

}  // namespace

std::map<std::string, std::unique_ptr<Channel>> make_channels(const NotifyConfig& config) {
  std::map<std::string, std::unique_ptr<Channel>> out;
  for (const auto& [name, channel] : config.channels) {
    out.emplace(name, make_channel(channel));
  }
  return out;
}

Notifier::Notifier(storage::EventStore& store, storage::NotifyStateStore& state,
                   NotifyConfig config, std::map<std::string, std::unique_ptr<Channel>> channels,
                   const Clock& clock, Sleeper& sleeper, std::uint64_t seed)
    : store_(store),
      state_(state),
      config_(std::move(config)),
      channels_(std::move(channels)),
      clock_(clock),
      sleeper_(sleeper),
      random_(seed) {}

void Notifier::fold(const storage::RecordedEvent& recorded, const task::Event& event) {
  if (is_task_stream(recorded.stream) && !task::is_document_event(event) &&
      !task::is_draft_event(event) && !task::is_account_event(event)) {
    auto& state = tasks_[recorded.stream];
    state = task::apply(std::move(state), event);
  }
  if (config_.digest.enabled) digest_.add(recorded.stream, recorded.recorded_at, event);
  folded_ = recorded.position;
}

Result<bool> Notifier::deliver_all(const std::vector<Notification>& notifications,
                                   NotifierStats& stats) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (const auto& n : notifications) {
    const auto it = channels_.find(n.channel);
    DeliveryOutcome outcome = DeliveryOutcome::failed("no channel named " + n.channel, false);
    int attempts = 0;
    if (it != channels_.end()) {
      while (true) {
        ++attempts;
        outcome = it->second->deliver(n);
        if (outcome.delivered || !outcome.retryable || attempts >= config_.retry.max_attempts) {
          break;
        }
        sleeper_.sleep_for(backoff_delay(config_.retry, attempts, unit(random_)));
        if (stop_) return false;
      }
    }
    if (outcome.delivered) {
      ++stats.delivered;
    } else {
      auto recorded = state_.record_failure(storage::NotificationFailure{
          .idempotency_key = n.key,
          .position = n.position,
          .recipient = n.account.empty() ? n.recipient.str() : n.recipient.str() + "/" + n.account,
          .channel = n.channel,
          .attempts = attempts,
          .last_error = outcome.error,
          .failed_at = clock_.now()});
      if (!recorded) return recorded.error();
      ++stats.given_up;
    }
    if (hook_) hook_(n, outcome, attempts);
  }
  return true;
}

Result<NotifierStats> Notifier::run_once() {
  NotifierStats stats;
  auto checkpoint = state_.checkpoint(kSubscription);
  if (!checkpoint) return checkpoint.error();
  auto head = store_.head();
  if (!head) return head.error();
  stats.checkpoint = *checkpoint;

  // Another process may have moved the checkpoint past what this object folded, or this is the
  // first pass: fold without delivering up to the checkpoint.
  GlobalPosition next = folded_.next();
  while (folded_ < *checkpoint) {
    auto page = store_.read_all(next, kPage);
    if (!page) return page.error();
    if (page->empty()) break;
    for (const auto& recorded : *page) {
      if (recorded.position > *checkpoint) break;
      auto event = storage::decode_event(recorded);
      if (!event) return event.error();
      fold(recorded, *event);
    }
    next = folded_.next();
  }

  GlobalPosition saved = *checkpoint;
  while (!stop_ && folded_ < head->position) {
    auto page = store_.read_all(folded_.next(), kPage);
    if (!page) return page.error();
    if (page->empty()) break;
    for (const auto& recorded : *page) {
      if (stop_ || recorded.position > head->position) break;
      auto event = storage::decode_event(recorded);
      if (!event) return event.error();
      ++stats.events;
      std::vector<Notification> notifications;
      if (const auto it = tasks_.find(recorded.stream); it != tasks_.end()) {
        notifications =
            notifications_for(recorded.position, recorded.recorded_at, *event, it->second, config_);
      }
      if (!notifications.empty()) {
        auto done = deliver_all(notifications, stats);
        if (!done) return done.error();
        if (!*done) break;  // stopped: this event stays after the checkpoint
      }
      fold(recorded, *event);
      if (!notifications.empty()) {
        auto set = state_.set_checkpoint(kSubscription, folded_, clock_.now());
        if (!set) return set.error();
        saved = folded_;
      }
    }
    // Events without notifications advance the checkpoint once per page.
    if (saved < folded_) {
      auto set = state_.set_checkpoint(kSubscription, folded_, clock_.now());
      if (!set) return set.error();
      saved = folded_;
    }
  }
  stats.checkpoint = saved;
  if (config_.digest.enabled && !stop_ && folded_ >= head->position) {
    auto sent = send_due_digests(stats);
    if (!sent) return sent.error();
  }
  return stats;
}

Result<NotifierStats> Notifier::run(std::chrono::milliseconds poll) {
  NotifierStats total;
  while (!stop_) {
    auto pass = run_once();
    if (!pass) return pass.error();
    total.events += pass->events;
    total.delivered += pass->delivered;
    total.given_up += pass->given_up;
    total.checkpoint = pass->checkpoint;
    if (pass->events == 0 && !stop_) store_.wait_for_position(pass->checkpoint, poll);
  }
  return total;
}

}  // namespace duban::notify
