#include "app/calendar_arg.h"

#include <fstream>
#include <sstream>

namespace duban::app {

Result<calendar::Calendar> load_calendar(const std::optional<std::string>& path) {
  if (!path) return calendar::Calendar::builtin();
  std::ifstream in(*path, std::ios::binary);
  if (!in) return make_error("unreadable", "cannot read the calendar file " + *path);
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = calendar::Calendar::parse(text.str());
  if (!parsed) return make_error(parsed.error().code, *path + ": " + parsed.error().message);
  return parsed;
}

}  // namespace duban::app
