#include "app/write_clock.h"

#include <iostream>
#include <string>

#include "app/time_arg.h"

namespace duban::app {

std::optional<WriteClock> write_clock(const boost::program_options::variables_map& vm,
                                      std::string_view command) {
  WriteClock out;
  out.simulate = vm.count("simulate") > 0;
  if (vm.count("now")) {
    auto t = parse_time_arg(vm["now"].as<std::string>());
    if (!t) {
      std::cerr << command << ": --now: " << t.error().message << "\n";
      return std::nullopt;
    }
    out.fixed.emplace(*t);
  }
  if (auto refused = refuse_now_without_simulate(command, out.fixed.has_value(), out.simulate)) {
    std::cerr << *refused << "\n";
    return std::nullopt;
  }
  return out;
}

}  // namespace duban::app
