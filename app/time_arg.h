// Times on the command line (`--now`) and in output.
#pragma once

#include <string>
#include <string_view>

#include "model/result.h"
#include "model/time.h"

namespace duban::app {

// Accepts "YYYY-MM-DD" (the start of that day in Asia/Shanghai, the zone deadlines are in) and
// "YYYY-MM-DDTHH:MM[:SS]" followed by "Z" or "+HH:MM"/"-HH:MM". Error code "bad_time" with the
// accepted forms otherwise.
Result<Timestamp> parse_time_arg(std::string_view text);

// "2016-01-02T08:00:00Z".
std::string format_utc(Timestamp t);

}  // namespace duban::app
