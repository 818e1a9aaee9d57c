// The bundled Qinghai gazette (data/qinghai-gazette-2015-08.md), read end to end:
//  - the 12 clauses of tests/data/sample_expected.jsonl (the issue's reference reading);
//  - every clause against tests/data/corpus_expected.jsonl, a reading reviewed clause by clause
//    against the source (page breaks, stray headings, bold marks included);
//  - the documents of the gazette with their numbers, issuers and signing dates;
//  - invariants every clause must satisfy (a lead unit, clean mentions, known units).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "app/json_output.h"
#include "model/gazette/parser.h"

namespace duban::gazette {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<boost::json::object> read_jsonl(const std::string& path) {
  std::vector<boost::json::object> rows;
  std::istringstream in(slurp(path));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) rows.push_back(boost::json::parse(line).as_object());
  }
  return rows;
}

class Corpus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string bytes =
        slurp(std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md");
    ASSERT_FALSE(bytes.empty());
    auto parsed = parse_gazette(bytes, Format::kMarkdown, UnitDirectory::builtin());
    ASSERT_TRUE(parsed.ok());
    result_ = new ParseResult(std::move(parsed).value());
  }
  static void TearDownTestSuite() { delete result_; }

  static std::map<std::string, boost::json::object> by_key() {
    std::map<std::string, boost::json::object> out;
    for (const auto& c : result_->clauses) {
      out[c.doc + "|" + c.part + "|" + c.label] = app::to_json(c);
    }
    return out;
  }

  static ParseResult* result_;
};
ParseResult* Corpus::result_ = nullptr;

void expect_clause_matches(const std::map<std::string, boost::json::object>& actual,
                           const std::vector<boost::json::object>& expected,
                           const std::vector<std::string>& fields) {
  for (const auto& e : expected) {
    const std::string key = std::string(e.at("doc").as_string()) + "|" +
                            std::string(e.at("part").as_string()) + "|" +
                            std::string(e.at("label").as_string());
    const auto it = actual.find(key);
    ASSERT_NE(it, actual.end()) << "clause not found: " << key;
    for (const auto& f : fields) {
      EXPECT_EQ(boost::json::serialize(it->second.at(f)), boost::json::serialize(e.at(f)))
          << key << " field " << f;
    }
  }
}

TEST_F(Corpus, SampleClausesAreReadAsTheIssueExpects) {
  const auto expected =
      read_jsonl(std::string(DUBAN_SOURCE_DIR) + "/tests/data/sample_expected.jsonl");
  ASSERT_EQ(expected.size(), 12u);
  expect_clause_matches(by_key(), expected,
                        {"heading", "mode", "lead", "participants", "deadlines"});
}

TEST_F(Corpus, EveryClauseMatchesTheReviewedReading) {
  const auto expected =
      read_jsonl(std::string(DUBAN_SOURCE_DIR) + "/tests/data/corpus_expected.jsonl");
  ASSERT_EQ(result_->clauses.size(), expected.size());
  expect_clause_matches(by_key(), expected,
                        {"heading", "mode", "lead", "participants", "deadlines", "starts",
                         "relative_deadlines", "source"});
  // Document order is kept.
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(result_->clauses[i].label, std::string(expected[i].at("label").as_string())) << i;
  }
}

TEST_F(Corpus, ClausesComeFromTheFoodSecurityOpinionAndBothCreditAttachments) {
  std::map<std::string, int> per_part;
  for (const auto& c : result_->clauses) ++per_part[c.doc + " / " + c.part];
  EXPECT_EQ(per_part["青政〔2015〕70号 / 关于贯彻落实国务院建立粮食安全省长责任制的实施意见"], 17);
  EXPECT_EQ(per_part["青政办〔2015〕151号 / 青海省社会信用体系建设规划(2014—2020年)任务分工"], 170);
  EXPECT_EQ(per_part["青政办〔2015〕151号 / 青海省社会信用体系建设两年重点工作任务(2015—2016年)"],
            84);
  EXPECT_EQ(per_part.size(), 3u);
}

TEST_F(Corpus, DocumentsAreFoundWithNumberIssuerAndSigningDate) {
  struct Want {
    const char* id;
    const char* issuer;
    const char* date;
  };
  const Want want[] = {
      {"青政〔2015〕70号", "青海省人民政府", "2015-08-20"},
      {"青政〔2015〕71号", "青海省人民政府", "2015-08-21"},
      {"青政办〔2015〕151号", "青海省人民政府办公厅", "2015-08-06"},
      {"青政办〔2015〕168号", "青海省人民政府办公厅", "2015-08-19"},
      {"青政办〔2015〕169号", "青海省人民政府办公厅", "2015-08-20"},
      {"青政办〔2015〕171号", "青海省人民政府办公厅", "2015-08-25"},
      {"青政办〔2015〕172号", "青海省人民政府办公厅", "2015-08-27"},
      {"青政办〔2015〕173号", "青海省人民政府办公厅", "2015-08-28"},
      {"青政人〔2015〕15号", "青海省人民政府", "2015-08-20"},
      {"省政府2015年8月份大事记", "", ""},
  };
  ASSERT_EQ(result_->documents.size(), std::size(want));
  for (std::size_t i = 0; i < std::size(want); ++i) {
    const Document& d = result_->documents[i];
    EXPECT_EQ(d.id, want[i].id);
    EXPECT_EQ(d.issuer, want[i].issuer) << d.id;
    EXPECT_EQ(d.signed_date, want[i].date) << d.id;
    if (i > 0) {
      EXPECT_GT(d.line, result_->documents[i - 1].end_line) << d.id;
    }
  }
  const Document& credit = result_->documents[2];
  EXPECT_EQ(credit.title,
            "关于印发《青海省社会信用体系建设规划(2014—2020年)任务分工》和《青海省社会信用体系建设"
            "两年重点工作任务(2015—2016年)》的通知");
  ASSERT_EQ(credit.parts.size(), 3u);
  EXPECT_EQ(credit.parts[1], "青海省社会信用体系建设规划(2014—2020年)任务分工");
  EXPECT_EQ(result_->documents[1].parts.back(), "青海省深化考试招生制度改革实施方案");
}

TEST_F(Corpus, EveryClauseHasALeadCleanMentionsAndKnownUnits) {
  for (const auto& c : result_->clauses) {
    bool lead = false;
    for (const auto& a : c.assignments) {
      lead = lead || a.role == Role::kLead;
      EXPECT_EQ(a.unit.rfind(std::string(kUnknownUnitPrefix), 0), std::string::npos)
          << c.label << ": unknown unit " << a.mention;
      for (const char* junk : {"*", "#", "(", ")", "（", "）", "负责", "参加", " "}) {
        EXPECT_EQ(a.mention.find(junk), std::string::npos) << c.label << ": " << a.mention;
      }
      EXPECT_FALSE(a.mention.size() >= 3 && a.mention.substr(a.mention.size() - 3) == "等")
          << c.label << ": " << a.mention;
    }
    EXPECT_TRUE(lead) << c.doc << " " << c.label;
    EXPECT_LE(c.source.line, c.source.end_line);
    EXPECT_EQ(c.heading.find("**"), std::string::npos) << c.label;
  }
}

TEST_F(Corpus, PageBreaksInsideNamesRoleWordsAndBracketsAreJoined) {
  const auto clauses = by_key();
  const std::string credit = "青政办〔2015〕151号|";
  const std::string plan = credit + "青海省社会信用体系建设规划(2014—2020年)任务分工|";
  const std::string two_year = credit + "青海省社会信用体系建设两年重点工作任务(2015—2016年)|";
  // 省食品药品监** | 管局 across a page break.
  EXPECT_EQ(boost::json::serialize(clauses.at(plan + "11.(2)").at("lead").as_array().at(0)),
            "\"省食品药品监管局\"");
  // “#### 门、各市州政府参加）” is the end of 18.(2)'s parenthetical, not a heading.
  EXPECT_EQ(clauses.at(plan + "18.(2)").at("participants").as_array().size(), 3u);
  // “### 厅按照职责分工分别负责)” and “## 工分别负责)”.
  EXPECT_EQ(std::string(clauses.at(two_year + "46.").at("mode").as_string()), "separately");
  EXPECT_EQ(std::string(clauses.at(two_year + "66.").at("mode").as_string()), "separately");
  // 牵** | **头负责
  EXPECT_EQ(std::string(clauses.at(two_year + "4.").at("mode").as_string()), "lead");
  // 至 | 2020年 across a page break is still a deadline.
  const auto& grain =
      clauses.at("青政〔2015〕70号|关于贯彻落实国务院建立粮食安全省长责任制的实施意见|(十)");
  EXPECT_EQ(boost::json::serialize(grain.at("deadlines")),
            R"([{"text":"2020年","date":"2020-12-31"}])");
}

}  // namespace
}  // namespace duban::gazette
