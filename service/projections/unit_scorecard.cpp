#include "service/projections/unit_scorecard.h"

#include <algorithm>

#include "model/task/deadline.h"

namespace duban::service::projections {
namespace {

bool contains(const std::vector<UnitId>& v, const UnitId& u) {
  return std::find(v.begin(), v.end(), u) != v.end();
}

}  // namespace

void UnitScorecards::apply(const TaskChange& c) {
  checkpoint_ = c.position;
  const task::TaskState& s = c.after;
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, task::TaskCreated>) {
          for (const auto& u : s.leads) ++units_[u].assigned;
          for (const auto& u : s.participants) ++units_[u].assigned;
        } else if constexpr (std::is_same_v<E, task::TaskReassigned>) {
          auto was_on = [&](const UnitId& u) {
            return contains(e.old_leads, u) || contains(e.old_participants, u);
          };
          for (const auto& u : s.leads)
            if (!was_on(u)) ++units_[u].assigned;
          for (const auto& u : s.participants)
            if (!was_on(u)) ++units_[u].assigned;
        } else if constexpr (std::is_same_v<E, task::TaskAcknowledged>) {
          ++units_[e.unit].acknowledged;
        } else if constexpr (std::is_same_v<E, task::ProgressReported>) {
          ++units_[e.unit].progress_reports;
        } else if constexpr (std::is_same_v<E, task::TaskClosed>) {
          std::optional<Timestamp> due;
          if (s.deadline) due = task::deadline_instant(*s.deadline);
          const bool on_time = !due || e.closed_at <= *due;
          for (const auto& u : s.leads) {
            Scorecard& card = units_[u];
            ++card.closed;
            if (on_time) ++card.closed_on_time;
          }
        } else if constexpr (std::is_same_v<E, task::TaskOverdue>) {
          for (const auto& u : s.leads) ++units_[u].overdue;
        } else if constexpr (std::is_same_v<E, task::ProgressReportOverdue>) {
          for (const auto& u : s.leads) ++units_[u].late_reports;
        } else if constexpr (std::is_same_v<E, task::TaskReturned>) {
          ++units_[e.unit].returned;
        } else if constexpr (std::is_same_v<E, task::ExtensionApproved>) {
          if (c.before.extension_unit) ++units_[*c.before.extension_unit].extensions;
        } else if constexpr (std::is_same_v<E, task::TaskUrged>) {
          if (e.unit) {
            ++units_[*e.unit].urged;
          } else {
            for (const auto& u : s.leads) ++units_[u].urged;
            for (const auto& u : s.participants) ++units_[u].urged;
          }
        }
      },
      c.event);
}

}  // namespace duban::service::projections
