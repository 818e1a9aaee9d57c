// A scripted supervision year on a real SQLite file, shared by the audit, snapshot and report
// tests: commands run through TaskService with a fake clock that moves between steps, and the
// ReadModel state after every step is captured with the position and time it stands for, so a
// later rebuild ("asof") can be compared with what the live model said then.
//
// The script (units from the builtin directory; D1 and D2 are documents):
//   2016-01-01  D1 registered; T1 fgw leads, finance joins, due 2016-06-30; T2 commerce and grain
//               separately, due 2016-03-31; T3 finance leads, due 2016-12-31; T4 (D2) water leads,
//               no deadline; T5 (D2) grain leads, due 2016-02-29
//   2016-01-10  fgw, finance and commerce acknowledge
//   2016-02-01  finance reports progress on T1; fgw asks for 2016-09-30; approved
//   2016-03-01  fgw reports T1 complete; returned for rework
//   2016-03-15  T3 reassigned: commerce leads, finance joins
//   2016-04-02  sweep: T2 and T5 recorded overdue
//   2016-05-01  fgw reports T1 again; approved: T1 closed (on time)
//   2016-05-02  commerce reports its part of T2; approved
//   2016-06-01  T3 cancelled
//   2016-07-01  T2 urged at grain; T6 (D1) grain leads, water joins, due 2016-08-01
//   2016-07-28  sweep: T6 recorded approaching
//   2016-10-01  water reports T4; approved: T4 closed
//   2016-10-02  T4 reopened
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/task/commands.h"
#include "service/projections/read_model.h"
#include "tests/service/service_fixture.h"

namespace duban::audit::testing {

using service::testing::create;
using service::testing::kSupervisor;
using service::testing::unit;
using service::testing::utc;

struct Capture {
  std::string step;
  GlobalPosition position;  // the head after the step
  Timestamp time;           // the clock during the step (every event of it was recorded then)
  service::projections::ReadModelState state;
};

class AuditScript : public service::testing::ServiceTest {
 protected:
  // Runs the script above, capturing after every step.
  void run_script() {
    at(utc(2016, 1, 1));
    step("register D1", task::RegisterDocument{DocumentId("D1"),
                                               "青政办〔2016〕1号",
                                               "信用体系建设规划",
                                               "省政府办公厅",
                                               "2015-12-20",
                                               {"任务分工"},
                                               1,
                                               "h1"});
    step("create T1",
         create("T1", {"fgw"}, {"finance"}, std::string("2016-06-30"), task::Mode::kLead, "D1"));
    step("create T2", create("T2", {"commerce", "grain"}, {}, std::string("2016-03-31"),
                             task::Mode::kSeparately, "D1"));
    step("create T3",
         create("T3", {"finance"}, {}, std::string("2016-12-31"), task::Mode::kLead, "D1"));
    step("create T4", create("T4", {"water"}, {}, std::nullopt, task::Mode::kLead, "D2"));
    step("create T5",
         create("T5", {"grain"}, {}, std::string("2016-02-29"), task::Mode::kLead, "D2"));
    at(utc(2016, 1, 10));
    step("fgw acknowledges T1", task::AcknowledgeTask{TaskId("T1")}, unit("fgw"));
    step("finance acknowledges T1", task::AcknowledgeTask{TaskId("T1")}, unit("finance"));
    step("commerce acknowledges T2", task::AcknowledgeTask{TaskId("T2")}, unit("commerce"));
    at(utc(2016, 2, 1));
    step("finance reports progress", task::ReportProgress{TaskId("T1"), "起草中", 40},
         unit("finance"));
    step("fgw asks for time", task::RequestExtension{TaskId("T1"), "2016-09-30", "需会签"},
         unit("fgw"));
    step("extension approved", task::ApproveExtension{TaskId("T1"), std::nullopt});
    at(utc(2016, 3, 1));
    step("fgw reports T1", task::ReportCompletion{TaskId("T1"), "已完成"}, unit("fgw"));
    step("T1 returned", task::ReturnTask{TaskId("T1"), std::nullopt, "材料不全"});
    at(utc(2016, 3, 15));
    step("T3 reassigned", task::ReassignTask{TaskId("T3"),
                                             {UnitId("commerce")},
                                             {UnitId("finance")},
                                             std::nullopt,
                                             "调整分工",
                                             std::nullopt});
    at(utc(2016, 4, 2));
    auto swept = service->sweep(service::projections::kDefaultYellowShare);
    ASSERT_TRUE(swept.ok()) << swept.error().message;
    capture("sweep");
    at(utc(2016, 5, 1));
    step("fgw reports T1 again", task::ReportCompletion{TaskId("T1"), "已补充"}, unit("fgw"));
    step("T1 approved", task::ApproveCompletion{TaskId("T1"), std::nullopt});
    at(utc(2016, 5, 2));
    step("commerce reports its part", task::ReportCompletion{TaskId("T2"), "本部分完成"},
         unit("commerce"));
    step("commerce part approved", task::ApproveCompletion{TaskId("T2"), UnitId("commerce")});
    at(utc(2016, 6, 1));
    step("T3 cancelled", task::CancelTask{TaskId("T3"), "撤销", std::nullopt});
    at(utc(2016, 7, 1));
    step("T2 urged at grain", task::UrgeTask{TaskId("T2"), UnitId("grain"), "请加快"});
    step("create T6",
         create("T6", {"grain"}, {"water"}, std::string("2016-08-01"), task::Mode::kLead, "D1"));
    at(utc(2016, 7, 28));
    auto approaching = service->sweep(service::projections::kDefaultYellowShare);
    ASSERT_TRUE(approaching.ok()) << approaching.error().message;
    capture("sweep approaching");
    at(utc(2016, 10, 1));
    step("water reports T4", task::ReportCompletion{TaskId("T4"), "完成"}, unit("water"));
    step("T4 approved", task::ApproveCompletion{TaskId("T4"), std::nullopt});
    at(utc(2016, 10, 2));
    step("T4 reopened", task::ReopenTask{TaskId("T4"), "复核发现问题"});
  }

  // The last capture taken at `time` (the state "as of" it).
  const Capture& last_at(Timestamp time) const {
    const Capture* found = nullptr;
    for (const auto& c : captures) {
      if (c.time <= time) found = &c;
    }
    EXPECT_NE(found, nullptr);
    return *found;
  }

  // Closes the service and the store, so a test can change the file behind duban's back.
  void close_store() {
    service.reset();
    store.reset();
  }

  std::vector<Capture> captures;

 private:
  void at(Timestamp t) { clock.advance_to(t); }
  void step(const std::string& name, const task::Command& command,
            const task::Actor& actor = kSupervisor) {
    accept(command, actor);
    capture(name);
  }
  void capture(const std::string& name) {
    captures.push_back(Capture{name, head(), clock.now(), model.state()});
    EXPECT_EQ(captures.back().state.checkpoint(), captures.back().position) << name;
  }
};

}  // namespace duban::audit::testing
