// The supervision report (report/) on child tasks and contributions (issue 15), built from a
// real SQLite log through TaskService: a participant's contribution is counted in its unit row
// and on its task's row, and a group expanded into its members lists its children on the
// parent's row while each child is a row of the same clause naming its parent.
#include <gtest/gtest.h>

#include <algorithm>

#include "model/task/streams.h"
#include "report/report.h"
#include "tests/service/service_fixture.h"

namespace duban::report {
namespace {

using service::testing::create;
using service::testing::kSupervisor;
using service::testing::unit;
using service::testing::utc;

std::string identity(const UnitId& u) {
  return u.str();
}

class ChildrenReport : public service::testing::ServiceTest {
 protected:
  Report build() {
    ReportOptions o;
    o.now = utc(2016, 2, 1);
    return build_report(model.state(), head(), std::string(32, '\x11'), o, identity);
  }
  static const ClauseRow* clause(const Report& r, const std::string& task) {
    for (const auto& d : r.documents) {
      for (const auto& c : d.clauses) {
        if (c.task.str() == task) return &c;
      }
    }
    return nullptr;
  }
};

TEST_F(ChildrenReport, AParticipantsContributionsAreCountedForItsUnitAndTask) {
  accept(create("T1", {"fgw"}, {"swt"}, std::string("2016-06-30")), kSupervisor);
  accept(task::ReportContribution{TaskId("T1"), "提供了进出口数据"}, unit("swt"));
  accept(task::ReportContribution{TaskId("T1"), "完成了调研"}, unit("swt"));
  const Report r = build();
  auto swt = std::find_if(r.units.begin(), r.units.end(),
                          [](const UnitRow& u) { return u.unit == UnitId("swt"); });
  ASSERT_NE(swt, r.units.end());
  EXPECT_EQ(swt->contributions, 2);
  ASSERT_NE(clause(r, "T1"), nullptr);
  EXPECT_EQ(clause(r, "T1")->contributions, 2);
}

TEST_F(ChildrenReport, AParentsRowListsItsChildrenAndEachChildNamesItsParent) {
  accept(create("T1", {"fgw"}, {"city-prefecture-govs"}, std::string("2016-06-30")), kSupervisor);
  accept(task::ExpandTask{TaskId("T1"), UnitId("city-prefecture-govs"), {}, std::nullopt, ""},
         kSupervisor);
  const Report r = build();
  const ClauseRow* parent = clause(r, "T1");
  ASSERT_NE(parent, nullptr);
  EXPECT_EQ(parent->children.size(), 8u);
  const ClauseRow* xining = clause(r, "T1~xining-gov");
  ASSERT_NE(xining, nullptr);
  EXPECT_EQ(xining->parent, TaskId("T1"));
  EXPECT_EQ(xining->leads, std::vector<std::string>{"xining-gov"});
}

}  // namespace
}  // namespace duban::report
