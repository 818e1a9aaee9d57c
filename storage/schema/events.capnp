# The payloads of duban's domain events (model/task/events.h), one struct per event type. The
# store keeps each payload as opaque bytes next to its type name and schema version (the
# envelope, docs/storage.md); storage/event_codec.cpp is the only code that reads or writes these
# structs, and docs/events.md lists what every field means.
#
# Evolution rules (docs/events.md, "Payload encoding and versions"):
#   - a field number is never changed or reused; a new field takes the next free number;
#   - a retired field stays here, renamed with an `obsolete` prefix and its comment kept;
#   - enums only gain enumerants at the end;
#   - a field whose absence in an older payload does not already read as the right value (or a
#     change of meaning) bumps the event type's kSchemaVersion in model/task/events.h and adds
#     an upcaster in event_codec.cpp, tested on a stored old payload (tests/data/).
#
# Conventions: times are Int64 milliseconds since the Unix epoch, UTC; dates are ISO 8601
# `YYYY-MM-DD` Text; units are canonical unit ids (Text). An optional value is an inline named
# union whose first member is `none :Void`, so an unset union reads as "absent".
@0xde2c85865e693966;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("duban::storage::schema");

# How the lead units share completion (task::Mode).
enum Mode {
  lead @0;         # 牵头: leads share one completion
  separately @1;   # 分别负责: each lead owns its part
  responsible @2;  # 负责: every named unit is responsible; completion shared
}

# The role a unit plays in a task (task::Role).
enum Role {
  lead @0;         # may report completion and request extensions
  participant @1;  # may acknowledge and report progress
}

# Where a task comes from (task::Provenance), embedded in TaskCreated and TaskRevised.
struct Provenance {
  document @0 :Text;         # document id: issuing number as printed, or the title
  label @1 :Text;            # clause numbering as printed: "11.(2)", "(四)", "三、"
  heading @2 :Text;          # clause text up to the first 。
  text @3 :Text;             # the whole clause
  line @4 :Int32;            # 1-based first source line of the clause
  endLine @5 :Int32;         # last source line, inclusive
  # Added with TaskCreated schema version 2 (document revisions). Absent from TaskCreated v1
  # payloads, where the upcaster fills them in; TaskRevised has always written them.
  part @6 :Text;             # document body or attachment title holding the clause
  documentVersion @7 :Int32; # DocumentRegistered.version the clause text was read from (>= 1)
}

# A document (or a new version of one) was ingested. Document stream. Schema version 1.
struct DocumentRegistered {
  document @0 :Text;         # document id
  number @1 :Text;           # issuing number; empty when none is printed
  title @2 :Text;            # document title
  issuer @3 :Text;           # issuing office; empty when not found
  signedDate @4 :Text;       # ISO date signed; empty when not found
  parts @5 :List(Text);      # body and attachment titles holding clauses
  version @6 :Int32;         # 1 for the first text, +1 for each revised text
  contentHash @7 :Text;      # hash of the ingested text ("sha256:<hex>" from duban ingest)
}

# A task was created from a clause (立项). First event of every task stream. Schema version 2
# (v1 lacked provenance.part and provenance.documentVersion; see the upcaster).
struct TaskCreated {
  task @0 :Text;                  # task id; the stream is "task/<task>"
  provenance @1 :Provenance;      # the clause and document version it came from
  mode @2 :Mode;                  # how the leads share completion
  leads @3 :List(Text);           # lead units, at least one
  participants @4 :List(Text);    # participating units, never also a lead
  deadline :union {               # the clause's last deadline
    none @5 :Void;                # no deadline
    date @6 :Text;                # ISO date
  }
  createdAtMs @7 :Int64;          # start of the window the status light measures
  # Added without a version bump (absent = none): the document's reading when it differs from
  # the fields above (a draft corrected before 交办, a deadline resolved from a relative span).
  reading :union {
    none @8 :Void;                # the fields above are the reading (every older payload)
    value @9 :Reading;            # becomes TaskState.as_read
  }
  # Added without a version bump (absent = empty): the parent task of a child task (转办, or a
  # group expanded into its members); empty for a document's task.
  parent @10 :Text;
}

# A unit was given the task (交办). Schema version 1.
struct UnitAssigned {
  unit @0 :Text;                  # the unit
  role @1 :Role;                  # its role
  documentVersion :union {        # the document version whose ingest caused it
    none @2 :Void;                # a person, not an ingest, caused it
    version @3 :Int32;            # DocumentRegistered.version
  }
}

# The supervisor changed the lead or participating units (or the mode). Schema version 1.
struct TaskReassigned {
  oldMode @0 :Mode;                   # mode before
  newMode @1 :Mode;                   # mode after; a change restarts every completion part
  oldLeads @2 :List(Text);            # leads before
  oldParticipants @3 :List(Text);     # participants before
  newLeads @4 :List(Text);            # leads after
  newParticipants @5 :List(Text);     # participants after
  reason @6 :Text;                    # why; an ingest writes "document revision N"
  documentVersion :union {            # the revised document that caused it
    none @7 :Void;                    # a person caused it
    version @8 :Int32;                # DocumentRegistered.version
  }
}

# What a document version says about a clause's units and deadline (task::Reading).
struct Reading {
  mode @0 :Mode;                  # how the leads share completion
  leads @1 :List(Text);           # lead units
  participants @2 :List(Text);    # participating units
  deadline :union {               # the clause's last deadline
    none @3 :Void;                # no deadline
    date @4 :Text;                # ISO date
  }
}

# The clause behind a task changed in a revised document. Schema version 1.
struct TaskRevised {
  provenance @0 :Provenance;      # the new clause; provenance.documentVersion is the revision
  reading :union {                # the revision's reading of units and deadline
    none @1 :Void;                # written before revisions were three-way
    value @2 :Reading;            # becomes TaskState.as_read
  }
}

# A unit acknowledged receipt (签收). Schema version 1.
struct TaskAcknowledged {
  unit @0 :Text;                  # the unit that signed for the task
  atMs @1 :Int64;                 # when
}

# A unit reported progress (进度反馈). Schema version 1.
struct ProgressReported {
  unit @0 :Text;                  # the reporting unit
  note @1 :Text;                  # may be empty when a percentage is given
  percent :union {                # how far along the unit says it is
    none @2 :Void;                # not given
    value @3 :Int32;              # 0..100
  }
  atMs @4 :Int64;                 # when
  attachments @5 :List(Attachment); # evidence by hash; empty in payloads written before it
}

# The supervisor urged the task (催办). Schema version 1.
struct TaskUrged {
  target :union {                 # whom the urge is aimed at
    everyone @0 :Void;            # every unit on the task
    unit @1 :Text;                # one assigned unit
  }
  note @2 :Text;                  # what the supervisor said
}

# A lead unit asked for a later deadline (延期申请). Schema version 1.
struct ExtensionRequested {
  unit @0 :Text;                  # the lead asking
  requestedDeadline @1 :Text;     # ISO date, later than the current deadline
  reason @2 :Text;                # why
}

# The supervisor granted the pending extension. Schema version 1.
struct ExtensionApproved {
  newDeadline @0 :Text;           # ISO date now in force
  previousDeadline :union {       # the deadline it replaces
    none @1 :Void;                # there was none
    date @2 :Text;                # ISO date
  }
}

# The supervisor refused the pending extension. Schema version 1.
struct ExtensionRejected {
  reason @0 :Text;                # why
}

# The deadline was set, changed or cleared. Schema version 1.
struct DeadlineSet {
  deadline :union {               # the new deadline
    none @0 :Void;                # cleared
    date @1 :Text;                # ISO date
  }
  previousDeadline :union {       # the deadline it replaces
    none @2 :Void;                # there was none
    date @3 :Text;                # ISO date
  }
  reason @4 :Text;                # why; an ingest writes "document revision N"
  documentVersion :union {        # the revised document that caused it
    none @5 :Void;                # a person caused it
    version @6 :Int32;            # DocumentRegistered.version
  }
}

# A lead unit reported completion (办结报告). Schema version 1.
struct CompletionReported {
  unit @0 :Text;                  # the reporting lead (its part, in separately mode)
  summary @1 :Text;               # what was done
  atMs @2 :Int64;                 # when
  attachments @3 :List(Attachment); # evidence by hash; empty in payloads written before it
}

# The supervisor approved a reported completion (审核). Schema version 1.
struct CompletionApproved {
  unit @0 :Text;                  # the part's lead (separately) or the lead that reported
}

# Every part is approved: the task is done (销号). Schema version 1.
struct TaskClosed {
  closedAtMs @0 :Int64;           # when; compared with the deadline for "closed on time"
}

# A reported completion was sent back for rework (退办). Schema version 1.
struct TaskReturned {
  unit @0 :Text;                  # whose completion (part) goes back
  reason @1 :Text;                # why
}

# A closed task was reopened. Schema version 1.
struct TaskReopened {
  reason @0 :Text;                # why
}

# The task was withdrawn. Schema version 1.
struct TaskCancelled {
  reason @0 :Text;                # why; an ingest writes "clause removed in document revision N"
  documentVersion :union {        # the revised document that caused it
    none @1 :Void;                # a person caused it
    version @2 :Int32;            # DocumentRegistered.version
  }
  cancelledAtMs @3 :Int64;        # when
}

# Recorded by the deadline sweep (actor system) when the light first turns yellow. Schema
# version 1.
struct DeadlineApproaching {
  deadline @0 :Text;              # ISO date of the deadline that is approaching
  atMs @1 :Int64;                 # the sweep's `now`
}

# Recorded by the deadline sweep (actor system) when an open task first passes its deadline.
# Schema version 1.
struct TaskOverdue {
  deadline @0 :Text;              # ISO date of the deadline that passed
  atMs @1 :Int64;                 # the sweep's `now`
}

# The supervisor set (or cleared) the task's reporting cycle (每月/每季度 报送进展). Schema
# version 1.
struct ReportingCycleSet {
  cycle @0 :Text;                 # "none" | "monthly" | "quarterly"
  previous @1 :Text;              # the cycle before, same names
  reason @2 :Text;                # why
  atMs @3 :Int64;                 # when; the first period counted is the next one after it
}

# Recorded by the sweep (actor system) when the current period's report is due within a week
# and nobody has reported in the period yet. Schema version 1.
struct ProgressReportDue {
  period @0 :Text;                # "2016-03" (monthly) or "2016-Q1" (quarterly)
  due @1 :Text;                   # ISO date: the period's last day
  atMs @2 :Int64;                 # the sweep's `now`
}

# Recorded by the sweep (actor system) when a period ended without a progress report (a late
# report). Schema version 1.
struct ProgressReportOverdue {
  period @0 :Text;                # "2016-03" (monthly) or "2016-Q1" (quarterly)
  due @1 :Text;                   # ISO date: the period's last day
  atMs @2 :Int64;                 # the sweep's `now`
}

# --- Drafts (拟办): a document's reading under review, stream "draft/<document>".

# What a DraftCorrected event changed (task::Correction). Enumerants are only appended.
enum Correction {
  units @0;        # the clause's units and roles
  mode @1;         # how the leads share completion
  label @2;        # numbering and/or heading
  deadline @3;     # deadline set, changed or cleared
  split @4;        # one clause became two
  merge @5;        # two clauses became one
  drop @6;         # the clause is not a task
  add @7;          # a clause the parser missed
  unitName @8;     # a unit name mapped to a directory unit changed the clause
}

# One unit named by a draft clause (task::DraftUnit).
struct DraftUnit {
  mention @0 :Text;               # the unit as written
  unit @1 :Text;                  # directory id, or "unknown:<mention>"
  role @2 :Role;                  # lead or participant
}

# One clause of a draft (task::DraftClause), embedded in DraftRecorded and DraftCorrected.
struct DraftClause {
  key @0 :Text;                   # the clause's name within its draft ("c7")
  part @1 :Text;                  # document body or attachment title
  label @2 :Text;                 # numbering as printed
  heading @3 :Text;               # text up to the first 。
  text @4 :Text;                  # the whole clause
  mode @5 :Mode;                  # how the leads share completion
  units @6 :List(DraftUnit);      # leads and participants, in the order read
  deadline :union {               # when the whole task is due
    none @7 :Void;                # no deadline
    date @8 :Text;                # ISO date
  }
  deadlineText @9 :Text;          # the deadline as written; empty when none
  line @10 :Int32;                # 1-based first source line
  endLine @11 :Int32;             # last source line, inclusive
  confidence @12 :Float64;        # how sure the machine's reading is, 0..1
  why @13 :List(Text);            # why the confidence is below 1
}

# A document was read for review (duban ingest --review). Draft stream. Schema version 1.
struct DraftRecorded {
  document @0 :Text;              # document id
  number @1 :Text;                # issuing number; empty when none is printed
  title @2 :Text;                 # document title
  issuer @3 :Text;                # issuing office; empty when not found
  signedDate @4 :Text;            # ISO date signed; empty when not found
  parts @5 :List(Text);           # body and attachment titles holding clauses
  version @6 :Int32;              # the document version publishing registers
  contentHash @7 :Text;           # hash of the text read
  clauses @8 :List(DraftClause);  # the machine's reading, in document order
}

# The supervisor corrected a draft: `before` replaced by `after`. Draft stream. Schema version 1.
struct DraftCorrected {
  kind @0 :Correction;            # what was corrected
  before @1 :List(DraftClause);   # the clauses as they were
  after @2 :List(DraftClause);    # what replaces them
  reason @3 :Text;                # why; required for a drop
}

# The reviewed draft became tasks (交办). Draft stream. Schema version 1.
struct DraftPublished {
  version @0 :Int32;              # the document version registered
  tasks @1 :List(Text);           # task ids created, in document order
  publishedAtMs @2 :Int64;        # when
}

# A unit name was mapped to a directory unit. Stream "unit-names". Schema version 1.
struct UnitNameMapped {
  name @0 :Text;                  # the name as written in documents
  unit @1 :Text;                  # the directory unit it means
}

# An account was opened (model/account/events.h). First event of an account stream.
# Schema version 1.
struct AccountCreated {
  account @0 :Text;               # login name, the stream's id suffix
  displayName @1 :Text;           # the person's name as the audit shows it
  unit @2 :Text;                  # unit the person acts for; empty for the supervising office
  roles @3 :List(Text);           # "handler", "unit_head", "inspector", "leader"
  passwordHash @4 :Text;          # crypto_pwhash_str encoding (Argon2id); never the password
  createdAtMs @5 :Int64;          # when it was opened
}

# The account may no longer sign in. Schema version 1.
struct AccountDisabled {
  reason @0 :Text;                # why, for the audit
  atMs @1 :Int64;                 # when
}

# The account's roles were replaced. Schema version 1.
struct AccountRolesChanged {
  roles @0 :List(Text);           # the new roles, as in AccountCreated
  atMs @1 :Int64;                 # when
}

# The account's password was set anew. Schema version 1.
struct PasswordReset {
  passwordHash @0 :Text;          # crypto_pwhash_str encoding (Argon2id)
  atMs @1 :Int64;                 # when
}

# Too many failed sign-ins: sign-in refused until untilMs. Schema version 1.
struct SignInLockedOut {
  address @0 :Text;               # client address of the last failed attempt
  failures @1 :Int32;             # failed attempts counted in the window
  untilMs @2 :Int64;              # sign-in refused until then
  atMs @3 :Int64;                 # when the lock-out began
}

# The unit directory an ingest read unit names with. Stream "unit-directory". Schema version 1.
struct UnitDirectoryRecorded {
  tsv @0 :Text;                   # the directory's whole text (data/units.tsv's format)
  sha256 @1 :Text;                # "sha256:" + hex SHA-256 of tsv
  source @2 :Text;                # the --units file as given, or "built-in"
}

# A handler reported completion for a unit that requires sign-off; it awaits the unit head.
# Schema version 1.
struct CompletionSubmitted {
  unit @0 :Text;                  # the lead unit whose completion (part) it is
  summary @1 :Text;               # the handler's summary
  atMs @2 :Int64;                 # when
  attachments @3 :List(Attachment); # evidence by hash; empty in payloads written before it
}

# The unit head signed off a submitted completion (负责人审核). Schema version 1.
struct CompletionSignedOff {
  unit @0 :Text;                  # the lead unit
  note @1 :Text;                  # the head's remark; may be empty
  atMs @2 :Int64;                 # when
}

# The unit head refused to sign off a submitted completion. Schema version 1.
struct SignOffRefused {
  unit @0 :Text;                  # the lead unit
  reason @1 :Text;                # what the handler must change
  atMs @2 :Int64;                 # when
}

# Whether a unit's completions need its head's sign-off. Stream "unit-policy/<unit>".
# Schema version 1.
struct UnitSignOffRequired {
  unit @0 :Text;                  # the unit
  required @1 :Bool;              # true: needed from now on; false: no longer
  atMs @2 :Int64;                 # when
}

# An API token was issued (model/account/token_events.h). First event of a token stream
# ("token/<token id>"). Schema version 1.
struct TokenIssued {
  token @0 :Text;                 # token id ("tok-" + 12 hex), the stream's id suffix
  name @1 :Text;                  # what the token is for, unique among live tokens
  scope @2 :Text;                 # "office", "unit" or "account"
  unit @3 :Text;                  # the unit, for scope "unit"; else empty
  account @4 :Text;               # the account's login, for scope "account"; else empty
  secretHash @5 :Text;            # lowercase hex SHA-256 of the token text; never the text
  expiresAtMs @6 :Int64;          # refused from then on; 0: never expires
  issuedAtMs @7 :Int64;           # when
}

# An API token was revoked: refused from now on, on every node. Schema version 1.
struct TokenRevoked {
  reason @0 :Text;                # why, for the audit (may be empty)
  atMs @1 :Int64;                 # when
}

# A piece of evidence a report carries (task::Attachment): the bytes are in the store's blob
# table under their SHA-256 (docs/storage.md, "Attachments"). Embedded in ProgressReported,
# CompletionReported and CompletionSubmitted.
struct Attachment {
  sha256 @0 :Text;                # lowercase hex SHA-256 of the bytes: the blob's key
  name @1 :Text;                  # file name as uploaded (UTF-8, no path)
  mediaType @2 :Text;             # type sniffed from the content ("application/pdf", ...)
  size @3 :Int64;                 # bytes
}

# A child task was created under this task (转办 by a lead, or a group expanded by the office).
# The child's stream starts with a TaskCreated whose parent is this task. Schema version 1.
struct ChildTaskCreated {
  child @0 :Text;                 # the child task's id ("<this task>~<unit>")
  unit @1 :Text;                  # the child's lead unit
  deadline :union {               # the child's deadline, no later than this task's
    none @2 :Void;                # no deadline
    date @3 :Text;                # ISO date
  }
  delegatedBy @4 :Text;           # the lead unit that handed it down (转办); empty: an expansion
  group @5 :Text;                 # the group unit expanded; empty for 转办
  note @6 :Text;                  # what the child is asked to do; may be empty
  atMs @7 :Int64;                 # when
}

# A participating unit (配合单位) reported its contribution to the task. Schema version 1.
struct ContributionReported {
  unit @0 :Text;                  # the participant
  text @1 :Text;                  # what it did
  atMs @2 :Int64;                 # when
  attachments @3 :List(Attachment); # evidence by hash; empty in payloads written before it
}

# The supervisor said at review whether completions of the document's tasks must carry evidence.
# Draft stream. Schema version 1.
struct DraftEvidenceRequirementSet {
  required @0 :Bool;              # true: a completion without attachments is refused
  reason @1 :Text;                # why; may be empty
}

# Whether the task's completions must carry evidence changed. Schema version 1.
struct EvidenceRequirementSet {
  required @0 :Bool;              # true: a completion needs at least one attachment
  reason @1 :Text;                # why
  documentVersion :union {        # the published document version that caused it
    none @2 :Void;                # set by hand
    version @3 :Int32;            # DocumentRegistered.version
  }
}
