// `duban watch [--unit ID | --doc ID | --task ID] [--from POS] [--json] --token T URL`: prints a
// `duban serve` WebSocket subscription as it happens (clients/watch/watch_client.h), and on a
// dropped connection reconnects with back-off and resumes after the last position it printed.
#include <boost/program_options.hpp>
#include <cstdlib>
#include <iostream>

#include "app/commands.h"
#include "clients/watch/watch_client.h"

namespace duban::app {
namespace po = boost::program_options;

int run_watch(int argc, char** argv) {
  po::options_description visible(
      "usage: duban watch [--unit ID | --doc ID | --task ID] [--from POS] [--json] --token T "
      "URL\n\n"
      "Subscribes to a duban serve WebSocket (URL like ws://127.0.0.1:8080/ws) and prints each\n"
      "event as it happens: a unit's inbox, a document, one task, or everything (supervisor).\n"
      "Reconnects with back-off when the connection drops and resumes after the last event it\n"
      "printed, so nothing is missed or printed twice.\n\noptions");
  std::string token;
  std::string unit, doc, task;
  std::int64_t from = -1;
  std::int64_t max_events = 0;
  double exit_after = 0;
  visible.add_options()("help,h", "show this help")("token", po::value(&token),
                                                    "bearer token (default: $DUBAN_TOKEN)")(
      "unit", po::value(&unit), "events of the tasks this unit is or was assigned to")(
      "doc", po::value(&doc), "events of this document and its tasks")("task", po::value(&task),
                                                                       "events of this task")(
      "from", po::value(&from),
      "replay the events after this position first (default: start live)")(
      "json", "print each event message as a JSON line")("max-events", po::value(&max_events),
                                                         "exit after printing this many events")(
      "exit-after", po::value(&exit_after), "exit after this many seconds");
  po::options_description all;
  all.add(visible).add_options()("url", po::value<std::string>(), "");
  po::positional_options_description positional;
  positional.add("url", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "duban watch: " << e.what() << "\n(see duban watch --help)\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout
        << visible
        << "\nexamples:\n  duban watch --unit fgw --token $TOKEN ws://127.0.0.1:8080/ws\n"
           "  duban watch --from 0 --json --max-events 10 --token $TOKEN ws://127.0.0.1:8080/ws\n";
    return kExitOk;
  }
  if (token.empty()) {
    if (const char* env = std::getenv("DUBAN_TOKEN")) token = env;
  }
  if (token.empty()) {
    std::cerr << "duban watch: give --token (or set DUBAN_TOKEN); `duban token create` makes one\n";
    return kExitUsage;
  }
  if (!vm.count("url")) {
    std::cerr << "duban watch: give the server's URL, e.g. ws://127.0.0.1:8080/ws\n";
    return kExitUsage;
  }
  auto url = clients::parse_watch_url(vm["url"].as<std::string>());
  if (!url) {
    std::cerr << "duban watch: '" << vm["url"].as<std::string>()
              << "' is not a ws://host:port/ws URL\n";
    return kExitUsage;
  }
  const int filters = !unit.empty() + !doc.empty() + !task.empty();
  if (filters > 1) {
    std::cerr << "duban watch: give at most one of --unit, --doc and --task\n";
    return kExitUsage;
  }
  if (vm.count("from") && from < 0) {
    std::cerr << "duban watch: --from must be a position, 0 or more\n";
    return kExitUsage;
  }
  clients::WatchOptions o;
  o.url = *url;
  o.token = token;
  if (!unit.empty()) o.filter_kind = "unit", o.filter_id = unit;
  if (!doc.empty()) o.filter_kind = "document", o.filter_id = doc;
  if (!task.empty()) o.filter_kind = "task", o.filter_id = task;
  if (vm.count("from")) o.from = from;
  o.json = vm.count("json") > 0;
  if (max_events > 0) o.max_events = max_events;
  if (exit_after > 0) {
    o.exit_after = std::chrono::milliseconds(static_cast<std::int64_t>(exit_after * 1000));
  }
  return clients::run_watch(o, std::cout, std::cerr);
}

}  // namespace duban::app
