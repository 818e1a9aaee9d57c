// `duban extract` as a user runs it: output formats, --documents and --list-units, --help on every
// subcommand, and the messages and exit codes for input it cannot read.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "tests/support/run_command.h"

namespace duban {
namespace {

using testing::run_command;
using testing::TempDir;

const std::string kGazette = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";

std::vector<boost::json::object> lines_of(const std::string& out) {
  std::vector<boost::json::object> rows;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    rows.push_back(boost::json::parse(line).as_object());
  return rows;
}

TEST(ExtractCli, PrintsOneJsonObjectPerClauseInDocumentOrder) {
  const auto r = run_command(DUBAN_BINARY, {"extract", kGazette});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = lines_of(r.out);
  ASSERT_EQ(rows.size(), 271u);
  const auto& first = rows.front();
  EXPECT_EQ(first.at("doc").as_string(), "青政〔2015〕70号");
  EXPECT_EQ(first.at("label").as_string(), "(四)");
  EXPECT_EQ(first.at("mode").as_string(), "responsible");
  const auto& a = first.at("assignments").as_array().at(0).as_object();
  EXPECT_EQ(a.at("role").as_string(), "lead");
  EXPECT_EQ(a.at("mention").as_string(), "市、州人民政府");
  EXPECT_EQ(a.at("unit").as_string(), "city-prefecture-govs");
  EXPECT_EQ(first.at("source").as_object().at("line").as_int64(), 27);
  for (const char* key : {"part", "heading", "text", "deadlines", "starts", "relative_deadlines"}) {
    EXPECT_TRUE(first.contains(key)) << key;
  }
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(ExtractCli, TableFormatAlignsColumns) {
  const auto r = run_command(DUBAN_BINARY, {"extract", kGazette, "--format", "table"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("doc", 0), 0u);
  EXPECT_NE(r.out.find("青政办〔2015〕151号  11.(2)"), std::string::npos);
}

TEST(ExtractCli, ListsDocuments) {
  const auto r = run_command(DUBAN_BINARY, {"extract", kGazette, "--documents"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = lines_of(r.out);
  ASSERT_EQ(rows.size(), 10u);
  EXPECT_EQ(rows[2].at("id").as_string(), "青政办〔2015〕151号");
  EXPECT_EQ(rows[2].at("issuer").as_string(), "青海省人民政府办公厅");
  EXPECT_EQ(rows[2].at("date").as_string(), "2015-08-06");
  EXPECT_EQ(rows[2].at("clauses").as_int64(), 254);
}

TEST(ExtractCli, ListsUnitsWithAliasesAndFlagsUnknownOnes) {
  TempDir dir;
  const std::string f =
      dir.write("n.md",
                "1. 做好气象服务。（省气象局牵头负责，省食品药品监督管理局参加）\n"
                "2. 做好药品监管。（省食品药品监管局负责）\n");
  const auto r = run_command(DUBAN_BINARY, {"extract", f, "--list-units"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = lines_of(r.out);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("unit").as_string(), "fda");
  EXPECT_EQ(rows[0].at("count").as_int64(), 2);
  EXPECT_EQ(rows[0].at("mentions").as_object().size(), 2u);
  EXPECT_TRUE(rows[0].at("known").as_bool());
  EXPECT_EQ(rows[1].at("unit").as_string(), "unknown:省气象局");
  EXPECT_FALSE(rows[1].at("known").as_bool());
  const auto table = run_command(DUBAN_BINARY, {"extract", f, "--list-units", "--format", "table"});
  EXPECT_NE(table.out.find("UNKNOWN"), std::string::npos);
}

TEST(ExtractCli, ReadsStandardInput) {
  const auto r = run_command(DUBAN_BINARY, {"extract", "-"}, "1. 甲。（省财政厅负责）\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines_of(r.out).size(), 1u);
}

TEST(ExtractCli, EverySubcommandHasHelp) {
  const auto top = run_command(DUBAN_BINARY, {"--help"});
  ASSERT_EQ(top.exit_code, 0);
  std::istringstream in(top.out);
  bool in_commands = false;
  int checked = 0;
  for (std::string line; std::getline(in, line);) {
    if (line == "commands:") {
      in_commands = true;
      continue;
    }
    if (!in_commands || line.rfind("  ", 0) != 0) continue;
    const std::string name = line.substr(2, line.find(' ', 2) - 2);
    const auto help = run_command(DUBAN_BINARY, {name, "--help"});
    EXPECT_EQ(help.exit_code, 0) << name;
    EXPECT_NE(help.out.find("usage: duban " + name), std::string::npos) << name << help.out;
    ++checked;
  }
  EXPECT_GE(checked, 1);
}

TEST(ExtractCli, UnreadableInputFailsWithAMessage) {
  TempDir dir;
  const auto missing = run_command(DUBAN_BINARY, {"extract", dir.file("nope.md")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("No such file"), std::string::npos) << missing.err;

  const auto empty = run_command(DUBAN_BINARY, {"extract", dir.write("empty.md", "")});
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.err.find("empty"), std::string::npos) << empty.err;

  const auto binary =
      run_command(DUBAN_BINARY, {"extract", dir.write("x.bin", std::string("\x7f"
                                                                           "ELF\0\0\1",
                                                                           7))});
  EXPECT_EQ(binary.exit_code, 1);
  EXPECT_NE(binary.err.find("binary"), std::string::npos) << binary.err;

  const auto gbk = run_command(DUBAN_BINARY, {"extract", dir.write("gbk.txt", "\xC9\xCF\xBA\xA3")});
  EXPECT_EQ(gbk.exit_code, 1);
  EXPECT_NE(gbk.err.find("UTF-8"), std::string::npos) << gbk.err;

  const auto dirarg = run_command(DUBAN_BINARY, {"extract", dir.path()});
  EXPECT_EQ(dirarg.exit_code, 1);
  EXPECT_NE(dirarg.err.find("directory"), std::string::npos);
}

TEST(ExtractCli, ReadableInputWithoutClausesSaysSoAndSucceeds) {
  TempDir dir;
  const auto r =
      run_command(DUBAN_BINARY, {"extract", dir.write("n.md", "# 通知\n\n请按时报送。\n")});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("no task clauses"), std::string::npos) << r.err;
}

TEST(ExtractCli, ATruncatedParentheticalIsAWarningWithTheLine) {
  TempDir dir;
  const auto r =
      run_command(DUBAN_BINARY, {"extract", dir.write("t.md", "\n1. 甲。（省财政厅牵头负责，")});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("t.md:2: warning"), std::string::npos) << r.err;
}

// A record whose deadlines name no year (its year was only in the page's address): --year gives
// it; without it they are not read; a year that is no year is a usage error.
TEST(ExtractCli, YearGivesDeadlinesWrittenWithoutOne) {
  TempDir dir;
  const std::string file = dir.file("record.md");
  std::ofstream(file)
      << "具体任务\n修缮乡镇文化站，开展送戏下乡。\n责任单位\n县文旅局\n配合单位\n"
         "各乡镇\n完成时限\n文化站3月底前完成修缮；送戏下乡12月底前完成并长期坚持\n";
  const auto without = run_command(DUBAN_BINARY, {"extract", file});
  ASSERT_EQ(without.exit_code, 0) << without.err;
  auto rows = lines_of(without.out);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].at("deadlines").as_array().empty());

  const auto with = run_command(DUBAN_BINARY, {"extract", file, "--year", "2023"});
  ASSERT_EQ(with.exit_code, 0) << with.err;
  rows = lines_of(with.out);
  ASSERT_EQ(rows.size(), 1u);
  const auto& deadlines = rows[0].at("deadlines").as_array();
  ASSERT_EQ(deadlines.size(), 2u);
  EXPECT_EQ(deadlines[0].as_object().at("date").as_string(), "2023-03-31");
  EXPECT_EQ(deadlines[1].as_object().at("date").as_string(), "2023-12-31");
  EXPECT_EQ(rows[0].at("standing").as_string(), "长期坚持");

  const auto bad = run_command(DUBAN_BINARY, {"extract", file, "--year", "23"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--year"), std::string::npos) << bad.err;
}

TEST(ExtractCli, BadOptionsAreUsageErrors) {
  EXPECT_EQ(run_command(DUBAN_BINARY, {"extract"}).exit_code, 2);
  EXPECT_EQ(run_command(DUBAN_BINARY, {"extract", kGazette, "--format", "xml"}).exit_code, 2);
  EXPECT_EQ(run_command(DUBAN_BINARY, {"extract", kGazette, "--bogus"}).exit_code, 2);
  EXPECT_EQ(run_command(DUBAN_BINARY, {"no-such-command"}).exit_code, 2);
}

}  // namespace
}  // namespace duban
