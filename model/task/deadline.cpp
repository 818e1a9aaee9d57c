#include "model/task/deadline.h"

#include <algorithm>
#include <cctype>

#include "model/task/reporting.h"

namespace duban::task {

namespace {

// Asia/Shanghai has been UTC+8 without daylight saving since 1991, well before any document
// duban reads, so a fixed offset is exact and needs no time-zone database.
constexpr std::chrono::hours kShanghaiOffset{8};

int digits(std::string_view text, std::size_t from, std::size_t count) {
  int value = 0;
  for (std::size_t i = from; i < from + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::string_view to_string(Light light) {
  switch (light) {
    case Light::kNone:
      return "none";
    case Light::kGreen:
      return "green";
    case Light::kYellow:
      return "yellow";
    case Light::kRed:
      return "red";
    case Light::kDone:
      return "done";
  }
  return "unknown";
}

std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = digits(text, 0, 4);
  int m = digits(text, 5, 2);
  int d = digits(text, 8, 2);
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(y),
                                  std::chrono::month(static_cast<unsigned>(m)),
                                  std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

std::optional<Timestamp> deadline_instant(std::string_view iso_date) {
  auto ymd = parse_iso_date(iso_date);
  if (!ymd) return std::nullopt;
  // Midnight after the date, Shanghai time, minus one millisecond.
  Timestamp next_midnight_utc =
      std::chrono::sys_days(*ymd) + std::chrono::days(1) - kShanghaiOffset;
  return next_midnight_utc - std::chrono::milliseconds(1);
}

Light light(const TaskState& state, Timestamp now, double yellow_share) {
  if (!state.is_open()) return Light::kDone;
  if (!state.deadline) return Light::kNone;
  auto end = deadline_instant(*state.deadline);
  if (!end) return Light::kNone;  // decide() admits only valid dates; stay quiet if not
  if (now > *end) return Light::kRed;
  double share = std::clamp(yellow_share, 0.0, 1.0);
  auto total = (*end - state.created_at).count();
  auto left = (*end - now).count();
  if (total <= 0) return Light::kYellow;
  if (static_cast<double>(left) < share * static_cast<double>(total)) return Light::kYellow;
  return Light::kGreen;
}

std::vector<Event> sweep(const TaskState& state, Timestamp now, double yellow_share) {
  if (!state.is_open()) return {};
  std::vector<Event> out;
  if (state.deadline) {
    Light l = light(state, now, yellow_share);
    if (l == Light::kRed && !state.overdue_recorded) {
      out.push_back(TaskOverdue{*state.deadline, now});
    } else if (l == Light::kYellow && !state.approaching_recorded) {
      out.push_back(DeadlineApproaching{*state.deadline, now});
    }
  }
  for (Event& e : report_reminders(state, now)) out.push_back(std::move(e));
  return out;
}

std::int64_t days_overdue(Timestamp instant, Timestamp now) {
  if (now <= instant) return 0;
  // The instant is the deadline day's last moment in Shanghai: whole days since it, plus the
  // day that follows it.
  return std::chrono::floor<std::chrono::days>(now - instant).count() + 1;
}

}  // namespace duban::task
