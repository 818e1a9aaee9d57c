// `--calendar FILE`: the working-day calendar a command counts working days with
// (data/calendar-cn.tsv describes the format; without the option the copy embedded at build time).
#pragma once

#include <optional>
#include <string>

#include "model/calendar/calendar.h"
#include "model/result.h"

namespace duban::app {

constexpr const char* kCalendarHelp =
    "the working-day calendar (holidays and make-up working days) to count 工作日 with "
    "(default: the bundled data/calendar-cn.tsv)";

// The calendar of `path`, or the built-in one when it is empty. Errors: "unreadable" when the
// file cannot be read, "invalid_calendar" (naming the line) when it does not parse.
Result<calendar::Calendar> load_calendar(const std::optional<std::string>& path);

}  // namespace duban::app
