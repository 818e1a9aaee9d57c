// The unit directory stored with the log: which directory (data/units.tsv's format) a command
// names units with, and recording the one an ingest used.
//
// An ingest resolves unit names to ids with a directory; the ids only mean something with that
// directory. So the directory travels with the log: an ingest whose directory differs from the
// log's current one appends UnitDirectoryRecorded (its whole text and SHA-256) to the stream
// "unit-directory" before its first command, and every command on the log without `--units`
// (serve, audit, tasks, report, drafts, and the next ingest) reads the last one recorded. The
// hash chain covers it like every event. The directory compiled into the binary is only the
// default of a log that holds none (docs/extraction.md, "The unit directory").
//
// Thread-safety: reentrant; the store is as thread-safe as it says.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "model/gazette/units.h"
#include "model/result.h"
#include "model/task/actor.h"
#include "storage/event_store.h"

namespace duban::service {

// A directory's text and where it came from ("built-in", a file name, "the log").
struct DirectoryText {
  std::string tsv;
  std::string source;
};

// The directory compiled into the binary.
DirectoryText builtin_directory_text();

// A directory chosen for a command, parsed.
struct ChosenDirectory {
  gazette::UnitDirectory directory;
  DirectoryText text;
  bool from_log = false;  // the log's last recorded one (no --units given)
};

// The directory text recorded last in `store`'s "unit-directory" stream, or nullopt when the
// log holds none.
Result<std::optional<DirectoryText>> recorded_directory(storage::EventStore& store);

// The directory a command names units with: `given` (a --units file) when present, else the
// log's last recorded one, else the built-in one. Errors: the store's, and "bad_unit_directory"
// naming the source and the line when a text does not parse.
Result<ChosenDirectory> choose_directory(storage::EventStore& store,
                                         const std::optional<DirectoryText>& given);

// Parses `text`, naming its source in the error ("units.tsv: unit directory line 3: …").
Result<gazette::UnitDirectory> parse_directory(const DirectoryText& text);

// Records `text` as the log's directory (UnitDirectoryRecorded, as `actor`) unless it equals,
// by SHA-256, the last one recorded or, when none is, the built-in one. Returns whether it
// appended. Safe to repeat and to race: the command id is derived from the hash and the stream
// version, and a version conflict re-reads the stream.
Result<bool> record_directory(storage::EventStore& store, const DirectoryText& text,
                              const task::Actor& actor);

// The log's current directory for what is asked per request (a task's allowed actions, each
// command that expands or hands down a task): parsed once per directory recorded, not once per
// request. Each call reads only the unit-directory events after the last one it saw (usually
// none: one indexed read), so a directory another process records is seen at the next call.
// Thread-safe.
class LogDirectory {
 public:
  explicit LogDirectory(storage::EventStore& store) : store_(store) {}

  // The last directory recorded, else the built-in one. Errors: the store's, and
  // "bad_unit_directory" as choose_directory() gives it.
  Result<std::shared_ptr<const gazette::UnitDirectory>> current();

 private:
  storage::EventStore& store_;
  std::mutex mutex_;
  StreamVersion seen_;  // the unit-directory stream's version `directory_` reflects
  std::shared_ptr<const gazette::UnitDirectory> directory_;
};

}  // namespace duban::service
