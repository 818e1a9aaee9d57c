// Notifier: the persistent subscription that turns the log's task events into notifications and
// delivers them, at least once.
//
// State machine of one pass (run_once()):
//   1. Read the subscription's checkpoint C from the NotifyStateStore (0 the first time).
//   2. Fold the task events up to C into task states (task::apply), delivering nothing: they
//      were handled before (only on the first pass of this object).
//   3. For each event after C, in position order, up to the head read at the start: compute its
//      notifications from the task's state BEFORE the event (notify/message.h), deliver each
//      (each attempt through its Channel; on a retryable failure wait backoff_delay() through
//      the Sleeper and try again, at most retry.max_attempts tries), and record a delivery given
//      up in notification_failures. Then fold the event in.
//   4. Advance the checkpoint past an event only when every one of its deliveries succeeded or
//      was recorded as given up. A process killed anywhere delivers, on restart, everything after
//      the checkpoint again: at least once, never lost; receivers drop repeats by the key
//      "<position>:<recipient>:<channel>".
// An event this build cannot decode stops the pass with an error (bad_payload), the checkpoint
// before it: skipping it silently could lose a reminder.
//
// Thread-safety: one thread drives a Notifier; stop() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>

#include "model/result.h"
#include "model/task/task_state.h"
#include "model/time.h"
#include "notify/channel.h"
#include "notify/config.h"
#include "notify/digest.h"
#include "notify/retry.h"
#include "storage/event_store.h"
#include "storage/notify_state_store.h"

namespace duban::notify {

// The checkpoint's name in notification_checkpoints.
inline constexpr const char* kSubscription = "notify";
// The daily digest's row there: its position is the last local day (days since 1970-01-01)
// whose digests were all delivered or given up (notifier_digest.cpp).
inline constexpr const char* kDigestSubscription = "digest";

struct NotifierStats {
  std::int64_t events = 0;     // events after the checkpoint read
  std::int64_t delivered = 0;  // notifications delivered
  std::int64_t given_up = 0;   // notifications recorded in notification_failures
  GlobalPosition checkpoint;   // where the subscription stands now
};

// One channel object per configured channel (webhooks only so far).
std::map<std::string, std::unique_ptr<Channel>> make_channels(const NotifyConfig& config);

class Notifier {
 public:
  // Called after each notification is delivered or given up, with the attempts made; for the
  // command's log. Never sees a secret.
  using OutcomeHook =
      std::function<void(const Notification&, const DeliveryOutcome&, int attempts)>;

  // Every reference must outlive the Notifier. `seed` drives the jitter.
  Notifier(storage::EventStore& store, storage::NotifyStateStore& state, NotifyConfig config,
           std::map<std::string, std::unique_ptr<Channel>> channels, const Clock& clock,
           Sleeper& sleeper, std::uint64_t seed = std::random_device{}());

  void on_outcome(OutcomeHook hook) { hook_ = std::move(hook); }
  // How the digest names a unit (default: its id).
  void set_unit_names(std::function<std::string(const UnitId&)> names) {
    unit_names_ = std::move(names);
  }

  // One pass: every event up to the head as read at the start (see the top of this file).
  // Errors: the store's (reading the log, the checkpoint, recording a failure) and bad_payload.
  Result<NotifierStats> run_once();

  // Passes until stop() is called: after a pass that found nothing new, waits for an append by
  // this process's store, or `poll` at most (other processes' appends are found by polling).
  // Returns the sum of the passes, or the first error.
  Result<NotifierStats> run(std::chrono::milliseconds poll = std::chrono::milliseconds(500));
  // Ends run() (and a run_once() in progress) after the attempt in flight; an event whose
  // deliveries were not all done stays after the checkpoint. Interrupt the Sleeper as well, so a
  // back-off is not waited out.
  void stop() { stop_ = true; }

 private:
  // True when every notification was delivered or recorded as given up; false when stop() came
  // first (the event is then not done: the checkpoint stays before it).
  Result<bool> deliver_all(const std::vector<Notification>& notifications, NotifierStats& stats);
  void fold(const storage::RecordedEvent& recorded, const task::Event& event);
  // With digest.time configured: once the local day's digest time has passed and the digest
  // row is before today, delivers every unit's digest (notify/digest.h) and then moves the row
  // to today, so each day is sent once, across restarts and nodes (at least once: a kill before
  // the row moves sends that day again, under the same keys). Defined in notifier_digest.cpp.
  Result<bool> send_due_digests(NotifierStats& stats);

  storage::EventStore& store_;
  storage::NotifyStateStore& state_;
  NotifyConfig config_;
  std::map<std::string, std::unique_ptr<Channel>> channels_;
  const Clock& clock_;
  Sleeper& sleeper_;
  std::mt19937_64 random_;
  OutcomeHook hook_;
  std::atomic<bool> stop_{false};
  GlobalPosition folded_;  // task states below reflect the log up to here
  std::unordered_map<std::string, task::TaskState> tasks_;  // by stream id
  DigestBook digest_;                                       // the same events, for the digest
  std::function<std::string(const UnitId&)> unit_names_;
};

}  // namespace duban::notify
