// kProjectionsVersion against what the projections depend on: the fingerprint of the snapshot
// schema and the event catalogue (projections_fingerprint.h) must equal the last entry of
// kProjectionsHistory (service/snapshot_format.h), so changing either without appending an
// entry, which bumps kProjectionsVersion, fails here with the entry to append. The fingerprint
// reacts to a test-only event type, a new schema version and a new snapshot field, and not to
// comments.
#include <gtest/gtest.h>

#include <variant>

#include "model/task/events.h"
#include "service/schema/snapshot.capnp.h"
#include "service/snapshot_format.h"
#include "tests/service/fixtures/snapshot_changes.capnp.h"
#include "tests/service/projections_fingerprint.h"

namespace duban::service::testing {
namespace {

capnp::StructSchema snapshot_root() {
  return capnp::Schema::from<schema::snapshot::Snapshot>();
}

TEST(ProjectionsVersion, TheFingerprintMatchesTheLastEntry) {
  const std::string description = projections_description<task::Event>(snapshot_root());
  const std::string fingerprint = fingerprint_of(description);
  const ProjectionsRevision& last = kProjectionsHistory[std::size(kProjectionsHistory) - 1];
  EXPECT_EQ(fingerprint, last.fingerprint)
      << "The snapshot schema (service/schema/snapshot.capnp) or the event catalogue "
         "(model/task/events.h) changed since projections version "
      << kProjectionsVersion << ". Append\n    {\"" << fingerprint
      << "\", \"<what changed>\"},\nto kProjectionsHistory in service/snapshot_format.h (never "
         "edit an existing entry): that makes kProjectionsVersion "
      << kProjectionsVersion + 1
      << ", so snapshots written before are rebuilt from the log instead of loaded. What the "
         "fingerprint now covers:\n"
      << description;
}

TEST(ProjectionsVersion, TheVersionIsTheNumberOfEntries) {
  EXPECT_EQ(kProjectionsVersion, std::size(kProjectionsHistory));
  for (const ProjectionsRevision& r : kProjectionsHistory) {
    EXPECT_EQ(r.fingerprint.size(), 16u) << r.change;
    EXPECT_FALSE(r.change.empty());
  }
}

TEST(ProjectionsVersion, TheDescriptionCoversTheWholeSnapshotSchemaAndTheEvents) {
  const std::string d = projections_description<task::Event>(snapshot_root());
  for (const char* expected :
       {"struct Snapshot {", "  projectionsVersion @1 :UInt32\n", "struct UnitScorecards {",
        "  extension group {\n", "    pending |1 @9 :struct PendingExtension\n",
        "enum Status { assigned inProgress completionReported closed cancelled }",
        " TaskCreated/2 ", " TaskOverdue/1 ", " SignInLockedOut/1 "}) {
    EXPECT_NE(d.find(expected), std::string::npos) << expected << "\nnot in\n" << d;
  }
}

// An event added in a test-only variant, the way docs/events.md ("Adding an event type") says.
struct TaskStarred {
  static constexpr std::string_view kType = "TaskStarred";
  static constexpr int kSchemaVersion = 1;
  UnitId unit;
  bool operator==(const TaskStarred&) const = default;
};

// The same type at schema version 2.
struct TaskStarredV2 : TaskStarred {
  static constexpr int kSchemaVersion = 2;
};

template <class... E>
using WithEvents = std::variant<task::DocumentRegistered, task::TaskCreated, E...>;

TEST(ProjectionsVersion, AddingAnEventTypeOrVersionChangesTheFingerprint) {
  const auto before = projections_fingerprint<WithEvents<>>(snapshot_root());
  EXPECT_NE(before, projections_fingerprint<WithEvents<TaskStarred>>(snapshot_root()));
  EXPECT_NE(projections_fingerprint<WithEvents<TaskStarred>>(snapshot_root()),
            projections_fingerprint<WithEvents<TaskStarredV2>>(snapshot_root()));
  EXPECT_NE(projections_fingerprint<task::Event>(snapshot_root()),
            projections_fingerprint<WithEvents<TaskStarred>>(snapshot_root()));
}

TEST(ProjectionsVersion, ASnapshotSchemaChangeChangesTheFingerprintButACommentDoesNot) {
  namespace f = fixtures::snapshot_changes;
  auto print = [](capnp::StructSchema root) {
    return projections_fingerprint<std::variant<TaskStarred>>(root);
  };
  const auto before = print(capnp::Schema::from<f::Before::Scorecard>());
  EXPECT_EQ(before, print(capnp::Schema::from<f::Recommented::Scorecard>()));
  EXPECT_NE(before, print(capnp::Schema::from<f::NewField::Scorecard>()));
  EXPECT_NE(before, print(capnp::Schema::from<f::NewEnumerant::Scorecard>()));
  EXPECT_NE(before, print(capnp::Schema::from<f::NewDefault::Scorecard>()));
}

}  // namespace
}  // namespace duban::service::testing
