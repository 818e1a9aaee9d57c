# A snapshot of every projection (service/projections/) at one position of the event log, so a
# server (or `duban audit asof`) starts from it and replays only the events after it. The file
# around this message (magic, lengths, SHA-256 checksum of this message) is described in
# service/snapshot_format.h and docs/audit.md; storage/snapshot_codec.cpp is the only code that
# reads or writes these structs.
#
# A snapshot is a cache, never a source of truth: a loader that refuses one replays the whole
# log instead. That makes evolution simpler than for events.capnp:
#   - field numbers are never changed or reused; new fields take the next free number;
#   - a change of meaning (of a field, or of what a projection counts) bumps formatVersion or
#     projectionsVersion (service/snapshot_format.h); a loader refuses any other version, so an
#     old snapshot is rebuilt from the log rather than misread.
#
# Conventions: times are Int64 milliseconds since the Unix epoch, UTC; dates are ISO 8601
# `YYYY-MM-DD` Text; ids are Text. An optional value is an inline named union whose first member
# is `none :Void`. Lists of map entries are written sorted by key, so the same state always
# encodes to the same bytes.
@0xc30a0715c155faf6;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("duban::service::schema::snapshot");

struct Snapshot {
  formatVersion @0 :UInt32;       # kSnapshotFormatVersion of the writer: layout and meaning here
  projectionsVersion @1 :UInt32;  # kProjectionsVersion of the writer: what projections compute
  position @2 :Int64;             # last log position applied to every projection (>= 1)
  chainHash @3 :Data;             # the 32-byte hash of the event at `position`, as stored
  takenAtMs @4 :Int64;            # wall-clock time the snapshot was written; informational
  lastRecordedAtMs @5 :Int64;     # recorded_at of the event at `position`
  maxRecordedAtMs @6 :Int64;      # the largest recorded_at of events 1..position, so `asof
                                  # --time T` may start here when it is <= T
  tasks @7 :TaskTable;            # TaskTable: every task's and document's state
  inbox @8 :UnitInbox;            # UnitInbox: per unit, its tasks and roles
  progress @9 :DocumentProgress;  # DocumentProgress: per document, tasks by status
  overdue @10 :OverdueIndex;      # OverdueIndex: open tasks with a deadline, by deadline instant
  scorecards @11 :UnitScorecards; # UnitScorecards: per unit, counts from the log
}

# task::Mode.
enum Mode {
  lead @0;         # 牵头: leads share one completion
  separately @1;   # 分别负责: each lead owns its part
  responsible @2;  # 负责: every named unit is responsible; completion shared
}

# task::Role.
enum Role {
  lead @0;         # may report completion and request extensions
  participant @1;  # may acknowledge and report progress
}

# task::Status.
enum Status {
  assigned @0;            # created; no unit acknowledged or reported yet
  inProgress @1;          # acknowledged, progress reported, or returned
  completionReported @2;  # a completion awaits review
  closed @3;              # every part approved
  cancelled @4;           # withdrawn
}

# task::PartStatus.
enum PartStatus {
  open @0;      # being worked on
  reported @1;  # completion reported, awaiting review
  approved @2;  # approved
  awaitingSignOff @3;  # submitted by a handler, awaiting the unit head's sign-off
}

# task::Provenance: the clause a task comes from.
struct Provenance {
  document @0 :Text;          # document id
  documentVersion @1 :Int32;  # version of the document text the clause was read from
  part @2 :Text;              # body or attachment title holding the clause
  label @3 :Text;             # clause numbering as printed
  heading @4 :Text;           # clause text up to the first 。
  text @5 :Text;              # the whole clause
  line @6 :Int32;             # first source line, 1-based
  endLine @7 :Int32;          # last source line, inclusive
}

# task::Part: one share of completion.
struct Part {
  lead @0 :Text;          # owning lead in separately mode; empty for the shared part
  status @1 :PartStatus;  # open, reported, approved or awaiting sign-off
  reportedBy @2 :Text;    # the lead that reported the current completion; empty if none
  summary @3 :Text;       # its summary
}

# task::PendingExtension.
struct PendingExtension {
  unit @0 :Text;               # the lead that asked
  requestedDeadline @1 :Text;  # ISO date
  reason @2 :Text;             # why
}

# task::TaskState, every field.
struct TaskState {
  id @0 :Text;                     # task id
  provenance @1 :Provenance;       # current clause
  mode @2 :Mode;                   # how leads share completion
  leads @3 :List(Text);            # lead units, in order
  participants @4 :List(Text);     # participating units, in order
  parts @5 :List(Part);            # completion parts
  status @6 :Status;               # lifecycle status
  acknowledged @7 :List(Text);     # units that signed, in order
  extension :union {               # the pending extension request
    none @8 :Void;                 # none pending
    pending @9 :PendingExtension;  # this one
  }
  deadline :union {                # current deadline
    none @10 :Void;                # no deadline
    date @11 :Text;                # ISO date
  }
  originalDeadline :union {        # the first deadline the task ever had
    none @12 :Void;                # never had one
    date @13 :Text;                # ISO date
  }
  urges @14 :Int32;                # TaskUrged count
  returns @15 :Int32;              # TaskReturned count
  extensions @16 :Int32;           # ExtensionApproved count
  approachingRecorded @17 :Bool;   # DeadlineApproaching recorded for the current deadline
  overdueRecorded @18 :Bool;       # TaskOverdue recorded for the current deadline
  createdAtMs @19 :Int64;          # when the task was created
  closedAt :union {                # latest close, cleared by reopen
    none @20 :Void;                # not closed
    ms @21 :Int64;                 # when
  }
  cancelledAt :union {             # when cancelled
    none @22 :Void;                # not cancelled
    ms @23 :Int64;                 # when
  }
  version @24 :Int64;              # stream version: events applied
  asRead @25 :Reading;             # the document's latest reading of the clause
  reportingCycle @26 :Text;        # "none" | "monthly" | "quarterly"
  firstReportPeriod @27 :Int32;    # the first reporting period counted (model/task/reporting.h)
  progressMonths @28 :List(Int32); # sorted months (year*12 + month-1) with progress reported
  reportDuePeriod @29 :Int32;      # latest period with ProgressReportDue recorded
  reportOverduePeriod @30 :Int32;  # latest period with ProgressReportOverdue recorded
  lateReports @31 :Int32;          # ProgressReportOverdue count
  parent @32 :Text;                # the parent of a child task; empty otherwise
  children @33 :List(ChildTask);   # child tasks created under this one, in order
  contributions @34 :List(Contribution);  # participants' contributions, in order
  evidenceRequired @35 :Bool;      # completions must carry an attachment (EvidenceRequirementSet)
}

# task::ChildTask: a child task created under a task (ChildTaskCreated).
struct ChildTask {
  task @0 :Text;                   # the child's id
  unit @1 :Text;                   # its lead
  deadline :union {                # its deadline as created
    none @2 :Void;                 # none
    date @3 :Text;                 # ISO date
  }
  delegatedBy @4 :Text;            # the lead that handed it down (转办); empty for an expansion
  group @5 :Text;                  # the group expanded; empty for 转办
}

# task::Contribution: a participant's contribution (ContributionReported).
struct Contribution {
  unit @0 :Text;                   # the participant
  text @1 :Text;                   # what it did
  atMs @2 :Int64;                  # when
}

# task::Reading: what a document version says about a clause's units and deadline.
struct Reading {
  mode @0 :Mode;                   # how leads share completion
  leads @1 :List(Text);            # lead units, in order
  participants @2 :List(Text);     # participating units, in order
  deadline :union {                # the clause's deadline
    none @3 :Void;                 # none
    date @4 :Text;                 # ISO date
  }
}

# task::DocumentState, every field.
struct DocumentState {
  id @0 :Text;               # document id
  number @1 :Text;           # issuing number; empty when none is printed
  title @2 :Text;            # title
  issuer @3 :Text;           # issuing office
  signedDate @4 :Text;       # ISO date; empty when not found
  parts @5 :List(Text);      # body and attachment titles
  documentVersion @6 :Int32; # latest registered version
  contentHash @7 :Text;      # hash of the latest registered version
  version @8 :Int64;         # stream version: events applied
}

# One document's task ids in creation order (TaskTable::tasks_of).
struct DocumentTasks {
  document @0 :Text;       # document id
  tasks @1 :List(Text);    # task ids, in creation order
}

struct TaskTable {
  checkpoint @0 :Int64;                   # last applied position
  tasks @1 :List(TaskState);              # sorted by id
  documents @2 :List(DocumentState);      # sorted by id
  tasksByDocument @3 :List(DocumentTasks); # sorted by document id
}

# One unit's entry in the inbox.
struct InboxTask {
  task @0 :Text;  # task id
  role @1 :Role;  # the unit's role on it
}

struct UnitInboxEntry {
  unit @0 :Text;              # unit id
  tasks @1 :List(InboxTask);  # sorted by task id
}

struct UnitInbox {
  checkpoint @0 :Int64;            # last applied position
  units @1 :List(UnitInboxEntry);  # sorted by unit id
}

# One document's task counts, indexed by Status ordinal (5 entries).
struct DocumentCounts {
  document @0 :Text;         # document id
  byStatus @1 :List(Int32);  # count per Status, in enum order
}

struct DocumentProgress {
  checkpoint @0 :Int64;                # last applied position
  documents @1 :List(DocumentCounts);  # sorted by document id
}

# One open task with a deadline.
struct OverdueEntry {
  deadlineMs @0 :Int64;  # the instant its deadline ends (task::deadline_instant)
  task @1 :Text;         # task id
}

struct OverdueIndex {
  checkpoint @0 :Int64;              # last applied position
  entries @1 :List(OverdueEntry);    # sorted by (deadlineMs, task)
}

# projections::Scorecard, every count.
struct Scorecard {
  unit @0 :Text;             # unit id
  assigned @1 :Int32;        # times the unit joined a task
  acknowledged @2 :Int32;    # TaskAcknowledged by the unit
  progressReports @3 :Int32; # ProgressReported by the unit
  closed @4 :Int32;          # TaskClosed while a lead
  closedOnTime @5 :Int32;    # of those, on time
  overdue @6 :Int32;         # TaskOverdue while a lead
  returned @7 :Int32;        # TaskReturned of the unit's completion
  extensions @8 :Int32;      # ExtensionApproved on the unit's request
  urged @9 :Int32;           # TaskUrged aimed at the unit or its whole task
  lateReports @10 :Int32;    # ProgressReportOverdue while a lead
}

struct UnitScorecards {
  checkpoint @0 :Int64;        # last applied position
  units @1 :List(Scorecard);   # sorted by unit id
}
