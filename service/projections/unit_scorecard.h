// UnitScorecards: per unit, counts of what happened to its tasks, as the supervising office
// reviews units (考核). Every count comes from recorded events, never from the clock, so a rebuild
// reproduces it exactly; time-dependent figures (open now, red now) are added at query time
// (ReadModel::scorecards()).
//
// A plain value: not thread-safe by itself (ReadModel guards it). Comparable.
#pragma once

#include <unordered_map>
#include <utility>

#include "model/ids.h"
#include "service/projections/change.h"

namespace duban::service::projections {

struct Scorecard {
  int assigned = 0;          // times the unit joined a task (TaskCreated, or added by a
                             // TaskReassigned); a role change on the same task does not count
  int acknowledged = 0;      // TaskAcknowledged by the unit (签收)
  int progress_reports = 0;  // ProgressReported by the unit
  int closed = 0;          // TaskClosed while the unit was a lead (a reopened task may count twice)
  int closed_on_time = 0;  // those closed at or before the deadline then in force, or without one
  int overdue = 0;         // TaskOverdue recorded while the unit was a lead
  int returned = 0;        // TaskReturned of the unit's completion (退办)
  int extensions = 0;      // ExtensionApproved on the unit's request
  int urged = 0;           // TaskUrged aimed at the unit, or at every unit of its task
  int late_reports = 0;    // ProgressReportOverdue (a reporting period without progress) while
                           // the unit was a lead
  bool operator==(const Scorecard&) const = default;
};

class UnitScorecards {
 public:
  void apply(const TaskChange& change);
  void skip(GlobalPosition position) { checkpoint_ = position; }

  const std::unordered_map<UnitId, Scorecard>& units() const { return units_; }

  // A projection with exactly these counts, as a snapshot stored them.
  static UnitScorecards restore(std::unordered_map<UnitId, Scorecard> units,
                                GlobalPosition checkpoint) {
    UnitScorecards p;
    p.units_ = std::move(units);
    p.checkpoint_ = checkpoint;
    return p;
  }

  GlobalPosition checkpoint() const { return checkpoint_; }
  bool operator==(const UnitScorecards&) const = default;

 private:
  std::unordered_map<UnitId, Scorecard> units_;
  GlobalPosition checkpoint_;
};

}  // namespace duban::service::projections
