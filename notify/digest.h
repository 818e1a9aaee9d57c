// The daily digest (督办日报): one message per unit, once per local day at a configured time,
// instead of one message per task. Pure: DigestBook folds the log's task events (no IO, no
// clock); the caller passes `now`, the working-day calendar and the configuration.
//
// What a unit's digest lists, at `now` (local day T = now's date at the configured UTC offset):
//   临近期限  open tasks of the unit (lead or participant) not yet overdue whose deadline date D
//            is at most N working days after T (model/calendar: D <= add_working_days(T, N);
//            a deadline on T itself is listed), with the working days left (0: due today)
//   已逾期    open tasks of the unit past their deadline instant (model/task/deadline.h), with
//            the calendar days overdue
//   被催办    open tasks urged (TaskUrged to the unit or to every unit) in the 24 hours up to now
//   被退回    open tasks whose completion of the unit was returned (TaskReturned) in those hours
// A unit with nothing to list gets no digest. The idempotency key is
// "digest:<local date>:<unit>:<channel>", so a receiver drops a second copy of the same day.
//
// Thread-safety: a DigestBook is a plain value (one writer, or concurrent const readers); the
// free functions are reentrant.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/calendar/calendar.h"
#include "model/ids.h"
#include "model/task/events.h"
#include "model/task/task_state.h"
#include "model/time.h"

namespace duban::notify {

// The digest.* lines of the notification configuration (notify/config.h):
//   digest.time = 08:00                  # local time of day; without it no digest is sent
//   digest.timezone = Asia/Shanghai      # default; or a fixed offset such as +08:00 / UTC+8
//   digest.due_within_working_days = 3   # default 3
struct DigestConfig {
  bool enabled = false;                      // digest.time was given
  std::chrono::minutes time_of_day{8 * 60};  // after local midnight; default 08:00
  std::string timezone = "Asia/Shanghai";    // as written, for messages
  std::chrono::minutes utc_offset{8 * 60};   // what the timezone means (no daylight saving)
  int due_within_working_days = 3;
};

// Applies one digest.<field> = value line; the error text names what is wrong.
std::optional<std::string> set_digest_option(DigestConfig& config, std::string_view field,
                                             std::string_view value);

// The local civil date of `t` at `offset` from UTC.
calendar::Date local_date(Timestamp t, std::chrono::minutes offset);

// The instant the digest of local day `day` is due (day at time_of_day, local).
Timestamp digest_due(calendar::Date day, const DigestConfig& config);

// "digest:<YYYY-MM-DD>:<unit>:<channel>".
std::string digest_key(calendar::Date day, const std::string& recipient,
                       const std::string& channel);

struct DigestItem {
  TaskId task;
  std::string subject;   // 「heading」（document label）
  std::string deadline;  // ISO date; empty when the task has none
  int days = 0;          // 临期: working days left; 逾期: days overdue; 催办/退回: how many
  std::string note;      // 催办: the latest note; 退回: the latest reason
};

struct UnitDigest {
  UnitId unit;
  calendar::Date day;  // the local date the digest is for
  int due_within = 3;  // N of "N个工作日内"
  std::vector<DigestItem> due_soon;
  std::vector<DigestItem> overdue;
  std::vector<DigestItem> urged;
  std::vector<DigestItem> returned;
  bool empty() const {
    return due_soon.empty() && overdue.empty() && urged.empty() && returned.empty();
  }
};

class DigestBook {
 public:
  // Folds one recorded event of `stream` (only task streams count; other events are ignored).
  void add(const std::string& stream, Timestamp recorded_at, const task::Event& event);

  // Every unit assigned to an open task, sorted by id.
  std::vector<UnitId> units() const;

  // The digest of `unit` at `now` (see the top of this file).
  UnitDigest digest(const UnitId& unit, Timestamp now, const calendar::Calendar& calendar,
                    const DigestConfig& config) const;

 private:
  struct Activity {
    bool returned = false;       // else urged
    std::optional<UnitId> unit;  // nullopt: every unit of the task
    Timestamp at{};
    std::string note;
  };
  struct Entry {
    task::TaskState state;
    std::vector<Activity> activity;  // in log order
  };
  std::map<std::string, Entry> tasks_;  // by stream id
};

// The message: a heading with the unit and date, the counts, then each non-empty list, and the
// link to the unit's inbox in the page (<base_url>/#/inbox/<unit>). `unit_name` is how people
// call the unit (the id when unknown).
std::string digest_text(const UnitDigest& digest, const std::string& unit_name,
                        const std::string& base_url);

}  // namespace duban::notify
