// GET /api/v1/report: the supervision report (考评, report/report.h) of this node's read model at
// the server's clock, as JSON, CSV, HTML or an Excel workbook, so the page can offer the same
// export `duban report` writes. The supervising office reads every unit; a unit reads only its
// own row and the tasks it leads or joins.
#include <optional>

#include "report/render.h"
#include "server/api/detail/handlers.h"
#include "server/api/error_status.h"
#include "server/api/target.h"
#include "service/views/unit_names.h"

namespace duban::server::detail {
namespace {

std::optional<std::string> query(const Target& t, const std::string& key) {
  if (auto it = t.query.find(key); it != t.query.end()) return it->second;
  return std::nullopt;
}

// Content-Disposition for a download named `name` (UTF-8): an ASCII fallback and RFC 6266's
// filename* for browsers, which show the Chinese name.
std::string attachment(const std::string& ascii, const std::string& name) {
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + percent_encode(name);
}

}  // namespace

ApiResponse get_report(const Call& call) {
  const std::string format = query(call.target, "format").value_or("json");
  if (format != "json" && format != "csv" && format != "html" && format != "xlsx") {
    return error_response(make_error(
        api_errc::kBadRequest, "format must be json, csv, html or xlsx, not '" + format + "'"));
  }
  const auto table = report::parse_csv_table(query(call.target, "table").value_or("units"));
  if (!table) {
    return error_response(make_error(
        api_errc::kBadRequest, "table must be units, documents, clauses, overdue or deadlines"));
  }
  report::ReportOptions options;
  options.now = call.ctx.clock.now();
  options.yellow_share = call.ctx.yellow_share;
  if (auto unit = query(call.target, "unit")) options.unit = UnitId(*unit);
  if (auto doc = query(call.target, "doc")) options.document = DocumentId(*doc);
  if (!call.principal.is_supervisor()) {
    if (options.unit && *options.unit != call.principal.unit) {
      return error_response(
          make_error("forbidden", "a unit reads only its own report (this token is for " +
                                      call.principal.unit.str() + ")"));
    }
    options.unit = call.principal.unit;
  }

  const auto state = call.ctx.service.read_model().state();
  const GlobalPosition position = state.checkpoint();
  // The chain hash of the position the projections stand at, so the report names exactly
  // what it was computed from (as `duban report` does).
  std::string hash(32, '\0');
  if (position.value() > 0) {
    auto at = call.ctx.store.read_all(position, 1);
    if (!at) return error_response(at.error());
    if (!at->empty()) hash = at->front().hash;
  }
  const auto& model = call.ctx.service.read_model();
  if (options.document && !model.document(*options.document).exists() &&
      model.tasks_of_document(*options.document).empty()) {
    return error_response(
        make_error("not_found", "no document '" + options.document->str() + "' in the log"));
  }
  const auto built = report::build_report(state, position, hash, options, [&](const UnitId& u) {
    return service::views::unit_name(call.ctx.units, u);
  });

  ApiResponse r;
  const std::string date = report::shanghai_date(built.now);
  if (format == "json") {
    r.body = report::render_json(built);
  } else if (format == "csv") {
    r.content_type = "text/csv; charset=utf-8";
    r.body = report::render_csv(built, *table, true);
    const std::string name(report::to_string(*table));
    r.headers.emplace_back("Content-Disposition", attachment("report-" + name + "-" + date + ".csv",
                                                             "考评-" + name + "-" + date + ".csv"));
  } else if (format == "html") {
    r.content_type = "text/html; charset=utf-8";
    r.body = report::render_html(built);
  } else {
    auto workbook = report::render_xlsx(built);
    if (!workbook) return error_response(workbook.error());
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r.body = std::move(*workbook);
    r.headers.emplace_back("Content-Disposition",
                           attachment("report-" + date + ".xlsx", "考评-" + date + ".xlsx"));
  }
  return r;
}

}  // namespace duban::server::detail
