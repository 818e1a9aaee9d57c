// `duban report [--db PATH|URL] [--now T] [--format table|csv|json|html|xlsx] [--unit U] [--doc D]
//               [--position N] [--out FILE]`: the supervision report (考评) of report/,
// computed from the projections at a log position (default: the whole log; rebuilt from the
// nearest snapshot) and evaluated at --now (default: the clock), so a report of the 2015 gazette
// can be reproduced exactly: the output names the position, its chain hash and --now.
//
// Exit statuses: 0 written; 1 the unit, document or position asked for is not in the log, or
// --out cannot be written; 2 usage error, or the store could not be read.
#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/commands.h"
#include "app/database.h"
#include "app/table.h"
#include "app/time_arg.h"
#include "app/units_arg.h"
#include "audit/point_in_time.h"
#include "model/gazette/units.h"
#include "platform/system_clock.h"
#include "report/render.h"
#include "service/snapshot_files.h"
#include "service/views/unit_names.h"
#include "storage/hash_chain.h"

namespace duban::app {
namespace po = boost::program_options;
namespace {

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

std::string pct(std::optional<double> share) {
  if (!share) return "-";
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(0);
  s << *share * 100 << "%";
  return s.str();
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : "、") + n;
  return out.empty() ? "-" : out;
}

std::string render_table(const report::Report& r) {
  std::ostringstream out;
  const auto& t = r.totals;
  const bool by_document = r.options.document.has_value();
  out << "督办考评报告 supervision report as of " << report::shanghai_date(r.now)
      << " (Asia/Shanghai), log position " << r.position.value() << " (hash "
      << storage::to_hex(r.head_hash) << ")\n";
  if (r.options.unit)
    out << "unit: " << unit_name(*r.options.unit) << " (" << r.options.unit->str() << ")\n";
  if (r.options.document) out << "document: " << r.options.document->str() << "\n";
  out << "tasks " << t.tasks << ": open " << t.open << ", closed " << t.closed << " (on time "
      << t.closed_on_time << "), cancelled " << t.cancelled << ", overdue now " << t.overdue
      << ", open without deadline " << t.no_deadline << "\n\nunits\n";
  Table units_table({"unit", "name", "led", "joined", "signed", "closed", "on time", "overdue",
                     "returned", "extended", "urged", "completion", "on-time rate"});
  for (const auto& u : r.units) {
    auto event = [&](int v) { return by_document ? std::string("-") : count(v); };
    units_table.add({u.unit.str(), u.name, std::to_string(u.led), std::to_string(u.joined),
                     count(u.acknowledged), count(u.closed), count(u.closed_on_time),
                     count(u.overdue), event(u.returned), event(u.extensions), event(u.urged),
                     pct(u.completion()), pct(u.on_time())});
  }
  units_table.print(out, 40);

  out << "\ndocuments\n";
  Table docs({"document", "v", "tasks", "assigned", "in progress", "reported", "closed",
              "cancelled", "green", "yellow", "red", "no deadline", "title"});
  for (const auto& d : r.documents) {
    auto s = [&](task::Status st) { return count(d.by_status[static_cast<std::size_t>(st)]); };
    auto l = [&](task::Light li) { return count(d.by_light[static_cast<std::size_t>(li)]); };
    docs.add({d.document.str(), std::to_string(d.version), std::to_string(d.tasks),
              s(task::Status::kAssigned), s(task::Status::kInProgress),
              s(task::Status::kCompletionReported), s(task::Status::kClosed),
              s(task::Status::kCancelled), l(task::Light::kGreen), l(task::Light::kYellow),
              l(task::Light::kRed), l(task::Light::kNone), d.title});
  }
  docs.print(out, 40);

  out << "\noverdue (" << r.overdue.size() << ")\n";
  if (!r.overdue.empty()) {
    Table overdue({"document", "clause", "deadline", "days over", "status", "leads", "heading"});
    for (const auto& o : r.overdue) {
      overdue.add({o.document.str(), o.label, o.deadline, std::to_string(o.days_overdue),
                   std::string(task::to_string(o.status)), join(o.leads), o.heading});
    }
    overdue.print(out, 40);
  }

  for (const auto& d : r.documents) {
    out << "\nclauses of " << d.document.str() << (d.title.empty() ? "" : " " + d.title) << "\n";
    Table clauses({"clause", "status", "light", "deadline", "leads", "heading"});
    for (const auto& c : d.clauses) {
      clauses.add({c.label, std::string(task::to_string(c.status)),
                   std::string(task::to_string(c.light)), c.deadline.value_or("-"), join(c.leads),
                   c.heading});
    }
    clauses.print(out, 40);
  }
  return out.str();
}

}  // namespace

int run_report(int argc, char** argv) {
  po::options_description visible(
      "usage: duban report [options]\n\n"
      "The supervision report (考评): per unit, tasks led and joined, acknowledged, closed, "
      "closed\n"
      "on time, overdue, returned for rework, extensions and urgings; per document, progress by\n"
      "clause; the overdue list; deadlines by month. Computed from the log (all of it, or up to\n"
      "--position / --until) and evaluated at --now, so the same position and --now give the\n"
      "same report. Read-only. docs/audit.md defines every figure.\n\n"
      "exit status: 0 written; 1 the unit, document or position is not in the log, or --out\n"
      "cannot be written; 2 usage error or unreadable store.\n\noptions");
  std::string db = kDefaultDatabase;
  std::string format = "table";
  std::string snapshots;
  std::string table_name = "units";
  std::int64_t position = -1;
  double yellow_share = service::projections::kDefaultYellowShare;
  visible.add_options()("help,h", "show this help")(
      "db", po::value(&db)->default_value(kDefaultDatabase),
      db_option_help(storage::StoreAccess::read_only).c_str())(
      "now", po::value<std::string>(),
      "evaluate at this time instead of the clock (2016-12-31 = the start of that day in "
      "Asia/Shanghai, or 2016-12-31T16:00:00Z)")(
      "format", po::value(&format)->default_value("table"),
      "table | csv | json | html | xlsx (Excel, every table; needs --out)")(
      "unit", po::value<std::string>(), "only this unit: its id (grain) or name (省粮食局)")(
      "doc", po::value<std::string>(), "only this document: its id (青政办〔2015〕151号)")(
      "position", po::value(&position), "use the log up to this position (default: all of it)")(
      "until", po::value<std::string>(),
      "use the log as it stood at this time (events recorded by then) instead of all of it")(
      "out", po::value<std::string>(), "write to this file instead of standard output")(
      "table", po::value(&table_name)->default_value("units"),
      "with --format csv: units | documents | clauses | overdue | deadlines")(
      "bom", "with --format csv: start with a UTF-8 byte order mark (for spreadsheet programs)")(
      "yellow-share", po::value(&yellow_share)->default_value(yellow_share),
      "yellow when less than this share of a task's time is left (0..1)")(
      "snapshots", po::value(&snapshots),
      "snapshot directory (default: <db>.snapshots next to a SQLite --db; with a postgresql:// "
      "--db, snapshots are used only when this is given)");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(visible).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "duban report: " << e.what() << "\n(see duban report --help)\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout
        << visible
        << "\nexamples:\n  duban report --db duban.db --now 2016-12-31\n"
           "  duban report --db duban.db --now 2016-12-31 --format html --out report.html\n"
           "  duban report --db duban.db --unit 省粮食局 --format json\n"
           "  duban report --db duban.db --format csv --table clauses --bom --out clauses.csv\n"
           "  duban report --db duban.db --now 2016-12-31 --format xlsx --out 考评.xlsx\n";
    return kExitOk;
  }
  if (format != "table" && format != "csv" && format != "json" && format != "html" &&
      format != "xlsx") {
    std::cerr << "duban report: --format must be table, csv, json, html or xlsx, not '" << format
              << "'\n";
    return kExitUsage;
  }
  if (format == "xlsx" && !vm.count("out")) {
    std::cerr << "duban report: --format xlsx writes a binary workbook: give --out FILE.xlsx\n";
    return kExitUsage;
  }
  const auto csv_table = report::parse_csv_table(table_name);
  if (!csv_table) {
    std::cerr << "duban report: --table must be units, documents, clauses, overdue or deadlines\n";
    return kExitUsage;
  }
  if (!(yellow_share >= 0.0 && yellow_share <= 1.0)) {
    std::cerr << "duban report: --yellow-share must be between 0 and 1\n";
    return kExitUsage;
  }
  if (vm.count("position") && vm.count("until")) {
    std::cerr << "duban report: give at most one of --position and --until\n";
    return kExitUsage;
  }
  if (vm.count("position") && position < 0) {
    std::cerr << "duban report: --position must be 0 or more\n";
    return kExitUsage;
  }
  platform::SystemClock wall;
  report::ReportOptions options;
  options.now = wall.now();
  options.yellow_share = yellow_share;
  if (vm.count("now")) {
    auto t = parse_time_arg(vm["now"].as<std::string>());
    if (!t) {
      std::cerr << "duban report: --now: " << t.error().message << "\n";
      return kExitUsage;
    }
    options.now = *t;
  }

  auto store = storage::open_event_store(db, storage::StoreAccess::read_only, wall);
  if (!store) {
    std::cerr << "duban report: " << store.error().message << "\n";
    return kExitUsage;
  }
  g_log_units = log_units(**store, "duban report");
  if (!g_log_units) return kExitFailure;
  audit::Point point = GlobalPosition(position);
  if (vm.count("until")) {
    auto t = parse_time_arg(vm["until"].as<std::string>());
    if (!t) {
      std::cerr << "duban report: --until: " << t.error().message << "\n";
      return kExitUsage;
    }
    point = *t;
  } else if (!vm.count("position")) {
    auto head = (*store)->head();
    if (!head) {
      std::cerr << "duban report: reading " << storage::redact_db(db) << ": "
                << head.error().message << "\n";
      return kExitUsage;
    }
    point = head->position;
  }
  const std::filesystem::path snapshot_dir = snapshot_dir_for(db, snapshots);
  auto state = audit::state_at(**store, snapshot_dir, point);
  if (!state) {
    std::cerr << "duban report: " << state.error().message << "\n";
    return state.error().code == "out_of_range" ? kExitFailure : kExitUsage;
  }
  for (const auto& why : state->load.refused) std::cerr << "duban report: " << why << "\n";
  const auto projections = state->model->state();

  if (vm.count("unit")) {
    options.unit = service::views::resolve_unit(units(), vm["unit"].as<std::string>());
    if (!units().by_id(options.unit->str()) && !projections.inbox.units().count(*options.unit)) {
      std::cerr
          << "duban report: no unit '" << vm["unit"].as<std::string>()
          << "' in the directory or the log (give an id like grain or a name like 省粮食局)\n";
      return kExitFailure;
    }
  }
  if (vm.count("doc")) {
    options.document = DocumentId(vm["doc"].as<std::string>());
    if (!projections.tasks.document(*options.document) &&
        projections.tasks.tasks_of(*options.document).empty()) {
      std::cerr << "duban report: no document '" << options.document->str()
                << "' in the log (document ids are issuing numbers like 青政办〔2015〕151号; "
                   "`duban tasks` lists them)\n";
      return kExitFailure;
    }
  }

  const report::Report built =
      report::build_report(projections, state->position, state->hash, options, unit_name);
  std::string text;
  if (format == "csv")
    text = report::render_csv(built, *csv_table, vm.count("bom") > 0);
  else if (format == "json")
    text = report::render_json(built);
  else if (format == "html")
    text = report::render_html(built);
  else if (format == "xlsx") {
    auto workbook = report::render_xlsx(built);
    if (!workbook) {
      std::cerr << "duban report: " << workbook.error().message << "\n";
      return kExitFailure;
    }
    text = std::move(*workbook);
  } else
    text = render_table(built);

  if (vm.count("out")) {
    const std::string out_path = vm["out"].as<std::string>();
    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      std::cerr << "duban report: cannot write " << out_path << "\n";
      return kExitFailure;
    }
    std::cerr << "duban report: wrote " << out_path << " (" << text.size() << " bytes, position "
              << built.position.value() << ", as of " << report::shanghai_date(built.now) << ")\n";
  } else {
    std::cout << text;
  }
  return kExitOk;
}

}  // namespace duban::app
