// Finds the time expressions of a clause: deadlines (2017年底, 到2018年底, 至2020年,
// 2012年10月底前, 2026年年底前, 2026年内, 二〇二六年底前, 10月中旬前, 次年6月底前), starts
// (2015年起) and relative spans (7个工作日内, 30日内, 3个月内, 半年内, 两年内). Relative spans
// stay relative: the parser does not know from when they run.
#pragma once

#include <string_view>
#include <vector>

#include "model/gazette/clause.h"

namespace duban::gazette {

struct TimeExpressions {
  std::vector<Deadline> deadlines;
  std::vector<Start> starts;
  std::vector<RelativeDeadline> relative_deadlines;
};

// Text inside 《》 (titles of other documents, e.g. 《规划(2009—2014)》) and year ranges
// (2014—2020年) are not deadlines and are skipped. A month without a year (5月底前, 6月前) is a
// deadline in `year_of_document` when that is known (> 0), and not read otherwise.
//
// Also read with the document's year: 年底前, 今年年底, 年内 (its last day), 上半年 (30 June),
// 一季度末, 第三季度前 (the quarter's last day), and 5月20日前. A full date (2026年6月15日前,
// 到2026年6月15日) is that day. A date ending a policy's period (实施期限至…, 延长至…, 有效期至…)
// is not a deadline; nor is a recurring time (每年年底, 每月10日前).
// In a table's time column (`time_column`), a period named alone is when the row's work ends:
// 上半年, 2026年, 2026年12月, 6月 (with no 底/前 after them) are deadlines there, and so are
// dates written with separators (2026.12, 2026-12-31) and the end of a range (2026年—2027年).
TimeExpressions find_time_expressions(std::u32string_view text, int year_of_document = 0,
                                      bool time_column = false);

// The phrase saying a duty has no end or recurs (长期坚持, 持续推进, 常态化, 每季度, 每月, 逐年,
// 分年度), or empty: the clause's `standing`.
std::u32string_view standing_phrase(std::u32string_view text);

}  // namespace duban::gazette
