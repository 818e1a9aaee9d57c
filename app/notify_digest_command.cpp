// `duban notify digest --db PATH --now T [--unit UNIT] [--notify FILE] [--within N]`: prints the
// daily digest (督办日报, notify/digest.h) of one unit, or of every unit with something to list,
// as the notifier would send it at T. Reads only; sends nothing.
#include <boost/program_options.hpp>
#include <iostream>

#include "app/calendar_arg.h"
#include "app/commands.h"
#include "app/database.h"
#include "app/time_arg.h"
#include "app/units_arg.h"
#include "notify/config.h"
#include "notify/digest.h"
#include "platform/system_clock.h"
#include "storage/event_codec.h"

namespace duban::app {
namespace po = boost::program_options;

int run_notify_digest(int argc, char** argv) {
  po::options_description visible(
      "usage: duban notify digest --now T [options]\n\n"
      "Prints the daily digest (督办日报) the notifier sends each unit once a day: tasks due "
      "within\n"
      "N working days, overdue tasks, and tasks urged or returned in the 24 hours up to T.\n"
      "Reads the log only; sends nothing.\n\noptions");
  std::string db = kDefaultDatabase;
  std::string now_text;
  std::string unit;
  std::string file;
  int within = -1;
  visible.add_options()("help,h", "show this help")(
      "db", po::value(&db)->default_value(kDefaultDatabase),
      db_option_help(storage::StoreAccess::read_only).c_str())(
      "now", po::value(&now_text), "the time to build the digest at (required)")(
      "unit", po::value(&unit), "the unit id (default: every unit with something to list)")(
      "notify", po::value(&file),
      "the notification configuration: base_url and digest.* (default: base_url "
      "http://127.0.0.1:8080, 3 working days, Asia/Shanghai)")(
      "within", po::value(&within), "working days ahead counted as due (overrides the file)")(
      "calendar", po::value<std::string>(), kCalendarHelp)("units", po::value<std::string>(),
                                                           kUnitsHelp);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(visible).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "duban notify digest: " << e.what() << "\n(see duban notify digest --help)\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << visible
              << "\nexample:\n  duban notify digest --db duban.db --unit fgw --now "
                 "2016-01-05T08:00:00+08:00\n";
    return kExitOk;
  }
  if (now_text.empty()) {
    std::cerr << "duban notify digest: --now T is required\n";
    return kExitUsage;
  }
  const auto now = parse_time_arg(now_text);
  if (!now) {
    std::cerr << "duban notify digest: --now: " << now.error().message << "\n";
    return kExitUsage;
  }
  notify::NotifyConfig config;
  config.base_url = "http://127.0.0.1:8080";
  if (!file.empty()) {
    auto loaded = notify::load_notify_config(file);
    if (!loaded) {
      std::cerr << "duban notify digest: " << loaded.error().message << "\n";
      return kExitUsage;
    }
    config = std::move(*loaded);
  }
  if (within > 60) {
    std::cerr << "duban notify digest: --within must be 0..60\n";
    return kExitUsage;
  }
  if (within >= 0) config.digest.due_within_working_days = within;
  std::optional<std::string> calendar_file;
  if (vm.count("calendar")) calendar_file = vm["calendar"].as<std::string>();
  auto cal = load_calendar(calendar_file);
  if (!cal) {
    std::cerr << "duban notify digest: --calendar: " << cal.error().message << "\n";
    return kExitUsage;
  }
  std::optional<std::string> units_file;
  if (vm.count("units")) units_file = vm["units"].as<std::string>();
  auto units_given = read_units_file(units_file);
  if (!units_given) {
    std::cerr << "duban notify digest: --units: " << units_given.error().message << "\n";
    return kExitUsage;
  }

  platform::SystemClock clock;
  auto store = storage::open_event_store(db, storage::StoreAccess::read_only, clock);
  if (!store) {
    std::cerr << "duban notify digest: " << store.error().message << "\n";
    return kExitFailure;
  }
  auto directory = service::choose_directory(**store, *units_given);
  if (!directory) {
    std::cerr << "duban notify digest: " << directory.error().message << "\n";
    return kExitFailure;
  }
  // The whole log, as the notifier folds it before sending (urges and returns count when
  // recorded in the 24 hours up to --now).
  notify::DigestBook book;
  for (GlobalPosition next(1);;) {
    auto page = (*store)->read_all(next, 1024);
    if (!page) {
      std::cerr << "duban notify digest: " << page.error().message << "\n";
      return kExitFailure;
    }
    if (page->empty()) break;
    for (const auto& recorded : *page) {
      next = recorded.position.next();
      auto event = storage::decode_event(recorded);
      if (!event) {
        std::cerr << "duban notify digest: " << event.error().message << "\n";
        return kExitFailure;
      }
      book.add(recorded.stream, recorded.recorded_at, *event);
    }
  }
  const auto name_of = [&](const UnitId& u) {
    const gazette::Unit* known = directory->directory.by_id(u.str());
    return known ? known->name : u.str();
  };
  std::vector<UnitId> units;
  if (!unit.empty()) {
    units.push_back(UnitId(unit));
  } else {
    units = book.units();
  }
  bool first = true;
  for (const auto& u : units) {
    const auto digest = book.digest(u, *now, *cal, config.digest);
    if (unit.empty() && digest.empty()) continue;
    if (!first) std::cout << "\n";
    first = false;
    std::cout << notify::digest_text(digest, name_of(u), config.base_url) << "\n";
  }
  return kExitOk;
}

}  // namespace duban::app
