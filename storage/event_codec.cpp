// One write() and one read() per event type, mapping model/task/events.h fields onto
// storage/schema/events.capnp, plus the upcasters; the dispatch on (type, schema version) is the
// generic machinery of storage/schema/event_wire.h instantiated for task::Event.
// Keep the two functions of a type next to each other: a field written but not read (or read
// with another number) is the bug this layout makes visible.
#include "storage/event_codec.h"

#include <utility>

#include "model/task/reporting.h"
#include "storage/schema/event_schemas.h"
#include "storage/schema/event_wire.h"
#include "storage/schema/events.capnp.h"

namespace duban::storage::wire {
namespace {

namespace s = schema;
using task::Deadline;

// ---------------------------------------------------------------------------------------------
// Scalar helpers (text() and str() are in event_wire.h)

void write_units(capnp::List<capnp::Text>::Builder list, const std::vector<UnitId>& units) {
  for (unsigned i = 0; i < units.size(); ++i) list.set(i, text(units[i].str()));
}
std::vector<UnitId> read_units(capnp::List<capnp::Text>::Reader list) {
  std::vector<UnitId> out;
  out.reserve(list.size());
  for (auto t : list) out.emplace_back(str(t));
  return out;
}

s::Mode to_wire(task::Mode m) {
  switch (m) {
    case task::Mode::kLead:
      return s::Mode::LEAD;
    case task::Mode::kSeparately:
      return s::Mode::SEPARATELY;
    case task::Mode::kResponsible:
      return s::Mode::RESPONSIBLE;
  }
  return s::Mode::LEAD;
}
task::Mode from_wire(s::Mode m, Problems& p) {
  switch (m) {
    case s::Mode::LEAD:
      return task::Mode::kLead;
    case s::Mode::SEPARATELY:
      return task::Mode::kSeparately;
    case s::Mode::RESPONSIBLE:
      return task::Mode::kResponsible;
  }
  p.note("unknown mode " + std::to_string(static_cast<int>(m)));
  return task::Mode::kLead;
}
s::Role to_wire(task::Role r) {
  return r == task::Role::kLead ? s::Role::LEAD : s::Role::PARTICIPANT;
}
task::Role from_wire(s::Role r, Problems& p) {
  switch (r) {
    case s::Role::LEAD:
      return task::Role::kLead;
    case s::Role::PARTICIPANT:
      return task::Role::kParticipant;
  }
  p.note("unknown role " + std::to_string(static_cast<int>(r)));
  return task::Role::kLead;
}

std::int64_t millis(Timestamp t) {
  return to_millis(t);
}

// Optional values are named unions { none :Void; <value> }; these write and read each shape.
template <class B>
void write_date(B b, const Deadline& d) {
  if (d)
    b.setDate(text(*d));
  else
    b.setNone();
}
template <class R>
Deadline read_date(R r) {
  if (r.isDate()) return str(r.getDate());
  return std::nullopt;
}
template <class B>
void write_version(B b, const std::optional<int>& v) {
  if (v)
    b.setVersion(*v);
  else
    b.setNone();
}
template <class R>
std::optional<int> read_version(R r) {
  if (r.isVersion()) return r.getVersion();
  return std::nullopt;
}

void write_provenance(s::Provenance::Builder b, const task::Provenance& p) {
  b.setDocument(text(p.document.str()));
  b.setLabel(text(p.label));
  b.setHeading(text(p.heading));
  b.setText(text(p.text));
  b.setLine(p.line);
  b.setEndLine(p.end_line);
  b.setPart(text(p.part));
  b.setDocumentVersion(p.document_version);
}
task::Provenance read_provenance(s::Provenance::Reader r) {
  task::Provenance p;
  p.document = DocumentId(str(r.getDocument()));
  p.label = str(r.getLabel());
  p.heading = str(r.getHeading());
  p.text = str(r.getText());
  p.line = r.getLine();
  p.end_line = r.getEndLine();
  p.part = str(r.getPart());
  p.document_version = r.getDocumentVersion();
  return p;
}

// Draft clauses (DraftRecorded, DraftCorrected).
s::Correction to_wire(task::Correction c) {
  switch (c) {
    case task::Correction::kUnits:
      return s::Correction::UNITS;
    case task::Correction::kMode:
      return s::Correction::MODE;
    case task::Correction::kLabel:
      return s::Correction::LABEL;
    case task::Correction::kDeadline:
      return s::Correction::DEADLINE;
    case task::Correction::kSplit:
      return s::Correction::SPLIT;
    case task::Correction::kMerge:
      return s::Correction::MERGE;
    case task::Correction::kDrop:
      return s::Correction::DROP;
    case task::Correction::kAdd:
      return s::Correction::ADD;
    case task::Correction::kUnitName:
      return s::Correction::UNIT_NAME;
  }
  return s::Correction::UNITS;
}
task::Correction from_wire(s::Correction c, Problems& p) {
  switch (c) {
    case s::Correction::UNITS:
      return task::Correction::kUnits;
    case s::Correction::MODE:
      return task::Correction::kMode;
    case s::Correction::LABEL:
      return task::Correction::kLabel;
    case s::Correction::DEADLINE:
      return task::Correction::kDeadline;
    case s::Correction::SPLIT:
      return task::Correction::kSplit;
    case s::Correction::MERGE:
      return task::Correction::kMerge;
    case s::Correction::DROP:
      return task::Correction::kDrop;
    case s::Correction::ADD:
      return task::Correction::kAdd;
    case s::Correction::UNIT_NAME:
      return task::Correction::kUnitName;
  }
  p.note("unknown correction " + std::to_string(static_cast<int>(c)));
  return task::Correction::kUnits;
}

void write_clause(s::DraftClause::Builder b, const task::DraftClause& c) {
  b.setKey(text(c.key));
  b.setPart(text(c.part));
  b.setLabel(text(c.label));
  b.setHeading(text(c.heading));
  b.setText(text(c.text));
  b.setMode(to_wire(c.mode));
  auto units = b.initUnits(static_cast<unsigned>(c.units.size()));
  for (unsigned i = 0; i < c.units.size(); ++i) {
    units[i].setMention(text(c.units[i].mention));
    units[i].setUnit(text(c.units[i].unit.str()));
    units[i].setRole(to_wire(c.units[i].role));
  }
  write_date(b.initDeadline(), c.deadline);
  b.setDeadlineText(text(c.deadline_text));
  b.setLine(c.line);
  b.setEndLine(c.end_line);
  b.setConfidence(c.confidence);
  auto why = b.initWhy(static_cast<unsigned>(c.why.size()));
  for (unsigned i = 0; i < c.why.size(); ++i) why.set(i, text(c.why[i]));
}
task::DraftClause read_clause(s::DraftClause::Reader r, Problems& p) {
  task::DraftClause c;
  c.key = str(r.getKey());
  c.part = str(r.getPart());
  c.label = str(r.getLabel());
  c.heading = str(r.getHeading());
  c.text = str(r.getText());
  c.mode = from_wire(r.getMode(), p);
  for (auto u : r.getUnits()) {
    c.units.push_back(
        task::DraftUnit{str(u.getMention()), UnitId(str(u.getUnit())), from_wire(u.getRole(), p)});
  }
  c.deadline = read_date(r.getDeadline());
  c.deadline_text = str(r.getDeadlineText());
  c.line = r.getLine();
  c.end_line = r.getEndLine();
  c.confidence = r.getConfidence();
  for (auto t : r.getWhy()) c.why.push_back(str(t));
  return c;
}
template <class B>
void write_attachments(B b, const task::Attachments& list) {
  auto out = b.initAttachments(static_cast<unsigned>(list.size()));
  for (unsigned i = 0; i < list.size(); ++i) {
    out[i].setSha256(text(list[i].sha256));
    out[i].setName(text(list[i].name));
    out[i].setMediaType(text(list[i].media_type));
    out[i].setSize(list[i].size);
  }
}
template <class R>
task::Attachments read_attachments(R r) {
  task::Attachments out;
  out.reserve(r.getAttachments().size());
  for (auto a : r.getAttachments()) {
    out.push_back(
        task::Attachment{str(a.getSha256()), str(a.getName()), str(a.getMediaType()), a.getSize()});
  }
  return out;
}
template <class B>
void write_clauses(B list, const std::vector<task::DraftClause>& clauses) {
  for (unsigned i = 0; i < clauses.size(); ++i) write_clause(list[i], clauses[i]);
}
template <class R>
std::vector<task::DraftClause> read_clauses(R list, Problems& p) {
  std::vector<task::DraftClause> out;
  out.reserve(list.size());
  for (auto c : list) out.push_back(read_clause(c, p));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Upcasters: from a payload read with the current schema at an older version, the current event.
// Each says what changed in that version and why the result is right for old payloads.

// TaskCreated v1 → v2. Version 1 was written before document revisions existed: its provenance
// had no `part` and no `documentVersion`, so both read back as their capnp defaults ("" and 0).
// - documentVersion: a v1 task could only come from the first registered text of its document,
//   so it is 1 (0 would mean "no version", which a TaskCreated never had).
// - part: v1 ingests keyed every task as clause_task_id() = "<document>|<part>|<label>", so the
//   part is recovered from the task id when the id has that shape; otherwise it stays unknown
//   (empty), which plan_ingest() then sees as a text change and revises on the next ingest.
task::TaskCreated upcast_task_created_v1(task::TaskCreated e) {
  e.provenance.document_version = 1;
  const std::string& id = e.task.str();
  const std::string prefix = e.provenance.document.str() + "|";
  const std::string suffix = "|" + e.provenance.label;
  if (e.provenance.part.empty() && id.size() >= prefix.size() + suffix.size() &&
      id.compare(0, prefix.size(), prefix) == 0 &&
      id.compare(id.size() - suffix.size(), suffix.size(), suffix) == 0) {
    e.provenance.part = id.substr(prefix.size(), id.size() - prefix.size() - suffix.size());
  }
  return e;
}

// ---------------------------------------------------------------------------------------------
// One write/read pair per event type. Wire<E>::Schema names the capnp struct.

}  // namespace

template <>
struct Wire<task::DocumentRegistered> {
  using Schema = s::DocumentRegistered;
  static void write(Schema::Builder b, const task::DocumentRegistered& e) {
    b.setDocument(text(e.document.str()));
    b.setNumber(text(e.number));
    b.setTitle(text(e.title));
    b.setIssuer(text(e.issuer));
    b.setSignedDate(text(e.signed_date));
    auto parts = b.initParts(static_cast<unsigned>(e.parts.size()));
    for (unsigned i = 0; i < e.parts.size(); ++i) parts.set(i, text(e.parts[i]));
    b.setVersion(e.version);
    b.setContentHash(text(e.content_hash));
  }
  static task::DocumentRegistered read(Schema::Reader r, Problems&) {
    task::DocumentRegistered e;
    e.document = DocumentId(str(r.getDocument()));
    e.number = str(r.getNumber());
    e.title = str(r.getTitle());
    e.issuer = str(r.getIssuer());
    e.signed_date = str(r.getSignedDate());
    for (auto t : r.getParts()) e.parts.push_back(str(t));
    e.version = r.getVersion();
    e.content_hash = str(r.getContentHash());
    return e;
  }
};

// An optional task::Reading as TaskCreated.reading carries it (TaskRevised writes its own).
template <class Union>
void write_reading(Union u, const std::optional<task::Reading>& reading) {
  if (!reading) {
    u.setNone();
    return;
  }
  auto v = u.initValue();
  v.setMode(to_wire(reading->mode));
  write_units(v.initLeads(static_cast<unsigned>(reading->leads.size())), reading->leads);
  write_units(v.initParticipants(static_cast<unsigned>(reading->participants.size())),
              reading->participants);
  write_date(v.initDeadline(), reading->deadline);
}

template <class Union>
std::optional<task::Reading> read_reading(Union u, Problems& p) {
  if (!u.isValue()) return std::nullopt;
  auto v = u.getValue();
  return task::Reading{from_wire(v.getMode(), p), read_units(v.getLeads()),
                       read_units(v.getParticipants()), read_date(v.getDeadline())};
}

template <>
struct Wire<task::TaskCreated> {
  using Schema = s::TaskCreated;
  static void write(Schema::Builder b, const task::TaskCreated& e) {
    b.setTask(text(e.task.str()));
    write_provenance(b.initProvenance(), e.provenance);
    b.setMode(to_wire(e.mode));
    write_units(b.initLeads(static_cast<unsigned>(e.leads.size())), e.leads);
    write_units(b.initParticipants(static_cast<unsigned>(e.participants.size())), e.participants);
    write_date(b.initDeadline(), e.deadline);
    b.setCreatedAtMs(millis(e.created_at));
    write_reading(b.initReading(), e.reading);
    b.setParent(text(e.parent.str()));
  }
  static task::TaskCreated read(Schema::Reader r, Problems& p) {
    task::TaskCreated e;
    e.task = TaskId(str(r.getTask()));
    e.provenance = read_provenance(r.getProvenance());
    e.mode = from_wire(r.getMode(), p);
    e.leads = read_units(r.getLeads());
    e.participants = read_units(r.getParticipants());
    e.deadline = read_date(r.getDeadline());
    e.created_at = from_millis(r.getCreatedAtMs());
    e.reading = read_reading(r.getReading(), p);
    e.parent = TaskId(str(r.getParent()));
    return e;
  }
  static task::TaskCreated upcast(task::TaskCreated e, int from_version) {
    if (from_version == 1) e = upcast_task_created_v1(std::move(e));
    return e;
  }
};

template <>
struct Wire<task::UnitAssigned> {
  using Schema = s::UnitAssigned;
  static void write(Schema::Builder b, const task::UnitAssigned& e) {
    b.setUnit(text(e.unit.str()));
    b.setRole(to_wire(e.role));
    write_version(b.initDocumentVersion(), e.document_version);
  }
  static task::UnitAssigned read(Schema::Reader r, Problems& p) {
    return task::UnitAssigned{UnitId(str(r.getUnit())), from_wire(r.getRole(), p),
                              read_version(r.getDocumentVersion())};
  }
};

template <>
struct Wire<task::TaskReassigned> {
  using Schema = s::TaskReassigned;
  static void write(Schema::Builder b, const task::TaskReassigned& e) {
    b.setOldMode(to_wire(e.old_mode));
    b.setNewMode(to_wire(e.new_mode));
    write_units(b.initOldLeads(static_cast<unsigned>(e.old_leads.size())), e.old_leads);
    write_units(b.initOldParticipants(static_cast<unsigned>(e.old_participants.size())),
                e.old_participants);
    write_units(b.initNewLeads(static_cast<unsigned>(e.new_leads.size())), e.new_leads);
    write_units(b.initNewParticipants(static_cast<unsigned>(e.new_participants.size())),
                e.new_participants);
    b.setReason(text(e.reason));
    write_version(b.initDocumentVersion(), e.document_version);
  }
  static task::TaskReassigned read(Schema::Reader r, Problems& p) {
    task::TaskReassigned e;
    e.old_mode = from_wire(r.getOldMode(), p);
    e.new_mode = from_wire(r.getNewMode(), p);
    e.old_leads = read_units(r.getOldLeads());
    e.old_participants = read_units(r.getOldParticipants());
    e.new_leads = read_units(r.getNewLeads());
    e.new_participants = read_units(r.getNewParticipants());
    e.reason = str(r.getReason());
    e.document_version = read_version(r.getDocumentVersion());
    return e;
  }
};

template <>
struct Wire<task::TaskRevised> {
  using Schema = s::TaskRevised;
  static void write(Schema::Builder b, const task::TaskRevised& e) {
    write_provenance(b.initProvenance(), e.provenance);
    auto reading = b.initReading();
    if (!e.reading) {
      reading.setNone();
      return;
    }
    auto v = reading.initValue();
    v.setMode(to_wire(e.reading->mode));
    write_units(v.initLeads(static_cast<unsigned>(e.reading->leads.size())), e.reading->leads);
    write_units(v.initParticipants(static_cast<unsigned>(e.reading->participants.size())),
                e.reading->participants);
    write_date(v.initDeadline(), e.reading->deadline);
  }
  static task::TaskRevised read(Schema::Reader r, Problems& p) {
    task::TaskRevised e{read_provenance(r.getProvenance()), std::nullopt};
    auto reading = r.getReading();
    if (reading.isValue()) {
      auto v = reading.getValue();
      e.reading = task::Reading{from_wire(v.getMode(), p), read_units(v.getLeads()),
                                read_units(v.getParticipants()), read_date(v.getDeadline())};
    }
    return e;
  }
};

template <>
struct Wire<task::TaskAcknowledged> {
  using Schema = s::TaskAcknowledged;
  static void write(Schema::Builder b, const task::TaskAcknowledged& e) {
    b.setUnit(text(e.unit.str()));
    b.setAtMs(millis(e.at));
  }
  static task::TaskAcknowledged read(Schema::Reader r, Problems&) {
    return task::TaskAcknowledged{UnitId(str(r.getUnit())), from_millis(r.getAtMs())};
  }
};

template <>
struct Wire<task::ProgressReported> {
  using Schema = s::ProgressReported;
  static void write(Schema::Builder b, const task::ProgressReported& e) {
    b.setUnit(text(e.unit.str()));
    b.setNote(text(e.note));
    auto percent = b.initPercent();
    if (e.percent)
      percent.setValue(*e.percent);
    else
      percent.setNone();
    b.setAtMs(millis(e.at));
    write_attachments(b, e.attachments);
  }
  static task::ProgressReported read(Schema::Reader r, Problems&) {
    task::ProgressReported e;
    e.unit = UnitId(str(r.getUnit()));
    e.note = str(r.getNote());
    if (r.getPercent().isValue()) e.percent = r.getPercent().getValue();
    e.at = from_millis(r.getAtMs());
    e.attachments = read_attachments(r);
    return e;
  }
};

template <>
struct Wire<task::TaskUrged> {
  using Schema = s::TaskUrged;
  static void write(Schema::Builder b, const task::TaskUrged& e) {
    auto target = b.initTarget();
    if (e.unit)
      target.setUnit(text(e.unit->str()));
    else
      target.setEveryone();
    b.setNote(text(e.note));
  }
  static task::TaskUrged read(Schema::Reader r, Problems&) {
    task::TaskUrged e;
    if (r.getTarget().isUnit()) e.unit = UnitId(str(r.getTarget().getUnit()));
    e.note = str(r.getNote());
    return e;
  }
};

template <>
struct Wire<task::ExtensionRequested> {
  using Schema = s::ExtensionRequested;
  static void write(Schema::Builder b, const task::ExtensionRequested& e) {
    b.setUnit(text(e.unit.str()));
    b.setRequestedDeadline(text(e.requested_deadline));
    b.setReason(text(e.reason));
  }
  static task::ExtensionRequested read(Schema::Reader r, Problems&) {
    return task::ExtensionRequested{UnitId(str(r.getUnit())), str(r.getRequestedDeadline()),
                                    str(r.getReason())};
  }
};

template <>
struct Wire<task::ExtensionApproved> {
  using Schema = s::ExtensionApproved;
  static void write(Schema::Builder b, const task::ExtensionApproved& e) {
    b.setNewDeadline(text(e.new_deadline));
    write_date(b.initPreviousDeadline(), e.previous_deadline);
  }
  static task::ExtensionApproved read(Schema::Reader r, Problems&) {
    return task::ExtensionApproved{str(r.getNewDeadline()), read_date(r.getPreviousDeadline())};
  }
};

template <>
struct Wire<task::ExtensionRejected> {
  using Schema = s::ExtensionRejected;
  static void write(Schema::Builder b, const task::ExtensionRejected& e) {
    b.setReason(text(e.reason));
  }
  static task::ExtensionRejected read(Schema::Reader r, Problems&) {
    return task::ExtensionRejected{str(r.getReason())};
  }
};

template <>
struct Wire<task::DeadlineSet> {
  using Schema = s::DeadlineSet;
  static void write(Schema::Builder b, const task::DeadlineSet& e) {
    write_date(b.initDeadline(), e.deadline);
    write_date(b.initPreviousDeadline(), e.previous_deadline);
    b.setReason(text(e.reason));
    write_version(b.initDocumentVersion(), e.document_version);
  }
  static task::DeadlineSet read(Schema::Reader r, Problems&) {
    return task::DeadlineSet{read_date(r.getDeadline()), read_date(r.getPreviousDeadline()),
                             str(r.getReason()), read_version(r.getDocumentVersion())};
  }
};

template <>
struct Wire<task::CompletionReported> {
  using Schema = s::CompletionReported;
  static void write(Schema::Builder b, const task::CompletionReported& e) {
    b.setUnit(text(e.unit.str()));
    b.setSummary(text(e.summary));
    b.setAtMs(millis(e.at));
    write_attachments(b, e.attachments);
  }
  static task::CompletionReported read(Schema::Reader r, Problems&) {
    return task::CompletionReported{UnitId(str(r.getUnit())), str(r.getSummary()),
                                    from_millis(r.getAtMs()), read_attachments(r)};
  }
};

template <>
struct Wire<task::CompletionApproved> {
  using Schema = s::CompletionApproved;
  static void write(Schema::Builder b, const task::CompletionApproved& e) {
    b.setUnit(text(e.unit.str()));
  }
  static task::CompletionApproved read(Schema::Reader r, Problems&) {
    return task::CompletionApproved{UnitId(str(r.getUnit()))};
  }
};

template <>
struct Wire<task::TaskClosed> {
  using Schema = s::TaskClosed;
  static void write(Schema::Builder b, const task::TaskClosed& e) {
    b.setClosedAtMs(millis(e.closed_at));
  }
  static task::TaskClosed read(Schema::Reader r, Problems&) {
    return task::TaskClosed{from_millis(r.getClosedAtMs())};
  }
};

template <>
struct Wire<task::TaskReturned> {
  using Schema = s::TaskReturned;
  static void write(Schema::Builder b, const task::TaskReturned& e) {
    b.setUnit(text(e.unit.str()));
    b.setReason(text(e.reason));
  }
  static task::TaskReturned read(Schema::Reader r, Problems&) {
    return task::TaskReturned{UnitId(str(r.getUnit())), str(r.getReason())};
  }
};

template <>
struct Wire<task::TaskReopened> {
  using Schema = s::TaskReopened;
  static void write(Schema::Builder b, const task::TaskReopened& e) { b.setReason(text(e.reason)); }
  static task::TaskReopened read(Schema::Reader r, Problems&) {
    return task::TaskReopened{str(r.getReason())};
  }
};

template <>
struct Wire<task::TaskCancelled> {
  using Schema = s::TaskCancelled;
  static void write(Schema::Builder b, const task::TaskCancelled& e) {
    b.setReason(text(e.reason));
    write_version(b.initDocumentVersion(), e.document_version);
    b.setCancelledAtMs(millis(e.cancelled_at));
  }
  static task::TaskCancelled read(Schema::Reader r, Problems&) {
    return task::TaskCancelled{str(r.getReason()), read_version(r.getDocumentVersion()),
                               from_millis(r.getCancelledAtMs())};
  }
};

template <>
struct Wire<task::DeadlineApproaching> {
  using Schema = s::DeadlineApproaching;
  static void write(Schema::Builder b, const task::DeadlineApproaching& e) {
    b.setDeadline(text(e.deadline));
    b.setAtMs(millis(e.at));
  }
  static task::DeadlineApproaching read(Schema::Reader r, Problems&) {
    return task::DeadlineApproaching{str(r.getDeadline()), from_millis(r.getAtMs())};
  }
};

template <>
struct Wire<task::TaskOverdue> {
  using Schema = s::TaskOverdue;
  static void write(Schema::Builder b, const task::TaskOverdue& e) {
    b.setDeadline(text(e.deadline));
    b.setAtMs(millis(e.at));
  }
  static task::TaskOverdue read(Schema::Reader r, Problems&) {
    return task::TaskOverdue{str(r.getDeadline()), from_millis(r.getAtMs())};
  }
};

task::ReportingCycle cycle_from_wire(const std::string& name, Problems& p) {
  if (auto c = task::reporting_cycle_named(name)) return *c;
  p.note("unknown reporting cycle '" + name + "'");
  return task::ReportingCycle::kNone;
}

template <>
struct Wire<task::ReportingCycleSet> {
  using Schema = s::ReportingCycleSet;
  static void write(Schema::Builder b, const task::ReportingCycleSet& e) {
    b.setCycle(text(std::string(task::to_string(e.cycle))));
    b.setPrevious(text(std::string(task::to_string(e.previous))));
    b.setReason(text(e.reason));
    b.setAtMs(millis(e.at));
  }
  static task::ReportingCycleSet read(Schema::Reader r, Problems& p) {
    return task::ReportingCycleSet{cycle_from_wire(str(r.getCycle()), p),
                                   cycle_from_wire(str(r.getPrevious()), p), str(r.getReason()),
                                   from_millis(r.getAtMs())};
  }
};

template <>
struct Wire<task::ProgressReportDue> {
  using Schema = s::ProgressReportDue;
  static void write(Schema::Builder b, const task::ProgressReportDue& e) {
    b.setPeriod(text(e.period));
    b.setDue(text(e.due));
    b.setAtMs(millis(e.at));
  }
  static task::ProgressReportDue read(Schema::Reader r, Problems&) {
    return task::ProgressReportDue{str(r.getPeriod()), str(r.getDue()), from_millis(r.getAtMs())};
  }
};

template <>
struct Wire<task::ProgressReportOverdue> {
  using Schema = s::ProgressReportOverdue;
  static void write(Schema::Builder b, const task::ProgressReportOverdue& e) {
    b.setPeriod(text(e.period));
    b.setDue(text(e.due));
    b.setAtMs(millis(e.at));
  }
  static task::ProgressReportOverdue read(Schema::Reader r, Problems&) {
    return task::ProgressReportOverdue{str(r.getPeriod()), str(r.getDue()),
                                       from_millis(r.getAtMs())};
  }
};

template <>
struct Wire<task::DraftRecorded> {
  using Schema = s::DraftRecorded;
  static void write(Schema::Builder b, const task::DraftRecorded& e) {
    b.setDocument(text(e.document.str()));
    b.setNumber(text(e.number));
    b.setTitle(text(e.title));
    b.setIssuer(text(e.issuer));
    b.setSignedDate(text(e.signed_date));
    auto parts = b.initParts(static_cast<unsigned>(e.parts.size()));
    for (unsigned i = 0; i < e.parts.size(); ++i) parts.set(i, text(e.parts[i]));
    b.setVersion(e.version);
    b.setContentHash(text(e.content_hash));
    write_clauses(b.initClauses(static_cast<unsigned>(e.clauses.size())), e.clauses);
  }
  static task::DraftRecorded read(Schema::Reader r, Problems& p) {
    task::DraftRecorded e;
    e.document = DocumentId(str(r.getDocument()));
    e.number = str(r.getNumber());
    e.title = str(r.getTitle());
    e.issuer = str(r.getIssuer());
    e.signed_date = str(r.getSignedDate());
    for (auto t : r.getParts()) e.parts.push_back(str(t));
    e.version = r.getVersion();
    e.content_hash = str(r.getContentHash());
    e.clauses = read_clauses(r.getClauses(), p);
    return e;
  }
};

template <>
struct Wire<task::DraftCorrected> {
  using Schema = s::DraftCorrected;
  static void write(Schema::Builder b, const task::DraftCorrected& e) {
    b.setKind(to_wire(e.kind));
    write_clauses(b.initBefore(static_cast<unsigned>(e.before.size())), e.before);
    write_clauses(b.initAfter(static_cast<unsigned>(e.after.size())), e.after);
    b.setReason(text(e.reason));
  }
  static task::DraftCorrected read(Schema::Reader r, Problems& p) {
    task::DraftCorrected e;
    e.kind = from_wire(r.getKind(), p);
    e.before = read_clauses(r.getBefore(), p);
    e.after = read_clauses(r.getAfter(), p);
    e.reason = str(r.getReason());
    return e;
  }
};

template <>
struct Wire<task::DraftPublished> {
  using Schema = s::DraftPublished;
  static void write(Schema::Builder b, const task::DraftPublished& e) {
    b.setVersion(e.version);
    auto tasks = b.initTasks(static_cast<unsigned>(e.tasks.size()));
    for (unsigned i = 0; i < e.tasks.size(); ++i) tasks.set(i, text(e.tasks[i].str()));
    b.setPublishedAtMs(millis(e.published_at));
  }
  static task::DraftPublished read(Schema::Reader r, Problems&) {
    task::DraftPublished e;
    e.version = r.getVersion();
    for (auto t : r.getTasks()) e.tasks.emplace_back(str(t));
    e.published_at = from_millis(r.getPublishedAtMs());
    return e;
  }
};

template <>
struct Wire<task::UnitNameMapped> {
  using Schema = s::UnitNameMapped;
  static void write(Schema::Builder b, const task::UnitNameMapped& e) {
    b.setName(text(e.name));
    b.setUnit(text(e.unit.str()));
  }
  static task::UnitNameMapped read(Schema::Reader r, Problems&) {
    return task::UnitNameMapped{str(r.getName()), UnitId(str(r.getUnit()))};
  }
};

// Account events (model/account/events.h); roles travel as their names.

void write_roles(capnp::List<capnp::Text>::Builder list, const std::vector<account::Role>& roles) {
  for (unsigned i = 0; i < roles.size(); ++i) list.set(i, text(std::string(role_name(roles[i]))));
}
std::vector<account::Role> read_roles(capnp::List<capnp::Text>::Reader list, Problems& p) {
  std::vector<account::Role> out;
  for (auto t : list) {
    account::Role r{};
    if (account::parse_role(str(t), r)) {
      out.push_back(r);
    } else {
      p.note("unknown role '" + str(t) + "'");
    }
  }
  return out;
}

template <>
struct Wire<account::AccountCreated> {
  using Schema = s::AccountCreated;
  static void write(Schema::Builder b, const account::AccountCreated& e) {
    b.setAccount(text(e.account.str()));
    b.setDisplayName(text(e.display_name));
    b.setUnit(text(e.unit.str()));
    write_roles(b.initRoles(static_cast<unsigned>(e.roles.size())), e.roles);
    b.setPasswordHash(text(e.password_hash));
    b.setCreatedAtMs(millis(e.created_at));
  }
  static account::AccountCreated read(Schema::Reader r, Problems& p) {
    return account::AccountCreated{account::AccountId(str(r.getAccount())),
                                   str(r.getDisplayName()),
                                   UnitId(str(r.getUnit())),
                                   read_roles(r.getRoles(), p),
                                   str(r.getPasswordHash()),
                                   from_millis(r.getCreatedAtMs())};
  }
};

template <>
struct Wire<account::AccountDisabled> {
  using Schema = s::AccountDisabled;
  static void write(Schema::Builder b, const account::AccountDisabled& e) {
    b.setReason(text(e.reason));
    b.setAtMs(millis(e.at));
  }
  static account::AccountDisabled read(Schema::Reader r, Problems&) {
    return account::AccountDisabled{str(r.getReason()), from_millis(r.getAtMs())};
  }
};

template <>
struct Wire<account::AccountRolesChanged> {
  using Schema = s::AccountRolesChanged;
  static void write(Schema::Builder b, const account::AccountRolesChanged& e) {
    write_roles(b.initRoles(static_cast<unsigned>(e.roles.size())), e.roles);
    b.setAtMs(millis(e.at));
  }
  static account::AccountRolesChanged read(Schema::Reader r, Problems& p) {
    return account::AccountRolesChanged{read_roles(r.getRoles(), p), from_millis(r.getAtMs())};
  }
};

template <>
struct Wire<account::PasswordReset> {
  using Schema = s::PasswordReset;
  static void write(Schema::Builder b, const account::PasswordReset& e) {
    b.setPasswordHash(text(e.password_hash));
    b.setAtMs(millis(e.at));
  }
  static account::PasswordReset read(Schema::Reader r, Problems&) {
    return account::PasswordReset{str(r.getPasswordHash()), from_millis(r.getAtMs())};
  }
};

template <>
struct Wire<account::SignInLockedOut> {
  using Schema = s::SignInLockedOut;
  static void write(Schema::Builder b, const account::SignInLockedOut& e) {
    b.setAddress(text(e.address));
    b.setFailures(e.failures);
    b.setUntilMs(millis(e.until));
    b.setAtMs(millis(e.at));
  }
  static account::SignInLockedOut read(Schema::Reader r, Problems&) {
    return account::SignInLockedOut{str(r.getAddress()), r.getFailures(),
                                    from_millis(r.getUntilMs()), from_millis(r.getAtMs())};
  }
};

template <>
struct Wire<task::UnitDirectoryRecorded> {
  using Schema = s::UnitDirectoryRecorded;
  static void write(Schema::Builder b, const task::UnitDirectoryRecorded& e) {
    b.setTsv(text(e.tsv));
    b.setSha256(text(e.sha256));
    b.setSource(text(e.source));
  }
  static task::UnitDirectoryRecorded read(Schema::Reader r, Problems&) {
    return task::UnitDirectoryRecorded{str(r.getTsv()), str(r.getSha256()), str(r.getSource())};
  }
};

template <>
struct Wire<account::TokenIssued> {
  using Schema = s::TokenIssued;
  static void write(Schema::Builder b, const account::TokenIssued& e) {
    b.setToken(text(e.token));
    b.setName(text(e.name));
    b.setScope(text(std::string(account::token_scope_name(e.scope))));
    b.setUnit(text(e.unit.str()));
    b.setAccount(text(e.account.str()));
    b.setSecretHash(text(e.secret_hash));
    b.setExpiresAtMs(millis(e.expires_at));
    b.setIssuedAtMs(millis(e.issued_at));
  }
  static account::TokenIssued read(Schema::Reader r, Problems& p) {
    account::TokenIssued e;
    e.token = str(r.getToken());
    e.name = str(r.getName());
    const std::string scope = str(r.getScope());
    if (scope == "office") {
      e.scope = account::TokenScope::kOffice;
    } else if (scope == "unit") {
      e.scope = account::TokenScope::kUnit;
    } else if (scope == "account") {
      e.scope = account::TokenScope::kAccount;
    } else {
      p.note("unknown token scope '" + scope + "'");
    }
    e.unit = UnitId(str(r.getUnit()));
    e.account = account::AccountId(str(r.getAccount()));
    e.secret_hash = str(r.getSecretHash());
    e.expires_at = from_millis(r.getExpiresAtMs());
    e.issued_at = from_millis(r.getIssuedAtMs());
    return e;
  }
};

template <>
struct Wire<task::CompletionSubmitted> {
  using Schema = s::CompletionSubmitted;
  static void write(Schema::Builder b, const task::CompletionSubmitted& e) {
    b.setUnit(text(e.unit.str()));
    b.setSummary(text(e.summary));
    b.setAtMs(millis(e.at));
    write_attachments(b, e.attachments);
  }
  static task::CompletionSubmitted read(Schema::Reader r, Problems&) {
    return task::CompletionSubmitted{UnitId(str(r.getUnit())), str(r.getSummary()),
                                     from_millis(r.getAtMs()), read_attachments(r)};
  }
};

template <>
struct Wire<task::CompletionSignedOff> {
  using Schema = s::CompletionSignedOff;
  static void write(Schema::Builder b, const task::CompletionSignedOff& e) {
    b.setUnit(text(e.unit.str()));
    b.setNote(text(e.note));
    b.setAtMs(millis(e.at));
  }
  static task::CompletionSignedOff read(Schema::Reader r, Problems&) {
    return task::CompletionSignedOff{UnitId(str(r.getUnit())), str(r.getNote()),
                                     from_millis(r.getAtMs())};
  }
};

template <>
struct Wire<task::SignOffRefused> {
  using Schema = s::SignOffRefused;
  static void write(Schema::Builder b, const task::SignOffRefused& e) {
    b.setUnit(text(e.unit.str()));
    b.setReason(text(e.reason));
    b.setAtMs(millis(e.at));
  }
  static task::SignOffRefused read(Schema::Reader r, Problems&) {
    return task::SignOffRefused{UnitId(str(r.getUnit())), str(r.getReason()),
                                from_millis(r.getAtMs())};
  }
};

template <>
struct Wire<account::UnitSignOffRequired> {
  using Schema = s::UnitSignOffRequired;
  static void write(Schema::Builder b, const account::UnitSignOffRequired& e) {
    b.setUnit(text(e.unit.str()));
    b.setRequired(e.required);
    b.setAtMs(millis(e.at));
  }
  static account::UnitSignOffRequired read(Schema::Reader r, Problems&) {
    return account::UnitSignOffRequired{UnitId(str(r.getUnit())), r.getRequired(),
                                        from_millis(r.getAtMs())};
  }
};

template <>
struct Wire<account::TokenRevoked> {
  using Schema = s::TokenRevoked;
  static void write(Schema::Builder b, const account::TokenRevoked& e) {
    b.setReason(text(e.reason));
    b.setAtMs(millis(e.at));
  }
  static account::TokenRevoked read(Schema::Reader r, Problems&) {
    return account::TokenRevoked{str(r.getReason()), from_millis(r.getAtMs())};
  }
};

template <>
struct Wire<task::ChildTaskCreated> {
  using Schema = s::ChildTaskCreated;
  static void write(Schema::Builder b, const task::ChildTaskCreated& e) {
    b.setChild(text(e.child.str()));
    b.setUnit(text(e.unit.str()));
    write_date(b.initDeadline(), e.deadline);
    b.setDelegatedBy(text(e.delegated_by.str()));
    b.setGroup(text(e.group.str()));
    b.setNote(text(e.note));
    b.setAtMs(millis(e.at));
  }
  static task::ChildTaskCreated read(Schema::Reader r, Problems&) {
    return task::ChildTaskCreated{TaskId(str(r.getChild())),  UnitId(str(r.getUnit())),
                                  read_date(r.getDeadline()), UnitId(str(r.getDelegatedBy())),
                                  UnitId(str(r.getGroup())),  str(r.getNote()),
                                  from_millis(r.getAtMs())};
  }
};

template <>
struct Wire<task::ContributionReported> {
  using Schema = s::ContributionReported;
  static void write(Schema::Builder b, const task::ContributionReported& e) {
    b.setUnit(text(e.unit.str()));
    b.setText(text(e.text));
    b.setAtMs(millis(e.at));
    write_attachments(b, e.attachments);
  }
  static task::ContributionReported read(Schema::Reader r, Problems&) {
    return task::ContributionReported{UnitId(str(r.getUnit())), str(r.getText()),
                                      from_millis(r.getAtMs()), read_attachments(r)};
  }
};

template <>
struct Wire<task::DraftEvidenceRequirementSet> {
  using Schema = s::DraftEvidenceRequirementSet;
  static void write(Schema::Builder b, const task::DraftEvidenceRequirementSet& e) {
    b.setRequired(e.required);
    b.setReason(text(e.reason));
  }
  static task::DraftEvidenceRequirementSet read(Schema::Reader r, Problems&) {
    return task::DraftEvidenceRequirementSet{r.getRequired(), str(r.getReason())};
  }
};

template <>
struct Wire<task::EvidenceRequirementSet> {
  using Schema = s::EvidenceRequirementSet;
  static void write(Schema::Builder b, const task::EvidenceRequirementSet& e) {
    b.setRequired(e.required);
    b.setReason(text(e.reason));
    write_version(b.initDocumentVersion(), e.document_version);
  }
  static task::EvidenceRequirementSet read(Schema::Reader r, Problems&) {
    return task::EvidenceRequirementSet{r.getRequired(), str(r.getReason()),
                                        read_version(r.getDocumentVersion())};
  }
};

}  // namespace duban::storage::wire

namespace duban::storage {
namespace {

using Codec = wire::Codec<task::Event>;

}  // namespace

std::string encode_event_payload(const task::Event& event) {
  return Codec::encode(event);
}

NewEvent encode_event(const task::Event& event, const task::Actor& actor) {
  return NewEvent{std::string(task::event_type_name(event)), task::event_schema_version(event),
                  encode_event_payload(event), task::to_string(actor)};
}

Result<task::Event> decode_event(std::string_view type, int schema_version,
                                 std::string_view payload, GlobalPosition position) {
  return Codec::decode(type, schema_version, payload, position);
}

Result<task::Event> decode_event(const RecordedEvent& recorded) {
  return decode_event(recorded.type, recorded.schema_version, recorded.payload, recorded.position);
}

std::vector<capnp::StructSchema> event_payload_schemas() {
  return Codec::payload_schemas();
}

std::vector<std::string> event_schema_mismatches() {
  return Codec::schema_mismatches();
}

}  // namespace duban::storage
