// `duban sweep [--db PATH|URL] [--now T] [--yellow-share X]`: records the deadline reminders due at
// `now` (DeadlineApproaching, TaskOverdue) as actor system. The server runs the same sweep on a
// timer; this is the manual, scriptable form. Running it twice records nothing new.
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>

#include "app/commands.h"
#include "app/database.h"
#include "app/simulation.h"
#include "app/time_arg.h"
#include "app/write_clock.h"
#include "platform/system_clock.h"
#include "service/projections/read_model.h"
#include "service/task_service.h"

namespace duban::app {
namespace po = boost::program_options;

int run_sweep(int argc, char** argv) {
  po::options_description visible(
      "usage: duban sweep [options]\n\n"
      "Checks every open task with a deadline and records, once per deadline, DeadlineApproaching\n"
      "when its light turns yellow and TaskOverdue when it turns red (actor: system); and, for\n"
      "tasks with a reporting cycle (每月/每季度), ProgressReportDue in the last week of a period\n"
      "without a progress report and ProgressReportOverdue once the period has ended without\n"
      "one.\n\noptions");
  std::string db = kDefaultDatabase;
  double yellow_share = service::projections::kDefaultYellowShare;
  visible.add_options()("help,h", "show this help")(
      "db", po::value(&db)->default_value(kDefaultDatabase),
      db_option_help(storage::StoreAccess::read_write).c_str())(
      "now", po::value<std::string>(),
      "sweep as of this time instead of the clock (2016-01-02 or 2016-01-02T08:00:00Z); only "
      "with --simulate")("simulate", kSimulateHelp)(
      "yellow-share", po::value(&yellow_share)->default_value(yellow_share),
      "yellow when less than this share of a task's time is left (0..1)");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(visible).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "duban sweep: " << e.what() << "\n(see duban sweep --help)\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << visible
              << "\nexamples:\n  duban sweep --db duban.db\n"
                 "  duban sweep --db simulation.db --now 2018-01-01 --simulate\n";
    return kExitOk;
  }
  if (!(yellow_share >= 0.0 && yellow_share <= 1.0)) {
    std::cerr << "duban sweep: --yellow-share must be between 0 and 1\n";
    return kExitUsage;
  }
  const auto clocks = write_clock(vm, "duban sweep");
  if (!clocks) return kExitUsage;
  const Clock& wall = clocks->wall;
  const Clock& clock = clocks->clock();

  auto store = storage::open_event_store(db, storage::StoreAccess::read_write, wall);
  if (!store) {
    std::cerr << "duban sweep: " << store.error().message << "\n";
    return kExitFailure;
  }
  service::projections::ReadModel model;
  WriteTarget target(**store, clocks->simulate);
  service::TaskService service(target.get(), model, clock);
  auto swept = service.sweep(yellow_share);
  if (!swept) {
    std::cerr << "duban sweep: " << swept.error().code << ": " << swept.error().message
              << "\n  reminders recorded before the failure stay; run the sweep again\n";
    return kExitFailure;
  }
  std::cout << "sweep at " << format_utc(clock.now()) << ": " << swept->tasks_checked
            << " open tasks with a deadline checked; recorded " << swept->approaching
            << " DeadlineApproaching, " << swept->overdue << " TaskOverdue";
  if (swept->reports_due + swept->reports_late > 0) {
    std::cout << ", " << swept->reports_due << " ProgressReportDue, " << swept->reports_late
              << " ProgressReportOverdue";
  }
  std::cout << "\n";
  return kExitOk;
}

}  // namespace duban::app
