// `duban ingest FILE... [--db PATH|URL] [--progress] [--input-format F] [--now T]
// [--allow-cancel N] [--calendar FILE] [--units FILE] [--year YYYY] [--review]`: reads and
// parses every file, plans each document against the log, runs the plans (service/gazette_ingest.h
// explains the order and the command ids that make an interrupted run safe to repeat) and prints a
// summary.
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>
#include <sstream>

#include "app/calendar_arg.h"
#include "app/commands.h"
#include "app/database.h"
#include "app/input_file.h"
#include "app/progress.h"
#include "app/simulation.h"
#include "app/time_arg.h"
#include "app/units_arg.h"
#include "app/write_clock.h"
#include "model/gazette/parser.h"
#include "model/task/relative_deadlines.h"
#include "platform/system_clock.h"
#include "service/drafts.h"
#include "service/gazette_ingest.h"
#include "service/projections/read_model.h"
#include "service/task_service.h"
#include "service/unit_directory_log.h"

namespace duban::app {
namespace po = boost::program_options;
using service::IngestCounts;
using service::IngestSource;
using service::plan_documents;
using service::PlannedDocument;
using service::run_plan;
namespace {

std::string describe(const IngestCounts& t, int version) {
  std::ostringstream s;
  const char* sep = "";
  auto part = [&](int n, const char* what) {
    if (n == 0) return;
    s << sep << n << " " << what;
    sep = ", ";
  };
  part(t.created, "created");
  part(t.reassigned, "reassigned");
  part(t.revised, "revised");
  part(t.deadlines, "deadline changes");
  part(t.cancelled, "cancelled");
  if (!s.str().empty()) return s.str();
  return version == 1 ? "registered; it has no task clauses" : "registered; no task changed";
}

}  // namespace

int run_ingest(int argc, char** argv) {
  po::options_description visible(
      "usage: duban ingest FILE... [options]\n\n"
      "Reads gazettes and records their documents and task clauses as events: DocumentRegistered,\n"
      "TaskCreated and UnitAssigned for new text. Ingesting the same text again appends nothing;\n"
      "a revised text becomes a new document version and appends only the differences (new\n"
      "clause: task created; changed units: reassigned; changed text or deadline: revised; "
      "removed\n"
      "clause: task cancelled). A clause whose only deadline is relative (7个工作日内, 30日内)\n"
      "gets the date it ends on counted from the day of this run (--now), working days from\n"
      "the calendar. A run that was interrupted is completed by running it again.\n"
      "A run that would cancel more than 5 tasks, or more than half of a document's open tasks,\n"
      "is refused with nothing written (a truncated or wrong file looks like that) unless\n"
      "--allow-cancel allows that many.\n"
      "With --review the documents become drafts instead (拟办): their reading is recorded for\n"
      "the supervisor to correct (duban drafts) and creates no task until it is published\n"
      "(duban drafts publish DOC). A revised text of a published document becomes a draft of\n"
      "the revision: duban drafts show DOC lists what publishing would change on the live\n"
      "tasks (three-way: what people set by hand stays), and nothing changes until then.\n"
      "Unit names are read with --units FILE, else the unit directory recorded in the log, else\n"
      "the built-in one; a directory that differs from the log's is recorded in the log\n"
      "(UnitDirectoryRecorded) before anything else is written, so that duban serve, audit and\n"
      "tasks on this log name units the same way without --units.\n\n"
      "options");
  std::string db = kDefaultDatabase;
  visible.add_options()("help,h", "show this help")(
      "db", po::value(&db)->default_value(kDefaultDatabase),
      db_option_help(storage::StoreAccess::create).c_str())(
      "progress", "draw a progress bar on stderr even when it is not a terminal")(
      "input-format", po::value<std::string>(),
      "markdown | text | html | docx | pdf (default: from the file name, else the content)")(
      "now", po::value<std::string>(),
      "the time the tasks are created at, instead of the clock (2016-01-02 or "
      "2016-01-02T08:00:00Z); only with --simulate")("simulate", kSimulateHelp)(
      "allow-cancel", po::value<int>(),
      "let this run cancel up to N tasks (default: 5 in all, and at most half of a document's "
      "open tasks)")("calendar", po::value<std::string>(), kCalendarHelp)(
      "units", po::value<std::string>(), kUnitsHelp)(
      "year", po::value<int>(),
      "the year of deadlines written without one (6月底前, 年底前) in every document; default: "
      "each document's own (its number 〔2026〕, title, date or the document it cites)")(
      "review",
      "record the documents as drafts for review (no task, nothing any unit sees); "
      "publish them with duban drafts publish");
  po::options_description all;
  all.add(visible).add_options()("file", po::value<std::vector<std::string>>(), "");
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "duban ingest: " << e.what() << "\n(see duban ingest --help)\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << visible
              << "\nexamples:\n  duban ingest data/qinghai-gazette-2015-08.md --db duban.db\n"
                 "  duban ingest data/qinghai-gazette-2015-08.md --db "
                 "postgresql://duban@db.example/duban\n"
                 "  duban tasks --db duban.db --unit 省粮食局\n";
    return kExitOk;
  }
  if (!vm.count("file")) {
    std::cerr << "duban ingest: name at least one gazette file (see duban ingest --help)\n";
    return kExitUsage;
  }
  std::optional<formats::Kind> forced;
  if (vm.count("input-format")) {
    forced = formats::kind_named(vm["input-format"].as<std::string>());
    if (!forced) {
      std::cerr << "duban ingest: --input-format must be markdown, text, html, docx or pdf\n";
      return kExitUsage;
    }
  }
  int year = 0;
  if (vm.count("year")) {
    year = vm["year"].as<int>();
    if (year < 1949 || year > 2200) {
      std::cerr << "duban ingest: --year must be a year such as 2026, not " << year << "\n";
      return kExitUsage;
    }
  }
  const auto clocks = write_clock(vm, "duban ingest");
  if (!clocks) return kExitUsage;
  const Clock& wall = clocks->wall;
  const Clock& clock = clocks->clock();
  std::optional<std::string> calendar_file;
  if (vm.count("calendar")) calendar_file = vm["calendar"].as<std::string>();
  auto cal = load_calendar(calendar_file);
  if (!cal) {
    std::cerr << "duban ingest: --calendar: " << cal.error().message << "\n";
    return kExitUsage;
  }
  const Timestamp assigned_at = clock.now();
  if (const int year = static_cast<int>(task::shanghai_date(assigned_at).year());
      !cal->covers(year)) {
    std::cerr << "duban ingest: note: the calendar does not cover " << year
              << "; relative deadlines in working days count weekends only\n";
  }

  std::optional<std::string> units_file;
  if (vm.count("units")) units_file = vm["units"].as<std::string>();
  auto units_given = read_units_file(units_file);
  if (!units_given) {
    std::cerr << "duban ingest: --units: " << units_given.error().message << "\n";
    return kExitUsage;
  }

  // Read (and convert) everything first, so every unreadable input is reported before any
  // writing; parsing needs the log's unit directory, so it follows the store's opening.
  int status = kExitOk;
  std::vector<std::pair<std::string, GazetteInput>> inputs;
  for (const auto& file : vm["file"].as<std::vector<std::string>>()) {
    auto input = read_gazette_input(file, forced, "duban ingest: ", vm.count("progress") > 0);
    if (!input) {
      std::cerr << "duban ingest: " << input.error().message << "\n";
      status = kExitFailure;
      continue;
    }
    inputs.emplace_back(file, std::move(*input));
  }
  if (inputs.empty()) return status;

  auto store = storage::open_event_store(db, storage::StoreAccess::create, wall);
  if (!store) {
    std::cerr << "duban ingest: " << store.error().message << "\n";
    return kExitFailure;
  }
  auto units = service::choose_directory(**store, *units_given);
  if (!units) {
    std::cerr << "duban ingest: " << units.error().message << "\n";
    return kExitFailure;
  }

  std::vector<IngestSource> sources;
  for (auto& [file, input] : inputs) {
    gazette::ParseOptions options;
    options.year = year;
    auto parsed = gazette::parse_gazette(input.text(), input.format(), units->directory, options);
    if (!parsed) {
      std::cerr << "duban ingest: " << file << ": " << parsed.error().message << "\n";
      status = kExitFailure;
      continue;
    }
    if (!parsed->warnings.empty()) {
      std::cerr << "duban ingest: " << file << ": " << parsed->warnings.size()
                << " parser warnings (`duban extract " << file << "` lists them)\n";
    }
    // The parser's line numbers refer to the text it read: for a .docx or .pdf, the Markdown.
    std::string text =
        input.input.converted ? std::move(*input.input.converted) : std::move(input.bytes);
    sources.push_back(IngestSource{file, std::move(text), std::move(*parsed)});
  }
  if (sources.empty()) return status;

  service::projections::ReadModel model;
  WriteTarget target(**store, clocks->simulate);
  service::TaskService service(target.get(), model, clock);
  if (auto caught = service.refresh(); !caught) {
    std::cerr << "duban ingest: reading " << storage::redact_db(db) << ": "
              << caught.error().message << "\n";
    return kExitFailure;
  }
  // The ids of the units are the directory's: the log keeps the directory they were read with.
  auto record_units = [&]() -> bool {
    if (units->from_log) return true;
    auto recorded = service::record_directory(target.get(), units->text, task::Actor::supervisor());
    if (!recorded) {
      std::cerr << "duban ingest: recording the unit directory: " << recorded.error().message
                << "\n";
      return false;
    }
    if (*recorded) {
      std::cerr << "duban ingest: recorded the unit directory " << units->text.source
                << " in the log\n";
    }
    return true;
  };

  service::DraftService drafts(**store, service, clock);
  if (vm.count("review")) {
    if (!record_units()) return kExitFailure;
    for (const IngestSource& source : sources) {
      auto recorded = drafts.record(source, task::Actor::supervisor());
      if (!recorded) {
        std::cerr << "duban ingest: " << source.name << ": " << recorded.error().code << ": "
                  << recorded.error().message << "\n";
        status = kExitFailure;
        continue;
      }
      for (const auto& d : *recorded) {
        std::cout << "  " << d.document.str() << ": ";
        if (d.unchanged) {
          std::cout << "unchanged (this text is already a draft or live)\n";
        } else {
          std::cout << "draft of " << d.clauses << " clauses, " << d.doubtful
                    << " doubtful (duban drafts show '" << d.document.str() << "')\n";
        }
      }
    }
    return status;
  }
  // Names the supervisor mapped to directory units (duban drafts correct unit-name) hold for
  // every later reading.
  auto names = drafts.unit_names();
  if (!names) {
    std::cerr << "duban ingest: " << names.error().message << "\n";
    return kExitFailure;
  }
  for (IngestSource& source : sources) service::apply_unit_names(source.parsed, *names);

  std::vector<std::string> problems;
  std::vector<PlannedDocument> planned =
      plan_documents(sources, model, problems, service::AssignedAt{assigned_at, *cal});
  for (const auto& p : problems) std::cerr << "duban ingest: " << p << "\n";
  if (!problems.empty()) status = kExitFailure;
  std::optional<int> allowed;
  if (vm.count("allow-cancel")) allowed = vm["allow-cancel"].as<int>();
  if (auto refused = service::check_cancellations(planned, allowed, "--allow-cancel ")) {
    std::cerr << "duban ingest: refused: " << refused->message << "\n";
    return kExitFailure;
  }

  Progress progress(std::cerr, Progress::choose(vm.count("progress") > 0),
                    "duban ingest: ", "commands");
  for (const auto& d : planned) {
    for (const auto& note : d.plan.notes) {
      std::cerr << "duban ingest: " << d.source << ": " << d.document.id << ": note: " << note
                << "\n";
    }
    progress.add_total(d.plan.commands.size());
  }

  bool writes = false;
  for (const auto& d : planned) writes = writes || !d.plan.empty();
  if (writes && !record_units()) return kExitFailure;

  IngestCounts total;
  int unchanged = 0;
  int failed = 0;
  std::vector<std::string> per_document;
  for (const PlannedDocument& d : planned) {
    if (d.plan.empty()) {
      ++unchanged;
      continue;
    }
    auto done = run_plan(service, d, [&](const task::PlannedCommand&) {
      progress.step();
      return true;
    });
    if (!done) {
      progress.finish();
      std::cerr << "duban ingest: " << d.source << ": " << d.document.id << ": "
                << done.error().code << ": " << done.error().message
                << "\n  it stays unregistered; run the same ingest again to finish it\n";
      ++failed;
      status = kExitFailure;
      continue;
    }
    total.add(*done);
    per_document.push_back("  " + d.document.id + " v" + std::to_string(d.version) + ": " +
                           describe(*done, d.version));
  }
  progress.finish();

  if (total.registered == 0 && failed == 0) {
    std::cout << "nothing to do: " << unchanged << " document" << (unchanged == 1 ? " is" : "s are")
              << " already ingested with the same content (" << storage::redact_db(db) << ")\n";
    return status;
  }
  std::cout << "ingested into " << storage::redact_db(db) << "\n";
  for (const auto& line : per_document) std::cout << line << "\n";
  std::cout << "documents registered  " << total.registered << "\n"
            << "documents unchanged   " << unchanged << "\n"
            << "tasks created         " << total.created << "\n"
            << "tasks reassigned      " << total.reassigned << "\n"
            << "tasks revised         " << total.revised << "\n"
            << "deadlines changed     " << total.deadlines << "\n"
            << "tasks cancelled       " << total.cancelled << "\n"
            << "events appended       " << total.events << "\n";
  if (failed > 0) std::cout << "documents failed      " << failed << "\n";
  return status;
}

}  // namespace duban::app
