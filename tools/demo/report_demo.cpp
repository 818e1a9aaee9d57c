// report_demo: a store to look at reports with. Ingests the bundled gazette on 2015-09-01 and
// plays a deterministic year and a half of supervision over its tasks through TaskService, the
// way the server would run them (fake clock, one command at a time, in time order): the
// supervisor gives every task a deadline, units acknowledge and report progress, most finish
// (some late, some sent back for rework first), some ask for and get extensions, a few tasks are
// cancelled, and a monthly sweep records reminders. Not a test and not a benchmark: it makes
// `duban report` and `duban audit` worth looking at on real clause texts (docs/audit.md's
// screenshot comes from it).
//
// Usage: report_demo --db PATH [--gazette FILE] [--seed N]
//   then: duban report --db PATH --now 2016-12-31 --format html --out report.html
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "model/gazette/parser.h"
#include "model/task/commands.h"
#include "model/task/deadline.h"
#include "service/gazette_ingest.h"
#include "service/projections/read_model.h"
#include "service/task_service.h"
#include "storage/sqlite_event_store.h"

namespace {

using namespace duban;
using Clock = std::chrono::system_clock;

Timestamp day(int y, unsigned m, unsigned d, int hour = 9) {
  return std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d)) +
         std::chrono::hours(hour - 8);  // hour in Asia/Shanghai
}

std::string iso(Timestamp t) {
  const std::chrono::year_month_day ymd(
      std::chrono::floor<std::chrono::days>(t + std::chrono::hours(8)));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

// The last day of the month `months` after 2015-12.
std::string month_end(int months) {
  const auto ym = std::chrono::year(2015) / std::chrono::month(12) + std::chrono::months(months);
  const std::chrono::year_month_day_last last(ym.year(), std::chrono::month_day_last(ym.month()));
  return iso(std::chrono::sys_days(last) + std::chrono::hours(1));
}

struct Planned {
  Timestamp at;
  int order;  // keeps a task's own commands in the order they were planned
  task::Command command;
  task::Actor actor;
};

std::string read_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("cannot read " + path);
  std::string bytes;
  char buf[65536];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) bytes.append(buf, n);
  std::fclose(f);
  return bytes;
}

int run(int argc, char** argv) {
  std::string db, gazette_path = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";
  unsigned seed = 20150820;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--db")
      db = next();
    else if (a == "--gazette")
      gazette_path = next();
    else if (a == "--seed")
      seed = static_cast<unsigned>(std::stoul(next()));
    else
      throw std::invalid_argument("unknown option " + a +
                                  " (usage: report_demo --db PATH [--gazette FILE] [--seed N])");
  }
  if (db.empty())
    throw std::invalid_argument("usage: report_demo --db PATH [--gazette FILE] [--seed N]");
  if (std::filesystem::exists(db))
    throw std::invalid_argument(db + " exists: report_demo only fills a new store");

  FixedClock clock(day(2015, 9, 1));
  auto opened = storage::SqliteEventStore::open({.path = db}, clock);
  if (!opened) throw std::runtime_error(opened.error().message);
  service::projections::ReadModel model;
  service::TaskService service(**opened, model, clock);

  // 1. The gazette, as `duban ingest --now 2015-09-01` would record it.
  const std::string bytes = read_file(gazette_path);
  auto parsed = gazette::parse_gazette(bytes, gazette::guess_format(gazette_path, bytes),
                                       gazette::UnitDirectory::builtin());
  if (!parsed) throw std::runtime_error(parsed.error().message);
  std::vector<service::IngestSource> sources{{gazette_path, bytes, std::move(*parsed)}};
  std::vector<std::string> problems;
  for (const auto& d : service::plan_documents(sources, model, problems)) {
    auto ran = service::run_plan(service, d);
    if (!ran) throw std::runtime_error(ran.error().message);
  }

  // 2. Every task's year, planned up front, then run in time order.
  std::mt19937 rng(seed);
  auto chance = [&](unsigned percent) { return rng() % 100 < percent; };
  auto days = [&](unsigned lo, unsigned hi) {
    return std::chrono::days(lo + rng() % (hi - lo + 1));
  };
  std::vector<Planned> plan;
  int order = 0;
  auto add = [&](Timestamp at, task::Command c, task::Actor actor) {
    plan.push_back(Planned{at, order++, std::move(c), std::move(actor)});
  };
  const auto supervisor = task::Actor::supervisor();
  std::vector<task::TaskState> tasks;
  const auto ingested = model.state();
  for (const auto& [id, s] : ingested.tasks.tasks()) tasks.push_back(s);
  std::sort(tasks.begin(), tasks.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  for (const auto& s : tasks) {
    const TaskId id = s.id;
    Timestamp t = day(2015, 9, 8) + days(0, 20);
    std::string deadline = s.deadline.value_or(month_end(static_cast<int>(rng() % 19)));
    if (!s.deadline)
      add(t, task::SetDeadline{id, deadline, "督办室明确办理时限", std::nullopt}, supervisor);
    for (const auto& u : s.leads) {
      if (chance(93)) add(t + days(1, 25), task::AcknowledgeTask{id}, task::Actor::of_unit(u));
    }
    for (const auto& u : s.participants) {
      if (chance(70)) add(t + days(2, 40), task::AcknowledgeTask{id}, task::Actor::of_unit(u));
    }
    if (chance(3)) {
      add(t + days(30, 200), task::CancelTask{id, "工作调整，任务撤销", std::nullopt}, supervisor);
      continue;
    }
    const Timestamp due = *task::deadline_instant(deadline);
    Timestamp now = t + days(20, 60);
    add(now, task::ReportProgress{id, "已制定工作方案，正在推进", 30},
        task::Actor::of_unit(s.leads[0]));
    if (chance(10)) {
      now += days(5, 40);
      add(now, task::UrgeTask{id, std::nullopt, "请加快办理进度"}, supervisor);
    }
    if (chance(12) && now < due) {
      const Timestamp asked = std::min(now + days(10, 60), due - std::chrono::days(3));
      add(asked,
          task::RequestExtension{id, month_end(static_cast<int>(rng() % 6) + 19), "涉及多部门协调"},
          task::Actor::of_unit(s.leads[0]));
      add(asked + days(2, 10), task::ApproveExtension{id, std::nullopt}, supervisor);
    }
    // When it is reported done, relative to the (original) deadline: early, a little late, or not
    // within the simulated time at all.
    const unsigned fate = rng() % 100;
    if (fate >= 80) continue;
    const Timestamp finish =
        fate < 62 ? std::max(now + days(5, 20), due - days(5, 120)) : due + days(3, 90);
    const bool separately = s.mode == task::Mode::kSeparately;
    const std::vector<UnitId> reporters = separately ? s.leads : std::vector<UnitId>{s.leads[0]};
    Timestamp at = finish;
    for (const auto& u : reporters) {
      add(at, task::ReportCompletion{id, "已按要求完成"}, task::Actor::of_unit(u));
      const auto part = separately ? std::optional<UnitId>(u) : std::nullopt;
      if (chance(12)) {
        add(at + days(3, 10), task::ReturnTask{id, part, "佐证材料不全，请补充"}, supervisor);
        at += days(12, 30);
        add(at, task::ReportCompletion{id, "已补充佐证材料"}, task::Actor::of_unit(u));
      }
      add(at + days(2, 8), task::ApproveCompletion{id, part}, supervisor);
      at += days(1, 5);
    }
  }
  // A monthly sweep records the reminders the lights call for.
  std::vector<Timestamp> sweeps;
  for (int m = 0; m < 22; ++m)
    sweeps.push_back(std::chrono::sys_days(std::chrono::year(2015) / 10 / 1) +
                     std::chrono::months(m) + std::chrono::hours(1));
  std::stable_sort(plan.begin(), plan.end(), [](const Planned& a, const Planned& b) {
    return std::tie(a.at, a.order) < std::tie(b.at, b.order);
  });

  const Timestamp end = day(2017, 6, 30);
  int accepted = 0, refused = 0, command = 0;
  std::size_t next_sweep = 0;
  for (const auto& p : plan) {
    if (p.at > end) break;
    while (next_sweep < sweeps.size() && sweeps[next_sweep] <= p.at) {
      clock.advance_to(sweeps[next_sweep++]);
      if (auto swept = service.sweep(0.2); !swept) throw std::runtime_error(swept.error().message);
    }
    clock.advance_to(std::max(clock.now(), p.at));
    auto r = service.execute(p.command, p.actor, CommandId("demo:" + std::to_string(++command)));
    if (r)
      ++accepted;
    else
      ++refused;  // e.g. an approval after the task was cancelled: the domain says no
  }
  auto head = (*opened)->head();
  std::printf("%s: %d commands accepted, %d refused by the rules; %lld events, last recorded %s\n",
              db.c_str(), accepted, refused, static_cast<long long>(head->position.value()),
              iso(clock.now()).c_str());
  std::printf("next: duban report --db %s --now 2016-12-31 --format html --out report.html\n",
              db.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "report_demo: %s\n", e.what());
    return 1;
  }
}
