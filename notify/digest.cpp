#include "notify/digest.h"

#include <algorithm>
#include <charconv>
#include <type_traits>

#include "model/task/apply.h"
#include "model/task/deadline.h"
#include "notify/message.h"

namespace duban::notify {
namespace {

using namespace std::chrono;

std::optional<int> whole(std::string_view v) {
  int n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n < 0) return std::nullopt;
  return n;
}

// "+08:00", "+8", "-05:30", with an optional "UTC" or "GMT" before it; "UTC" alone is zero.
std::optional<minutes> parse_offset(std::string_view v) {
  if (v.starts_with("UTC") || v.starts_with("GMT")) v.remove_prefix(3);
  if (v.empty()) return minutes(0);
  if (v[0] != '+' && v[0] != '-') return std::nullopt;
  const int sign = v[0] == '-' ? -1 : 1;
  v.remove_prefix(1);
  std::optional<int> h, m = 0;
  if (const auto colon = v.find(':'); colon != std::string_view::npos) {
    h = whole(v.substr(0, colon));
    m = whole(v.substr(colon + 1));
  } else {
    h = whole(v);
  }
  if (!h || !m || *h > 14 || *m > 59) return std::nullopt;
  return minutes(sign * (*h * 60 + *m));
}

// Working days d with from < d <= to (0 when to <= from).
int working_days_between(const calendar::Calendar& cal, calendar::Date from, calendar::Date to) {
  int n = 0;
  for (sys_days d = sys_days(from) + days(1); d <= sys_days(to); d += days(1)) {
    if (cal.is_working_day(calendar::Date(d))) ++n;
  }
  return n;
}

std::string chinese_date(calendar::Date d) {
  return std::to_string(static_cast<int>(d.year())) + "年" +
         std::to_string(static_cast<unsigned>(d.month())) + "月" +
         std::to_string(static_cast<unsigned>(d.day())) + "日";
}

}  // namespace

std::optional<std::string> set_digest_option(DigestConfig& config, std::string_view field,
                                             std::string_view value) {
  if (field == "time") {
    const auto colon = value.find(':');
    const auto h = colon == std::string_view::npos ? std::nullopt : whole(value.substr(0, colon));
    const auto m = colon == std::string_view::npos ? std::nullopt : whole(value.substr(colon + 1));
    if (!h || !m || *h > 23 || *m > 59) return "digest.time must be HH:MM (e.g. 08:00)";
    config.enabled = true;
    config.time_of_day = minutes(*h * 60 + *m);
  } else if (field == "timezone") {
    static constexpr std::string_view kChina[] = {"Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin",
                                                  "Asia/Urumqi", "PRC"};
    if (std::find(std::begin(kChina), std::end(kChina), value) != std::end(kChina)) {
      config.utc_offset = minutes(8 * 60);
    } else if (auto offset = parse_offset(value)) {
      config.utc_offset = *offset;
    } else {
      return "digest.timezone must be Asia/Shanghai or a fixed offset such as +08:00";
    }
    config.timezone = std::string(value);
  } else if (field == "due_within_working_days") {
    const auto n = whole(value);
    if (!n || *n > 60) return "digest.due_within_working_days must be 0..60";
    config.due_within_working_days = *n;
  } else {
    return "unknown digest field \"" + std::string(field) +
           "\" (time, timezone, due_within_working_days)";
  }
  return std::nullopt;
}

calendar::Date local_date(Timestamp t, minutes offset) {
  return calendar::Date(floor<days>(t + offset));
}

Timestamp digest_due(calendar::Date day, const DigestConfig& config) {
  return Timestamp(sys_days(day)) + config.time_of_day - config.utc_offset;
}

std::string digest_key(calendar::Date day, const std::string& recipient,
                       const std::string& channel) {
  return "digest:" + calendar::format_date(day) + ":" + recipient + ":" + channel;
}

void DigestBook::add(const std::string& stream, Timestamp recorded_at, const task::Event& event) {
  if (!stream.starts_with("task/") || task::is_document_event(event) ||
      task::is_draft_event(event) || task::is_account_event(event)) {
    return;
  }
  auto& entry = tasks_[stream];
  if (const auto* urged = std::get_if<task::TaskUrged>(&event)) {
    entry.activity.push_back(Activity{false, urged->unit, recorded_at, urged->note});
  } else if (const auto* returned = std::get_if<task::TaskReturned>(&event)) {
    entry.activity.push_back(Activity{true, returned->unit, recorded_at, returned->reason});
  }
  entry.state = task::apply(std::move(entry.state), event);
}

std::vector<UnitId> DigestBook::units() const {
  std::vector<UnitId> out;
  for (const auto& [stream, entry] : tasks_) {
    if (!entry.state.exists() || !entry.state.is_open()) continue;
    for (const auto* list : {&entry.state.leads, &entry.state.participants}) {
      out.insert(out.end(), list->begin(), list->end());
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

UnitDigest DigestBook::digest(const UnitId& unit, Timestamp now, const calendar::Calendar& cal,
                              const DigestConfig& config) const {
  UnitDigest out;
  out.unit = unit;
  out.day = local_date(now, config.utc_offset);
  out.due_within = config.due_within_working_days;
  const calendar::Date horizon = cal.add_working_days(out.day, config.due_within_working_days);
  const Timestamp since = now - hours(24);
  for (const auto& [stream, entry] : tasks_) {
    const auto& s = entry.state;
    if (!s.exists() || !s.is_open() || !s.is_assigned(unit)) continue;
    DigestItem item{s.id, task_subject(s), s.deadline.value_or(""), 0, {}};
    if (const auto date = task::parse_iso_date(item.deadline)) {
      const auto instant = task::deadline_instant(item.deadline);
      if (instant && now > *instant) {
        item.days = static_cast<int>(task::days_overdue(*instant, now));
        out.overdue.push_back(item);
      } else if (sys_days(*date) <= sys_days(horizon)) {
        item.days = working_days_between(cal, out.day, *date);
        out.due_soon.push_back(item);
      }
    }
    DigestItem urged = item, returned = item;
    urged.days = returned.days = 0;
    for (const auto& a : entry.activity) {
      if (a.at <= since || a.at > now) continue;
      if (a.returned && a.unit == unit) {
        ++returned.days;
        returned.note = a.note;
      } else if (!a.returned && (!a.unit || *a.unit == unit)) {
        ++urged.days;
        urged.note = a.note;
      }
    }
    if (urged.days > 0) out.urged.push_back(urged);
    if (returned.days > 0) out.returned.push_back(returned);
  }
  const auto by_deadline = [](const DigestItem& a, const DigestItem& b) {
    return std::tie(a.deadline, a.task) < std::tie(b.deadline, b.task);
  };
  std::sort(out.due_soon.begin(), out.due_soon.end(), by_deadline);
  std::sort(out.overdue.begin(), out.overdue.end(), by_deadline);
  return out;
}

std::string digest_text(const UnitDigest& d, const std::string& unit_name,
                        const std::string& base_url) {
  std::string out = "【督办日报】" + unit_name + " " + chinese_date(d.day) + "\n";
  out += "临期" + std::to_string(d.due_soon.size()) + "项，逾期" +
         std::to_string(d.overdue.size()) + "项，近一日被催办" + std::to_string(d.urged.size()) +
         "项、被退回" + std::to_string(d.returned.size()) + "项。\n";
  const auto section = [&](const std::string& title, const std::vector<DigestItem>& items,
                           auto&& detail) {
    if (items.empty()) return;
    out += title + "：\n";
    int i = 0;
    for (const auto& item : items) {
      out += std::to_string(++i) + ". " + item.subject + detail(item) + "\n";
    }
  };
  section("临近期限（" + std::to_string(d.due_within) + "个工作日内）", d.due_soon,
          [](const DigestItem& i) {
            return "，期限" + i.deadline + "，" +
                   (i.days == 0 ? std::string("今日到期")
                                : "还剩" + std::to_string(i.days) + "个工作日");
          });
  section("已逾期", d.overdue, [](const DigestItem& i) {
    return "，期限" + i.deadline + "，已逾期" + std::to_string(i.days) + "天";
  });
  section("近一日被催办", d.urged, [](const DigestItem& i) {
    return (i.days > 1 ? "（" + std::to_string(i.days) + "次）" : std::string()) +
           (i.note.empty() ? std::string() : "：" + i.note);
  });
  section("近一日被退回", d.returned,
          [](const DigestItem& i) { return i.note.empty() ? std::string() : "：" + i.note; });
  out += "查看：" + base_url + "/#/inbox/" + d.unit.str();
  return out;
}

}  // namespace duban::notify
