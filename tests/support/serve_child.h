// A `duban serve` child process for tests and benches: started with the given arguments, waited
// for until it says "listening on", with the port it chose and the tokens it printed (--demo-tokens).
// Any server that prints "listening on … 127.0.0.1:PORT" will do (the benches' Node.js peer).
//
// Thread-safety: one thread uses a ServeChild.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/child_process.h"

namespace duban::testing {

class ServeChild {
 public:
  // Runs `program ARGS...` (for duban: "serve" first) and waits up to `start_timeout` for its
  // "listening on … 127.0.0.1:PORT" line. Throws std::runtime_error (with the child's stderr)
  // when it does not come.
  ServeChild(const std::string& program, const std::vector<std::string>& args,
             std::chrono::milliseconds start_timeout = std::chrono::seconds(60));

  // SIGTERM, then the exit code (nullopt when it did not exit within `timeout`).
  std::optional<int> stop(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  ChildProcess process;
  std::uint16_t port = 0;  // the port it listens on
  std::string token;       // the supervisor token it printed (--demo-tokens), else empty
  // The unit tokens it printed (--demo-tokens), by unit id.
  std::map<std::string, std::string> unit_tokens;
};

}  // namespace duban::testing
