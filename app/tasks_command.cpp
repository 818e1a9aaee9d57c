// `duban tasks [--db PATH|URL] [--unit U | --overdue | --scorecard] [--all] [--now T]
//              [--yellow-share X] [--format table|jsonl]`
//
// Queries the projections (service/projections/read_model.h), rebuilt from the log on every run
// for now (snapshots come later): per-document progress by default, a unit's inbox, the overdue
// list, or the unit scorecards. Lights are computed at --now (default: the clock). Read-only: it
// never appends.
#include <boost/json.hpp>
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>

#include "app/commands.h"
#include "app/database.h"
#include "app/table.h"
#include "app/time_arg.h"
#include "app/units_arg.h"
#include "model/gazette/units.h"
#include "platform/system_clock.h"
#include "service/projections/read_model.h"
#include "service/views/json_views.h"
#include "service/views/unit_names.h"

namespace duban::app {
namespace po = boost::program_options;
namespace json = boost::json;
namespace {

using service::projections::AsOf;
using service::projections::ReadModel;

// The directory recorded in the log (app/units_arg.h), once the store is open; before that
// (and for a log that holds none) the built-in one. Set once per run, before any output.
std::optional<gazette::UnitDirectory> g_log_units;

const gazette::UnitDirectory& units() {
  return g_log_units ? *g_log_units : gazette::UnitDirectory::builtin();
}

std::string unit_name(const UnitId& id) {
  return service::views::unit_name(units(), id);
}

std::string count(int n) {
  return n == 0 ? "." : std::to_string(n);
}

void print_documents(const ReadModel& model, AsOf as_of, bool jsonl) {
  using task::Light;
  using task::Status;
  auto s = [](Status st) { return static_cast<std::size_t>(st); };
  auto l = [](Light li) { return static_cast<std::size_t>(li); };
  Table table({"document", "v", "tasks", "assigned", "in progress", "reported", "closed",
               "cancelled", "green", "yellow", "red", "no deadline", "title"});
  for (const auto& row : model.document_progress(as_of)) {
    if (jsonl) {
      std::cout << json::serialize(service::views::document_row_json(row)) << "\n";
      continue;
    }
    table.add(
        {row.document.str(), std::to_string(row.version), std::to_string(row.tasks),
         count(row.by_status[s(Status::kAssigned)]), count(row.by_status[s(Status::kInProgress)]),
         count(row.by_status[s(Status::kCompletionReported)]),
         count(row.by_status[s(Status::kClosed)]), count(row.by_status[s(Status::kCancelled)]),
         count(row.by_light[l(Light::kGreen)]), count(row.by_light[l(Light::kYellow)]),
         count(row.by_light[l(Light::kRed)]), count(row.by_light[l(Light::kNone)]), row.title});
  }
  if (!jsonl) table.print(std::cout, 40);
}

void print_inbox(const ReadModel& model, const UnitId& unit, AsOf as_of, bool all, bool jsonl) {
  const auto items = model.inbox(
      unit, as_of,
      all ? service::projections::InboxFilter::kAll : service::projections::InboxFilter::kOpen);
  Table table({"document", "clause", "role", "status", "light", "deadline", "signed", "heading"});
  for (const auto& i : items) {
    if (jsonl) {
      std::cout << json::serialize(service::views::inbox_item_json(i, unit)) << "\n";
      continue;
    }
    table.add({i.document.str(), i.label, std::string(task::to_string(i.role)),
               std::string(task::to_string(i.status)), std::string(task::to_string(i.light)),
               i.deadline.value_or("-"), i.acknowledged ? "yes" : "no", i.heading});
  }
  if (jsonl) return;
  std::cout << "inbox of " << unit_name(unit) << " (" << unit.str() << ") at "
            << format_utc(as_of.now) << ": " << items.size() << (all ? " tasks" : " open tasks")
            << "\n";
  if (!items.empty()) table.print(std::cout, 40);
}

void print_overdue(const ReadModel& model, AsOf as_of, bool jsonl) {
  const auto items = model.overdue(as_of.now);
  Table table(
      {"document", "clause", "deadline", "days over", "status", "recorded", "leads", "heading"});
  for (const auto& i : items) {
    if (jsonl) {
      std::cout << json::serialize(json::object{{"task", i.task.str()},
                                                {"document", i.document.str()},
                                                {"label", i.label},
                                                {"deadline", i.deadline},
                                                {"days_overdue", i.days_overdue},
                                                {"status", task::to_string(i.status)},
                                                {"recorded", i.recorded},
                                                {"leads", service::views::unit_ids_json(i.leads)},
                                                {"heading", i.heading}})
                << "\n";
      continue;
    }
    table.add({i.document.str(), i.label, i.deadline, std::to_string(i.days_overdue),
               std::string(task::to_string(i.status)), i.recorded ? "yes" : "no",
               service::views::join_unit_names(units(), i.leads), i.heading});
  }
  if (jsonl) return;
  std::cout << items.size() << " overdue tasks at " << format_utc(as_of.now) << "\n";
  if (!items.empty()) table.print(std::cout, 40);
}

void print_scorecards(const ReadModel& model, AsOf as_of, bool jsonl) {
  Table table({"unit", "name", "assigned", "signed", "progress", "closed", "on time", "overdue",
               "returned", "extended", "urged", "open now", "red now", "late reports"});
  for (const auto& r : model.scorecards(as_of)) {
    const auto& c = r.counts;
    if (jsonl) {
      std::cout << json::serialize(json::object{{"unit", r.unit.str()},
                                                {"name", unit_name(r.unit)},
                                                {"assigned", c.assigned},
                                                {"acknowledged", c.acknowledged},
                                                {"progress_reports", c.progress_reports},
                                                {"closed", c.closed},
                                                {"closed_on_time", c.closed_on_time},
                                                {"overdue", c.overdue},
                                                {"returned", c.returned},
                                                {"extensions", c.extensions},
                                                {"urged", c.urged},
                                                {"open_now", r.open_now},
                                                {"red_now", r.red_now},
                                                {"late_reports", c.late_reports}})
                << "\n";
      continue;
    }
    table.add({r.unit.str(), unit_name(r.unit), std::to_string(c.assigned), count(c.acknowledged),
               count(c.progress_reports), count(c.closed), count(c.closed_on_time),
               count(c.overdue), count(c.returned), count(c.extensions), count(c.urged),
               std::to_string(r.open_now), count(r.red_now), count(c.late_reports)});
  }
  if (!jsonl) table.print(std::cout, 40);
}

}  // namespace

int run_tasks(int argc, char** argv) {
  po::options_description visible(
      "usage: duban tasks [options]\n\n"
      "Shows what the event log says, from its projections: each document's tasks by status and\n"
      "light (default), one unit's inbox (--unit), the overdue list (--overdue) or the unit\n"
      "scorecards (--scorecard). Lights are computed at --now. Never writes.\n\noptions");
  std::string db = kDefaultDatabase;
  std::string format = "table";
  double yellow_share = service::projections::kDefaultYellowShare;
  visible.add_options()("help,h", "show this help")(
      "db", po::value(&db)->default_value(kDefaultDatabase),
      db_option_help(storage::StoreAccess::read_only).c_str())(
      "unit", po::value<std::string>(), "a unit's inbox: its id (grain) or name (省粮食局)")(
      "overdue", "open tasks past their deadline, longest overdue first")(
      "scorecard", "per unit: assigned, signed, closed (on time), overdue, returned, ...")(
      "all", "with --unit: include closed and cancelled tasks")(
      "now", po::value<std::string>(),
      "compute lights at this time instead of the clock (2016-01-02 or 2016-01-02T08:00:00Z)")(
      "yellow-share", po::value(&yellow_share)->default_value(yellow_share),
      "yellow when less than this share of a task's time is left (0..1)")(
      "format", po::value(&format)->default_value("table"), "table | jsonl");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(visible).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "duban tasks: " << e.what() << "\n(see duban tasks --help)\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << visible
              << "\nexamples:\n  duban tasks --db duban.db\n"
                 "  duban tasks --db duban.db --unit 省粮食局 --now 2016-01-01\n"
                 "  duban tasks --db duban.db --overdue --format jsonl\n";
    return kExitOk;
  }
  if (vm.count("unit") + vm.count("overdue") + vm.count("scorecard") > 1) {
    std::cerr << "duban tasks: choose one of --unit, --overdue, --scorecard\n";
    return kExitUsage;
  }
  if (format != "table" && format != "jsonl") {
    std::cerr << "duban tasks: --format must be table or jsonl, not '" << format << "'\n";
    return kExitUsage;
  }
  if (!(yellow_share >= 0.0 && yellow_share <= 1.0)) {
    std::cerr << "duban tasks: --yellow-share must be between 0 and 1\n";
    return kExitUsage;
  }
  platform::SystemClock wall;
  Timestamp now = wall.now();
  if (vm.count("now")) {
    auto t = parse_time_arg(vm["now"].as<std::string>());
    if (!t) {
      std::cerr << "duban tasks: --now: " << t.error().message << "\n";
      return kExitUsage;
    }
    now = *t;
  }

  auto store = storage::open_event_store(db, storage::StoreAccess::read_only, wall);
  if (!store) {
    std::cerr << "duban tasks: " << store.error().message << "\n";
    return kExitFailure;
  }
  g_log_units = log_units(**store, "duban tasks");
  if (!g_log_units) return kExitFailure;
  ReadModel model;
  if (auto caught = model.catch_up(**store); !caught) {
    std::cerr << "duban tasks: reading " << storage::redact_db(db) << ": " << caught.error().message
              << "\n";
    return kExitFailure;
  }
  const AsOf as_of{now, yellow_share};
  const bool jsonl = format == "jsonl";
  if (vm.count("unit")) {
    print_inbox(model, service::views::resolve_unit(units(), vm["unit"].as<std::string>()), as_of,
                vm.count("all") > 0, jsonl);
  } else if (vm.count("overdue")) {
    print_overdue(model, as_of, jsonl);
  } else if (vm.count("scorecard")) {
    print_scorecards(model, as_of, jsonl);
  } else {
    print_documents(model, as_of, jsonl);
  }
  return kExitOk;
}

}  // namespace duban::app
