#include "report/report.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <tuple>

namespace duban::report {
namespace {

using task::Light;
using task::Status;

bool closed_on_time(const task::TaskState& s) {
  if (s.status != Status::kClosed || !s.closed_at) return false;
  if (!s.deadline) return true;
  const auto due = task::deadline_instant(*s.deadline);
  return !due || *s.closed_at <= *due;
}

std::vector<std::string> names(const std::vector<UnitId>& units, const UnitNamer& name) {
  std::vector<std::string> out;
  out.reserve(units.size());
  for (const auto& u : units) out.push_back(name(u));
  return out;
}

}  // namespace

std::optional<double> UnitRow::completion() const {
  if (led == 0) return std::nullopt;
  return static_cast<double>(closed) / led;
}

std::optional<double> UnitRow::on_time() const {
  if (closed == 0) return std::nullopt;
  return static_cast<double>(closed_on_time) / closed;
}

std::string shanghai_date(Timestamp t) {
  const auto day = std::chrono::floor<std::chrono::days>(t + std::chrono::hours(8));
  const std::chrono::year_month_day ymd(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

Report build_report(const service::projections::ReadModelState& state, GlobalPosition position,
                    std::string head_hash, const ReportOptions& options, const UnitNamer& name) {
  Report r;
  r.now = options.now;
  r.position = position;
  r.head_hash = std::move(head_hash);
  r.options = options;

  auto in_scope = [&](const task::TaskState& s) {
    if (options.document && s.provenance.document != *options.document) return false;
    if (options.unit && !s.is_assigned(*options.unit)) return false;
    return true;
  };
  auto counts_for = [&](const UnitId& u) { return !options.unit || *options.unit == u; };

  std::map<UnitId, UnitRow> units;
  std::map<DocumentId, DocumentRow> documents;
  std::map<std::string, DeadlineMonth> months;

  for (const auto& [id, s] : state.tasks.tasks()) {
    if (!s.exists() || !in_scope(s)) continue;
    const Light light = task::light(s, options.now, options.yellow_share);
    const bool cancelled = s.status == Status::kCancelled;
    const bool closed = s.status == Status::kClosed;
    const bool overdue = light == Light::kRed;
    const bool on_time = closed_on_time(s);

    ++r.totals.tasks;
    if (cancelled)
      ++r.totals.cancelled;
    else if (closed)
      ++r.totals.closed;
    else
      ++r.totals.open;
    if (on_time) ++r.totals.closed_on_time;
    if (overdue) ++r.totals.overdue;
    if (s.is_open() && !s.deadline) ++r.totals.no_deadline;

    DocumentRow& doc = documents[s.provenance.document];
    doc.document = s.provenance.document;
    ++doc.tasks;
    ++doc.by_status[static_cast<std::size_t>(s.status)];
    ++doc.by_light[static_cast<std::size_t>(light)];
    int signed_units = 0;
    for (const auto& u : s.leads) signed_units += s.has_acknowledged(u);
    for (const auto& u : s.participants) signed_units += s.has_acknowledged(u);
    doc.clauses.push_back(ClauseRow{s.id,
                                    s.provenance.label,
                                    s.provenance.heading,
                                    s.provenance.line,
                                    s.status,
                                    light,
                                    s.deadline,
                                    names(s.leads, name),
                                    names(s.participants, name),
                                    signed_units,
                                    s.closed_at,
                                    {},
                                    {},
                                    0});
    doc.clauses.back().parent = s.parent;
    for (const task::ChildTask& c : s.children) {
      doc.clauses.back().children.push_back(c.task);
      const task::TaskState* child = state.tasks.task(c.task);
      doc.clauses.back().children_closed += child && child->status == Status::kClosed;
    }
    doc.clauses.back().contributions = static_cast<int>(s.contributions.size());

    if (cancelled) continue;  // a withdrawn task scores nobody
    for (const auto& u : s.leads) {
      if (!counts_for(u)) continue;
      UnitRow& row = units[u];
      ++row.led;
      row.acknowledged += s.has_acknowledged(u);
      row.closed += closed;
      row.closed_on_time += on_time;
      row.overdue += overdue;
      row.late_reports += s.late_reports;
    }
    for (const auto& u : s.participants) {
      if (!counts_for(u)) continue;
      UnitRow& row = units[u];
      ++row.joined;
      row.acknowledged += s.has_acknowledged(u);
      for (const task::Contribution& c : s.contributions) row.contributions += c.unit == u;
    }
    if (overdue) {
      const auto due = task::deadline_instant(*s.deadline);
      r.overdue.push_back(OverdueRow{s.id, s.provenance.document, s.provenance.label,
                                     s.provenance.heading, *s.deadline,
                                     task::days_overdue(*due, options.now), s.status,
                                     names(s.leads, name), s.overdue_recorded});
    }
    if (s.deadline && task::deadline_instant(*s.deadline)) {
      DeadlineMonth& m = months[s.deadline->substr(0, 7)];
      m.month = s.deadline->substr(0, 7);
      if (closed)
        (on_time ? m.closed_on_time : m.closed_late) += 1;
      else if (overdue)
        ++m.overdue;
      else
        ++m.open_due_later;
    }
  }

  // Event counts come from the scorecards, which cover the whole log: exact for a unit, not
  // split by document (the renderers show them as unavailable under a document filter).
  for (auto& [u, row] : units) {
    row.unit = u;
    row.name = name(u);
    const auto card = state.scorecards.units().find(u);
    if (card != state.scorecards.units().end()) {
      row.returned = card->second.returned;
      row.extensions = card->second.extensions;
      row.urged = card->second.urged;
    }
    r.units.push_back(row);
  }
  std::sort(r.units.begin(), r.units.end(), [](const UnitRow& a, const UnitRow& b) {
    return std::tuple(-a.led, -a.joined, a.unit) < std::tuple(-b.led, -b.joined, b.unit);
  });

  for (auto& [id, doc] : documents) {
    if (const task::DocumentState* d = state.tasks.document(id)) {
      doc.number = d->number;
      doc.title = d->title;
      doc.version = d->document_version;
    }
    std::sort(doc.clauses.begin(), doc.clauses.end(), [](const ClauseRow& a, const ClauseRow& b) {
      return std::tie(a.line, a.task) < std::tie(b.line, b.task);
    });
    r.documents.push_back(std::move(doc));
  }

  std::sort(r.overdue.begin(), r.overdue.end(), [](const OverdueRow& a, const OverdueRow& b) {
    return std::tie(b.days_overdue, a.document, a.task) <
           std::tie(a.days_overdue, b.document, b.task);
  });
  for (auto& [m, month] : months) r.deadlines.push_back(month);

  r.totals.documents = static_cast<int>(r.documents.size());
  r.totals.units = static_cast<int>(r.units.size());
  return r;
}

}  // namespace duban::report
