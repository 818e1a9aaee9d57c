// The HTML report: one page, readable at a glance from the top (figures, then three charts),
// with the detail below (unit table, overdue list, every document's clauses in collapsible
// sections). Inline CSS only; the charts are SVG from svg_charts.cpp; no script, no fonts or
// images fetched: the page is safe to mail and archive. No generation time is printed, so the
// same log position and --now always give the same bytes.
#include <cstdio>

#include "report/render.h"
#include "report/svg_charts.h"
#include "report/tables.h"
#include "storage/hash_chain.h"

namespace duban::report {
namespace {

constexpr const char* kStyle = R"css(
:root { --ink:#1f2933; --muted:#616e7c; --line:#e4e7eb; --bg:#f5f7fa; --card:#fff;
  --ontime:#2e7d32; --late:#9ccc65; --overdue:#d32f2f; --open:#90a4ae;
  --done:#607d8b; --green:#43a047; --yellow:#f9a825; --red:#e53935; --none:#cfd8dc; }
* { box-sizing:border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font:14px/1.55 "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
  "WenQuanYi Micro Hei","Helvetica Neue",Arial,sans-serif; }
.page { max-width:1120px; margin:0 auto; padding:28px 28px 48px; }
header.top { background:linear-gradient(135deg,#16324f,#1f4e79); color:#fff; border-radius:10px;
  padding:22px 28px; margin-bottom:18px; }
header.top .kicker { letter-spacing:.12em; font-size:12px; opacity:.8; text-transform:uppercase; }
header.top h1 { margin:4px 0 6px; font-size:26px; font-weight:600; }
header.top .meta { font-size:13px; opacity:.9; }
header.top code { background:rgba(255,255,255,.12); padding:1px 6px; border-radius:4px; }
.kpis { display:grid; grid-template-columns:repeat(6,1fr); gap:12px; margin-bottom:18px; }
.kpi { background:var(--card); border-radius:8px; padding:12px 14px; border:1px solid var(--line); }
.kpi .v { font-size:26px; font-weight:600; }
.kpi .k { font-size:12px; color:var(--muted); }
.kpi.bad .v { color:var(--overdue); } .kpi.good .v { color:var(--ontime); }
section { background:var(--card); border:1px solid var(--line); border-radius:10px;
  padding:18px 22px; margin-bottom:18px; }
h2 { font-size:17px; margin:0 0 2px; font-weight:600; }
h2 .en, th .en, .kpi .en { color:var(--muted); font-weight:400; font-size:12px; margin-left:6px; }
p.note { color:var(--muted); font-size:12px; margin:2px 0 10px; }
.legend { display:flex; flex-wrap:wrap; gap:14px; font-size:12px; color:var(--muted); margin:6px 0 8px; }
.legend i { display:inline-block; width:11px; height:11px; border-radius:2px; margin-right:5px;
  vertical-align:-1px; }
svg.chart { width:100%; height:auto; display:block; }
svg text { font-family:inherit; }
svg .label { font-size:13px; fill:var(--ink); } svg .sublabel { font-size:11px; fill:var(--muted); }
svg .value { font-size:12px; fill:var(--muted); } svg .tick { font-size:11px; fill:var(--muted); }
svg .in-bar { font-size:11px; fill:#fff; font-weight:600; }
svg .grid { stroke:var(--line); } svg .axis { stroke:#9aa5b1; }
svg .now { stroke:#1f4e79; stroke-width:1.5; stroke-dasharray:5 4; }
svg .now-label { font-size:11px; fill:#1f4e79; font-weight:600; }
.s-ontime { fill:var(--ontime); } .s-late { fill:var(--late); } .s-overdue { fill:var(--overdue); }
.s-open { fill:var(--open); } .l-done { fill:var(--done); } .l-green { fill:var(--green); }
.l-yellow { fill:var(--yellow); } .l-red { fill:var(--red); } .l-none { fill:var(--none); }
i.s-ontime { background:var(--ontime); } i.s-late { background:var(--late); }
i.s-overdue { background:var(--overdue); } i.s-open { background:var(--open); }
i.l-done { background:var(--done); } i.l-green { background:var(--green); }
i.l-yellow { background:var(--yellow); } i.l-red { background:var(--red); } i.l-none { background:var(--none); }
table { width:100%; border-collapse:collapse; font-size:13px; }
th { text-align:left; font-weight:600; color:var(--muted); font-size:12px; border-bottom:2px solid var(--line);
  padding:6px 8px; white-space:nowrap; }
td { border-bottom:1px solid var(--line); padding:6px 8px; vertical-align:top; }
td.n, th.n { text-align:right; font-variant-numeric:tabular-nums; }
td.nw, td.n { white-space:nowrap; }
tr:hover td { background:#fafbfc; }
.rate { display:inline-block; width:64px; height:7px; background:var(--line); border-radius:4px;
  margin-right:6px; vertical-align:1px; overflow:hidden; }
.rate b { display:block; height:100%; background:var(--ontime); }
.dot { display:inline-block; width:9px; height:9px; border-radius:50%; margin-right:5px; }
.dot.green { background:var(--green); } .dot.yellow { background:var(--yellow); }
.dot.red { background:var(--red); } .dot.none { background:var(--none); } .dot.done { background:var(--done); }
.badge { font-size:11px; padding:1px 7px; border-radius:9px; background:#eef2f6; color:#3e4c59; white-space:nowrap; }
.badge.closed { background:#e3f1e4; color:#1b5e20; } .badge.cancelled { background:#eceff1; color:#78909c; }
.badge.completion_reported { background:#fff4d6; color:#8a5a00; }
.late { color:var(--overdue); font-weight:600; }
details { border-top:1px solid var(--line); padding:8px 0; }
details summary { cursor:pointer; font-weight:600; }
details summary .counts { font-weight:400; color:var(--muted); font-size:12px; margin-left:8px; }
footer { color:var(--muted); font-size:12px; }
footer dt { font-weight:600; color:var(--ink); } footer dd { margin:0 0 6px 0; }
@media print { body { background:#fff; } section, .kpi { break-inside:avoid; } }
)css";

std::string pct(std::optional<double> share) {
  if (!share) return "–";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", *share * 100.0);
  return buf;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : "、") + n;
  return out.empty() ? "–" : out;
}

class Page {
 public:
  Page& raw(std::string_view s) {
    out_ += s;
    return *this;
  }
  Page& text(std::string_view s) {
    out_ += escape_html(s);
    return *this;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

void legend(Page& p, std::initializer_list<std::pair<const char*, const char*>> items) {
  p.raw("<div class=\"legend\">");
  for (const auto& [css, label] : items) {
    p.raw("<span><i class=\"").raw(css).raw("\"></i>").text(label).raw("</span>");
  }
  p.raw("</div>");
}

void kpi(Page& p, const std::string& value, const char* zh, const char* en, const char* css = "") {
  p.raw("<div class=\"kpi ")
      .raw(css)
      .raw("\"><div class=\"v\">")
      .text(value)
      .raw("</div><div class=\"k\">")
      .text(zh)
      .raw("<span class=\"en\">")
      .text(en)
      .raw("</span></div></div>");
}

std::string scope_title(const Report& r) {
  std::string t = "全部单位与文件";
  if (r.options.unit && !r.units.empty())
    t = "单位：" + r.units.front().name;
  else if (r.options.unit)
    t = "单位：" + r.options.unit->str();
  if (r.options.document) {
    std::string doc = r.options.document->str();
    if (!r.documents.empty() && !r.documents.front().title.empty())
      doc += " " + r.documents.front().title;
    t = (r.options.unit ? t + " · " : std::string()) + "文件：" + doc;
  }
  return t;
}

// A parent's children's progress ("3/8 已办结"), a child's parent ("上级 T1"), else "–".
std::string children_text(const ClauseRow& c) {
  if (!c.children.empty()) {
    return std::to_string(c.children_closed) + "/" + std::to_string(c.children.size()) + " 已办结";
  }
  if (!c.parent.empty()) return "上级 " + c.parent.str();
  return "–";
}

}  // namespace

std::string render_html(const Report& r) {
  Page p;
  const bool by_document = r.options.document.has_value();
  p.raw(
       "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
      .text("督办考评报告 " + shanghai_date(r.now))
      .raw("</title>\n<style>")
      .raw(kStyle)
      .raw("</style>\n</head>\n<body>\n<div class=\"page\">\n");

  // Header: what this is, as of when, and the log it was computed from.
  p.raw("<header class=\"top\"><div class=\"kicker\">督办考评报告 · Supervision report</div><h1>")
      .text(scope_title(r))
      .raw("</h1><div class=\"meta\">统计时点 as of <b>")
      .text(shanghai_date(r.now))
      .raw("</b> (Asia/Shanghai) · 日志位置 log position <code>")
      .text(std::to_string(r.position.value()))
      .raw("</code> · 链哈希 chain hash <code>")
      .text(storage::to_hex(r.head_hash).substr(0, 16))
      .raw("…</code></div></header>\n");

  const auto& t = r.totals;
  const int finished = t.closed;
  const int scored = t.tasks - t.cancelled;
  p.raw("<div class=\"kpis\">");
  kpi(p, std::to_string(t.tasks), "任务总数", "tasks");
  kpi(p,
      std::to_string(t.closed) +
          (scored ? " · " + pct(static_cast<double>(t.closed) / scored) : ""),
      "已办结", "closed", "good");
  kpi(p, finished ? pct(static_cast<double>(t.closed_on_time) / finished) : "–", "按期办结率",
      "on time");
  kpi(p, std::to_string(t.overdue), "逾期未办结", "overdue now", t.overdue ? "bad" : "");
  kpi(p, std::to_string(t.open), "在办", "open");
  kpi(p, std::to_string(t.cancelled), "已撤销", "cancelled");
  p.raw("</div>\n");

  p.raw(
      "<section><h2>各单位办结情况<span class=\"en\">Completion by lead unit</span></h2>"
      "<p "
      "class=\"note\">每条为该单位牵头的任务（不含已撤销），按牵头任务数排序；右侧为已办结/"
      "牵头数与办结率。</p>");
  legend(p, {{"s-ontime", "按期办结 closed on time"},
             {"s-late", "逾期办结 closed late"},
             {"s-overdue", "逾期未办结 overdue"},
             {"s-open", "在办未到期 open, not yet due"}});
  p.raw(completion_by_unit_chart(r));
  int leading = 0;
  for (const auto& u : r.units) leading += u.led > 0;
  if (leading > 30) {
    p.raw("<p class=\"note\">另有 ")
        .text(std::to_string(leading - 30))
        .raw(" 个牵头单位见下表 (more units in the table below).</p>");
  }
  p.raw("</section>\n");

  p.raw(
      "<section><h2>各文件任务状态灯<span class=\"en\">Status lights by document</span></h2>"
      "<p class=\"note\">各文件任务在统计时点的状态灯占比；数字为任务数。</p>");
  legend(p, {{"l-done", "已办结/撤销 done"},
             {"l-green", "绿灯 green"},
             {"l-yellow", "黄灯 yellow (时限将至)"},
             {"l-red", "红灯 red (逾期)"},
             {"l-none", "无期限 no deadline"}});
  p.raw(lights_by_document_chart(r)).raw("</section>\n");

  p.raw(
      "<section><h2>截止时间分布<span class=\"en\">Deadlines by month</span></h2>"
      "<p class=\"note\">按当前截止日期所在月份统计（不含已撤销），虚线为统计时点。</p>");
  legend(p, {{"s-ontime", "按期办结 closed on time"},
             {"s-late", "逾期办结 closed late"},
             {"s-overdue", "逾期未办结 overdue"},
             {"s-open", "未到期 not yet due"}});
  p.raw(deadlines_by_month_chart(r)).raw("</section>\n");

  // The unit scorecard (考评表).
  p.raw("<section><h2>单位考评表<span class=\"en\">Unit scorecard</span></h2>");
  if (by_document) {
    p.raw("<p class=\"note\">按文件筛选时，退办、延期、催办次数无法按文件拆分，以“–”表示。</p>");
  }
  p.raw(
      "<table><thead><tr><th>单位<span class=\"en\">unit</span></th>"
      "<th class=\"n\">牵头</th><th class=\"n\">参与</th><th class=\"n\">签收</th>"
      "<th class=\"n\">办结</th><th class=\"n\">按期</th><th class=\"n\">逾期</th>"
      "<th class=\"n\">退办</th><th class=\"n\">延期</th><th class=\"n\">催办</th>"
      "<th>办结率</th><th class=\"n\">按期率</th><th class=\"n\">迟报</th>"
      "<th class=\"n\">配合报告</th></tr></thead><tbody>");
  for (const auto& u : r.units) {
    auto cell = [&](int v) { p.raw("<td class=\"n\">").text(std::to_string(v)).raw("</td>"); };
    auto event_cell = [&](int v) {
      p.raw("<td class=\"n\">").text(by_document ? "–" : std::to_string(v)).raw("</td>");
    };
    p.raw("<tr><td>").text(u.name).raw("</td>");
    cell(u.led);
    cell(u.joined);
    cell(u.acknowledged);
    cell(u.closed);
    cell(u.closed_on_time);
    p.raw(u.overdue ? "<td class=\"n late\">" : "<td class=\"n\">")
        .text(std::to_string(u.overdue))
        .raw("</td>");
    event_cell(u.returned);
    event_cell(u.extensions);
    event_cell(u.urged);
    const auto rate = u.completion();
    char width[16];
    std::snprintf(width, sizeof width, "%.0f", rate ? *rate * 100 : 0.0);
    p.raw("<td><span class=\"rate\"><b style=\"width:")
        .raw(width)
        .raw("%\"></b></span>")
        .text(pct(rate))
        .raw("</td><td class=\"n\">")
        .text(pct(u.on_time()))
        .raw("</td>");
    p.raw(u.late_reports ? "<td class=\"n late\">" : "<td class=\"n\">")
        .text(std::to_string(u.late_reports))
        .raw("</td>");
    cell(u.contributions);
    p.raw("</tr>");
  }
  p.raw("</tbody></table></section>\n");

  p.raw("<section><h2>逾期未办结任务<span class=\"en\">Overdue tasks</span></h2>");
  if (r.overdue.empty()) {
    p.raw("<p class=\"note\">统计时点没有逾期未办结的任务。No task is overdue at this time.</p>");
  } else {
    p.raw(
        "<table><thead><tr><th>文件</th><th>条款</th><th>任务</th><th>牵头单位</th><th>截止</th>"
        "<th class=\"n\">逾期天数</th><th>状态</th></tr></thead><tbody>");
    for (const auto& o : r.overdue) {
      p.raw("<tr><td class=\"nw\">")
          .text(o.document.str())
          .raw("</td><td class=\"nw\">")
          .text(o.label)
          .raw("</td><td>")
          .text(fit_text(o.heading, 60))
          .raw("</td><td>")
          .text(join(o.leads))
          .raw("</td><td class=\"nw\">")
          .text(o.deadline)
          .raw("</td><td class=\"n late\">")
          .text(std::to_string(o.days_overdue))
          .raw("</td><td class=\"nw\"><span class=\"badge\">")
          .text(status_zh(o.status))
          .raw("</span></td></tr>");
    }
    p.raw("</tbody></table>");
  }
  p.raw("</section>\n");

  p.raw(
      "<section><h2>分文件条款进度<span class=\"en\">Progress by clause</span></h2>"
      "<p class=\"note\">点击文件展开其条款。</p>");
  for (const auto& d : r.documents) {
    auto s = [&](task::Status st) { return d.by_status[static_cast<std::size_t>(st)]; };
    p.raw("<details><summary>").text(d.number.empty() ? d.document.str() : d.number);
    if (!d.title.empty()) p.raw(" ").text(d.title);
    p.raw("<span class=\"counts\">")
        .text(std::to_string(d.tasks) + " 项 · 已办结 " + std::to_string(s(task::Status::kClosed)) +
              " · 已撤销 " + std::to_string(s(task::Status::kCancelled)))
        .raw(
            "</span></summary><table><thead><tr><th>条款</th><th>任务</th><th>牵头单位</th>"
            "<th>参与单位</th><th>状态</th><th>状态灯</th><th>截止</th><th>子任务</th>"
            "<th class=\"n\">配合报告</th></tr></thead><tbody>");
    for (const auto& c : d.clauses) {
      p.raw("<tr><td class=\"nw\">")
          .text(c.label)
          .raw("</td><td>")
          .text(fit_text(c.heading, 56))
          .raw("</td><td>")
          .text(join(c.leads))
          .raw("</td><td>")
          .text(join(c.participants))
          .raw("</td><td class=\"nw\"><span class=\"badge ")
          .raw(task::to_string(c.status))
          .raw("\">")
          .text(status_zh(c.status))
          .raw("</span></td><td class=\"nw\"><span class=\"dot ")
          .raw(task::to_string(c.light))
          .raw("\"></span>")
          .text(light_zh(c.light))
          .raw("</td><td class=\"nw\">")
          .text(c.deadline.value_or("–"))
          .raw("</td><td class=\"nw children\">")
          .text(children_text(c))
          .raw("</td><td class=\"n\">")
          .text(std::to_string(c.contributions))
          .raw("</td></tr>");
    }
    p.raw("</tbody></table></details>");
  }
  p.raw("</section>\n");

  p.raw(
       "<footer><dl>"
       "<dt>口径 How the figures are "
       "counted</dt><dd>牵头/参与按任务当前分工计算，已撤销任务不计入单位考评；"
       "按期办结指在当时有效的截止日期（含已批准的延期）当天结束前（北京时间）办结；逾期指统计时点"
       "仍未办结且已过截止日期；"
       "退办、延期、催办为日志中记录的次数。</dd>"
       "<dt>复核 Reproduce</dt><dd>同一日志位置与统计时点总得出同一报告：<code>duban report "
       "--position ")
      .text(std::to_string(r.position.value()))
      .raw(" --now ")
      .text(shanghai_date(r.now))
      .raw(" --format html</code>；用 <code>duban audit verify --head ")
      .text(std::to_string(r.position.value()) + ":" + storage::to_hex(r.head_hash))
      .raw("</code> 证明日志自此未被改动。</dd></dl></footer>\n</div>\n</body>\n</html>\n");
  return p.take();
}

}  // namespace duban::report
