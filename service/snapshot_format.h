// The snapshot file layout, shared by the writer (duban snapshot create), the loader (server
// start-up, duban audit asof) and the auditor (duban audit verify). docs/audit.md has the same
// table for people.
//
//   offset  size  field
//        0     8  magic "DUBANSNP"
//        8     4  file layout version, u32 big-endian (kSnapshotFileVersion)
//       12     4  reserved, zero
//       16     8  body length in bytes, u64 big-endian (a positive multiple of 8)
//       24    32  SHA-256 of the body
//       56     n  body: one unpacked Cap'n Proto message, Snapshot of service/schema/snapshot.capnp
//
// The checksum catches a damaged or truncated file; it is not a signature (anyone who can write
// the file can recompute it). What keeps a forged snapshot from mattering is that the loader
// checks it against the log (position and chain hash) and `duban audit verify` compares every
// snapshot with a rebuild from the log (docs/audit.md, "Snapshots").
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace duban::service {

inline constexpr std::string_view kSnapshotMagic = "DUBANSNP";
inline constexpr std::uint32_t kSnapshotFileVersion = 1;
inline constexpr std::size_t kSnapshotHeaderSize = 56;

// Snapshot.formatVersion: the meaning of the message's fields. Bump it when a field changes
// meaning; loaders refuse other versions (and rebuild from the log).
inline constexpr std::uint32_t kSnapshotFormatVersion = 1;

// What the projections compute from the log, one entry per projections version, oldest first.
// Append an entry (never edit or remove one) whenever a projection's apply() changes what it
// keeps (a new count in Scorecard, a different rule for "closed on time", a new field in
// TaskState, a new event type it folds, ...): a snapshot written by the old rules would otherwise
// be loaded as if the new rules had produced it, and differ from a full replay.
//
// `fingerprint` is the hash of the snapshot schema and the event catalogue that version was
// built with (tests/service/projections_fingerprint.h). The test
// ProjectionsVersion.TheFingerprintMatchesTheLastEntry fails when either changed without a new
// entry here, and prints the entry to append. A rule change that keeps both still needs an
// entry, with the same fingerprint as the one before.
struct ProjectionsRevision {
  std::string_view fingerprint;  // 16 hex digits, from the test's message
  std::string_view change;       // what changed, for people
};
inline constexpr ProjectionsRevision kProjectionsHistory[] = {
    {"2b6e862ac9b1b78c",
     "the first snapshots: task table, unit inbox, document progress, overdue "
     "index, unit scorecards"},
    {"3330790675a85409",
     "TaskState.asRead (three-way revisions); reporting cycles (cycle, progress months, report "
     "reminders; scorecards count late reports); draft and account events join the catalogue "
     "and the task projections skip them"},
    {"0ae576b5967e989e",
     "TaskCreated.reading: a task's asRead is the machine's reading when a draft was corrected "
     "before 交办 or its deadline came from a relative span; sign-off within a unit: PartStatus "
     "awaitingSignOff; UnitDirectoryRecorded, CompletionSubmitted, CompletionSignedOff, "
     "SignOffRefused, UnitSignOffRequired, TokenIssued and TokenRevoked join the catalogue (the "
     "task projections skip UnitDirectoryRecorded, UnitSignOffRequired and the token events)"},
    {"e326fad2eee172d5",
     "child tasks and contributions (issue 15): TaskState.parent, children and contributions; "
     "ChildTaskCreated and ContributionReported join the catalogue; TaskCreated.parent; child "
     "tasks stay out of tasks_of_document"},
    {"ad5c68b1ae7c30ec",
     "evidence required with completions (issue 15): TaskState.evidenceRequired; "
     "DraftEvidenceRequirementSet (a draft event the task projections skip) and "
     "EvidenceRequirementSet join the catalogue"},
};

// Snapshot.projectionsVersion: the number of entries above. Loaders refuse snapshots of any
// other version (and rebuild from the log).
inline constexpr std::uint32_t kProjectionsVersion = std::size(kProjectionsHistory);

// Snapshot files in a snapshot directory are named "snapshot-<position, 20 digits>.dbsnap", so
// listing them in name order is listing them in position order.
inline constexpr std::string_view kSnapshotFilePrefix = "snapshot-";
inline constexpr std::string_view kSnapshotFileSuffix = ".dbsnap";

}  // namespace duban::service
