// Realistic task lifecycles for the benches that fill a store (replay_bench, scale_bench): every
// event decided by the real domain (task::decide/apply), so the log is one the rules accept.
//
// LifecycleWriter gives one task's events, one group per command (what one append writes):
// TaskCreated and UnitAssigned, acknowledgements, progress reports, urges, extensions,
// deadline reminders, completion reports, returns, approvals and closes, cancellations — over
// `units` units and one document per 250 tasks, with clause texts of a realistic length.
//
// fill_lifecycles() appends such lifecycles from several writer threads, each keeping
// `in_flight` tasks going round-robin, one command per append, so the log interleaves streams
// the way a live system's does (a task's events are not contiguous); the store's group commit
// puts many concurrent commands of many streams into one transaction (a bulk load, not a latency
// test).
//
// Thread-safety: a LifecycleWriter is used by one thread; fill_lifecycles() is reentrant.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "model/task/apply.h"
#include "model/task/deadline.h"
#include "model/task/decide.h"
#include "storage/event_codec.h"
#include "storage/event_store.h"

namespace duban::bench {

inline Timestamp utc(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d));
}

// A clause text of realistic length (~150 characters, ~450 UTF-8 bytes).
inline const std::string kClause =
    "建立产品质量信用信息异地和部门间共享机制。以食品尤其是清真食品、药品、日用消费品、农产品和"
    "农业投入品为重点，加强各类生产经营主体生产和加工环节的信用管理，逐步建立和形成对失信行为的惩戒"
    "。"
    "（省食品药品监管局、省质监局、省经济和信息化委、省商务厅、省工商局、省农牧厅等部门按照职责分工"
    "分别负责）";

// Task number n's document ("doc-<n/250>") and id ("doc-<n/250>|任务分工|<n%250+1>.").
inline std::string document_of_task(std::int64_t n) {
  return "doc-" + std::to_string(n / 250);
}
inline std::string task_id_of(std::int64_t n) {
  std::string id = document_of_task(n);  // appends: GCC 12 -O3 misreports a + b + c (-Wrestrict)
  id += "|任务分工|";
  id += std::to_string(n % 250 + 1);
  id += '.';
  return id;
}
inline std::string stream_of_task(std::int64_t n) {
  return "task/" + task_id_of(n);
}

struct LifecycleShape {
  int units = 60;       // units "unit-0" .. "unit-<units-1>" the tasks are assigned to
  int max_reports = 3;  // progress reports per task: 1 .. max_reports, uniformly
};

// One task's lifecycle, decided command by command by the domain.
class LifecycleWriter {
 public:
  explicit LifecycleWriter(std::uint32_t seed, LifecycleShape shape = {})
      : rng_(seed), shape_(shape) {}

  // Task number n's events, one group per command.
  std::vector<std::vector<task::Event>> lifecycle(std::int64_t n) {
    groups_.clear();
    state_ = task::TaskState{};
    now_ = utc(2016, 1, 1) + std::chrono::hours(n % 5000);
    const TaskId id(task_id_of(n));
    auto unit = [&] {
      return UnitId("unit-" + std::to_string(rng_() % static_cast<unsigned>(shape_.units)));
    };

    task::CreateTask create;
    create.task = id;
    create.provenance = task::Provenance{DocumentId(document_of_task(n)),
                                         1,
                                         "任务分工",
                                         std::to_string(n % 250 + 1) + ".",
                                         "建立产品质量信用信息共享机制",
                                         kClause,
                                         static_cast<int>(n % 250) * 3 + 10,
                                         static_cast<int>(n % 250) * 3 + 12};
    const unsigned r = rng_() % 10;
    create.mode = r < 6   ? task::Mode::kLead
                  : r < 8 ? task::Mode::kSeparately
                          : task::Mode::kResponsible;
    const int leads = std::min(1 + static_cast<int>(rng_() % 3), shape_.units);
    while (static_cast<int>(create.leads.size()) < leads) {
      UnitId u = unit();
      if (std::find(create.leads.begin(), create.leads.end(), u) == create.leads.end())
        create.leads.push_back(u);
    }
    const int participants = static_cast<int>(rng_() % 3);
    for (int i = 0; i < participants; ++i) {
      UnitId u = unit();
      if (std::find(create.leads.begin(), create.leads.end(), u) == create.leads.end() &&
          std::find(create.participants.begin(), create.participants.end(), u) ==
              create.participants.end()) {
        create.participants.push_back(u);
      }
    }
    if (rng_() % 10 < 7) create.deadline = rng_() % 2 ? "2016-06-30" : "2016-12-31";
    run(create, task::Actor::supervisor());

    for (const auto& u : state_.leads) run(task::AcknowledgeTask{id}, task::Actor::of_unit(u));
    if (!state_.participants.empty()) {
      run(task::AcknowledgeTask{id}, task::Actor::of_unit(state_.participants[0]));
    }
    const int reports = 1 + static_cast<int>(rng_() % static_cast<unsigned>(shape_.max_reports));
    for (int i = 0; i < reports; ++i) {
      run(task::ReportProgress{id, "按计划推进", std::min(95, static_cast<int>(20 * (i + 1)))},
          task::Actor::of_unit(state_.leads[0]));
    }
    if (rng_() % 4 == 0)
      run(task::UrgeTask{id, std::nullopt, "请加快进度"}, task::Actor::supervisor());
    if (state_.deadline && rng_() % 6 == 0) {
      run(task::RequestExtension{id, "2017-06-30", "需协调多部门"},
          task::Actor::of_unit(state_.leads[0]));
      run(task::ApproveExtension{id, std::nullopt}, task::Actor::supervisor());
    }
    sweep();
    const unsigned fate = rng_() % 20;
    if (fate < 2) {
      run(task::CancelTask{id, "条款撤销", std::nullopt}, task::Actor::supervisor());
    } else if (fate < 5) {
      // left open, in progress
    } else {
      const bool separately = state_.mode == task::Mode::kSeparately;
      const std::vector<UnitId> reporters =
          separately ? state_.leads : std::vector<UnitId>{state_.leads[0]};
      for (const auto& u : reporters) {
        run(task::ReportCompletion{id, "已完成"}, task::Actor::of_unit(u));
        if (rng_() % 5 == 0) {
          run(task::ReturnTask{id, separately ? std::optional<UnitId>(u) : std::nullopt,
                               "材料不全"},
              task::Actor::supervisor());
          run(task::ReportCompletion{id, "已补充材料"}, task::Actor::of_unit(u));
        }
        run(task::ApproveCompletion{id, separately ? std::optional<UnitId>(u) : std::nullopt},
            task::Actor::supervisor());
      }
    }
    return std::move(groups_);
  }

 private:
  void run(const task::Command& c, const task::Actor& actor) {
    now_ += std::chrono::hours(1 + rng_() % 200);
    auto decided = task::decide(state_, c, actor, now_);
    if (!decided)
      throw std::logic_error(std::string(task::command_name(c)) + ": " + decided.error().message);
    for (const auto& e : *decided) task::apply_in_place(state_, e);
    groups_.push_back(std::move(*decided));
  }
  void sweep() {
    auto due = task::sweep(state_, now_, 0.2);
    if (due.empty()) return;
    for (const auto& e : due) task::apply_in_place(state_, e);
    groups_.push_back(std::move(due));
  }

  std::mt19937 rng_;
  LifecycleShape shape_;
  task::TaskState state_;
  std::vector<std::vector<task::Event>> groups_;
  Timestamp now_;
};

struct FillPlan {
  // Stop once this many events are appended (checked between appends, so a few more may go in).
  std::int64_t events = std::numeric_limits<std::int64_t>::max();
  // Start no task numbered at or beyond this; the fill ends when they are all done.
  std::int64_t tasks = std::numeric_limits<std::int64_t>::max();
  int writers = 64;    // threads appending concurrently
  int in_flight = 32;  // tasks each writer keeps going, round-robin
  LifecycleShape shape;
  // Called about every `every` from a monitor thread with the events appended so far. Default:
  // none.
  std::function<void(std::int64_t)> on_progress = nullptr;
  std::chrono::milliseconds every{2000};
};

// Fills `store` as described at the top; returns the number of events appended.
// Throws std::runtime_error when an append fails.
inline std::int64_t fill_lifecycles(storage::EventStore& store, const FillPlan& plan) {
  std::atomic<std::int64_t> next_task{0};
  std::atomic<std::int64_t> appended{0};
  std::atomic<int> running{plan.writers};
  std::mutex mutex;  // guards error; with `done`, wakes the monitor
  std::condition_variable done;
  std::string error;
  std::vector<std::thread> writers;
  for (int w = 0; w < plan.writers; ++w) {
    writers.emplace_back([&, w] {
      struct Live {
        std::int64_t n = 0;
        std::string stream;
        std::vector<std::vector<task::Event>> groups;
        std::size_t done = 0;
      };
      LifecycleWriter gen(20150820u + static_cast<std::uint32_t>(w), plan.shape);
      std::vector<Live> live(static_cast<std::size_t>(plan.in_flight));
      auto start = [&](Live& l) {
        l.groups.clear();
        l.done = 0;
        l.n = next_task++;
        if (l.n >= plan.tasks) return;  // none left: this slot stays idle
        l.stream = stream_of_task(l.n);
        l.groups = gen.lifecycle(l.n);
      };
      for (auto& l : live) start(l);
      std::vector<storage::NewEvent> batch;
      bool busy = true;
      while (busy && appended.load() < plan.events) {
        busy = false;
        for (auto& l : live) {
          if (l.done == l.groups.size()) start(l);
          if (l.done == l.groups.size()) continue;
          busy = true;
          batch.clear();
          for (const auto& e : l.groups[l.done])
            batch.push_back(storage::encode_event(e, task::Actor::supervisor()));
          std::string id = "t";
          id += std::to_string(l.n);
          id += '.';
          id += std::to_string(l.done);
          auto r = store.append(l.stream, storage::ExpectedVersion::any(), batch,
                                CommandId(std::move(id)));
          if (!r) {
            std::lock_guard lock(mutex);
            error = r.error().message;
            busy = false;
            break;
          }
          ++l.done;
          appended += static_cast<std::int64_t>(batch.size());
        }
      }
      std::lock_guard lock(mutex);
      if (--running == 0) done.notify_all();
    });
  }
  if (plan.on_progress) {
    std::unique_lock lock(mutex);
    while (!done.wait_for(lock, plan.every, [&] { return running.load() == 0; })) {
      lock.unlock();
      plan.on_progress(appended.load());
      lock.lock();
    }
  }
  for (auto& t : writers) t.join();
  if (!error.empty()) throw std::runtime_error("append failed: " + error);
  return appended.load();
}

}  // namespace duban::bench
