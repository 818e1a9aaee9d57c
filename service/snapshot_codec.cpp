#include "service/snapshot_codec.h"

#include <openssl/evp.h>

#include <capnp/serialize.h>
#include <kj/exception.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <functional>
#include <future>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/task/reporting.h"
#include "service/schema/snapshot.capnp.h"
#include "service/snapshot_format.h"
#include "storage/event_store.h"
#include "storage/schema/payload_codec.h"

namespace duban::service {
namespace {

namespace sc = schema::snapshot;
using projections::ReadModelState;

// A field added to one of these structs must be written and read here too, or snapshots drop
// it silently and a server started from one differs from a full replay. These sizes (x86-64,
// libstdc++) make the compiler point here when a struct grows; after adding the field to
// snapshot.capnp and to encode/decode below (and bumping kProjectionsVersion), update them.
#if defined(__x86_64__) && defined(__GLIBCXX__) && !defined(_GLIBCXX_DEBUG)
static_assert(sizeof(task::ChildTask) == 168, "ChildTask changed: update the snapshot codec");
static_assert(sizeof(task::Contribution) == 72, "Contribution changed: update the snapshot codec");
static_assert(sizeof(task::TaskState) == 712 + 32 + 24 + 24 + 8,
              "TaskState changed: update the snapshot codec");
static_assert(sizeof(task::Provenance) == 176, "Provenance changed: update the snapshot codec");
static_assert(sizeof(task::Reading) == 96, "Reading changed: update the snapshot codec");
static_assert(sizeof(task::Part) == 104, "Part changed: update the snapshot codec");
static_assert(sizeof(task::PendingExtension) == 96, "PendingExtension changed: update the codec");
static_assert(sizeof(task::DocumentState) == 232, "DocumentState changed: update the codec");
static_assert(sizeof(projections::Scorecard) == 40, "Scorecard changed: update the codec");
#endif

// ---- bytes ----

void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}
std::uint64_t get_be(std::string_view bytes, std::size_t at, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

std::string sha256(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr) != 1 ||
      len != storage::kHashSize) {
    throw std::runtime_error("OpenSSL SHA-256 failed");  // a broken environment, not an outcome
  }
  return std::string(reinterpret_cast<const char*>(digest), len);
}

Error corrupt(const std::string& why) {
  return make_error(std::string(kSnapshotCorrupt), "not a valid snapshot: " + why);
}

// ---- encoding ----

capnp::Text::Reader text(const std::string& s) {
  return capnp::Text::Reader(s.data(), s.size());
}

template <class Builder, class Ids>
void set_ids(Builder list, const Ids& ids) {
  for (unsigned i = 0; i < ids.size(); ++i) list.set(i, text(ids[i].str()));
}

sc::Mode to_schema(task::Mode m) {
  switch (m) {
    case task::Mode::kLead:
      return sc::Mode::LEAD;
    case task::Mode::kSeparately:
      return sc::Mode::SEPARATELY;
    case task::Mode::kResponsible:
      return sc::Mode::RESPONSIBLE;
  }
  throw std::logic_error("unknown task::Mode");
}
sc::Role to_schema(task::Role r) {
  return r == task::Role::kLead ? sc::Role::LEAD : sc::Role::PARTICIPANT;
}
sc::Status to_schema(task::Status s) {
  switch (s) {
    case task::Status::kAssigned:
      return sc::Status::ASSIGNED;
    case task::Status::kInProgress:
      return sc::Status::IN_PROGRESS;
    case task::Status::kCompletionReported:
      return sc::Status::COMPLETION_REPORTED;
    case task::Status::kClosed:
      return sc::Status::CLOSED;
    case task::Status::kCancelled:
      return sc::Status::CANCELLED;
  }
  throw std::logic_error("unknown task::Status");
}
sc::PartStatus to_schema(task::PartStatus s) {
  switch (s) {
    case task::PartStatus::kOpen:
      return sc::PartStatus::OPEN;
    case task::PartStatus::kReported:
      return sc::PartStatus::REPORTED;
    case task::PartStatus::kApproved:
      return sc::PartStatus::APPROVED;
    case task::PartStatus::kAwaitingSignOff:
      return sc::PartStatus::AWAITING_SIGN_OFF;
  }
  throw std::logic_error("unknown task::PartStatus");
}

void write(sc::Provenance::Builder b, const task::Provenance& p) {
  b.setDocument(text(p.document.str()));
  b.setDocumentVersion(p.document_version);
  b.setPart(text(p.part));
  b.setLabel(text(p.label));
  b.setHeading(text(p.heading));
  b.setText(text(p.text));
  b.setLine(p.line);
  b.setEndLine(p.end_line);
}

void write(sc::TaskState::Builder b, const task::TaskState& s) {
  b.setId(text(s.id.str()));
  write(b.initProvenance(), s.provenance);
  b.setMode(to_schema(s.mode));
  set_ids(b.initLeads(static_cast<unsigned>(s.leads.size())), s.leads);
  set_ids(b.initParticipants(static_cast<unsigned>(s.participants.size())), s.participants);
  auto parts = b.initParts(static_cast<unsigned>(s.parts.size()));
  for (unsigned i = 0; i < s.parts.size(); ++i) {
    const task::Part& p = s.parts[i];
    parts[i].setLead(text(p.lead.str()));
    parts[i].setStatus(to_schema(p.status));
    parts[i].setReportedBy(text(p.reported_by.str()));
    parts[i].setSummary(text(p.summary));
  }
  b.setStatus(to_schema(s.status));
  set_ids(b.initAcknowledged(static_cast<unsigned>(s.acknowledged.size())), s.acknowledged);
  if (s.extension) {
    auto e = b.getExtension().initPending();
    e.setUnit(text(s.extension->unit.str()));
    e.setRequestedDeadline(text(s.extension->requested_deadline));
    e.setReason(text(s.extension->reason));
  } else {
    b.getExtension().setNone();
  }
  if (s.deadline)
    b.getDeadline().setDate(text(*s.deadline));
  else
    b.getDeadline().setNone();
  if (s.original_deadline)
    b.getOriginalDeadline().setDate(text(*s.original_deadline));
  else
    b.getOriginalDeadline().setNone();
  b.setUrges(s.urges);
  b.setReturns(s.returns);
  b.setExtensions(s.extensions);
  b.setApproachingRecorded(s.approaching_recorded);
  b.setOverdueRecorded(s.overdue_recorded);
  b.setCreatedAtMs(to_millis(s.created_at));
  if (s.closed_at)
    b.getClosedAt().setMs(to_millis(*s.closed_at));
  else
    b.getClosedAt().setNone();
  if (s.cancelled_at)
    b.getCancelledAt().setMs(to_millis(*s.cancelled_at));
  else
    b.getCancelledAt().setNone();
  b.setVersion(s.version.value());
  auto a = b.initAsRead();
  a.setMode(to_schema(s.as_read.mode));
  set_ids(a.initLeads(static_cast<unsigned>(s.as_read.leads.size())), s.as_read.leads);
  set_ids(a.initParticipants(static_cast<unsigned>(s.as_read.participants.size())),
          s.as_read.participants);
  if (s.as_read.deadline)
    a.getDeadline().setDate(text(*s.as_read.deadline));
  else
    a.getDeadline().setNone();
  b.setReportingCycle(text(std::string(task::to_string(s.reporting_cycle))));
  b.setFirstReportPeriod(s.first_report_period);
  auto months = b.initProgressMonths(static_cast<unsigned>(s.progress_months.size()));
  for (unsigned i = 0; i < s.progress_months.size(); ++i) months.set(i, s.progress_months[i]);
  b.setReportDuePeriod(s.report_due_period);
  b.setReportOverduePeriod(s.report_overdue_period);
  b.setLateReports(s.late_reports);
  b.setParent(text(s.parent.str()));
  auto children = b.initChildren(static_cast<unsigned>(s.children.size()));
  for (unsigned i = 0; i < s.children.size(); ++i) {
    const task::ChildTask& c = s.children[i];
    children[i].setTask(text(c.task.str()));
    children[i].setUnit(text(c.unit.str()));
    if (c.deadline)
      children[i].getDeadline().setDate(text(*c.deadline));
    else
      children[i].getDeadline().setNone();
    children[i].setDelegatedBy(text(c.delegated_by.str()));
    children[i].setGroup(text(c.group.str()));
  }
  auto contributions = b.initContributions(static_cast<unsigned>(s.contributions.size()));
  for (unsigned i = 0; i < s.contributions.size(); ++i) {
    contributions[i].setUnit(text(s.contributions[i].unit.str()));
    contributions[i].setText(text(s.contributions[i].text));
    contributions[i].setAtMs(to_millis(s.contributions[i].at));
  }
  b.setEvidenceRequired(s.evidence_required);
}

void write(sc::DocumentState::Builder b, const task::DocumentState& d) {
  b.setId(text(d.id.str()));
  b.setNumber(text(d.number));
  b.setTitle(text(d.title));
  b.setIssuer(text(d.issuer));
  b.setSignedDate(text(d.signed_date));
  auto parts = b.initParts(static_cast<unsigned>(d.parts.size()));
  for (unsigned i = 0; i < d.parts.size(); ++i) parts.set(i, text(d.parts[i]));
  b.setDocumentVersion(d.document_version);
  b.setContentHash(text(d.content_hash));
  b.setVersion(d.version.value());
}

// Map entries in key order, so equal states encode to equal bytes.
template <class Map>
std::vector<const typename Map::value_type*> sorted(const Map& map) {
  std::vector<const typename Map::value_type*> out;
  out.reserve(map.size());
  for (const auto& entry : map) out.push_back(&entry);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->first < b->first; });
  return out;
}

void write(sc::TaskTable::Builder b, const projections::TaskTable& t) {
  b.setCheckpoint(t.checkpoint().value());
  const auto tasks = sorted(t.tasks());
  auto tl = b.initTasks(static_cast<unsigned>(tasks.size()));
  for (unsigned i = 0; i < tasks.size(); ++i) write(tl[i], tasks[i]->second);
  const auto docs = sorted(t.documents());
  auto dl = b.initDocuments(static_cast<unsigned>(docs.size()));
  for (unsigned i = 0; i < docs.size(); ++i) write(dl[i], docs[i]->second);
  const auto by_doc = sorted(t.tasks_by_document());
  auto bl = b.initTasksByDocument(static_cast<unsigned>(by_doc.size()));
  for (unsigned i = 0; i < by_doc.size(); ++i) {
    bl[i].setDocument(text(by_doc[i]->first.str()));
    set_ids(bl[i].initTasks(static_cast<unsigned>(by_doc[i]->second.size())), by_doc[i]->second);
  }
}

void write(sc::Snapshot::Builder root, const ReadModelState& s) {
  write(root.initTasks(), s.tasks);

  auto inbox = root.initInbox();
  inbox.setCheckpoint(s.inbox.checkpoint().value());
  const auto units = sorted(s.inbox.units());
  auto ul = inbox.initUnits(static_cast<unsigned>(units.size()));
  for (unsigned i = 0; i < units.size(); ++i) {
    ul[i].setUnit(text(units[i]->first.str()));
    // In task order, so equal states write equal bytes.
    const auto entries = sorted(units[i]->second);
    auto el = ul[i].initTasks(static_cast<unsigned>(entries.size()));
    for (unsigned j = 0; j < entries.size(); ++j) {
      el[j].setTask(text(entries[j]->first.str()));
      el[j].setRole(to_schema(entries[j]->second));
    }
  }

  auto progress = root.initProgress();
  progress.setCheckpoint(s.progress.checkpoint().value());
  const auto docs = sorted(s.progress.documents());
  auto dl = progress.initDocuments(static_cast<unsigned>(docs.size()));
  for (unsigned i = 0; i < docs.size(); ++i) {
    dl[i].setDocument(text(docs[i]->first.str()));
    const auto& counts = docs[i]->second;
    auto cl = dl[i].initByStatus(static_cast<unsigned>(counts.size()));
    for (unsigned j = 0; j < counts.size(); ++j) cl.set(j, counts[j]);
  }

  auto overdue = root.initOverdue();
  overdue.setCheckpoint(s.overdue.checkpoint().value());
  auto ol = overdue.initEntries(static_cast<unsigned>(s.overdue.by_deadline().size()));
  unsigned k = 0;
  for (const auto& [instant, task_id] : s.overdue.by_deadline()) {  // a std::set: sorted
    ol[k].setDeadlineMs(to_millis(instant));
    ol[k].setTask(text(task_id.str()));
    ++k;
  }

  auto cards = root.initScorecards();
  cards.setCheckpoint(s.scorecards.checkpoint().value());
  const auto sorted_cards = sorted(s.scorecards.units());
  auto cl = cards.initUnits(static_cast<unsigned>(sorted_cards.size()));
  for (unsigned i = 0; i < sorted_cards.size(); ++i) {
    const projections::Scorecard& c = sorted_cards[i]->second;
    cl[i].setUnit(text(sorted_cards[i]->first.str()));
    cl[i].setAssigned(c.assigned);
    cl[i].setAcknowledged(c.acknowledged);
    cl[i].setProgressReports(c.progress_reports);
    cl[i].setClosed(c.closed);
    cl[i].setClosedOnTime(c.closed_on_time);
    cl[i].setOverdue(c.overdue);
    cl[i].setReturned(c.returned);
    cl[i].setExtensions(c.extensions);
    cl[i].setUrged(c.urged);
    cl[i].setLateReports(c.late_reports);
  }
}

// ---- decoding ----

std::string str(capnp::Text::Reader t) {
  return std::string(t.begin(), t.size());
}

template <class Id, class Reader>
std::vector<Id> ids(Reader list) {
  std::vector<Id> out;
  out.reserve(list.size());
  for (auto t : list) out.emplace_back(str(t));
  return out;
}

// Enumerants outside the schema (a newer writer, or damage) are refused rather than cast.
std::optional<task::Mode> from_schema(sc::Mode m) {
  switch (m) {
    case sc::Mode::LEAD:
      return task::Mode::kLead;
    case sc::Mode::SEPARATELY:
      return task::Mode::kSeparately;
    case sc::Mode::RESPONSIBLE:
      return task::Mode::kResponsible;
  }
  return std::nullopt;
}
std::optional<task::Role> from_schema(sc::Role r) {
  switch (r) {
    case sc::Role::LEAD:
      return task::Role::kLead;
    case sc::Role::PARTICIPANT:
      return task::Role::kParticipant;
  }
  return std::nullopt;
}
std::optional<task::Status> from_schema(sc::Status s) {
  switch (s) {
    case sc::Status::ASSIGNED:
      return task::Status::kAssigned;
    case sc::Status::IN_PROGRESS:
      return task::Status::kInProgress;
    case sc::Status::COMPLETION_REPORTED:
      return task::Status::kCompletionReported;
    case sc::Status::CLOSED:
      return task::Status::kClosed;
    case sc::Status::CANCELLED:
      return task::Status::kCancelled;
  }
  return std::nullopt;
}
std::optional<task::PartStatus> from_schema(sc::PartStatus s) {
  switch (s) {
    case sc::PartStatus::OPEN:
      return task::PartStatus::kOpen;
    case sc::PartStatus::REPORTED:
      return task::PartStatus::kReported;
    case sc::PartStatus::APPROVED:
      return task::PartStatus::kApproved;
    case sc::PartStatus::AWAITING_SIGN_OFF:
      return task::PartStatus::kAwaitingSignOff;
  }
  return std::nullopt;
}

template <class T>
T need(std::optional<T> v, const char* what) {
  if (!v) throw std::out_of_range(std::string("unknown ") + what + " enumerant");
  return *v;
}

task::Provenance read(sc::Provenance::Reader r) {
  return task::Provenance{DocumentId(str(r.getDocument())),
                          r.getDocumentVersion(),
                          str(r.getPart()),
                          str(r.getLabel()),
                          str(r.getHeading()),
                          str(r.getText()),
                          r.getLine(),
                          r.getEndLine()};
}

task::TaskState read(sc::TaskState::Reader r) {
  task::TaskState s;
  s.id = TaskId(str(r.getId()));
  s.provenance = read(r.getProvenance());
  s.mode = need(from_schema(r.getMode()), "mode");
  s.leads = ids<UnitId>(r.getLeads());
  s.participants = ids<UnitId>(r.getParticipants());
  for (auto p : r.getParts()) {
    s.parts.push_back(task::Part{UnitId(str(p.getLead())),
                                 need(from_schema(p.getStatus()), "part status"),
                                 UnitId(str(p.getReportedBy())), str(p.getSummary())});
  }
  s.status = need(from_schema(r.getStatus()), "status");
  s.acknowledged = ids<UnitId>(r.getAcknowledged());
  if (r.getExtension().isPending()) {
    auto e = r.getExtension().getPending();
    s.extension = task::PendingExtension{UnitId(str(e.getUnit())), str(e.getRequestedDeadline()),
                                         str(e.getReason())};
  }
  if (r.getDeadline().isDate()) s.deadline = str(r.getDeadline().getDate());
  if (r.getOriginalDeadline().isDate())
    s.original_deadline = str(r.getOriginalDeadline().getDate());
  s.urges = r.getUrges();
  s.returns = r.getReturns();
  s.extensions = r.getExtensions();
  s.approaching_recorded = r.getApproachingRecorded();
  s.overdue_recorded = r.getOverdueRecorded();
  s.created_at = from_millis(r.getCreatedAtMs());
  if (r.getClosedAt().isMs()) s.closed_at = from_millis(r.getClosedAt().getMs());
  if (r.getCancelledAt().isMs()) s.cancelled_at = from_millis(r.getCancelledAt().getMs());
  s.version = StreamVersion(r.getVersion());
  auto a = r.getAsRead();
  s.as_read.mode = need(from_schema(a.getMode()), "reading mode");
  s.as_read.leads = ids<UnitId>(a.getLeads());
  s.as_read.participants = ids<UnitId>(a.getParticipants());
  if (a.getDeadline().isDate()) s.as_read.deadline = str(a.getDeadline().getDate());
  if (auto cycle = task::reporting_cycle_named(str(r.getReportingCycle()))) {
    s.reporting_cycle = *cycle;
  }
  s.first_report_period = r.getFirstReportPeriod();
  for (auto m : r.getProgressMonths()) s.progress_months.push_back(m);
  s.report_due_period = r.getReportDuePeriod();
  s.report_overdue_period = r.getReportOverduePeriod();
  s.late_reports = r.getLateReports();
  s.parent = TaskId(str(r.getParent()));
  for (auto c : r.getChildren()) {
    task::ChildTask child{TaskId(str(c.getTask())), UnitId(str(c.getUnit())), std::nullopt,
                          UnitId(str(c.getDelegatedBy())), UnitId(str(c.getGroup()))};
    if (c.getDeadline().isDate()) child.deadline = str(c.getDeadline().getDate());
    s.children.push_back(std::move(child));
  }
  for (auto c : r.getContributions()) {
    s.contributions.push_back(
        task::Contribution{UnitId(str(c.getUnit())), str(c.getText()), from_millis(c.getAtMs())});
  }
  s.evidence_required = r.getEvidenceRequired();
  return s;
}

task::DocumentState read(sc::DocumentState::Reader r) {
  task::DocumentState d;
  d.id = DocumentId(str(r.getId()));
  d.number = str(r.getNumber());
  d.title = str(r.getTitle());
  d.issuer = str(r.getIssuer());
  d.signed_date = str(r.getSignedDate());
  for (auto p : r.getParts()) d.parts.push_back(str(p));
  d.document_version = r.getDocumentVersion();
  d.content_hash = str(r.getContentHash());
  d.version = StreamVersion(r.getVersion());
  return d;
}

// Inserts, refusing a key written twice (a map cannot have held it twice).
template <class Map, class Key, class Value>
void insert_unique(Map& map, Key key, Value value, const char* what) {
  if (!map.emplace(std::move(key), std::move(value)).second) {
    throw std::out_of_range(std::string("duplicate ") + what);
  }
}

using TaskMap = std::unordered_map<TaskId, task::TaskState>;

// The parts of the task table. At national scale most of a start-up from a snapshot is spent
// allocating the decoded tasks, so two threads decode them at once, each into a map of its own,
// claiming chunks of the list from `next_task`; the maps are spliced together at the end
// (node handles: nothing is copied or allocated again).
struct TaskTableParts {
  explicit TaskTableParts(sc::TaskTable::Reader table) : table(table) {}
  sc::TaskTable::Reader table;
  std::atomic<unsigned> next_task{0};
  TaskMap tasks;  // the first thread's tasks, then all of them
  std::unordered_map<DocumentId, task::DocumentState> documents;
  std::unordered_map<DocumentId, std::vector<TaskId>> by_document;
};

// Decodes chunks of tasks into `into` until none is left.
void read_tasks(TaskTableParts& parts, TaskMap& into) {
  constexpr unsigned kChunk = 4096;
  const auto list = parts.table.getTasks();
  for (;;) {
    const unsigned from = parts.next_task.fetch_add(kChunk);
    if (from >= list.size()) return;
    for (unsigned i = from; i < std::min(list.size(), from + kChunk); ++i) {
      task::TaskState s = read(list[i]);
      TaskId id = s.id;
      insert_unique(into, std::move(id), std::move(s), "task");
    }
  }
}

void read_documents(TaskTableParts& parts) {
  for (auto r : parts.table.getDocuments()) {
    task::DocumentState d = read(r);
    DocumentId id = d.id;
    insert_unique(parts.documents, std::move(id), std::move(d), "document");
  }
  for (auto r : parts.table.getTasksByDocument()) {
    insert_unique(parts.by_document, DocumentId(str(r.getDocument())), ids<TaskId>(r.getTasks()),
                  "document task list");
  }
}

// The table, once both threads are done: `second` holds the other thread's tasks.
projections::TaskTable assemble(TaskTableParts& parts, TaskMap& second) {
  parts.tasks.merge(second);
  if (!second.empty()) throw std::out_of_range("duplicate task");
  return projections::TaskTable::restore(std::move(parts.tasks), std::move(parts.documents),
                                         std::move(parts.by_document),
                                         GlobalPosition(parts.table.getCheckpoint()));
}

// Every projection but the task table, into `s`.
void read_indexes(sc::Snapshot::Reader root, ReadModelState& s) {
  std::unordered_map<UnitId, projections::UnitInbox::Entries> inbox;
  for (auto u : root.getInbox().getUnits()) {
    projections::UnitInbox::Entries entries;
    for (auto e : u.getTasks()) {
      insert_unique(entries, TaskId(str(e.getTask())), need(from_schema(e.getRole()), "role"),
                    "inbox task");
    }
    insert_unique(inbox, UnitId(str(u.getUnit())), std::move(entries), "inbox unit");
  }

  std::unordered_map<DocumentId, projections::StatusCounts> progress;
  for (auto d : root.getProgress().getDocuments()) {
    projections::StatusCounts counts{};
    if (d.getByStatus().size() != counts.size()) throw std::out_of_range("status count list");
    for (unsigned j = 0; j < counts.size(); ++j) counts[j] = d.getByStatus()[j];
    insert_unique(progress, DocumentId(str(d.getDocument())), counts, "progress document");
  }

  std::set<projections::OverdueIndex::Entry> overdue;
  for (auto e : root.getOverdue().getEntries()) {
    if (!overdue.emplace(from_millis(e.getDeadlineMs()), TaskId(str(e.getTask()))).second) {
      throw std::out_of_range("duplicate overdue entry");
    }
  }

  std::unordered_map<UnitId, projections::Scorecard> cards;
  for (auto c : root.getScorecards().getUnits()) {
    projections::Scorecard card;
    card.assigned = c.getAssigned();
    card.acknowledged = c.getAcknowledged();
    card.progress_reports = c.getProgressReports();
    card.closed = c.getClosed();
    card.closed_on_time = c.getClosedOnTime();
    card.overdue = c.getOverdue();
    card.returned = c.getReturned();
    card.extensions = c.getExtensions();
    card.urged = c.getUrged();
    card.late_reports = c.getLateReports();
    insert_unique(cards, UnitId(str(c.getUnit())), card, "scorecard unit");
  }

  s.inbox = projections::UnitInbox::restore(std::move(inbox),
                                            GlobalPosition(root.getInbox().getCheckpoint()));
  s.progress = projections::DocumentProgress::restore(
      std::move(progress), GlobalPosition(root.getProgress().getCheckpoint()));
  s.overdue = projections::OverdueIndex::restore(std::move(overdue),
                                                 GlobalPosition(root.getOverdue().getCheckpoint()));
  s.scorecards = projections::UnitScorecards::restore(
      std::move(cards), GlobalPosition(root.getScorecards().getCheckpoint()));
}

// Runs one part of the decoding. A damaged message shows as kj::Exception (out of bounds) or as
// values no writer produces (std::out_of_range); either comes back as the text of a
// snapshot_corrupt error.
std::optional<std::string> decoding_error(const std::function<void()>& part) {
  std::optional<std::string> bad;
  kj::Maybe<kj::Exception> failure = kj::runCatchingExceptions([&] {
    try {
      part();
    } catch (const std::out_of_range& e) {
      bad = e.what();
    }
  });
  KJ_IF_MAYBE (e, failure) {
    return std::string("malformed Cap'n Proto message: ") + e->getDescription().cStr();
  }
  return bad;
}

// A reader over the body, and the aligned copy it reads when the caller's bytes were not aligned
// (declared before the reader, so it outlives it).
struct Body {
  kj::Array<capnp::word> words;
  kj::Own<capnp::FlatArrayMessageReader> reader;
};

// Checks the header and returns the body it announces.
Result<std::string_view> checked_body(std::string_view file) {
  if (file.size() < kSnapshotHeaderSize ||
      file.substr(0, kSnapshotMagic.size()) != kSnapshotMagic) {
    return corrupt("the file does not start with the snapshot magic \"DUBANSNP\"");
  }
  const auto file_version = static_cast<std::uint32_t>(get_be(file, 8, 4));
  if (file_version != kSnapshotFileVersion) {
    return make_error(std::string(kSnapshotVersion),
                      "snapshot file layout version " + std::to_string(file_version) +
                          ", this duban reads version " + std::to_string(kSnapshotFileVersion) +
                          "; take a new snapshot");
  }
  const std::uint64_t length = get_be(file, 16, 8);
  if (length != file.size() - kSnapshotHeaderSize) {
    return corrupt(
        "the header announces " + std::to_string(length) + " body bytes but the file has " +
        std::to_string(file.size() - kSnapshotHeaderSize) + " (truncated or appended to)");
  }
  const std::string_view body = file.substr(kSnapshotHeaderSize);
  if (body.empty() || body.size() % sizeof(capnp::word) != 0) {
    return corrupt("the body is not a whole number of Cap'n Proto words");
  }
  return body;
}

// Whether the body's SHA-256 is the one in the header; an error to return when it is not.
std::optional<Error> checksum_mismatch(std::string_view file, std::string_view body) {
  if (sha256(body) == file.substr(24, storage::kHashSize)) return std::nullopt;
  return corrupt("the checksum of the body does not match the header (the file is damaged)");
}

// Opens the message in a checked body. Unlike event payloads, the message is not walked once up
// front to validate it: the checksum vouches that these are the bytes a writer produced, and
// reading is bounds-checked anyway (a malformed message throws kj::Exception while it is read,
// which decode_snapshot() turns into snapshot_corrupt). That saves a full traversal of a
// message that can be gigabytes.
Result<Body> open_body(std::string_view body) {
  // Cap'n Proto reads 8-byte-aligned words. A mapped file or a large heap buffer is aligned and
  // read in place; anything else (a std::string promises nothing) is copied into words first.
  Body out;
  kj::ArrayPtr<const capnp::word> words(reinterpret_cast<const capnp::word*>(body.data()),
                                        body.size() / sizeof(capnp::word));
  if (reinterpret_cast<std::uintptr_t>(body.data()) % alignof(capnp::word) != 0) {
    out.words = kj::heapArray<capnp::word>(words.size());
    std::memcpy(out.words.begin(), body.data(), body.size());
    words = out.words.asPtr();
  }
  capnp::ReaderOptions options;
  // The default limit (64 MiB) is too small for a large log's snapshot; each word is read once.
  options.traversalLimitInWords = words.size() * 2 + 1024;
  kj::Maybe<kj::Exception> failure = kj::runCatchingExceptions(
      [&] { out.reader = kj::heap<capnp::FlatArrayMessageReader>(words, options); });
  KJ_IF_MAYBE (e, failure) {
    return corrupt(std::string("malformed Cap'n Proto message: ") + e->getDescription().cStr());
  }
  return out;
}

Result<SnapshotInfo> read_info(sc::Snapshot::Reader root) {
  if (root.getFormatVersion() != kSnapshotFormatVersion ||
      root.getProjectionsVersion() != kProjectionsVersion) {
    return make_error(std::string(kSnapshotVersion),
                      "snapshot format " + std::to_string(root.getFormatVersion()) +
                          " / projections " + std::to_string(root.getProjectionsVersion()) +
                          ", this duban uses format " + std::to_string(kSnapshotFormatVersion) +
                          " / projections " + std::to_string(kProjectionsVersion) +
                          "; take a new snapshot");
  }
  SnapshotInfo info;
  info.position = GlobalPosition(root.getPosition());
  auto hash = root.getChainHash();
  info.chain_hash.assign(reinterpret_cast<const char*>(hash.begin()), hash.size());
  info.taken_at = from_millis(root.getTakenAtMs());
  info.last_recorded_at = from_millis(root.getLastRecordedAtMs());
  info.max_recorded_at = from_millis(root.getMaxRecordedAtMs());
  if (info.position.value() < 1)
    return corrupt("position " + std::to_string(info.position.value()));
  if (info.chain_hash.size() != storage::kHashSize)
    return corrupt("the chain hash is not 32 bytes");
  return info;
}

}  // namespace

std::string encode_snapshot(const SnapshotInfo& info, const ReadModelState& state) {
  if (state.checkpoint() != info.position || info.chain_hash.size() != storage::kHashSize ||
      info.position.value() < 1) {
    throw std::invalid_argument("encode_snapshot: the state is not at the snapshot's position");
  }
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<sc::Snapshot>();
  root.setFormatVersion(kSnapshotFormatVersion);
  root.setProjectionsVersion(kProjectionsVersion);
  root.setPosition(info.position.value());
  root.setChainHash(capnp::Data::Reader(reinterpret_cast<const kj::byte*>(info.chain_hash.data()),
                                        info.chain_hash.size()));
  root.setTakenAtMs(to_millis(info.taken_at));
  root.setLastRecordedAtMs(to_millis(info.last_recorded_at));
  root.setMaxRecordedAtMs(to_millis(info.max_recorded_at));
  write(root, state);
  const std::string body = storage::encode_payload(message);

  std::string file;
  file.reserve(kSnapshotHeaderSize + body.size());
  file.append(kSnapshotMagic);
  put_u32(file, kSnapshotFileVersion);
  put_u32(file, 0);
  put_u64(file, body.size());
  file.append(sha256(body));
  file.append(body);
  return file;
}

Result<SnapshotInfo> decode_snapshot_info(std::string_view file_bytes) {
  auto body = checked_body(file_bytes);
  if (!body) return body.error();
  if (auto bad = checksum_mismatch(file_bytes, *body)) return *bad;
  auto opened = open_body(*body);
  if (!opened) return opened.error();
  std::optional<Result<SnapshotInfo>> info;
  if (auto bad = decoding_error(
          [&] { info.emplace(read_info(opened->reader->getRoot<sc::Snapshot>())); })) {
    return corrupt(*bad);
  }
  return std::move(*info);
}

Result<Snapshot> decode_snapshot(std::string_view file_bytes) {
  auto body = checked_body(file_bytes);
  if (!body) return body.error();
  // The checksum is computed while the message is decoded, and decides first: a damaged file is
  // reported as damaged whatever its decoding made of it. Decoding unchecked bytes is safe, as
  // every read is bounds-checked. (Both policies: where no thread can be started, the work runs
  // at get() instead, and the result is the same.)
  constexpr auto kThreadIfAny = std::launch::async | std::launch::deferred;
  auto checksum = std::async(kThreadIfAny, [&] { return checksum_mismatch(file_bytes, *body); });
  auto opened = open_body(*body);
  if (!opened) {
    if (auto bad = checksum.get()) return *bad;
    return opened.error();
  }
  std::optional<Result<SnapshotInfo>> info;
  std::optional<TaskTableParts> parts;  // once the info says the message is this duban's
  std::optional<std::string> bad = decoding_error([&] {
    const auto root = opened->reader->getRoot<sc::Snapshot>();
    info.emplace(read_info(root));
    if (*info) parts.emplace(root.getTasks());
  });
  Snapshot snapshot;
  if (parts) {
    TaskMap second;
    auto first = std::async(kThreadIfAny, [&] {
      return decoding_error([&] {
        read_documents(*parts);
        parts->tasks.reserve(parts->table.getTasks().size());
        read_tasks(*parts, parts->tasks);
      });
    });
    bad = decoding_error([&] {
      read_indexes(opened->reader->getRoot<sc::Snapshot>(), snapshot.state);
      read_tasks(*parts, second);
    });
    if (auto first_bad = first.get(); !bad) bad = std::move(first_bad);
    if (!bad) bad = decoding_error([&] { snapshot.state.tasks = assemble(*parts, second); });
  }
  if (auto mismatch = checksum.get()) return *mismatch;
  if (bad) return corrupt(*bad);
  if (!*info) return info->error();
  snapshot.info = std::move(info->value());
  const ReadModelState& s = snapshot.state;
  for (GlobalPosition p : {s.tasks.checkpoint(), s.inbox.checkpoint(), s.progress.checkpoint(),
                           s.overdue.checkpoint(), s.scorecards.checkpoint()}) {
    if (p != snapshot.info.position) {
      return corrupt("a projection stands at position " + std::to_string(p.value()) +
                     ", the snapshot at " + std::to_string(snapshot.info.position.value()));
    }
  }
  return snapshot;
}

}  // namespace duban::service
