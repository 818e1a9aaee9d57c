// The report as an Excel workbook. libxlsxwriter (Debian's libxlsxwriter-dev, 1.1.4) writes only
// to a file, so the workbook goes to a temporary file that is read back and removed.
#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "report/render.h"
#include "storage/hash_chain.h"

namespace duban::report {
namespace {

// A unique file under $TMPDIR (or /tmp), removed when this goes out of scope.
class TempFile {
 public:
  TempFile() {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/duban-report-XXXXXX.xlsx";
    const int fd = mkstemps(pattern.data(), 5);
    if (fd >= 0) {
      ::close(fd);
      path_ = pattern;
    }
  }
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Display width of a cell in Excel's character units: CJK characters are two wide.
double display_width(const std::string& s) {
  double w = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += len >= 3 ? 2.0 : 1.0;
    i += len;
  }
  return w;
}

void write_table(lxw_workbook* wb, const ReportTable& t, lxw_format* header) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, std::string(t.sheet).c_str());
  std::vector<double> widths(t.columns.size(), 6);
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    const std::string title(t.columns[c].title);
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), title.c_str(), header);
    widths[c] = std::max(widths[c], display_width(title) + 2);
  }
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 1);
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      const std::string& cell = t.rows[r][c];
      if (cell.empty()) continue;
      if (t.columns[c].numeric) {
        worksheet_write_number(ws, row, col, std::strtod(cell.c_str(), nullptr), nullptr);
      } else {
        worksheet_write_string(ws, row, col, cell.c_str(), nullptr);
      }
      widths[c] = std::max(widths[c], std::min(display_width(cell) + 2, 60.0));
    }
  }
  for (std::size_t c = 0; c < widths.size(); ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    worksheet_set_column(ws, col, col, widths[c], nullptr);
  }
  worksheet_freeze_panes(ws, 1, 0);
  if (!t.columns.empty()) {
    worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(t.rows.size()),
                         static_cast<lxw_col_t>(t.columns.size() - 1));
  }
}

}  // namespace

Result<std::string> render_xlsx(const Report& report) {
  TempFile file;
  if (file.path().empty()) {
    return make_error("io_error",
                      "cannot create a temporary file for the workbook: set TMPDIR "
                      "to a writable directory");
  }
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(file.path().c_str(), &options);
  if (!wb) return make_error("io_error", "cannot start the workbook in " + file.path());
  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_bg_color(header, 0xDDE5F0);
  format_set_border(header, LXW_BORDER_THIN);

  // The first sheet says what the figures are: the same header as every other rendering.
  lxw_worksheet* about = workbook_add_worksheet(wb, "报告");
  const std::string rows[][2] = {
      {"督办考评报告", ""},
      {"截至日期", shanghai_date(report.now)},
      {"日志位置", std::to_string(report.position.value())},
      {"链哈希", storage::to_hex(report.head_hash)},
      {"单位", report.options.unit ? report.options.unit->str() : "全部"},
      {"文件", report.options.document ? report.options.document->str() : "全部"},
  };
  lxw_row_t r = 0;
  for (const auto& [k, v] : rows) {
    worksheet_write_string(about, r, 0, k.c_str(), r == 0 ? header : nullptr);
    if (!v.empty()) worksheet_write_string(about, r, 1, v.c_str(), nullptr);
    ++r;
  }
  worksheet_set_column(about, 0, 0, 14, nullptr);
  worksheet_set_column(about, 1, 1, 70, nullptr);

  for (CsvTable t : kAllTables)
    write_table(wb, report_table(report, t, CellWords::kChinese), header);

  if (const lxw_error err = workbook_close(wb); err != LXW_NO_ERROR) {
    return make_error("io_error", std::string("cannot write the workbook: ") + lxw_strerror(err));
  }
  std::ifstream in(file.path(), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return make_error("io_error", "cannot read back the workbook from " + file.path());
  return bytes.str();
}

}  // namespace duban::report
