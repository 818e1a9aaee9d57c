// GET /api/v1/report over real HTTP (server/api/report_handler.cpp): the supervision report as
// JSON, CSV (with a BOM and a download name) and an Excel workbook, scoped to the caller.
#include <boost/json.hpp>

#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

class ReportHttpTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    create_task("T1", {"fgw"}, {"czt"}, task::Deadline("2015-09-30"));
    create_task("T2", {"czt"});
  }
};

TEST_F(ReportHttpTest, TheOfficeGetsEveryUnitAsJsonCsvAndAWorkbook) {
  auto c = http();
  const auto j = c.get("/api/v1/report", supervisor);
  ASSERT_EQ(j.status, 200) << j.body;
  const auto units = j.json().as_object().at("units").as_array();
  EXPECT_EQ(units.size(), 2u);
  EXPECT_EQ(j.json().as_object().at("totals").as_object().at("tasks").as_int64(), 2);

  const auto csv = c.get("/api/v1/report?format=csv&table=clauses", supervisor);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.headers.at("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF") << "a BOM, for spreadsheet programs";
  EXPECT_NE(csv.body.find("document,label,task,status"), std::string::npos);
  EXPECT_NE(csv.headers.at("content-disposition").find("filename*=UTF-8''%E8%80%83%E8%AF%84"),
            std::string::npos)
      << csv.headers.at("content-disposition");

  const auto xlsx = c.get("/api/v1/report?format=xlsx", supervisor);
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_EQ(xlsx.headers.at("content-type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK") << "a zip archive";
  EXPECT_NE(xlsx.headers.at("content-disposition").find(".xlsx"), std::string::npos);
}

TEST_F(ReportHttpTest, AUnitReadsOnlyItsOwnReport) {
  auto c = http();
  const auto mine = c.get("/api/v1/report", unit_token("fgw"));
  ASSERT_EQ(mine.status, 200) << mine.body;
  const auto units = mine.json().as_object().at("units").as_array();
  ASSERT_EQ(units.size(), 1u);
  EXPECT_EQ(units[0].as_object().at("unit").as_string(), "fgw");
  EXPECT_EQ(c.get("/api/v1/report?unit=czt", unit_token("fgw")).status, 403);
}

TEST_F(ReportHttpTest, BadFormatsTablesAndDocumentsAreRefused) {
  auto c = http();
  EXPECT_EQ(c.get("/api/v1/report?format=pdf", supervisor).status, 400);
  EXPECT_EQ(c.get("/api/v1/report?format=csv&table=everything", supervisor).status, 400);
  EXPECT_EQ(c.get("/api/v1/report?doc=" + percent_encode("no such document"), supervisor).status,
            404);
  EXPECT_EQ(c.get("/api/v1/report").status, 401);
}

}  // namespace
}  // namespace duban::server::testing
