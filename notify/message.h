// What the notifier says, to whom, for one event: pure functions from a recorded event, the
// task's state just before it and the configuration to the notifications to deliver.
//
// Relevant events and who is told (the units concerned):
//   UnitAssigned                  the unit assigned (新任务交办)
//   TaskUrged                     the unit urged, or every unit of the task (催办)
//   TaskReturned                  the unit whose completion went back (退办)
//   DeadlineApproaching           every unit of the task (临期)
//   TaskOverdue                   every unit of the task (逾期)
//   ExtensionApproved / Rejected  the unit whose request was decided, else the leads (延期)
//   CompletionApproved            the unit whose completion was approved (办结)
//   ProgressReportDue             every unit of the task (报送进展)
// Every other event tells nobody. One notification per (event, unit, channel of that unit) and
// per (event, person of that unit, channel of that person), filtered by their preferences
// (notify/recipients.h), keyed "<position>:<unit>:<channel>" or
// "<position>:<unit>/<account>:<channel>", so a receiver can drop repeats.
//
// Thread-safety: the functions are reentrant.
#pragma once

#include <string>
#include <vector>

#include "model/ids.h"
#include "model/task/events.h"
#include "model/task/task_state.h"
#include "model/time.h"
#include "notify/config.h"

namespace duban::notify {

struct Notification {
  std::string key;          // "<position>:<recipient>:<channel>", recipient "<unit>[/<account>]"
  GlobalPosition position;  // the event's global position
  std::string event_type;   // e.g. "TaskUrged"
  TaskId task;
  UnitId recipient;     // the unit the event concerns
  std::string account;  // the person told ("" = the unit itself; notify/recipients.h)
  std::string address;  // e-mail address for smtp channels ("" otherwise)
  std::string channel;  // configured channel name
  std::string text;     // the message in Chinese, ending with the link
  std::string link;     // <base_url>/#/task/<id>
  Timestamp recorded_at{};
};

// The units `event` concerns, given the task's state before it (in the order of the task's
// leads, then participants; no duplicates). Empty for events nobody is told of.
std::vector<UnitId> recipients(const task::Event& event, const task::TaskState& before);

// 「heading」（document label）: the task as people know it, in messages and the digest.
std::string task_subject(const task::TaskState& state);

// The message text for one recipient (without the link line).
std::string message_text(const task::Event& event, const task::TaskState& before,
                         const UnitId& recipient);

// Every notification for the event at `position` of `task`: one per addressee (unit or person)
// and channel.
std::vector<Notification> notifications_for(GlobalPosition position, Timestamp recorded_at,
                                            const task::Event& event, const task::TaskState& before,
                                            const NotifyConfig& config);

// The idempotency key "<position>:<recipient>:<channel>".
std::string idempotency_key(GlobalPosition position, const UnitId& recipient,
                            const std::string& channel);
// The same for a recipient given as "<unit>" or "<unit>/<account>" (Addressee::id()).
std::string idempotency_key(GlobalPosition position, std::string_view recipient,
                            const std::string& channel);

}  // namespace duban::notify
