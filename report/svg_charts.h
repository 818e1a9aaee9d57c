// The three charts of the HTML report, as inline SVG drawn by hand: no chart library, no script,
// nothing fetched. Each returns one <svg> element sized by its viewBox (it scales to the page
// width) with a <title> on every bar for hover details. Colours come from css classes defined in
// render_html.cpp, so the page's legend and the bars cannot disagree.
#pragma once

#include <string>
#include <string_view>

#include "report/report.h"

namespace duban::report {

// Escapes text for HTML and SVG content and attribute values.
std::string escape_html(std::string_view text);

// Cuts `text` to at most `max_columns` display columns (CJK characters count two), adding "…".
std::string fit_text(std::string_view text, std::size_t max_columns);

// Horizontal stacked bars, one per lead unit (most led first, at most `max_rows`): closed on
// time, closed late, overdue, open and not yet due; right of each bar "closed/led · rate".
std::string completion_by_unit_chart(const Report& report, std::size_t max_rows = 30);

// One 100% stacked bar per document: done, green, yellow, red, no deadline.
std::string lights_by_document_chart(const Report& report);

// Columns per deadline month (every month from the first to the last), stacked by where the
// tasks stand at `now`, with a dashed line at `now`.
std::string deadlines_by_month_chart(const Report& report);

}  // namespace duban::report
