#include "server/request_log.h"

#include <boost/json.hpp>
#include <chrono>

#include "server/api/json_render.h"

namespace duban::server {

void RequestLog::log(const boost::json::object& fields) {
  if (!enabled_) return;
  // Operational time, not domain time: the wall clock even when the domain clock is fixed.
  boost::json::object line;
  line["ts"] = iso_utc(
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
  for (const auto& kv : fields) line[kv.key()] = kv.value();
  std::string text = boost::json::serialize(line);
  text.push_back('\n');
  std::lock_guard lock(mutex_);
  out_.write(text.data(), static_cast<std::streamsize>(text.size()));
  out_.flush();
}

}  // namespace duban::server
