#include "app/time_arg.h"

#include <cctype>
#include <chrono>
#include <cstdio>

#include "model/task/deadline.h"

namespace duban::app {
namespace {

constexpr std::chrono::hours kShanghaiOffset{8};

int number(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

Error bad(std::string_view text) {
  return make_error("bad_time", "cannot read '" + std::string(text) +
                                    "' as a time: use 2016-01-02 (start of that day in "
                                    "Asia/Shanghai) or 2016-01-02T08:00:00Z / "
                                    "2016-01-02T16:00+08:00");
}

}  // namespace

Result<Timestamp> parse_time_arg(std::string_view text) {
  auto date = task::parse_iso_date(text.substr(0, 10));
  if (!date) return bad(text);
  const std::chrono::sys_days day(*date);
  if (text.size() == 10) return Timestamp(day - kShanghaiOffset);
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return bad(text);
  const int hour = number(text, 11, 2);
  const int minute = text.size() > 13 && text[13] == ':' ? number(text, 14, 2) : -1;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return bad(text);
  std::size_t at = 16;
  int second = 0;
  if (at < text.size() && text[at] == ':') {
    second = number(text, at + 1, 2);
    if (second < 0 || second > 59) return bad(text);
    at += 3;
  }
  std::chrono::minutes offset{0};
  const std::string_view zone = text.substr(std::min(at, text.size()));
  if (zone == "Z" || zone == "z") {
    offset = std::chrono::minutes(0);
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    const int oh = number(zone, 1, 2), om = number(zone, 4, 2);
    if (oh < 0 || oh > 14 || om < 0 || om > 59) return bad(text);
    offset = std::chrono::minutes(oh * 60 + om) * (zone[0] == '-' ? -1 : 1);
  } else {
    return bad(text);  // a time without a zone would silently depend on where duban runs
  }
  return Timestamp(day + std::chrono::hours(hour) + std::chrono::minutes(minute) +
                   std::chrono::seconds(second) - offset);
}

std::string format_utc(Timestamp t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(std::chrono::floor<std::chrono::seconds>(t - day));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return buf;
}

}  // namespace duban::app
