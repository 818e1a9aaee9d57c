// The daily digest's part of the Notifier (notify/notifier.h, send_due_digests()).
#include "model/calendar/calendar.h"
#include "notify/notifier.h"
#include "notify/recipients.h"

namespace duban::notify {

Result<bool> Notifier::send_due_digests(NotifierStats& stats) {
  const DigestConfig& config = config_.digest;
  const Timestamp now = clock_.now();
  const calendar::Date today = local_date(now, config.utc_offset);
  if (now < digest_due(today, config)) return false;
  const auto day_number = std::chrono::sys_days(today).time_since_epoch().count();
  auto sent = state_.checkpoint(kDigestSubscription);
  if (!sent) return sent.error();
  if (sent->value() >= day_number) return false;

  std::vector<Notification> notifications;
  for (const UnitId& unit : digest_.units()) {
    // A unit and its persons are told as of any other event, "Digest" being the event type
    // their preferences may mute; as the lead, since the digest covers the unit's own work.
    const auto to = addressees("Digest", unit, /*lead=*/true, config_);
    if (to.empty()) continue;
    const UnitDigest digest = digest_.digest(unit, now, calendar::Calendar::builtin(), config);
    if (digest.empty()) continue;
    const std::string name = unit_names_ ? unit_names_(unit) : unit.str();
    const std::string text = digest_text(digest, name, config_.base_url);
    for (const auto& addressee : to) {
      notifications.push_back(
          Notification{.key = digest_key(today, addressee.id(), addressee.channel),
                       .position = folded_,
                       .event_type = "Digest",
                       .task = TaskId(),
                       .recipient = unit,
                       .account = addressee.account,
                       .address = addressee.address,
                       .channel = addressee.channel,
                       .text = text,
                       .link = config_.base_url + "/#/inbox/" + unit.str(),
                       .recorded_at = now});
    }
  }
  auto done = deliver_all(notifications, stats);
  if (!done) return done.error();
  if (!*done) return false;  // stopped: the day is sent again, under the same keys
  auto moved = state_.set_checkpoint(kDigestSubscription, GlobalPosition(day_number), now);
  if (!moved) return moved.error();
  return true;
}

}  // namespace duban::notify
