#include "service/unit_directory_log.h"

#include <variant>

#include "model/task/events.h"
#include "model/task/streams.h"
#include "service/content_hash.h"
#include "storage/event_codec.h"
#include "storage/store_errc.h"

namespace duban::service {
namespace {

constexpr int kMaxAttempts = 5;
constexpr const char* kBuiltinSource = "built-in";

struct LastRecorded {
  std::optional<task::UnitDirectoryRecorded> event;
  StreamVersion version;  // the stream's version (0 when empty)
};

// The last directory recorded at `from` or after (none: event empty, version 0).
Result<LastRecorded> last_recorded(storage::EventStore& store,
                                   StreamVersion from = StreamVersion(1)) {
  auto events = store.read_stream(task::kUnitDirectoryStream, from);
  if (!events) return events.error();
  LastRecorded last;
  if (events->empty()) return last;
  const storage::RecordedEvent& r = events->back();
  auto decoded = storage::decode_event(r);
  if (!decoded) return decoded.error();
  const auto* e = std::get_if<task::UnitDirectoryRecorded>(&*decoded);
  if (!e) {
    return make_error("bad_payload", "position " + std::to_string(r.position.value()) + ": " +
                                         r.type + " in the unit-directory stream");
  }
  last.event = *e;
  last.version = r.version;
  return last;
}

DirectoryText recorded_text(task::UnitDirectoryRecorded e) {
  return DirectoryText{std::move(e.tsv), "the unit directory recorded in the log (from " +
                                             e.source + ", " + e.sha256 + ")"};
}

}  // namespace

DirectoryText builtin_directory_text() {
  return DirectoryText{std::string(gazette::UnitDirectory::builtin_tsv()), kBuiltinSource};
}

Result<gazette::UnitDirectory> parse_directory(const DirectoryText& text) {
  auto parsed = gazette::UnitDirectory::parse(text.tsv);
  if (!parsed) return make_error(parsed.error().code, text.source + ": " + parsed.error().message);
  return parsed;
}

Result<std::optional<DirectoryText>> recorded_directory(storage::EventStore& store) {
  auto last = last_recorded(store);
  if (!last) return last.error();
  if (!last->event) return std::optional<DirectoryText>();
  return std::optional<DirectoryText>(recorded_text(std::move(*last->event)));
}

Result<ChosenDirectory> choose_directory(storage::EventStore& store,
                                         const std::optional<DirectoryText>& given) {
  ChosenDirectory chosen;
  if (given) {
    chosen.text = *given;
  } else {
    auto recorded = recorded_directory(store);
    if (!recorded) return recorded.error();
    chosen.from_log = recorded->has_value();
    chosen.text = chosen.from_log ? std::move(**recorded) : builtin_directory_text();
  }
  auto parsed = parse_directory(chosen.text);
  if (!parsed) return parsed.error();
  chosen.directory = std::move(parsed).value();
  return chosen;
}

Result<bool> record_directory(storage::EventStore& store, const DirectoryText& text,
                              const task::Actor& actor) {
  const std::string hash = content_hash(text.tsv);
  for (int attempt = 1;; ++attempt) {
    auto last = last_recorded(store);
    if (!last) return last.error();
    const std::string current =
        last->event ? last->event->sha256 : content_hash(gazette::UnitDirectory::builtin_tsv());
    if (current == hash) return false;
    const task::Event event = task::UnitDirectoryRecorded{text.tsv, hash, text.source};
    const storage::NewEvent encoded[] = {storage::encode_event(event, actor)};
    const CommandId id("units:" + hash + "@" + std::to_string(last->version.value()));
    auto appended = store.append(task::kUnitDirectoryStream,
                                 storage::ExpectedVersion::exactly(last->version), encoded, id);
    if (appended) return !appended->duplicate;
    if (!storage::is(appended.error(), storage::StoreErrc::version_conflict) ||
        attempt >= kMaxAttempts) {
      return appended.error();
    }
  }
}

Result<std::shared_ptr<const gazette::UnitDirectory>> LogDirectory::current() {
  std::lock_guard lock(mutex_);
  auto newer = last_recorded(store_, seen_.next());
  if (!newer) return newer.error();
  if (newer->event) {
    auto parsed = parse_directory(recorded_text(std::move(*newer->event)));
    if (!parsed) return parsed.error();
    directory_ = std::make_shared<const gazette::UnitDirectory>(std::move(parsed).value());
    seen_ = newer->version;
  } else if (!directory_) {
    directory_ = std::make_shared<const gazette::UnitDirectory>(gazette::UnitDirectory::builtin());
  }
  return directory_;
}

}  // namespace duban::service
