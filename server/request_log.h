// RequestLog: one structured (JSON) line per HTTP request and per WebSocket connection, on a
// stream (stderr in `duban serve`), so operators can grep and parse it. Tokens are never logged,
// only the principal they stand for.
//
// Thread-safety: log() may be called concurrently; each line is written whole.
#pragma once

#include <boost/json/object.hpp>
#include <mutex>
#include <ostream>

namespace duban::server {

class RequestLog {
 public:
  RequestLog(std::ostream& out, bool enabled) : out_(out), enabled_(enabled) {}
  bool enabled() const { return enabled_; }
  // Writes `fields` as one JSON line, with "ts" (wall-clock UTC) added first.
  void log(const boost::json::object& fields);

 private:
  std::mutex mutex_;
  std::ostream& out_;
  const bool enabled_;
};

}  // namespace duban::server
