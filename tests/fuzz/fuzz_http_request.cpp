// Fuzzes the HTTP request path's decoders that see client bytes before any handler: the request
// target (server/api/target.h: path segments and query, percent-decoding, the ?limit=&after=
// page) and the lifecycle-command JSON bodies (server/api/command_json.h). The input's first
// line is the target; the rest is a command body, tried as "create" and as the action picked by
// the input's first byte. Nothing may crash, hang or trip a sanitizer; errors must be the codes
// the API documents; decoded segments must encode back to themselves.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "model/task/task_actions.h"
#include "server/api/command_json.h"
#include "server/api/target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duban;
  using namespace duban::server;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view target = input.substr(0, newline);
  const std::string_view body =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  if (auto t = parse_target(target)) {
    for (const std::string& segment : t->segments) {
      const auto again = percent_decode(percent_encode(segment), false);
      if (!again || *again != segment) std::abort();
    }
    auto page = page_of(*t);
    if (page && (page->limit < 1 || page->limit > Page::kMaxLimit)) std::abort();
    if (!page && page.error().code != "bad_request") std::abort();
  } else if (t.error().code != "bad_request") {
    std::abort();
  }

  const auto actions = task::task_actions();
  const std::string_view picked = size == 0 || actions.empty()
                                      ? std::string_view("create")
                                      : actions[data[0] % actions.size()].name;
  for (std::string_view action : {std::string_view("create"), picked}) {
    auto command = parse_command(action, TaskId("T-1"), body);
    if (!command && command.error().code != "bad_request" && command.error().code != "not_found") {
      std::abort();
    }
  }
  return 0;
}
