// Finds the time expressions of a clause: deadlines (2017年底, 到2018年底, 至2020年,
// 2012年10月底前), starts (2015年起) and relative spans (7个工作日内, 30日内). Relative spans stay
// relative: the parser does not know from when they run.
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
TimeExpressions find_time_expressions(std::u32string_view text, int year_of_document = 0);

}  // namespace duban::gazette
