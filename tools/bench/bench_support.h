// Helpers shared by the server benches (fanout_bench, command_bench): starting `duban serve`
// and the Node peer as child processes on loopback, percentiles, the open-file limit.
#pragma once

#include <sys/resource.h>

#include <csignal>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/serve_child.h"

namespace duban::bench {

using namespace std::chrono_literals;

// Thousands of sockets need thousands of descriptors: take what the hard limit allows (children
// inherit it).
inline std::uint64_t raise_open_files() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur;
}

// A server child process (`duban serve`, or the Node peer) and the port it printed ("listening
// on http://127.0.0.1:PORT"); `token` is duban's supervisor token (--demo). Stopped with SIGTERM.
struct ServerProcess : testing::ServeChild {
  ServerProcess(const std::string& program, const std::vector<std::string>& args)
      : ServeChild(program, args, 120s) {}
  ~ServerProcess() { stop(20s); }
};

// The q-quantile (0..1) of `v` (sorted in place); 0 when empty.
template <class T>
double quantile(std::vector<T>& v, double q) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return static_cast<double>(v[k]);
}

}  // namespace duban::bench
