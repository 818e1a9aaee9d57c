// `duban ingest`, `duban sweep` and `duban tasks` as a user runs them, on real SQLite files in
// temp dirs: the bundled gazette becomes 10 registered documents and one task per clause; the
// same text again appends nothing; a revised text (a clause removed, one's units changed, one
// added) appends exactly those differences as document version 2; a revision that inserts and
// renumbers clauses keeps a deadline, a reassignment and progress made by hand, moves progress
// with its renumbered clause and applies the document's own unit change; a run stopped half-way is
// completed by the next without duplicates; the sweep records each reminder once; the tasks
// views show inbox, overdue list and scorecards at --now; --help everywhere; clear errors and
// exit codes for a missing database, unreadable input and bad options.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "app/input_file.h"
#include "model/task/streams.h"
#include "service/gazette_ingest.h"
#include "service/projections/read_model.h"
#include "service/task_service.h"
#include "storage/event_codec.h"
#include "storage/sqlite_event_store.h"
#include "tests/support/run_command.h"

namespace duban {
namespace {

using testing::run_command;
using testing::TempDir;

const std::string kGazette = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";
const std::string kNow = "2015-09-01";  // the day the gazette is ingested, in every test

std::vector<boost::json::object> json_lines(const std::string& out) {
  std::vector<boost::json::object> rows;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    rows.push_back(boost::json::parse(line).as_object());
  return rows;
}

// The log of a database, read back through a read-only store.
std::vector<storage::RecordedEvent> read_log(const std::string& db) {
  FixedClock clock(from_millis(0));
  auto store = storage::SqliteEventStore::open(
      {.path = db, .mode = storage::SqliteOptions::Mode::read_only}, clock);
  EXPECT_TRUE(store.ok()) << store.error().message;
  if (!store.ok()) return {};
  auto log = (*store)->read_all(GlobalPosition(1), 1'000'000);
  EXPECT_TRUE(log.ok());
  return log.ok() ? std::move(*log) : std::vector<storage::RecordedEvent>{};
}

std::map<std::string, int> count_types(const std::vector<storage::RecordedEvent>& log) {
  std::map<std::string, int> n;
  for (const auto& e : log) ++n[e.type];
  return n;
}

// What `duban extract` says the gazette asks for: clauses per document and distinct units per
// clause, so the expectations follow the parser rather than restating its numbers.
struct Expected {
  int clauses = 0;
  int units = 0;  // sum over clauses of distinct assigned units = UnitAssigned events
};
Expected expected_from_extract() {
  const auto r = run_command(DUBAN_BINARY, {"extract", kGazette});
  Expected e;
  for (const auto& row : json_lines(r.out)) {
    ++e.clauses;
    std::set<std::string> units;
    for (const auto& a : row.at("assignments").as_array()) {
      units.insert(std::string(a.as_object().at("unit").as_string()));
    }
    e.units += static_cast<int>(units.size());
  }
  return e;
}

testing::CommandResult ingest(const std::string& file, const std::string& db,
                              std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"ingest", file, "--db", db, "--now", kNow, "--simulate"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_command(DUBAN_BINARY, args);
}

using duban::testing::contains;

TEST(IngestCli, TheBundledGazetteRegistersEveryDocumentAndOneTaskPerClause) {
  TempDir dir;
  const std::string db = dir.file("duban.db");
  const auto r = ingest(kGazette, db);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Expected want = expected_from_extract();
  ASSERT_EQ(want.clauses, 271);
  EXPECT_TRUE(contains(r.out, "documents registered  10")) << r.out;
  EXPECT_TRUE(contains(r.out, "tasks created         271")) << r.out;
  // Documents without task clauses are registered too (7 of the 10).
  EXPECT_TRUE(contains(r.out, "青政办〔2015〕168号 v1: registered; it has no task clauses"))
      << r.out;

  const auto log = read_log(db);
  const auto types = count_types(log);
  EXPECT_EQ(types.at("DocumentRegistered"), 10);
  EXPECT_EQ(types.at("TaskCreated"), 271);
  EXPECT_EQ(types.at("UnitAssigned"), want.units);
  EXPECT_EQ(types.size(), 3u);
  EXPECT_EQ(log.size(), static_cast<std::size_t>(10 + 271 + want.units));
  EXPECT_TRUE(contains(r.out, "events appended       " + std::to_string(log.size()))) << r.out;

  // Every event records the document version that caused it, and a stable command id.
  for (const auto& e : log) {
    EXPECT_EQ(e.actor, "simulation:supervisor");  // --simulate marks them
    EXPECT_EQ(e.command_id.str().rfind("ingest:", 0), 0u) << e.command_id.str();
    auto decoded = storage::decode_event(e);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    if (auto* c = std::get_if<task::TaskCreated>(&*decoded)) {
      EXPECT_EQ(c->provenance.document_version, 1);
      EXPECT_EQ(c->created_at, from_millis(1'441'036'800'000));  // 2015-09-01 00:00 +08:00
    } else if (auto* a = std::get_if<task::UnitAssigned>(&*decoded)) {
      EXPECT_EQ(a->document_version, std::optional<int>(1));
    } else if (auto* d = std::get_if<task::DocumentRegistered>(&*decoded)) {
      EXPECT_EQ(d->version, 1);
      EXPECT_EQ(d->content_hash.rfind("sha256:", 0), 0u);
    }
  }
  // A document's registration comes after its tasks: it marks the document as complete.
  EXPECT_EQ(log.back().type, "DocumentRegistered");
}

TEST(IngestCli, TheSameGazetteAgainAppendsNothing) {
  TempDir dir;
  const std::string db = dir.file("duban.db");
  ASSERT_EQ(ingest(kGazette, db).exit_code, 0);
  const auto before = read_log(db).size();
  const auto again = ingest(kGazette, db);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "nothing to do: 10 documents are already ingested")) << again.out;
  EXPECT_EQ(read_log(db).size(), before);
}

// The gazette with 青政〔2015〕70号 revised in place: (十六) removed, 省供销社 dropped from
// (十三)'s units, and a new clause (二十二) after (二十一). Line numbers of the other clauses of
// that document stay put, so no other clause counts as revised.
std::string revised_gazette() {
  auto bytes = app::read_input_file(kGazette);
  EXPECT_TRUE(bytes.ok());
  std::istringstream in(*bytes);
  std::ostringstream out;
  bool removed = false, changed = false, added = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("(十六)健全粮食质量安全保障体系", 0) == 0) {
      line.clear();
      removed = true;
    } else if (line.rfind("(十三)健全应急调控保障体系", 0) == 0) {
      const std::string coop = "省供销社、";
      line.erase(line.find(coop), coop.size());
      changed = true;
    }
    out << line << "\n";
    if (line.rfind("（二十一）建立监督考核机制", 0) == 0) {
      out << "\n（二十二）建立粮食安全信息公开制度。定期公开粮食安全省长责任制落实情况。"
             "（省粮食局牵头负责，省统计局参加）\n";
      added = true;
    }
  }
  EXPECT_TRUE(removed && changed && added) << "the bundled gazette changed; update this test";
  return out.str();
}

TEST(IngestCli, ARevisedGazetteAppendsOnlyItsDifferencesAsDocumentVersion2) {
  TempDir dir;
  const std::string db = dir.file("duban.db");
  ASSERT_EQ(ingest(kGazette, db).exit_code, 0);
  const auto before = read_log(db).size();
  const std::string revised = dir.write("revised.md", revised_gazette());

  const auto r = ingest(revised, db);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(
      contains(r.out, "青政〔2015〕70号 v2: 1 created, 1 reassigned, 1 revised, 1 cancelled"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "documents unchanged   9")) << r.out;

  const auto log = read_log(db);
  const std::vector<storage::RecordedEvent> added(log.begin() + static_cast<long>(before),
                                                  log.end());
  std::vector<std::string> types;
  for (const auto& e : added) types.push_back(e.type);
  // In plan order: clauses in document order (the changed one, then the new one), removed
  // clauses after them, and the registration last.
  EXPECT_EQ(types, (std::vector<std::string>{"TaskReassigned", "TaskRevised", "TaskCreated",
                                             "UnitAssigned", "UnitAssigned", "TaskCancelled",
                                             "DocumentRegistered"}));
  // Task ids are "<document>|<n>", n the clause's position when first read: (四) is the first
  // clause, so (十三) is 10 and (十六) 13, and the 17 clauses hold 1..17. The new clause is the
  // 17th of version 2; 17 is taken, so it gets the next free number, 18.
  const std::string doc = "青政〔2015〕70号|";
  ASSERT_EQ(added.size(), 7u);
  EXPECT_EQ(added[0].stream, "task/" + doc + "10");
  EXPECT_EQ(added[2].stream, "task/" + doc + "18");
  EXPECT_EQ(added[5].stream, "task/" + doc + "13");
  for (const auto& e : added) {
    auto decoded = storage::decode_event(e);
    ASSERT_TRUE(decoded.ok());
    std::visit(
        [&](const auto& ev) {
          using E = std::decay_t<decltype(ev)>;
          if constexpr (std::is_same_v<E, task::TaskCreated> ||
                        std::is_same_v<E, task::TaskRevised>) {
            EXPECT_EQ(ev.provenance.document_version, 2) << e.type;
          } else if constexpr (std::is_same_v<E, task::DocumentRegistered>) {
            EXPECT_EQ(ev.version, 2);
          } else if constexpr (std::is_same_v<E, task::UnitAssigned> ||
                               std::is_same_v<E, task::TaskReassigned> ||
                               std::is_same_v<E, task::TaskCancelled>) {
            EXPECT_EQ(ev.document_version, std::optional<int>(2)) << e.type;
          }
          if constexpr (std::is_same_v<E, task::TaskReassigned>) {
            EXPECT_EQ(ev.reason, "document revision 2");
            EXPECT_EQ(ev.old_leads.size(), ev.new_leads.size() + 1);
          }
        },
        *decoded);
  }

  const auto again = ingest(revised, db);
  EXPECT_TRUE(contains(again.out, "nothing to do")) << again.out;
  EXPECT_EQ(read_log(db).size(), log.size());
}

// 青政〔2015〕70号 revised as an office meets it: (十三) drops 省供销社 from its units, and a new
// clause is inserted as (十四), so the old (十四)…(二十一) become (十五)…(二十二).
std::string renumbered_gazette() {
  auto bytes = app::read_input_file(kGazette);
  EXPECT_TRUE(bytes.ok());
  const std::vector<std::pair<std::string, std::string>> relabel = {
      {"(十四)", "(十五)"},       {"(十五)", "(十六)"},        {"(十六)", "(十七)"},
      {"(十七)", "(十八)"},       {"(十八)", "(十九)"},        {"（十九）", "（二十）"},
      {"（二十）", "（二十一）"}, {"（二十一）", "（二十二）"}};
  std::istringstream in(*bytes);
  std::ostringstream out;
  bool in_document = false, changed = false;
  int renumbered = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("(十三)健全应急调控保障体系", 0) == 0) {
      const std::string coop = "省供销社、";
      line.erase(line.find(coop), coop.size());
      out << line
          << "\n\n(十四)建立粮食安全信息公开制度。定期公开粮食安全省长责任制落实情况。"
             "（省粮食局牵头负责，省统计局参加）\n";
      in_document = changed = true;
      continue;
    }
    if (in_document) {
      for (const auto& [from, to] : relabel) {
        if (line.rfind(from, 0) == 0) {
          line = to + line.substr(from.size());
          ++renumbered;
          break;
        }
      }
      if (line.rfind("（二十二）", 0) == 0) in_document = false;
    }
    out << line << "\n";
  }
  EXPECT_TRUE(changed && renumbered == 8) << "the bundled gazette changed; update this test";
  return out.str();
}

// The tasks of 青政〔2015〕70号 by their printed label, read from the store at `db`.
std::map<std::string, task::TaskState> grain_tasks_by_label(const std::string& db) {
  FixedClock clock(from_millis(0));
  auto store = storage::SqliteEventStore::open(
      {.path = db, .mode = storage::SqliteOptions::Mode::read_only}, clock);
  EXPECT_TRUE(store.ok());
  std::map<std::string, task::TaskState> out;
  if (!store.ok()) return out;
  service::projections::ReadModel model;
  EXPECT_TRUE(model.catch_up(**store).ok());
  for (auto& s : model.tasks_of_document(DocumentId("青政〔2015〕70号"))) {
    if (s.is_open()) out[s.provenance.label] = s;
  }
  return out;
}

TEST(IngestCli, ARevisionKeepsTheOfficesWorkAndProgressFollowsARenumberedClause) {
  TempDir dir;
  const std::string db = dir.file("duban.db");
  ASSERT_EQ(ingest(kGazette, db).exit_code, 0);
  auto v1 = grain_tasks_by_label(db);
  ASSERT_TRUE(v1.count("(四)") && v1.count("(十)") && v1.count("(十五)") && v1.count("(十三)"));
  const TaskId hand_deadline = v1.at("(四)").id, reassigned = v1.at("(十)").id,
               in_progress = v1.at("(十五)").id, unit_change = v1.at("(十三)").id;
  const UnitId worker = v1.at("(十五)").leads.front();
  std::vector<UnitId> new_leads = v1.at("(十)").leads;
  new_leads.push_back(UnitId("stats"));
  ASSERT_TRUE(std::find(v1.at("(十三)").leads.begin(), v1.at("(十三)").leads.end(),
                        UnitId("coop")) != v1.at("(十三)").leads.end());
  {
    // The office's work, through the service on the same SQLite file.
    FixedClock clock(from_millis(1'441'900'800'000));  // 2015-09-11
    auto store = storage::SqliteEventStore::open({.path = db}, clock);
    ASSERT_TRUE(store.ok());
    service::projections::ReadModel model;
    service::TaskService service(**store, model, clock);
    const auto boss = task::Actor::supervisor();
    auto run = [&](const task::Command& c, const task::Actor& actor, const std::string& id) {
      auto r = service.execute(c, actor, CommandId(id));
      EXPECT_TRUE(r.ok()) << task::command_name(c) << ": " << r.error().message;
    };
    run(task::SetDeadline{hand_deadline, "2016-03-31", "office default", std::nullopt}, boss,
        "hand-1");
    run(task::ReassignTask{reassigned, new_leads, v1.at("(十)").participants, std::nullopt,
                           "统计局 joins", std::nullopt},
        boss, "hand-2");
    run(task::AcknowledgeTask{in_progress}, task::Actor::of_unit(worker), "hand-3");
    run(task::ReportProgress{in_progress, "已完成源头治理方案", 30}, task::Actor::of_unit(worker),
        "hand-4");
  }
  const auto before = read_log(db).size();

  const std::string revised = dir.write("renumbered.md", renumbered_gazette());
  const auto r = ingest(revised, db);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "青政〔2015〕70号 v2: 1 created, 1 reassigned")) << r.out;
  EXPECT_TRUE(contains(r.out, "deadlines changed     0")) << r.out;
  EXPECT_TRUE(contains(r.out, "tasks cancelled       0")) << r.out;

  auto v2 = grain_tasks_by_label(db);
  // The deadline and the reassignment set by hand survive.
  ASSERT_TRUE(v2.count("(四)"));
  EXPECT_EQ(v2.at("(四)").id, hand_deadline);
  EXPECT_EQ(v2.at("(四)").deadline, std::optional<std::string>("2016-03-31"));
  EXPECT_EQ(v2.at("(十)").id, reassigned);
  EXPECT_EQ(v2.at("(十)").leads, new_leads);
  // The old (十五) is now (十六): the same task, its progress with it.
  ASSERT_TRUE(v2.count("(十六)"));
  EXPECT_EQ(v2.at("(十六)").id, in_progress);
  EXPECT_EQ(v2.at("(十六)").status, task::Status::kInProgress);
  EXPECT_TRUE(v2.at("(十六)").has_acknowledged(worker));
  EXPECT_EQ(v2.at("(十五)").id, v1.at("(十四)").id);
  // The document's own change is applied.
  EXPECT_EQ(v2.at("(十三)").id, unit_change);
  const auto& leads13 = v2.at("(十三)").leads;
  EXPECT_EQ(std::find(leads13.begin(), leads13.end(), UnitId("coop")), leads13.end());
  EXPECT_EQ(leads13.size() + 1, v1.at("(十三)").leads.size());
  // The inserted clause is a new task whose id is not its label.
  ASSERT_TRUE(v2.count("(十四)"));
  EXPECT_EQ(v2.at("(十四)").id.str().find("(十四)"), std::string::npos);
  EXPECT_EQ(v2.size(), v1.size() + 1);

  const auto log = read_log(db);
  const std::vector<storage::RecordedEvent> added(log.begin() + static_cast<long>(before),
                                                  log.end());
  for (const auto& e : added) {
    EXPECT_NE(e.type, "DeadlineSet");
    EXPECT_NE(e.type, "TaskCancelled");
  }

  // The same revised file again appends nothing.
  const auto again = ingest(revised, db);
  EXPECT_TRUE(contains(again.out, "nothing to do")) << again.out;
  EXPECT_EQ(read_log(db).size(), log.size());
}

TEST(IngestCli, ARunStoppedHalfWayIsCompletedByTheNextRunWithoutDuplicates) {
  TempDir dir;
  const std::string db = dir.file("duban.db");
  {
    // The first run, in-process, "dies" after 100 commands of the big document.
    FixedClock clock(from_millis(1'441'036'800'000));
    auto store = storage::SqliteEventStore::open({.path = db}, clock);
    ASSERT_TRUE(store.ok());
    service::projections::ReadModel model;
    service::TaskService service(**store, model, clock);
    auto bytes = app::read_input_file(kGazette);
    auto parsed = gazette::parse_gazette(*bytes, gazette::Format::kMarkdown,
                                         gazette::UnitDirectory::builtin());
    ASSERT_TRUE(parsed.ok());
    std::vector<service::IngestSource> sources{service::IngestSource{kGazette, *bytes, *parsed}};
    std::vector<std::string> problems;
    auto planned = service::plan_documents(sources, model, problems);
    ASSERT_TRUE(problems.empty());
    const auto big = std::find_if(planned.begin(), planned.end(), [](const auto& d) {
      return d.document.id == "青政办〔2015〕151号";
    });
    ASSERT_NE(big, planned.end());
    int left = 100;
    auto stopped =
        service::run_plan(service, *big, [&](const task::PlannedCommand&) { return --left > 0; });
    ASSERT_FALSE(stopped.ok());
    EXPECT_EQ(stopped.error().code, "interrupted");
  }
  EXPECT_EQ(count_types(read_log(db)).at("TaskCreated"), 100);

  const auto r = ingest(kGazette, db);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "青政办〔2015〕151号 v1: 154 created")) << r.out;
  const auto log = read_log(db);
  const auto types = count_types(log);
  EXPECT_EQ(types.at("TaskCreated"), 271);
  EXPECT_EQ(types.at("DocumentRegistered"), 10);
  EXPECT_EQ(types.at("UnitAssigned"), expected_from_extract().units);
  std::set<std::string> streams;
  for (const auto& e : log) {
    if (e.type == "TaskCreated") {
      EXPECT_TRUE(streams.insert(e.stream).second) << e.stream;
    }
  }
  EXPECT_TRUE(contains(ingest(kGazette, db).out, "nothing to do"));
}

TEST(IngestCli, TheSweepRecordsEachReminderOnce) {
  TempDir dir;
  const std::string db = dir.file("duban.db");
  ASSERT_EQ(ingest(kGazette, db).exit_code, 0);
  // Three clauses have deadlines: 2017-12-31, 2018-12-31 and 2020-12-31.
  const auto nov =
      run_command(DUBAN_BINARY, {"sweep", "--db", db, "--now", "2017-11-01", "--simulate"});
  ASSERT_EQ(nov.exit_code, 0) << nov.err;
  EXPECT_TRUE(contains(
      nov.out,
      "3 open tasks with a deadline checked; recorded 1 DeadlineApproaching, 0 TaskOverdue"))
      << nov.out;
  const auto again =
      run_command(DUBAN_BINARY, {"sweep", "--db", db, "--now", "2017-11-01", "--simulate"});
  EXPECT_TRUE(contains(again.out, "recorded 0 DeadlineApproaching, 0 TaskOverdue")) << again.out;

  const auto late =
      run_command(DUBAN_BINARY, {"sweep", "--db", db, "--now", "2019-01-02", "--simulate"});
  EXPECT_TRUE(contains(late.out, "recorded 0 DeadlineApproaching, 2 TaskOverdue")) << late.out;
  const auto late_again =
      run_command(DUBAN_BINARY, {"sweep", "--db", db, "--now", "2019-01-02", "--simulate"});
  EXPECT_TRUE(contains(late_again.out, "recorded 0 DeadlineApproaching, 0 TaskOverdue"))
      << late_again.out;

  const auto types = count_types(read_log(db));
  EXPECT_EQ(types.at("DeadlineApproaching"), 1);
  EXPECT_EQ(types.at("TaskOverdue"), 2);
  for (const auto& e : read_log(db)) {
    if (e.type == "TaskOverdue") {
      EXPECT_EQ(e.actor, "simulation:system");
    }
  }

  const auto overdue = run_command(
      DUBAN_BINARY, {"tasks", "--db", db, "--overdue", "--now", "2019-01-02", "--format", "jsonl"});
  ASSERT_EQ(overdue.exit_code, 0) << overdue.err;
  const auto rows = json_lines(overdue.out);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("deadline").as_string(), "2017-12-31");  // longest overdue first
  EXPECT_TRUE(rows[0].at("recorded").as_bool());
}

TEST(IngestCli, TasksShowsAUnitsInboxByIdOrName) {
  TempDir dir;
  const std::string db = dir.file("duban.db");
  ASSERT_EQ(ingest(kGazette, db).exit_code, 0);
  const auto by_id = run_command(DUBAN_BINARY, {"tasks", "--db", db, "--unit", "grain", "--now",
                                                "2016-01-01", "--format", "jsonl"});
  const auto by_name = run_command(DUBAN_BINARY, {"tasks", "--db", db, "--unit", "省粮食局",
                                                  "--now", "2016-01-01", "--format", "jsonl"});
  ASSERT_EQ(by_id.exit_code, 0) << by_id.err;
  EXPECT_EQ(by_id.out, by_name.out);
  const auto rows = json_lines(by_id.out);
  ASSERT_EQ(rows.size(), 14u);  // every 青政〔2015〕70号 clause naming 省粮食局
  EXPECT_EQ(rows[0].at("label").as_string(), "(六)");  // document order
  for (const auto& row : rows) {
    EXPECT_EQ(row.at("status").as_string(), "assigned");
    EXPECT_EQ(row.at("role").as_string(), "lead");
  }
  const auto table =
      run_command(DUBAN_BINARY, {"tasks", "--db", db, "--unit", "grain", "--now", "2016-01-01"});
  EXPECT_TRUE(
      contains(table.out, "inbox of 省粮食局 (grain) at 2015-12-31T16:00:00Z: 14 open tasks"))
      << table.out;

  const auto docs =
      run_command(DUBAN_BINARY, {"tasks", "--db", db, "--format", "jsonl", "--now", "2016-01-01"});
  ASSERT_EQ(docs.exit_code, 0);
  int tasks = 0;
  for (const auto& row : json_lines(docs.out))
    tasks += static_cast<int>(row.at("tasks").as_int64());
  EXPECT_EQ(json_lines(docs.out).size(), 10u);
  EXPECT_EQ(tasks, 271);

  const auto cards =
      run_command(DUBAN_BINARY, {"tasks", "--db", db, "--scorecard", "--format", "jsonl"});
  ASSERT_EQ(cards.exit_code, 0);
  int assigned = 0;
  for (const auto& row : json_lines(cards.out))
    assigned += static_cast<int>(row.at("assigned").as_int64());
  EXPECT_EQ(assigned, expected_from_extract().units);
}

TEST(IngestCli, AProgressBarWhenAskedAndCountLinesOtherwise) {
  TempDir dir;
  const auto bar = ingest(kGazette, dir.file("a.db"), {"--progress"});
  ASSERT_EQ(bar.exit_code, 0) << bar.err;
  EXPECT_TRUE(contains(bar.err, "] 281/281 commands")) << bar.err;
  EXPECT_TRUE(contains(bar.err, "\r")) << "the bar redraws in place";
  const auto lines = ingest(kGazette, dir.file("b.db"));
  EXPECT_TRUE(contains(lines.err, "duban ingest: 100/281 commands\n")) << lines.err;
  EXPECT_FALSE(contains(lines.err, "\r"));
}

TEST(IngestCli, EveryStoreCommandHasHelp) {
  for (const std::string cmd : {"ingest", "sweep", "tasks"}) {
    const auto r = run_command(DUBAN_BINARY, {cmd, "--help"});
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_TRUE(contains(r.out, "usage: duban " + cmd)) << r.out;
    EXPECT_TRUE(contains(r.out, "--db")) << r.out;
  }
  const auto top = run_command(DUBAN_BINARY, {"--help"});
  for (const std::string cmd : {"ingest", "sweep", "tasks"}) EXPECT_TRUE(contains(top.out, cmd));
}

// The first 55% of the gazette's lines, as a copy cut short would be: the documents after the
// cut are missing and the one it falls in loses its later clauses.
std::string truncated_gazette() {
  auto bytes = app::read_input_file(kGazette);
  EXPECT_TRUE(bytes.ok());
  std::istringstream in(*bytes);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::ostringstream out;
  for (std::size_t i = 0; i < lines.size() * 55 / 100; ++i) out << lines[i] << "\n";
  return out.str();
}

TEST(IngestCli, ATruncatedGazetteThatWouldCancelManyTasksIsRefusedAndNothingIsWritten) {
  TempDir dir;
  const std::string db = dir.file("duban.db");
  ASSERT_EQ(ingest(kGazette, db).exit_code, 0);
  const auto before = read_log(db).size();
  const std::string cut = dir.write("cut.md", truncated_gazette());

  const auto r = ingest(cut, db);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.err, "would cancel")) << r.err;
  EXPECT_TRUE(contains(r.err, "truncated")) << r.err;
  EXPECT_TRUE(contains(r.err, "nothing was written")) << r.err;
  EXPECT_TRUE(contains(r.err, "--allow-cancel")) << r.err;
  EXPECT_EQ(read_log(db).size(), before);

  // The full file again is still "nothing to do".
  const auto full = ingest(kGazette, db);
  EXPECT_EQ(full.exit_code, 0) << full.err;
  EXPECT_TRUE(contains(full.out, "nothing to do")) << full.out;
  EXPECT_EQ(read_log(db).size(), before);
}

TEST(IngestCli, AllowCancelLetsAnIntendedMassCancellationThrough) {
  TempDir dir;
  const std::string db = dir.file("duban.db");
  ASSERT_EQ(ingest(kGazette, db).exit_code, 0);
  const std::string cut = dir.write("cut.md", truncated_gazette());
  const auto refused = ingest(cut, db);
  ASSERT_EQ(refused.exit_code, 1);
  // The message names the count to allow.
  const auto at = refused.err.find("would cancel ");
  ASSERT_NE(at, std::string::npos) << refused.err;
  const int n = std::stoi(refused.err.substr(at + 13));
  ASSERT_GT(n, 5);

  const auto too_few = ingest(cut, db, {"--allow-cancel", std::to_string(n - 1)});
  EXPECT_EQ(too_few.exit_code, 1) << too_few.out;
  const auto r = ingest(cut, db, {"--allow-cancel", std::to_string(n)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count_types(read_log(db))["TaskCancelled"], n);
}

TEST(IngestCli, ErrorsSayWhatToDoAndUseTheDocumentedExitCodes) {
  TempDir dir;
  const std::string missing = dir.file("missing.db");
  for (const std::string cmd : {"tasks", "sweep"}) {
    const auto r = run_command(DUBAN_BINARY, {cmd, "--db", missing});
    EXPECT_EQ(r.exit_code, 1) << cmd;
    EXPECT_TRUE(contains(r.err, "no database at " + missing)) << r.err;
    EXPECT_TRUE(contains(r.err, "duban ingest")) << r.err;
  }
  const auto unreadable =
      run_command(DUBAN_BINARY, {"ingest", dir.file("nope.md"), "--db", dir.file("x.db")});
  EXPECT_EQ(unreadable.exit_code, 1);
  EXPECT_TRUE(contains(unreadable.err, "cannot read")) << unreadable.err;
  EXPECT_FALSE(std::ifstream(dir.file("x.db")).good()) << "nothing readable: no database created";

  EXPECT_EQ(run_command(DUBAN_BINARY, {"ingest", "--db", dir.file("x.db")}).exit_code, 2);
  const auto bad_now = run_command(DUBAN_BINARY, {"sweep", "--db", missing, "--now", "yesterday"});
  EXPECT_EQ(bad_now.exit_code, 2);
  EXPECT_TRUE(contains(bad_now.err, "2016-01-02T08:00:00Z")) << bad_now.err;
  EXPECT_EQ(run_command(DUBAN_BINARY, {"tasks", "--unit", "a", "--overdue"}).exit_code, 2);
  EXPECT_EQ(run_command(DUBAN_BINARY, {"tasks", "--format", "xml"}).exit_code, 2);
  EXPECT_EQ(run_command(DUBAN_BINARY, {"sweep", "--yellow-share", "2", "--db", missing}).exit_code,
            2);
  EXPECT_EQ(run_command(DUBAN_BINARY, {"ingest", kGazette, "--bogus"}).exit_code, 2);

  const std::string not_a_store = dir.write("text.db", "this is not a database");
  const auto corrupt = run_command(DUBAN_BINARY, {"tasks", "--db", not_a_store});
  EXPECT_EQ(corrupt.exit_code, 1);
  EXPECT_TRUE(contains(corrupt.err, "cannot open database " + not_a_store)) << corrupt.err;
}

}  // namespace
}  // namespace duban

namespace duban {
namespace {

// Relative deadlines become dates at 交办: 7个工作日内 counted from the ingest's day with the
// working-day calendar (across 春节 2016: 02-06 and 02-14 worked, 02-07..13 off), 30日内 in
// calendar days (moved off a day off); a clause with a dated deadline keeps it.
const char* kRelativeGazette =
    "# 关于做好春节前后信访工作的任务分工\n\n"
    "一、畅通渠道\n\n"
    "（一）畅通投诉渠道。开通热线，7个工作日内答复。（省信访局牵头负责）\n\n"
    "（二）开展回访。收到报告后30日内完成回访。（省民政厅负责）\n\n"
    "（三）完善制度。到2016年底前完成。（省财政厅负责）\n";

std::map<std::string, std::optional<std::string>> created_deadlines(const std::string& db) {
  std::map<std::string, std::optional<std::string>> out;
  for (const auto& e : read_log(db)) {
    auto decoded = storage::decode_event(e);
    if (!decoded.ok()) continue;
    if (auto* c = std::get_if<task::TaskCreated>(&*decoded)) out[c->provenance.label] = c->deadline;
  }
  return out;
}

TEST(IngestCli, RelativeDeadlinesBecomeDatesAtIngestCountingWorkingDaysAcrossSpringFestival) {
  TempDir dir;
  const std::string file = dir.file("relative.md");
  std::ofstream(file) << kRelativeGazette;
  const std::string db = dir.file("duban.db");
  const auto r =
      run_command(DUBAN_BINARY, {"ingest", file, "--db", db, "--now", "2016-02-05", "--simulate"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto deadlines = created_deadlines(db);
  ASSERT_EQ(deadlines.size(), 3u) << r.out;
  // Fri 02-05: Sat 02-06 (worked) 1, Sun 02-14 (worked) 2, 02-15..19 3..7.
  EXPECT_EQ(deadlines.at("(一)"), std::optional<std::string>("2016-02-19"));
  // 02-05 + 30 = 03-06, a Sunday → Monday 03-07.
  EXPECT_EQ(deadlines.at("(二)"), std::optional<std::string>("2016-03-07"));
  EXPECT_EQ(deadlines.at("(三)"), std::optional<std::string>("2016-12-31"));
}

// --year dates the deadlines a document writes without a year; a span in months (3个月内) ends on
// the same day three months after 交办, moved off a day off.
TEST(IngestCli, YearDatesYearlessDeadlinesAndMonthSpansCountFromIngest) {
  TempDir dir;
  const std::string file = dir.file("yearless.md");
  std::ofstream(file) << "# 关于做好信访工作的任务分工\n\n"
                         "（一）畅通投诉渠道。6月底前开通热线。（省信访局牵头负责）\n\n"
                         "（二）完善制度。文件印发后3个月内出台细则。（省民政厅负责）\n";
  const std::string db = dir.file("duban.db");
  const auto r = run_command(DUBAN_BINARY, {"ingest", file, "--db", db, "--now", "2016-03-05",
                                            "--simulate", "--year", "2016"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto deadlines = created_deadlines(db);
  ASSERT_EQ(deadlines.size(), 2u) << r.out;
  EXPECT_EQ(deadlines.at("(一)"), std::optional<std::string>("2016-06-30"));
  // 2016-03-05 + 3 months = 06-05, a Sunday → Monday 06-06.
  EXPECT_EQ(deadlines.at("(二)"), std::optional<std::string>("2016-06-06"));
}

TEST(IngestCli, ACalendarFileGivenAtRunTimeReplacesTheBundledOne) {
  TempDir dir;
  const std::string file = dir.file("relative.md");
  std::ofstream(file) << kRelativeGazette;
  // A calendar without 春节: seven weekdays after Fri 02-05 is Tue 02-16.
  const std::string cal = dir.file("weekends-only.tsv");
  std::ofstream(cal) << "# weekends only\ncovers\t2016\ttest\n";
  const std::string db = dir.file("duban.db");
  const auto r = run_command(DUBAN_BINARY, {"ingest", file, "--db", db, "--now", "2016-02-05",
                                            "--simulate", "--calendar", cal});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(created_deadlines(db).at("(一)"), std::optional<std::string>("2016-02-16"));

  const std::string broken = dir.file("broken.tsv");
  std::ofstream(broken) << "2016-02-08\tday-off\t春节\n";
  const auto bad = run_command(DUBAN_BINARY, {"ingest", file, "--db", dir.file("b.db"), "--now",
                                              "2016-02-05", "--simulate", "--calendar", broken});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_TRUE(contains(bad.err, "calendar line 1")) << bad.err;
}

}  // namespace
}  // namespace duban

namespace duban {
namespace {

// `duban deadlines set`: a default deadline goes only to the open tasks without one, each as a
// DeadlineSet event by the supervisor with the reason; running it again sets nothing.
TEST(IngestCli, BulkDefaultDeadlineSetsOnlyMissingOnesEachAsAnEvent) {
  TempDir dir;
  const std::string file = dir.file("bulk.md");
  std::ofstream(file) << "# 关于做好供暖工作的任务分工\n\n"
                         "一、保障\n\n"
                         "（一）做好煤炭储备。（省能源局负责）\n\n"
                         "（二）稳定供气价格。（省发展改革委负责）\n\n"
                         "（三）完善制度。到2016年底前完成。（省财政厅负责）\n";
  const std::string db = dir.file("duban.db");
  const auto in =
      run_command(DUBAN_BINARY, {"ingest", file, "--db", db, "--now", "2016-03-01", "--simulate"});
  ASSERT_EQ(in.exit_code, 0) << in.err << in.out;
  const auto doc = created_deadlines(db);
  ASSERT_EQ(doc.size(), 3u);
  std::string doc_id;
  for (const auto& e : read_log(db)) {
    auto decoded = storage::decode_event(e);
    if (auto* r = std::get_if<task::DocumentRegistered>(&*decoded)) doc_id = r->document.str();
  }
  ASSERT_FALSE(doc_id.empty());

  const auto r = run_command(DUBAN_BINARY,
                             {"deadlines", "set", doc_id, "--default", "2016-06-30", "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_TRUE(contains(r.out, "deadlines set 2; kept 1")) << r.out;
  std::vector<task::DeadlineSet> set;
  std::vector<std::string> actors;
  for (const auto& e : read_log(db)) {
    auto decoded = storage::decode_event(e);
    if (auto* d = std::get_if<task::DeadlineSet>(&*decoded)) {
      set.push_back(*d);
      actors.push_back(e.actor);
      EXPECT_EQ(e.command_id.str().rfind("deadlines:", 0), 0u) << e.command_id.str();
    }
  }
  ASSERT_EQ(set.size(), 2u);
  for (const auto& d : set) {
    EXPECT_EQ(d.deadline, std::optional<std::string>("2016-06-30"));
    EXPECT_NE(d.reason.find("default deadline 2016-06-30"), std::string::npos) << d.reason;
  }
  EXPECT_EQ(actors, (std::vector<std::string>{"supervisor", "supervisor"}));

  // Again: every task has a deadline now, nothing is appended.
  const auto size_before = read_log(db).size();
  const auto again = run_command(
      DUBAN_BINARY, {"deadlines", "set", doc_id, "--default", "2016-07-31", "--db", db});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "deadlines set 0; kept 3")) << again.out;
  EXPECT_EQ(read_log(db).size(), size_before);

  const auto missing = run_command(
      DUBAN_BINARY, {"deadlines", "set", "no-such-doc", "--default", "2016-07-31", "--db", db});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.err, "not_found")) << missing.err;
}

}  // namespace
}  // namespace duban

namespace duban {
namespace {

// Reporting cycles end to end: `duban deadlines cycle` sets a monthly cycle on every task (one
// ReportingCycleSet each); `duban sweep --now` records one ProgressReportDue per period and task
// in the period's last week and none for a task whose unit reported progress; after the period
// a ProgressReportOverdue for the silent task only; the scorecard counts the late report.
TEST(IngestCli, TheSweepRecordsReportRemindersPerCycleAndTheScorecardCountsLateReports) {
  TempDir dir;
  const std::string file = dir.file("cycle.md");
  std::ofstream(file) << "# 关于做好供暖工作的任务分工\n\n"
                         "一、保障\n\n"
                         "（一）做好煤炭储备。（省能源局负责）\n\n"
                         "（二）稳定供气价格。（省发展改革委负责）\n";
  const std::string db = dir.file("duban.db");
  ASSERT_EQ(
      run_command(DUBAN_BINARY, {"ingest", file, "--db", db, "--now", "2016-02-20", "--simulate"})
          .exit_code,
      0);
  std::string doc_id;
  std::map<std::string, std::string> task_of_label;
  std::map<std::string, std::string> lead_of_label;
  for (const auto& e : read_log(db)) {
    auto decoded = storage::decode_event(e);
    if (auto* r = std::get_if<task::DocumentRegistered>(&*decoded)) doc_id = r->document.str();
    if (auto* c = std::get_if<task::TaskCreated>(&*decoded)) {
      task_of_label[c->provenance.label] = c->task.str();
      lead_of_label[c->provenance.label] = c->leads.at(0).str();
    }
  }
  ASSERT_EQ(task_of_label.size(), 2u);

  const auto set = run_command(DUBAN_BINARY, {"deadlines", "cycle", doc_id, "--every", "monthly",
                                              "--db", db, "--now", "2016-02-21", "--simulate"});
  ASSERT_EQ(set.exit_code, 0) << set.err << set.out;
  EXPECT_TRUE(contains(set.out, "reporting cycle monthly set on 2")) << set.out;
  EXPECT_EQ(count_types(read_log(db)).at("ReportingCycleSet"), 2);

  // The unit of (一) reports progress in March; (二) stays silent.
  {
    FixedClock clock(from_millis(1'458'000'000'000));  // 2016-03-15
    auto store = storage::SqliteEventStore::open({.path = db}, clock);
    ASSERT_TRUE(store.ok()) << store.error().message;
    service::projections::ReadModel model;
    service::TaskService service(**store, model, clock);
    ASSERT_TRUE(service.refresh());
    auto done = service.execute(
        task::ReportProgress{TaskId(task_of_label.at("(一)")), "已储煤八成", 80},
        task::Actor::of_unit(UnitId(lead_of_label.at("(一)"))), CommandId("test:progress"));
    ASSERT_TRUE(done.ok()) << done.error().message;
  }

  auto sweep = [&](const std::string& now) {
    const auto r = run_command(DUBAN_BINARY, {"sweep", "--db", db, "--now", now, "--simulate"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  sweep("2016-03-20");  // before the last week of March: nothing
  EXPECT_EQ(count_types(read_log(db)).count("ProgressReportDue"), 0u);
  EXPECT_TRUE(contains(sweep("2016-03-26"), "1 ProgressReportDue"));
  sweep("2016-03-28");  // again: still one
  auto types = count_types(read_log(db));
  EXPECT_EQ(types.at("ProgressReportDue"), 1);
  EXPECT_EQ(types.count("ProgressReportOverdue"), 0u);

  EXPECT_TRUE(contains(sweep("2016-04-01T08:00:00+08:00"), "1 ProgressReportOverdue"));
  sweep("2016-04-02");
  types = count_types(read_log(db));
  EXPECT_EQ(types.at("ProgressReportOverdue"), 1);
  for (const auto& e : read_log(db)) {
    if (e.type != "ProgressReportDue" && e.type != "ProgressReportOverdue") continue;
    EXPECT_EQ(e.stream, task::task_stream_id(TaskId(task_of_label.at("(二)"))));
    EXPECT_EQ(e.actor, "simulation:system");  // the sweep ran with --now --simulate
    EXPECT_EQ(e.command_id.str().rfind("sweep:", 0), 0u);
  }

  const auto cards = run_command(DUBAN_BINARY, {"tasks", "--db", db, "--scorecard", "--format",
                                                "jsonl", "--now", "2016-04-02"});
  ASSERT_EQ(cards.exit_code, 0) << cards.err;
  int late_total = 0;
  for (const auto& row : json_lines(cards.out)) {
    const int late = static_cast<int>(row.at("late_reports").as_int64());
    late_total += late;
    if (late != 0) {
      EXPECT_EQ(row.at("unit").as_string(), lead_of_label.at("(二)"));
    }
  }
  EXPECT_EQ(late_total, 1);

  const auto report =
      run_command(DUBAN_BINARY, {"report", "--db", db, "--format", "json", "--now", "2016-04-02"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  int reported_late = 0;
  const boost::json::value parsed = boost::json::parse(report.out);
  for (const auto& u : parsed.at("units").as_array()) {
    reported_late += static_cast<int>(u.at("late_reports").as_int64());
  }
  EXPECT_EQ(reported_late, 1);
}

}  // namespace
}  // namespace duban
