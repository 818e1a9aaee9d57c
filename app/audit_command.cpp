// `duban audit verify|history|asof|diff`: reading the log as an auditor. Every subcommand opens
// the store --db names (a SQLite file or a postgresql:// URL) read-only (it never writes, and runs
// while `duban serve` appends) and reads snapshot files from --snapshots (default: next to a
// SQLite database; none for a URL) without ever writing them.
//
// The work lives in audit/ (check_log, state_at, find_task, task_history, diff_states, and the
// JSON documents of audit_json.h); this file parses arguments, opens the store and prints tables.
// docs/audit.md explains what verification proves.
//
// Exit statuses (also in `duban audit --help` and docs/audit.md):
//   verify:              0 the log verifies; 1 tampered or inconsistent (the first bad position
//                        is printed); 2 usage error, or the store could not be read at all
//   history, asof, diff: 0 done; 1 the task or position asked for is not in the log;
//                        2 usage error, or the store could not be read
#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/program_options.hpp>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include "app/commands.h"
#include "app/database.h"
#include "app/simulation.h"
#include "app/table.h"
#include "app/time_arg.h"
#include "app/units_arg.h"
#include "audit/audit_json.h"
#include "audit/draft_history.h"
#include "audit/log_check.h"
#include "audit/point_in_time.h"
#include "audit/state_diff.h"
#include "audit/task_history.h"
#include "audit/task_lookup.h"
#include "model/gazette/units.h"
#include "model/task/actor.h"
#include "model/task/deadline.h"
#include "platform/system_clock.h"
#include "service/snapshot_files.h"
#include "service/views/unit_names.h"
#include "storage/blob_store.h"
#include "storage/hash_chain.h"

namespace duban::app {
namespace po = boost::program_options;
namespace {

constexpr int kExitTampered = 1;  // verify: the log does not verify
constexpr int kExitNotFound = 1;  // history/asof/diff: no such task or position
constexpr int kExitUnreadable = kExitUsage;

// The directory recorded in the log (app/units_arg.h), once the store is open; before that
// (and for a log that holds none) the built-in one. Set once per run, before any output.
std::optional<gazette::UnitDirectory> g_log_units;

const gazette::UnitDirectory& units() {
  return g_log_units ? *g_log_units : gazette::UnitDirectory::builtin();
}

std::string unit_name(const UnitId& id) {
  return service::views::unit_name(units(), id);
}

std::string join_names(const std::vector<UnitId>& ids) {
  const std::string names = service::views::join_unit_names(units(), ids);
  return names.empty() ? "-" : names;
}

// Options every audit subcommand takes.
struct Common {
  std::string db = kDefaultDatabase;
  std::string snapshots;  // empty: next to a SQLite database; none for PostgreSQL
  std::filesystem::path snapshot_dir() const { return snapshot_dir_for(db, snapshots); }
};

void add_common(po::options_description& options, Common& common) {
  options.add_options()("help,h", "show this help")(
      "db", po::value(&common.db)->default_value(kDefaultDatabase),
      db_option_help(storage::StoreAccess::read_only).c_str())(
      "snapshots", po::value(&common.snapshots),
      "snapshot directory (default: <db>.snapshots next to a SQLite --db; a postgresql:// --db "
      "has none unless given; missing means none)");
}

// Parses argv against `options` (+ positionals); false after printing the error.
bool parse(const char* name, int argc, char** argv, const po::options_description& options,
           const po::positional_options_description& positional, po::variables_map& vm) {
  try {
    po::store(po::command_line_parser(argc, argv).options(options).positional(positional).run(),
              vm);
    po::notify(vm);
    return true;
  } catch (const po::error& e) {
    std::cerr << "duban audit " << name << ": " << e.what() << "\n(see duban audit " << name
              << " --help)\n";
    return false;
  }
}

Result<std::unique_ptr<storage::EventStore>> open_store(const Common& common, const Clock& clock) {
  auto store = storage::open_event_store(common.db, storage::StoreAccess::read_only, clock);
  if (!store) return store;
  // Units are named with the directory the log's ingests recorded.
  auto chosen = service::choose_directory(**store, std::nullopt);
  if (!chosen) return chosen.error();
  g_log_units = std::move(chosen->directory);
  return store;
}

// "1234" is a position; anything else a time (2016-01-02, 2016-01-02T08:00:00Z, ...).
Result<audit::Point> parse_point(const std::string& text) {
  if (!text.empty() && text.size() <= 18 && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    return audit::Point(GlobalPosition(std::stoll(text)));
  }
  auto t = parse_time_arg(text);
  if (!t) {
    return make_error("bad_point", "'" + text + "' is neither a position (a number) nor a time: " +
                                       t.error().message);
  }
  return audit::Point(*t);
}

std::string describe_point(const audit::PointInTime& p) {
  std::ostringstream s;
  s << "the log at position " << p.position.value();
  if (p.position.value() > 0) {
    s << " (recorded " << format_utc(p.recorded_at) << ", hash "
      << storage::to_hex(p.hash).substr(0, 16) << "…)";
  }
  if (p.load.snapshot) {
    s << ", from snapshot " << p.load.snapshot->filename().string() << " + "
      << p.position.value() - p.load.snapshot_position.value() << " events";
  } else if (p.position.value() > 0) {
    s << ", replayed from position 1";
  }
  return s.str();
}

void print_refusals(const char* name, const service::LoadReport& load) {
  for (const auto& why : load.refused) std::cerr << "duban audit " << name << ": " << why << "\n";
}

// ---------------------------------------------------------------------------------------------
// verify

std::string recorded_span(const audit::LogCheck& c) {
  if (c.events == 0) return "-";
  return format_utc(c.first_recorded_at) + " .. " + format_utc(c.last_recorded_at);
}

std::string_view outcome_name(audit::SnapshotVerdict::Outcome o) {
  switch (o) {
    case audit::SnapshotVerdict::Outcome::kMatches:
      return "matches the log";
    case audit::SnapshotVerdict::Outcome::kRefused:
      return "refused";
    case audit::SnapshotVerdict::Outcome::kMismatch:
      return "CONTRADICTS THE LOG";
    case audit::SnapshotVerdict::Outcome::kUnreached:
      return "not reached";
  }
  return "?";
}

int run_verify(int argc, char** argv) {
  po::options_description options(
      "usage: duban audit verify [options]\n\n"
      "Walks the whole log and checks: the hash chain, gap-free positions, contiguous stream\n"
      "versions, that every payload decodes under its schema version, that the projections\n"
      "accept every event and an incremental catch-up equals a one-shot rebuild, that every\n"
      "snapshot file equals the rebuild at its position, and (--head) that the log still extends\n"
      "a head you kept. Read-only; safe while `duban serve` runs.\n\n"
      "exit status: 0 the log verifies; 1 tampered or inconsistent (the first bad position and\n"
      "what is wrong there are printed); 2 usage error, or the store could not be "
      "read.\n\noptions");
  Common common;
  std::vector<std::string> head_texts;
  add_common(options, common);
  options.add_options()("head", po::value(&head_texts),
                        "POS:HASH kept from an earlier --export-head: prove the log extends it "
                        "(repeatable: the first kept head the log no longer matches brackets a "
                        "rewrite)")(
      "export-head",
      "after verifying, print only the head as POS:HASH on stdout (the summary "
      "goes to stderr), to be kept elsewhere")(
      "quick", "skip the incremental catch-up comparison (a second replay of the log)");
  po::variables_map vm;
  if (!parse("verify", argc, argv, options, {}, vm)) return kExitUsage;
  if (vm.count("help")) {
    std::cout << options
              << "\nexamples:\n  duban audit verify --db duban.db\n"
                 "  duban audit verify --db postgresql://auditor@db.example/duban\n"
                 "  duban audit verify --db duban.db --export-head >> kept-heads.txt\n"
                 "  duban audit verify --db duban.db --head 1423:6f1c…\n";
    return kExitOk;
  }
  audit::LogCheckOptions check_options;
  for (const auto& text : head_texts) {
    auto head = audit::parse_head(text);
    if (!head) {
      std::cerr << "duban audit verify: --head: " << head.error().message << "\n";
      return kExitUsage;
    }
    check_options.expected_heads.push_back(*head);
  }
  check_options.snapshot_dir = common.snapshot_dir();
  check_options.compare_catch_up = vm.count("quick") == 0;
  const bool export_head = vm.count("export-head") > 0;

  platform::SystemClock wall;
  auto store = open_store(common, wall);
  if (!store) {
    std::cerr << "duban audit verify: " << store.error().message << "\n";
    return kExitUnreadable;
  }
  // The attachments beside the log: every blob an event references is read back and hashed.
  auto blobs = storage::open_blob_store(common.db, /*read_only=*/true);
  if (!blobs) {
    std::cerr << "duban audit verify: " << blobs.error().message << "\n";
    return kExitUnreadable;
  }
  check_options.blobs = blobs->get();
  auto checked = audit::check_log(**store, check_options);
  if (!checked) {
    std::cerr << "duban audit verify: cannot check " << storage::redact_db(common.db) << ": "
              << checked.error().message << "\n";
    return kExitUnreadable;
  }
  const audit::LogCheck& c = *checked;
  std::ostream& out = export_head ? std::cerr : std::cout;

  std::string types;
  for (const auto& [type, n] : c.by_type)
    types += (types.empty() ? "" : ", ") + type + " " + std::to_string(n);
  out << "duban audit verify: " << storage::redact_db(common.db) << "\n";
  out << "  events           " << c.events << (c.problem ? " verified before the problem" : "")
      << (c.events ? " (positions 1.." + std::to_string(c.head.position.value()) + ", gap-free)"
                   : "")
      << "\n";
  out << "  streams          " << c.task_streams << " tasks, " << c.document_streams
      << " documents; every stream's versions contiguous from 1\n";
  out << "  recorded         " << recorded_span(c) << "\n";
  out << "  payloads         every one decodes" << (types.empty() ? "" : " (" + types + ")")
      << "\n";
  out << "  attachments      " << c.attachments_verified
      << " referenced blob(s) read back, each hashing to its reference"
      << (c.problem ? " (before the problem)" : "") << "\n";
  out << "  hash chain       " << (c.problem ? "intact up to " : "intact; head ")
      << audit::format_head({c.head.position, c.head.hash}) << "\n";
  if (!check_options.expected_heads.empty()) {
    out << "  kept heads       " << c.heads_matched << " of " << check_options.expected_heads.size()
        << " found in the log with the same hash"
        << (c.problem ? "" : ": the log extends every one") << "\n";
  }
  if (check_options.compare_catch_up) {
    out << "  projections      "
        << (c.catch_up_compared ? "an incremental catch-up equals the one-shot rebuild"
                                : "not compared")
        << "\n";
  } else {
    out << "  projections      rebuilt (incremental comparison skipped: --quick)\n";
  }
  if (c.snapshots.empty() && check_options.snapshot_dir.empty()) {
    out << "  snapshots        none checked (with a postgresql:// --db, name a directory with "
           "--snapshots)\n";
  } else if (c.snapshots.empty()) {
    out << "  snapshots        none in " << check_options.snapshot_dir.string() << "\n";
  }
  for (const auto& s : c.snapshots) {
    out << "  snapshot         " << s.path.filename().string() << " (position "
        << s.position.value() << "): " << outcome_name(s.outcome)
        << (s.detail.empty() ? "" : " — " + s.detail) << "\n";
  }
  for (const auto& w : c.warnings) std::cerr << "duban audit verify: warning: " << w << "\n";
  // A log written (in part) by a --simulate run is no record of real work: its business times
  // came from --now. The mark is in the hash-chained actor, so it is as trustworthy as the chain.
  auto simulated = find_simulated(**store, c.head.position);
  if (!simulated) {
    std::cerr << "duban audit verify: cannot check " << storage::redact_db(common.db) << ": "
              << simulated.error().message << "\n";
    return kExitUnreadable;
  }
  if (simulated->events > 0) {
    out << "  SIMULATION       " << simulated->events << " of " << c.events
        << " events were written by a --simulate run (actor simulation:…; business times from "
           "--now, not the clock), the first at position "
        << simulated->first.value() << "\n";
  } else {
    out << "  simulation       none: no event was written by a --simulate run\n";
  }

  if (c.problem) {
    out << "FAILED at position " << c.problem->position.value() << " ("
        << audit::to_string(c.problem->kind) << "): " << c.problem->message << "\n";
    return kExitTampered;
  }
  out << "OK: " << c.events << " events verified"
      << (simulated->events > 0 ? " (a SIMULATION: not a record of real work)" : "") << "\n";
  if (export_head) std::cout << audit::format_head({c.head.position, c.head.hash}) << "\n";
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
// history

int print_draft_history(storage::EventStore& store, const DocumentId& document,
                        const std::string& clause, const std::string& format) {
  auto history = audit::draft_clause_history(store, document, clause, unit_name);
  if (!history) {
    std::cerr << "duban audit history: " << history.error().message << "\n";
    return history.error().code == "not_found" ? kExitNotFound : kExitUnreadable;
  }
  if (format == "json") {
    boost::json::array entries;
    for (const auto& e : history->entries) {
      entries.push_back(boost::json::object{{"position", e.position.value()},
                                            {"recorded_at", format_utc(e.recorded_at)},
                                            {"actor", e.actor},
                                            {"event_type", e.type},
                                            {"kind", e.kind},
                                            {"before", e.before},
                                            {"after", e.after},
                                            {"reason", e.reason}});
    }
    std::cout << boost::json::serialize(boost::json::object{{"document", document.str()},
                                                            {"clause", clause},
                                                            {"entries", std::move(entries)}})
              << "\n";
    return kExitOk;
  }
  std::cout << "draft     " << document.str() << "\nclause    " << clause << "\n\n";
  Table table({"pos", "recorded (UTC)", "actor", "change", "before", "after", "reason"});
  for (const auto& e : history->entries) {
    table.add({std::to_string(e.position.value()), format_utc(e.recorded_at), e.actor,
               e.kind == "reading" ? "machine reading" : e.kind, e.before, e.after, e.reason});
  }
  table.print(std::cout, 70);
  return kExitOk;
}

int run_history(int argc, char** argv) {
  po::options_description options(
      "usage: duban audit history TASK [options]\n\n"
      "A task's timeline from its own stream: every event with its position, time, actor and what\n"
      "it changed, and the clause and document the task comes from. TASK is a task id or\n"
      "\"DOCUMENT LABEL\" (e.g. '青政〔2015〕70号 (四)').\n"
      "With --draft DOC, TASK is a clause of that document's draft (its key, c7, from duban\n"
      "drafts show): the machine's reading and every human correction, side by side.\n\n"
      "exit status: 0 done; 1 no such task; 2 usage error or unreadable store.\n\noptions");
  Common common;
  std::string format = "table";
  add_common(options, common);
  options.add_options()("format", po::value(&format)->default_value("table"), "table | json")(
      "draft", po::value<std::string>(), "a draft's document: TASK is one of its clauses");
  po::options_description all;
  all.add(options).add_options()("task", po::value<std::string>(), "");
  po::positional_options_description positional;
  positional.add("task", 1);
  po::variables_map vm;
  if (!parse("history", argc, argv, all, positional, vm)) return kExitUsage;
  if (vm.count("help")) {
    std::cout << options
              << "\nexample:\n  duban audit history '青政〔2015〕70号 (四)' --db duban.db\n";
    return kExitOk;
  }
  if (!vm.count("task")) {
    std::cerr << "duban audit history: name a task (see duban audit history --help)\n";
    return kExitUsage;
  }
  if (format != "table" && format != "json") {
    std::cerr << "duban audit history: --format must be table or json\n";
    return kExitUsage;
  }
  platform::SystemClock wall;
  auto store = open_store(common, wall);
  if (!store) {
    std::cerr << "duban audit history: " << store.error().message << "\n";
    return kExitUnreadable;
  }
  if (vm.count("draft")) {
    return print_draft_history(**store, DocumentId(vm["draft"].as<std::string>()),
                               vm["task"].as<std::string>(), format);
  }
  auto id = audit::find_task(**store, vm["task"].as<std::string>());
  if (!id) {
    std::cerr << "duban audit history: " << id.error().message << "\n";
    return id.error().code == "not_found" ? kExitNotFound : kExitUnreadable;
  }
  auto history = audit::task_history(**store, *id, unit_name);
  if (!history) {
    std::cerr << "duban audit history: " << history.error().message << "\n";
    return history.error().code == "not_found" ? kExitNotFound : kExitUnreadable;
  }
  if (format == "json") {
    std::cout << boost::json::serialize(audit::history_json(*history)) << "\n";
    return kExitOk;
  }

  const task::TaskState& s = history->state;
  const task::DocumentState& d = history->document;
  const task::Provenance& p = s.provenance;

  std::cout << "task      " << s.id.str() << "\n";
  std::cout << "document  " << p.document.str() << " (version " << p.document_version << ")";
  if (d.exists()) {
    std::cout << " " << d.title;
    if (!d.issuer.empty()) std::cout << "; issued by " << d.issuer;
    if (!d.signed_date.empty()) std::cout << " on " << d.signed_date;
  }
  std::cout << "\nclause    " << p.label << (p.part.empty() ? "" : " in " + p.part) << ", lines "
            << p.line << "-" << p.end_line << "\n";
  std::cout << "text      " << p.text << "\n";
  const auto simulated_entries =
      std::count_if(history->entries.begin(), history->entries.end(),
                    [](const auto& e) { return is_simulated_actor(e.actor); });
  if (simulated_entries > 0) {
    std::cout << "SIMULATION " << simulated_entries
              << " of these events were written by a --simulate run (business times from --now)\n";
  }
  std::cout << "current   " << task::to_string(s.status) << " (" << task::to_string(s.mode)
            << " mode); leads " << join_names(s.leads) << "; participants "
            << join_names(s.participants) << "; deadline " << s.deadline.value_or("none") << "\n\n";
  Table table({"pos", "v", "recorded (UTC)", "actor", "event", "status", "what changed"});
  for (const auto& e : history->entries) {
    const std::string status = e.status_before == e.status_after
                                   ? std::string(task::to_string(e.status_after))
                                   : std::string(task::to_string(e.status_before)) + " → " +
                                         std::string(task::to_string(e.status_after));
    // A unit by its name; a person by their display name and what they acted for.
    std::string actor = e.actor;
    if (auto a = task::parse_actor(e.actor)) {
      std::string who = a->kind == task::Actor::Kind::kUnit         ? unit_name(a->unit)
                        : a->kind == task::Actor::Kind::kSupervisor ? std::string("supervisor")
                                                                    : std::string("system");
      if (a->is_person()) {
        who = (e.person_name.empty() ? a->person.str() : e.person_name) + " (" + who + ")";
      }
      actor = (is_simulated_actor(e.actor) ? std::string(kSimulatedActorPrefix) : "") + who;
    }
    table.add({std::to_string(e.position.value()), std::to_string(e.version.value()),
               format_utc(e.recorded_at), actor, e.type, status, e.change});
  }
  table.print(std::cout, 90);
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
// asof

int run_asof(int argc, char** argv) {
  po::options_description options(
      "usage: duban audit asof (--position N | --time T) [options]\n\n"
      "The state of every task (or one unit's inbox) as it was at a point of the log, rebuilt by\n"
      "replaying the log up to it from the nearest earlier snapshot. --time T takes every event\n"
      "recorded at or before T. Lights are computed at T (for --position: at the time event N was\n"
      "recorded).\n\n"
      "exit status: 0 done; 1 the position is past the end of the log; 2 usage error or\n"
      "unreadable store.\n\noptions");
  Common common;
  std::string format = "table";
  std::int64_t position = -1;
  std::string time_text;
  double yellow_share = service::projections::kDefaultYellowShare;
  add_common(options, common);
  options.add_options()("position", po::value(&position), "events 1..N")(
      "time", po::value(&time_text),
      "the log as it stood at T (2016-01-02 or 2016-01-02T08:00:00Z)")(
      "unit", po::value<std::string>(),
      "only this unit's inbox: its id (grain) or name (省粮食局)")(
      "all", "with --unit: include its closed and cancelled tasks")(
      "yellow-share", po::value(&yellow_share)->default_value(yellow_share),
      "yellow when less than this share of a task's time is left (0..1)")(
      "format", po::value(&format)->default_value("table"), "table | json");
  po::variables_map vm;
  if (!parse("asof", argc, argv, options, {}, vm)) return kExitUsage;
  if (vm.count("help")) {
    std::cout << options
              << "\nexamples:\n  duban audit asof --time 2016-01-01 --db duban.db\n"
                 "  duban audit asof --position 500 --unit 省粮食局 --format json\n";
    return kExitOk;
  }
  if (vm.count("position") + vm.count("time") != 1) {
    std::cerr << "duban audit asof: give exactly one of --position and --time\n";
    return kExitUsage;
  }
  if (format != "table" && format != "json") {
    std::cerr << "duban audit asof: --format must be table or json\n";
    return kExitUsage;
  }
  if (!(yellow_share >= 0.0 && yellow_share <= 1.0)) {
    std::cerr << "duban audit asof: --yellow-share must be between 0 and 1\n";
    return kExitUsage;
  }
  audit::Point point = GlobalPosition(position);
  if (vm.count("time")) {
    auto t = parse_time_arg(time_text);
    if (!t) {
      std::cerr << "duban audit asof: --time: " << t.error().message << "\n";
      return kExitUsage;
    }
    point = *t;
  } else if (position < 0) {
    std::cerr << "duban audit asof: --position must be 0 or more\n";
    return kExitUsage;
  }
  platform::SystemClock wall;
  auto store = open_store(common, wall);
  if (!store) {
    std::cerr << "duban audit asof: " << store.error().message << "\n";
    return kExitUnreadable;
  }
  auto at = audit::state_at(**store, common.snapshot_dir(), point);
  if (!at) {
    std::cerr << "duban audit asof: " << at.error().message << "\n";
    return at.error().code == "out_of_range" ? kExitNotFound : kExitUnreadable;
  }
  print_refusals("asof", at->load);
  const service::projections::AsOf as_of{at->as_of, yellow_share};
  const bool as_json = format == "json";

  if (vm.count("unit")) {
    const UnitId unit = service::views::resolve_unit(units(), vm["unit"].as<std::string>());
    const auto items = at->model->inbox(unit, as_of,
                                        vm.count("all") ? service::projections::InboxFilter::kAll
                                                        : service::projections::InboxFilter::kOpen);
    if (as_json) {
      std::cout << boost::json::serialize(audit::asof_inbox_json(*at, unit, items)) << "\n";
      return kExitOk;
    }
    std::cout << describe_point(*at) << "\n";
    std::cout << "inbox of " << unit_name(unit) << " (" << unit.str() << ") as of "
              << format_utc(at->as_of) << ": " << items.size()
              << (vm.count("all") ? " tasks" : " open tasks") << "\n";
    Table table({"document", "clause", "role", "status", "light", "deadline", "signed", "heading"});
    for (const auto& i : items) {
      table.add({i.document.str(), i.label, std::string(task::to_string(i.role)),
                 std::string(task::to_string(i.status)), std::string(task::to_string(i.light)),
                 i.deadline.value_or("-"), i.acknowledged ? "yes" : "no", i.heading});
    }
    if (!items.empty()) table.print(std::cout, 40);
    return kExitOk;
  }

  if (as_json) {
    std::cout << boost::json::serialize(audit::asof_tasks_json(*at, as_of)) << "\n";
    return kExitOk;
  }
  // Every task, in document order.
  const auto state = at->model->state();
  const auto tasks = audit::tasks_in_document_order(state);
  std::cout << describe_point(*at) << "\n"
            << tasks.size() << " tasks as of " << format_utc(at->as_of) << "\n";
  Table table({"document", "clause", "status", "light", "deadline", "leads", "heading"});
  for (const auto* s : tasks) {
    table.add({s->provenance.document.str(), s->provenance.label,
               std::string(task::to_string(s->status)),
               std::string(task::to_string(task::light(*s, as_of.now, as_of.yellow_share))),
               s->deadline.value_or("-"), join_names(s->leads), s->provenance.heading});
  }
  if (!tasks.empty()) table.print(std::cout, 40);
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
// diff

int run_diff(int argc, char** argv) {
  po::options_description options(
      "usage: duban audit diff A B [options]\n\n"
      "What changed between two points of the log: tasks created, reassigned, given another\n"
      "deadline, revised, acknowledged, moved to another status, closed, reopened or cancelled,\n"
      "and documents registered; net changes between the two states, with the number of events of\n"
      "each type in between. A and B are positions (numbers) or times (2016-01-02,\n"
      "2016-01-02T08:00:00Z); A must not come after B.\n\n"
      "exit status: 0 done; 1 a position is past the end of the log; 2 usage error or\n"
      "unreadable store.\n\noptions");
  Common common;
  std::string format = "table";
  add_common(options, common);
  options.add_options()("format", po::value(&format)->default_value("table"), "table | json");
  po::options_description all;
  all.add(options).add_options()("point", po::value<std::vector<std::string>>(), "");
  po::positional_options_description positional;
  positional.add("point", 2);
  po::variables_map vm;
  if (!parse("diff", argc, argv, all, positional, vm)) return kExitUsage;
  if (vm.count("help")) {
    std::cout << options << "\nexample:\n  duban audit diff 2015-09-01 2016-01-01 --db duban.db\n";
    return kExitOk;
  }
  if (!vm.count("point") || vm["point"].as<std::vector<std::string>>().size() != 2) {
    std::cerr << "duban audit diff: give two points, A and B (see duban audit diff --help)\n";
    return kExitUsage;
  }
  if (format != "table" && format != "json") {
    std::cerr << "duban audit diff: --format must be table or json\n";
    return kExitUsage;
  }
  const auto texts = vm["point"].as<std::vector<std::string>>();
  std::vector<audit::Point> points;
  for (const auto& t : texts) {
    auto p = parse_point(t);
    if (!p) {
      std::cerr << "duban audit diff: " << p.error().message << "\n";
      return kExitUsage;
    }
    points.push_back(*p);
  }
  platform::SystemClock wall;
  auto store = open_store(common, wall);
  if (!store) {
    std::cerr << "duban audit diff: " << store.error().message << "\n";
    return kExitUnreadable;
  }
  auto a = audit::state_at(**store, common.snapshot_dir(), points[0]);
  if (!a) {
    std::cerr << "duban audit diff: A: " << a.error().message << "\n";
    return a.error().code == "out_of_range" ? kExitNotFound : kExitUnreadable;
  }
  auto b = audit::state_at(**store, common.snapshot_dir(), points[1]);
  if (!b) {
    std::cerr << "duban audit diff: B: " << b.error().message << "\n";
    return b.error().code == "out_of_range" ? kExitNotFound : kExitUnreadable;
  }
  print_refusals("diff", a->load);
  print_refusals("diff", b->load);
  if (a->position > b->position) {
    std::cerr << "duban audit diff: A (position " << a->position.value()
              << ") comes after B (position " << b->position.value() << "): swap them\n";
    return kExitUsage;
  }
  const auto diff = audit::diff_states(a->model->state(), b->model->state(), unit_name);
  auto counts = audit::count_events(**store, a->position, b->position);
  if (!counts) {
    std::cerr << "duban audit diff: " << counts.error().message << "\n";
    return kExitUnreadable;
  }

  if (format == "json") {
    std::cout << boost::json::serialize(audit::diff_json(*a, *b, diff, *counts)) << "\n";
    return kExitOk;
  }
  std::cout << "from " << describe_point(*a) << "\n  to " << describe_point(*b) << "\n";
  std::int64_t total = 0;
  std::string events;
  for (const auto& [k, n] : *counts) {
    total += n;
    events += (events.empty() ? "" : ", ") + k + " " + std::to_string(n);
  }
  std::cout << total << " events in between" << (events.empty() ? "" : ": " + events) << "\n";
  std::string changes;
  for (const auto& [k, n] : diff.changes)
    changes += (changes.empty() ? "" : ", ") + std::to_string(n) + " " + k;
  std::cout << "changes: " << (changes.empty() ? "none" : changes) << "\n";
  for (const auto& d : diff.documents) {
    std::cout << "document " << d.document.str() << ": "
              << (d.version_before == 0 ? "registered"
                                        : "version " + std::to_string(d.version_before) + " →")
              << " version " << d.version_after << " " << d.title << "\n";
  }
  if (!diff.tasks.empty()) {
    std::cout << "\n";
    Table table({"change", "document", "clause", "before", "after"});
    for (const auto& r : diff.tasks) {
      table.add({r.change, r.document.str(), r.label, r.before.empty() ? "-" : r.before, r.after});
    }
    table.print(std::cout, 60);
  }
  return kExitOk;
}

void print_audit_usage(std::ostream& out) {
  out << "usage: duban audit <verify|history|asof|diff> [options]\n\n"
         "Reads the event log as an auditor: read-only, safe while `duban serve` runs.\n\n"
         "  verify   check the hash chain, positions, stream versions, payloads, projections and\n"
         "           snapshots; --export-head prints the head to keep elsewhere, --head proves "
         "the\n"
         "           log still extends a kept head\n"
         "  history  a task's timeline: each event with time, actor and what changed, and its "
         "clause\n"
         "  asof     every task (or one unit's inbox) as it was at a position or time\n"
         "  diff     what changed between two positions or times\n\n"
         "exit status: verify 0 ok, 1 tampered or inconsistent, 2 usage or unreadable store;\n"
         "history/asof/diff 0 ok, 1 not in the log, 2 usage or unreadable store.\n"
         "Run `duban audit <command> --help` for its options; docs/audit.md explains the checks.\n";
}

}  // namespace

int run_audit(int argc, char** argv) {
  if (argc < 2) {
    print_audit_usage(std::cerr);
    return kExitUsage;
  }
  const std::string_view sub = argv[1];
  if (sub == "--help" || sub == "-h" || sub == "help") {
    print_audit_usage(std::cout);
    return kExitOk;
  }
  if (sub == "verify") return run_verify(argc - 1, argv + 1);
  if (sub == "history") return run_history(argc - 1, argv + 1);
  if (sub == "asof") return run_asof(argc - 1, argv + 1);
  if (sub == "diff") return run_diff(argc - 1, argv + 1);
  std::cerr << "duban audit: unknown subcommand '" << sub << "'\n\n";
  print_audit_usage(std::cerr);
  return kExitUsage;
}

}  // namespace duban::app
