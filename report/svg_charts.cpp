#include "report/svg_charts.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

#include "model/gazette/text.h"

namespace duban::report {
namespace {

// Fixed decimals keep the output byte-for-byte reproducible across runs.
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

bool is_wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

struct Segment {
  int count;
  const char* css;    // fill class, defined by the page
  std::string label;  // for the hover title
};

class Svg {
 public:
  Svg(double width, double height) : width_(width) {
    // No xmlns: inline SVG in HTML needs none, and the page references nothing outside itself.
    out_ =
        "<svg class=\"chart\" viewBox=\"0 0 " + num(width) + " " + num(height) + "\" role=\"img\">";
  }
  void rect(double x, double y, double w, double h, const char* css, const std::string& title) {
    out_ += "<rect class=\"" + std::string(css) + "\" x=\"" + num(x) + "\" y=\"" + num(y) +
            "\" width=\"" + num(w) + "\" height=\"" + num(h) + "\"><title>" + escape_html(title) +
            "</title></rect>";
  }
  void text(double x, double y, const std::string& s, const char* css,
            const char* anchor = "start") {
    out_ += "<text class=\"" + std::string(css) + "\" x=\"" + num(x) + "\" y=\"" + num(y) +
            "\" text-anchor=\"" + anchor + "\">" + escape_html(s) + "</text>";
  }
  void line(double x1, double y1, double x2, double y2, const char* css) {
    out_ += "<line class=\"" + std::string(css) + "\" x1=\"" + num(x1) + "\" y1=\"" + num(y1) +
            "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) + "\"/>";
  }
  std::string finish() { return out_ + "</svg>"; }
  double width() const { return width_; }

 private:
  double width_;
  std::string out_;
};

// Draws segments left to right from x, each count * scale wide; returns the end.
double stack(Svg& svg, double x, double y, double h, double scale,
             const std::vector<Segment>& parts, const std::string& who, bool counts_inside) {
  for (const auto& p : parts) {
    if (p.count <= 0) continue;
    const double w = p.count * scale;
    svg.rect(x, y, w, h, p.css, who + ": " + p.label + " " + std::to_string(p.count));
    if (counts_inside && w >= 20) {
      svg.text(x + w / 2, y + h / 2 + 4, std::to_string(p.count), "in-bar", "middle");
    }
    x += w;
  }
  return x;
}

// An axis step of 1, 2 or 5 times a power of ten giving at most four intervals up to `most`.
int nice_step(int most) {
  for (int magnitude = 1;; magnitude *= 10) {
    for (int step : {1, 2, 5}) {
      if (step * magnitude * 4 >= most) return step * magnitude;
    }
  }
}

int months_between(int y0, int m0, int y1, int m1) {
  return (y1 - y0) * 12 + (m1 - m0);
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string fit_text(std::string_view text, std::size_t max_columns) {
  const std::u32string chars = gazette::text::decode(text);
  std::size_t width = 0;
  for (char32_t c : chars) width += is_wide(c) ? 2 : 1;
  if (width <= max_columns) return std::string(text);
  std::u32string out;
  width = 0;
  for (char32_t c : chars) {
    const std::size_t w = is_wide(c) ? 2 : 1;
    if (width + w + 1 > max_columns) break;
    out.push_back(c);
    width += w;
  }
  return gazette::text::encode(out) + "…";
}

std::string completion_by_unit_chart(const Report& report, std::size_t max_rows) {
  std::vector<const UnitRow*> rows;
  for (const auto& u : report.units) {
    if (u.led > 0 && rows.size() < max_rows) rows.push_back(&u);
  }
  constexpr double kLabel = 190, kBar = 560, kRight = 150, kRow = 24, kTop = 6;
  Svg svg(kLabel + kBar + kRight, kTop * 2 + kRow * std::max<std::size_t>(rows.size(), 1));
  int most = 1;
  for (const auto* u : rows) most = std::max(most, u->led);
  const double scale = kBar / most;
  double y = kTop;
  for (const auto* u : rows) {
    svg.text(kLabel - 10, y + 15, fit_text(u->name, 26), "label", "end");
    const int late = u->closed - u->closed_on_time;
    const int open_later = u->led - u->closed - u->overdue;
    const double end = stack(svg, kLabel, y + 4, 15, scale,
                             {{u->closed_on_time, "s-ontime", "按期办结 closed on time"},
                              {late, "s-late", "逾期办结 closed late"},
                              {u->overdue, "s-overdue", "逾期未办结 overdue"},
                              {open_later, "s-open", "在办 open, not yet due"}},
                             u->name, true);
    const auto rate = u->completion();
    svg.text(end + 8, y + 15,
             std::to_string(u->closed) + "/" + std::to_string(u->led) +
                 (rate ? " · " + num(*rate * 100) + "%" : ""),
             "value");
    y += kRow;
  }
  if (rows.empty()) svg.text(kLabel, kTop + 16, "没有牵头任务 no led tasks", "label");
  return svg.finish();
}

std::string lights_by_document_chart(const Report& report) {
  constexpr double kLabel = 330, kBar = 480, kRight = 90, kRow = 30, kTop = 6;
  std::vector<const DocumentRow*> docs;
  for (const auto& d : report.documents) {
    if (d.tasks > 0) docs.push_back(&d);
  }
  Svg svg(kLabel + kBar + kRight, kTop * 2 + kRow * std::max<std::size_t>(docs.size(), 1));
  double y = kTop;
  auto at = [](const DocumentRow& d, task::Light l) {
    return d.by_light[static_cast<std::size_t>(l)];
  };
  for (const auto* d : docs) {
    const std::string name = d->number.empty() ? d->document.str() : d->number;
    svg.text(kLabel - 10, y + 13, fit_text(name, 24), "label", "end");
    if (!d->title.empty()) svg.text(kLabel - 10, y + 26, fit_text(d->title, 44), "sublabel", "end");
    stack(svg, kLabel, y + 5, 18, kBar / d->tasks,
          {{at(*d, task::Light::kDone), "l-done", "已办结/撤销 done"},
           {at(*d, task::Light::kGreen), "l-green", "绿灯 green"},
           {at(*d, task::Light::kYellow), "l-yellow", "黄灯 yellow"},
           {at(*d, task::Light::kRed), "l-red", "红灯 red"},
           {at(*d, task::Light::kNone), "l-none", "无期限 no deadline"}},
          name, true);
    svg.text(kLabel + kBar + 8, y + 19, std::to_string(d->tasks) + " 项", "value");
    y += kRow;
  }
  if (docs.empty()) svg.text(kLabel, kTop + 16, "没有任务 no tasks", "label");
  return svg.finish();
}

std::string deadlines_by_month_chart(const Report& report) {
  constexpr double kLeft = 44, kPlot = 820, kRight = 16, kTop = 34, kHeight = 200, kBottom = 30;
  Svg svg(kLeft + kPlot + kRight, kTop + kHeight + kBottom);
  if (report.deadlines.empty()) {
    svg.text(kLeft, kTop + 20, "没有截止日期 no deadlines", "label");
    return svg.finish();
  }
  auto parse_month = [](const std::string& m) {
    return std::pair<int, int>(std::stoi(m.substr(0, 4)), std::stoi(m.substr(5, 2)));
  };
  // The months from the first deadline to the last, widened to include `now`'s month so the
  // line marking it always has a place.
  const auto today = std::chrono::floor<std::chrono::days>(report.now + std::chrono::hours(8));
  const std::chrono::year_month_day ymd(today);
  const std::pair<int, int> now_month(static_cast<int>(ymd.year()),
                                      static_cast<int>(static_cast<unsigned>(ymd.month())));
  const auto [y0, m0] = std::min(parse_month(report.deadlines.front().month), now_month);
  const auto [y1, m1] = std::max(parse_month(report.deadlines.back().month), now_month);
  const int count = months_between(y0, m0, y1, m1) + 1;
  std::vector<const DeadlineMonth*> by_index(static_cast<std::size_t>(count), nullptr);
  int most = 1;
  for (const auto& m : report.deadlines) {
    const auto [y, mo] = parse_month(m.month);
    by_index[static_cast<std::size_t>(months_between(y0, m0, y, mo))] = &m;
    most = std::max(most, m.total());
  }
  const int step = nice_step(most);
  const int intervals = (most + step - 1) / step;
  const int top = step * intervals;
  const double slot = kPlot / count;
  const double bar = std::max(2.0, std::min(slot * 0.7, 48.0));
  const double scale = kHeight / top;

  // Grid and axis at whole-number steps.
  for (int i = 0; i <= intervals; ++i) {
    const double gy = kTop + kHeight - i * step * scale;
    svg.line(kLeft, gy, kLeft + kPlot, gy, i == 0 ? "axis" : "grid");
    svg.text(kLeft - 6, gy + 4, std::to_string(i * step), "tick", "end");
  }
  const int label_every = std::max(1, (count + 11) / 12);
  for (int i = 0; i < count; ++i) {
    const int year = y0 + (m0 - 1 + i) / 12, month = (m0 - 1 + i) % 12 + 1;
    char name[16];
    std::snprintf(name, sizeof name, "%04d-%02d", year, month);
    const double x = kLeft + slot * i + (slot - bar) / 2;
    if (const DeadlineMonth* m = by_index[static_cast<std::size_t>(i)]) {
      double y = kTop + kHeight;
      for (const auto& [n, css, what] : std::vector<std::tuple<int, const char*, const char*>>{
               {m->closed_on_time, "s-ontime", "按期办结 closed on time"},
               {m->closed_late, "s-late", "逾期办结 closed late"},
               {m->overdue, "s-overdue", "逾期未办结 overdue"},
               {m->open_due_later, "s-open", "在办 open, not yet due"}}) {
        if (n <= 0) continue;
        const double h = n * scale;
        y -= h;
        svg.rect(x, y, bar, h, css, std::string(name) + ": " + what + " " + std::to_string(n));
      }
      svg.text(x + bar / 2, y - 4, std::to_string(m->total()), "tick", "middle");
    }
    if (i % label_every == 0) {
      svg.text(kLeft + slot * i + slot / 2, kTop + kHeight + 16, name, "tick", "middle");
    }
  }
  // `now`, placed within its month by day.
  const int index = months_between(y0, m0, now_month.first, now_month.second);
  const double x = kLeft + slot * (index + (static_cast<unsigned>(ymd.day()) - 1) / 31.0);
  // The label sits in a band above the plot, clear of the column totals.
  svg.line(x, kTop - 20, x, kTop + kHeight, "now");
  const bool right_half = x > kLeft + kPlot / 2;
  svg.text(right_half ? x - 5 : x + 5, kTop - 12, "统计时点 " + shanghai_date(report.now),
           "now-label", right_half ? "end" : "start");
  return svg.finish();
}

}  // namespace duban::report
