// `duban deadlines set DOC (--default DATE | --working-days N) [--part PART] [--only-missing |
// --all] [--reason TEXT] [--calendar FILE] [--db PATH|URL] [--now T]`: deadlines for every task
// of a document (or one part) in one go, each an ordinary SetDeadline by the supervisor
// (service/bulk_deadlines.h).
// `duban deadlines cycle DOC --every monthly|quarterly|none [--part PART] [--reason TEXT]`:
// the reporting cycle (每月/每季度 报送进展) of the same tasks, each a SetReportingCycle.
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>

#include "app/calendar_arg.h"
#include "app/commands.h"
#include "app/database.h"
#include "app/time_arg.h"
#include "app/write_clock.h"
#include "model/task/reporting.h"
#include "platform/system_clock.h"
#include "service/bulk_deadlines.h"
#include "service/projections/read_model.h"
#include "service/task_service.h"

namespace duban::app {
namespace po = boost::program_options;

namespace {

int failed(const Error& e) {
  std::cerr << "duban deadlines: " << e.code << ": " << e.message << "\n";
  return kExitFailure;
}

// Opens --db with the clock of --now/--simulate and runs `run` on a TaskService over it.
template <class Run>
int with_service(const po::variables_map& vm, Run run) {
  const auto clocks = write_clock(vm, "duban deadlines");
  if (!clocks) return kExitUsage;
  const std::string db = vm["db"].as<std::string>();
  auto store = storage::open_event_store(db, storage::StoreAccess::read_write, clocks->wall);
  if (!store) {
    std::cerr << "duban deadlines: " << store.error().message << "\n";
    return kExitFailure;
  }
  service::projections::ReadModel model;
  WriteTarget target(**store, clocks->simulate);
  service::TaskService service(target.get(), model, clocks->clock());
  return run(service);
}

int run_cycles(const po::variables_map& vm, const std::string& document) {
  if (!vm.count("every")) {
    std::cerr << "duban deadlines cycle: give --every monthly|quarterly|none\n";
    return kExitUsage;
  }
  service::BulkCycles request;
  request.document = DocumentId(document);
  if (auto named = task::reporting_cycle_named(vm["every"].as<std::string>())) {
    request.cycle = *named;
  } else {
    std::cerr << "duban deadlines cycle: --every must be monthly, quarterly or none\n";
    return kExitUsage;
  }
  if (vm.count("part")) request.part = vm["part"].as<std::string>();
  if (vm.count("reason")) request.reason = vm["reason"].as<std::string>();
  return with_service(vm, [&](service::TaskService& service) {
    auto done = service::set_reporting_cycles(service, request, task::Actor::supervisor());
    if (!done) return failed(done.error());
    for (const auto& id : done->set) std::cout << "  " << id.str() << "\n";
    std::cout << "reporting cycle " << task::to_string(request.cycle) << " set on "
              << done->set.size() << "; kept " << done->kept << " (already had it); not open "
              << done->not_open << "\n";
    return kExitOk;
  });
}

}  // namespace

int run_deadlines(int argc, char** argv) {
  po::options_description visible(
      "usage: duban deadlines set DOC (--default DATE | --working-days N) [options]\n"
      "       duban deadlines cycle DOC --every monthly|quarterly|none [options]\n\n"
      "Sets a deadline on every open task of document DOC (or of one of its parts) that has\n"
      "none: one date for all (--default 2016-12-31), or N working days after each task's 交办\n"
      "(--working-days 10, counted with the working-day calendar). Each is a DeadlineSet event\n"
      "by the supervisor with the reason. --all also replaces deadlines tasks already have.\n"
      "`cycle` sets how often the units of every open task report progress (报送进展); the\n"
      "sweep then records ProgressReportDue and ProgressReportOverdue per period.\n\n"
      "options");
  std::string db = kDefaultDatabase;
  visible.add_options()("help,h", "show this help")(
      "db", po::value(&db)->default_value(kDefaultDatabase),
      db_option_help(storage::StoreAccess::read_write).c_str())(
      "default", po::value<std::string>(), "the deadline date for every task (YYYY-MM-DD)")(
      "working-days", po::value<int>(), "N working days after each task's 交办 instead")(
      "part", po::value<std::string>(), "only the tasks of this part (its title)")(
      "only-missing", "only tasks without a deadline (the default)")(
      "all", "also replace the deadlines open tasks already have")(
      "every", po::value<std::string>(), "cycle: monthly (每月) | quarterly (每季度) | none")(
      "reason", po::value<std::string>(), "the reason recorded on each event")(
      "calendar", po::value<std::string>(), kCalendarHelp)(
      "now", po::value<std::string>(),
      "record at this time instead of the clock (2016-01-02 or 2016-01-02T08:00:00Z); only with "
      "--simulate")("simulate", kSimulateHelp);
  po::options_description all;
  all.add(visible).add_options()("args", po::value<std::vector<std::string>>(), "");
  po::positional_options_description positional;
  positional.add("args", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "duban deadlines: " << e.what() << "\n(see duban deadlines --help)\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << visible
              << "\nexamples:\n  duban deadlines set 青政办〔2015〕143号 --default 2016-12-31\n"
                 "  duban deadlines set 青政办〔2015〕143号 --working-days 10 --part 附件1\n"
                 "  duban deadlines cycle 青政办〔2015〕143号 --every quarterly\n";
    return kExitOk;
  }
  const auto args =
      vm.count("args") ? vm["args"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (args.size() != 2 || (args[0] != "set" && args[0] != "cycle")) {
    std::cerr
        << "duban deadlines: expected `set DOC` or `cycle DOC` (see duban deadlines --help)\n";
    return kExitUsage;
  }
  if (args[0] == "cycle") return run_cycles(vm, args[1]);
  if (vm.count("all") && vm.count("only-missing")) {
    std::cerr << "duban deadlines: --all and --only-missing exclude each other\n";
    return kExitUsage;
  }
  service::BulkDeadlines request;
  request.document = DocumentId(args[1]);
  if (vm.count("part")) request.part = vm["part"].as<std::string>();
  if (vm.count("default")) request.date = vm["default"].as<std::string>();
  if (vm.count("working-days")) request.working_days = vm["working-days"].as<int>();
  if (request.date.has_value() == request.working_days.has_value()) {
    std::cerr << "duban deadlines: give one of --default DATE or --working-days N\n";
    return kExitUsage;
  }
  request.only_missing = vm.count("all") == 0;
  if (vm.count("reason")) request.reason = vm["reason"].as<std::string>();
  std::optional<std::string> calendar_file;
  if (vm.count("calendar")) calendar_file = vm["calendar"].as<std::string>();
  auto cal = load_calendar(calendar_file);
  if (!cal) {
    std::cerr << "duban deadlines: --calendar: " << cal.error().message << "\n";
    return kExitUsage;
  }
  return with_service(vm, [&](service::TaskService& service) {
    auto done = service::set_deadlines(service, request, task::Actor::supervisor(), *cal);
    if (!done) return failed(done.error());
    for (std::size_t i = 0; i < done->set.size(); ++i) {
      std::cout << "  " << done->set[i].str() << "  " << done->new_deadlines[i] << "\n";
    }
    std::cout << "deadlines set " << done->set.size() << "; kept " << done->kept
              << " (already had one); not open " << done->not_open << "\n";
    return kExitOk;
  });
}

}  // namespace duban::app
