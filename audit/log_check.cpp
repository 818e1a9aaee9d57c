#include "audit/log_check.h"

#include <algorithm>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>

#include "audit/state_compare.h"
#include "model/task/events.h"
#include "service/snapshot_files.h"
#include "service/snapshot_loader.h"
#include "storage/event_codec.h"
#include "storage/hash_chain.h"
#include "storage/store_errc.h"

namespace duban::audit {
namespace {

using service::projections::ReadModel;
using service::projections::ReadModelState;
using storage::RecordedEvent;

std::string pos(GlobalPosition p) {
  return std::to_string(p.value());
}

// The current schema version of every event type this build knows.
template <std::size_t... I>
std::unordered_map<std::string, int> schema_versions(std::index_sequence<I...>) {
  std::unordered_map<std::string, int> out;
  ((out[std::string(std::variant_alternative_t<I, task::Event>::kType)] =
        std::variant_alternative_t<I, task::Event>::kSchemaVersion),
   ...);
  return out;
}
const std::unordered_map<std::string, int>& known_types() {
  static const auto versions =
      schema_versions(std::make_index_sequence<std::variant_size_v<task::Event>>());
  return versions;
}

// Snapshots in the directory, read up front so they can be compared as the pass reaches them.
struct PendingSnapshot {
  service::SnapshotInfo info;
  std::size_t verdict;  // index into LogCheck::snapshots
};

class Walk {
 public:
  Walk(storage::EventStore& store, const LogCheckOptions& options, LogCheck& check)
      : store_(store), options_(options), check_(check) {}

  // Runs the pass; false when the log could not be read (error() says why).
  Result<bool> run();

 private:
  void load_snapshots();
  Result<bool> check_event(const RecordedEvent& e);  // false: a problem was recorded
  void check_snapshots_at(const RecordedEvent& e);
  Result<bool> check_attachments(const RecordedEvent& e, const task::Event& event);
  void finish();
  void fail(LogProblem::Kind kind, GlobalPosition at, std::string message) {
    if (!check_.problem) check_.problem = LogProblem{kind, at, std::move(message)};
  }

  storage::EventStore& store_;
  const LogCheckOptions& options_;
  LogCheck& check_;
  std::string prev_hash_ = storage::genesis_hash();
  std::unordered_map<std::string, std::int64_t> stream_versions_;
  std::unordered_set<std::string> blobs_verified_;
  std::vector<PendingSnapshot> pending_;  // by position, lowest first
  std::size_t next_pending_ = 0;
};

void Walk::load_snapshots() {
  for (const auto& file : service::list_snapshot_files(options_.snapshot_dir)) {
    SnapshotVerdict verdict{file.path, file.position, SnapshotVerdict::Outcome::kUnreached, ""};
    auto info = service::read_snapshot_info(file.path);
    if (!info) {
      verdict.outcome = SnapshotVerdict::Outcome::kRefused;
      verdict.detail = info.error().message;
      check_.warnings.push_back("snapshot refused (a loader would skip it): " +
                                info.error().message);
    } else {
      verdict.position = info->position;
      pending_.push_back(PendingSnapshot{*info, check_.snapshots.size()});
    }
    check_.snapshots.push_back(std::move(verdict));
  }
  std::stable_sort(pending_.begin(), pending_.end(),
                   [](const auto& a, const auto& b) { return a.info.position < b.info.position; });
}

Result<bool> Walk::run() {
  load_snapshots();
  for (;;) {
    auto page = store_.read_all(check_.head.position.next(), options_.page_size);
    if (!page) return page.error();
    for (const RecordedEvent& e : *page) {
      auto ok = check_event(e);
      if (!ok) return ok.error();
      if (!*ok) return true;
      check_snapshots_at(e);
      if (check_.problem) return true;
    }
    if (page->size() < options_.page_size) break;
  }
  finish();
  return true;
}

Result<bool> Walk::check_event(const RecordedEvent& e) {
  const GlobalPosition expected = check_.head.position.next();
  if (e.position != expected) {
    fail(LogProblem::Kind::kGap, expected,
         "position " + pos(expected) + " is missing: the log goes from " +
             pos(check_.head.position) + " to " + pos(e.position) +
             " (events were deleted, or the log was renumbered)");
    return false;
  }

  // Every check of this position is run, so the message says all that is wrong with it.
  std::vector<std::string> findings;
  std::optional<LogProblem::Kind> kind;
  const std::string recomputed = storage::chain_hash(prev_hash_, storage::hashed_fields(e));
  if (e.hash != recomputed) {
    kind = LogProblem::Kind::kHash;
    findings.push_back("hash chain broken at position " + pos(e.position) + ": stored " +
                       storage::to_hex(e.hash) + ", recomputed " + storage::to_hex(recomputed) +
                       "; the event at this position was altered or moved here, or the event "
                       "before it was replaced");
  }
  const std::int64_t want_version = stream_versions_[e.stream] + 1;
  if (e.version.value() != want_version) {
    if (!kind) kind = LogProblem::Kind::kStreamVersion;
    findings.push_back(
        "stream '" + e.stream + "' continues with version " + std::to_string(e.version.value()) +
        " where version " + std::to_string(want_version) + " was due (events of the stream were " +
        (e.version.value() > want_version ? "removed or reordered" : "repeated or reordered") +
        ")");
  }
  if (!findings.empty()) {
    std::string message = findings[0];
    for (std::size_t i = 1; i < findings.size(); ++i) message += "; also " + findings[i];
    fail(*kind, e.position, std::move(message));
    return false;
  }

  // The hash is intact, so the bytes are what some duban wrote. A type or schema version this
  // build does not know is a newer writer's, not damage: it cannot be checked here.
  const auto known = known_types().find(e.type);
  if (known == known_types().end() || e.schema_version > known->second) {
    return make_error("unsupported",
                      "event " + pos(e.position) + " is " + e.type + " schema version " +
                          std::to_string(e.schema_version) +
                          ", which this duban does not know: it was written by a newer duban; "
                          "upgrade duban to verify this log");
  }
  auto event = storage::decode_event(e);
  if (!event) {
    fail(LogProblem::Kind::kPayload, e.position,
         "the payload at position " + pos(e.position) +
             " does not decode although its hash is "
             "intact (written malformed): " +
             event.error().message);
    return false;
  }
  if (auto ok = check_attachments(e, *event); !ok || !*ok) return ok;
  auto applied = check_.state.apply(e, *event);
  if (!applied) {
    fail(LogProblem::Kind::kProjection, e.position,
         "the projections refuse the event at position " + pos(e.position) + ": " +
             applied.error().message);
    return false;
  }

  if (want_version == 1) {
    if (task::is_document_event(*event))
      ++check_.document_streams;
    else if (!task::is_draft_event(*event) &&
             !task::is_account_event(*event))  // draft, unit-name and account streams are neither
      ++check_.task_streams;
  }
  stream_versions_[e.stream] = want_version;
  prev_hash_ = e.hash;
  check_.head = storage::Head{e.position, e.hash};
  ++check_.events;
  ++check_.by_type[e.type];
  if (e.position.value() == 1) check_.first_recorded_at = e.recorded_at;
  check_.last_recorded_at = e.recorded_at;
  check_.max_recorded_at = std::max(check_.max_recorded_at, e.recorded_at);

  for (const HeadRef& kept : options_.expected_heads) {
    if (kept.position != e.position) continue;
    if (kept.hash != e.hash) {
      fail(LogProblem::Kind::kHead, e.position,
           "the kept head says position " + pos(e.position) + " has hash " +
               storage::to_hex(kept.hash) + ", the log has " + storage::to_hex(e.hash) +
               ": the log was rewritten at or before this position and its chain recomputed (or "
               "the head is another store's)");
      return false;
    }
    ++check_.heads_matched;
  }
  return true;
}

void Walk::check_snapshots_at(const RecordedEvent& e) {
  while (next_pending_ < pending_.size() && pending_[next_pending_].info.position == e.position) {
    const PendingSnapshot& p = pending_[next_pending_++];
    SnapshotVerdict& verdict = check_.snapshots[p.verdict];
    if (p.info.chain_hash != e.hash) {
      verdict.outcome = SnapshotVerdict::Outcome::kMismatch;
      verdict.detail = "it records chain hash " + storage::to_hex(p.info.chain_hash) +
                       " at position " + pos(e.position) + ", the log has " +
                       storage::to_hex(e.hash);
      fail(LogProblem::Kind::kSnapshot, e.position,
           "snapshot " + verdict.path.string() + ": " + verdict.detail +
               " (the log was rewritten after the snapshot was taken, or the snapshot is another "
               "store's)");
      return;
    }
    auto snapshot = service::read_snapshot_file(verdict.path);
    if (!snapshot) {  // changed on disk since it was listed
      verdict.outcome = SnapshotVerdict::Outcome::kRefused;
      verdict.detail = snapshot.error().message;
      check_.warnings.push_back("snapshot refused (a loader would skip it): " + verdict.detail);
      continue;
    }
    if (auto diff = describe_difference(snapshot->state, check_.state)) {
      verdict.outcome = SnapshotVerdict::Outcome::kMismatch;
      verdict.detail = "its projections differ from a rebuild of the log at position " +
                       pos(e.position) + ": " + *diff;
      fail(LogProblem::Kind::kSnapshot, e.position,
           "snapshot " + verdict.path.string() + ": " + verdict.detail +
               " (a server started from it would serve wrong state: remove it)");
      return;
    }
    verdict.outcome = SnapshotVerdict::Outcome::kMatches;
  }
}

void Walk::finish() {
  for (const HeadRef& kept : options_.expected_heads) {
    if (kept.position > check_.head.position) {
      fail(LogProblem::Kind::kHead, check_.head.position.next(),
           "the kept head is position " + pos(kept.position) + " but the log ends at " +
               pos(check_.head.position) +
               ": events were removed from its end (or the head is another store's)");
      return;
    }
    if (kept.position.value() == 0) ++check_.heads_matched;  // every log extends the empty one
  }
  for (std::size_t i = next_pending_; i < pending_.size(); ++i) {
    SnapshotVerdict& verdict = check_.snapshots[pending_[i].verdict];
    verdict.outcome = SnapshotVerdict::Outcome::kMismatch;
    verdict.detail = "it was taken at position " + pos(pending_[i].info.position) +
                     " but the log ends at " + pos(check_.head.position);
    fail(LogProblem::Kind::kSnapshot, check_.head.position.next(),
         "snapshot " + verdict.path.string() + ": " + verdict.detail +
             " (events were removed from the log's end, or the snapshot is another store's)");
    return;
  }
}

// A catch-up in uneven steps and small pages, as a server advancing command by command does,
// must end where the one-shot pass ended.
Result<std::optional<std::string>> compare_catch_up(storage::EventStore& store,
                                                    const LogCheck& check) {
  ReadModel model;
  const std::int64_t end = check.head.position.value();
  std::int64_t step = 1;
  while (model.checkpoint().value() < end) {
    const GlobalPosition until(std::min(end, model.checkpoint().value() + step));
    auto caught = service::catch_up_to(model, store, until, 97);
    if (!caught) return caught.error();
    if (caught->value() < until.value()) {
      return std::optional<std::string>("the catch-up stopped at position " + pos(*caught));
    }
    step = step * 3 % 1009 + 1;  // 1, 4, 13, 40, 121, 364, 84, ...: crosses pages unevenly
  }
  return describe_difference(model.state(), check.state);
}

// The evidence an event references: the attachments of progress and completion reports.
const task::Attachments* attachments_of(const task::Event& event) {
  return std::visit(
      [](const auto& e) -> const task::Attachments* {
        using E = std::decay_t<decltype(e)>;
        if constexpr (requires { e.attachments; }) {
          static_assert(std::is_same_v<decltype(E::attachments), task::Attachments>);
          return &e.attachments;
        } else {
          return nullptr;
        }
      },
      event);
}

Result<bool> Walk::check_attachments(const RecordedEvent& e, const task::Event& event) {
  if (!options_.blobs) return true;
  const task::Attachments* list = attachments_of(event);
  if (!list) return true;
  for (const auto& a : *list) {
    if (blobs_verified_.contains(a.sha256)) continue;
    auto stored = storage::rehash_blob(*options_.blobs, a.sha256);
    if (!stored) return stored.error();
    if (!*stored) {
      fail(LogProblem::Kind::kAttachment, e.position,
           "attachment " + a.sha256 + " (" + a.name + ") referenced at position " +
               pos(e.position) + " is missing from the blob store");
      return false;
    }
    if ((*stored)->sha256 != a.sha256 || (*stored)->size != a.size) {
      fail(LogProblem::Kind::kAttachment, e.position,
           "attachment " + a.sha256 + " (" + a.name + ") referenced at position " +
               pos(e.position) + " was changed: its stored " + std::to_string((*stored)->size) +
               " bytes hash to " + (*stored)->sha256 + ", not to the reference (" +
               std::to_string(a.size) + " bytes)");
      return false;
    }
    blobs_verified_.insert(a.sha256);
    ++check_.attachments_verified;
  }
  return true;
}

}  // namespace

std::string_view to_string(LogProblem::Kind kind) {
  switch (kind) {
    case LogProblem::Kind::kGap:
      return "gap";
    case LogProblem::Kind::kHash:
      return "hash";
    case LogProblem::Kind::kStreamVersion:
      return "stream_version";
    case LogProblem::Kind::kPayload:
      return "payload";
    case LogProblem::Kind::kProjection:
      return "projection";
    case LogProblem::Kind::kHead:
      return "head";
    case LogProblem::Kind::kSnapshot:
      return "snapshot";
    case LogProblem::Kind::kAttachment:
      return "attachment";
  }
  return "unknown";
}

Result<LogCheck> check_log(storage::EventStore& store, const LogCheckOptions& options) {
  if (options.page_size == 0) {
    return storage::store_error(storage::StoreErrc::invalid_argument, "page_size must be positive");
  }
  LogCheck check;
  check.head = storage::Head{GlobalPosition(0), storage::genesis_hash()};
  Walk walk(store, options, check);
  if (auto ran = walk.run(); !ran) return ran.error();
  if (!check.problem && options.compare_catch_up) {
    auto diff = compare_catch_up(store, check);
    if (!diff) return diff.error();
    if (*diff) {
      check.problem = LogProblem{
          LogProblem::Kind::kProjection, check.head.position,
          "an incremental catch-up and a one-shot rebuild of the same log disagree: " + **diff +
              " (a projection depends on how events are paged: a bug in duban, not in the log)"};
    } else {
      check.catch_up_compared = true;
    }
  }
  return check;
}

}  // namespace duban::audit
