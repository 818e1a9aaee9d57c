// HTML <table> read as Markdown pipe rows (model/gazette/document_reader.h): one line per <tr>,
// colspan written once and padded, rowspan continued as empty cells, breaks inside a cell as
// blanks, '|' escaped, the text around the table kept in order.
#include <gtest/gtest.h>

#include "model/gazette/document_reader.h"
#include "model/gazette/text.h"

namespace duban::gazette {
namespace {

std::vector<std::string> non_blank_lines(std::string_view html) {
  auto lines = read_lines(html, Format::kHtml);
  EXPECT_TRUE(lines.ok());
  std::vector<std::string> out;
  if (!lines.ok()) return out;
  for (const auto& l : *lines)
    if (!l.text.empty()) out.push_back(text::encode(l.text));
  return out;
}

TEST(HtmlTable, BecomesOnePipeRowPerTableRow) {
  const auto lines = non_blank_lines(
      "<p>附件：任务分工表</p>\n"
      "<table border=1>\n<caption>重点任务分工</caption>\n"
      "<tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr>\n"
      "<tr><td>1</td><td><p>完善粮食储备</p><p>管理制度</p></td>"
      "<td ROWSPAN=\"2\">省粮食局</td><td>省财政厅|省发展改革委</td><td>2015年底前</td></tr>\n"
      "<tr><td>2</td><td>推进粮食流通<br>设施建设</td><td>省农牧厅</td><td>持续推进</td></tr>\n"
      "<tr><td>3</td><td colspan='2'>建立健全考核办法</td><td>省政府办公厅</td>"
      "<td>2016年6月底前</td></tr>\n"
      "</table>\n<p>表后正文&amp;说明。</p>");
  const std::vector<std::string> expected = {
      "附件：任务分工表",
      "重点任务分工",
      "| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |",
      "| 1 | 完善粮食储备 管理制度 | 省粮食局 | 省财政厅\\|省发展改革委 | 2015年底前 |",
      "| 2 | 推进粮食流通 设施建设 | | 省农牧厅 | 持续推进 |",
      "| 3 | 建立健全考核办法 | | 省政府办公厅 | 2016年6月底前 |",
      "表后正文&说明。",
  };
  EXPECT_EQ(lines, expected);
}

TEST(HtmlTable, RowsKeepTheLineTheyBeganOn) {
  auto lines =
      read_lines("<table>\n<tr><td>a</td></tr>\n\n<tr>\n<td>b</td></tr></table>", Format::kHtml);
  ASSERT_TRUE(lines.ok());
  std::vector<std::pair<int, std::string>> rows;
  for (const auto& l : *lines)
    if (!l.text.empty()) rows.emplace_back(l.number, text::encode(l.text));
  const std::vector<std::pair<int, std::string>> expected = {{2, "| a |"}, {4, "| b |"}};
  EXPECT_EQ(rows, expected);
}

TEST(HtmlTable, NestedAndUnclosedTablesLoseNoText) {
  const auto lines = non_blank_lines(
      "<table><tr><td>外层<table><tr><td>内层一</td><td>内层二</td></tr></table></td>"
      "<td>右</td></tr><tr><td>未闭合");
  const std::vector<std::string> expected = {"| 外层 内层一 内层二 | 右 |", "| 未闭合 |"};
  EXPECT_EQ(lines, expected);
}

}  // namespace
}  // namespace duban::gazette
