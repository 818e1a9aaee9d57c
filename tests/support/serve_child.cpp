#include "tests/support/serve_child.h"

#include <signal.h>

#include <regex>
#include <sstream>
#include <stdexcept>

namespace duban::testing {

ServeChild::ServeChild(const std::string& program, const std::vector<std::string>& args,
                       std::chrono::milliseconds start_timeout)
    : process(program, args) {
  auto line = process.wait_for_line("listening on", start_timeout);
  if (!line) throw std::runtime_error(program + " did not start: " + process.err());
  std::smatch m;
  if (!std::regex_search(*line, m, std::regex("127\\.0\\.0\\.1:([0-9]+)"))) {
    throw std::runtime_error("no port in: " + *line);
  }
  port = static_cast<std::uint16_t>(std::stoi(m[1]));
  // --demo-tokens prints "supervisor token: dbn_…" and one "  UNIT  NAME  dbn_…" line per unit.
  std::istringstream out(process.out());
  const std::regex supervisor("supervisor token: (dbn_[A-Za-z0-9_-]+)");
  const std::regex unit("^  (\\S+)  .*  (dbn_[A-Za-z0-9_-]+)$");
  for (std::string l; std::getline(out, l);) {
    if (std::regex_search(l, m, supervisor)) {
      token = m[1];
    } else if (std::regex_search(l, m, unit)) {
      unit_tokens[m[1]] = m[2];
    }
  }
}

std::optional<int> ServeChild::stop(std::chrono::milliseconds timeout) {
  process.signal(SIGTERM);
  return process.wait_for_exit(timeout);
}

}  // namespace duban::testing
