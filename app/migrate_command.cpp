// `duban migrate --from sqlite:PATH --to postgresql://...`: copies an event log from a SQLite
// file into a PostgreSQL database verbatim (positions, recorded_at, actors, command ids,
// hashes), then verifies the copy's hash chain and that its head equals the source's. The work
// is storage::copy_log (storage/log_copy.h): resumable (a target holding a prefix of the same
// log gets the rest) and refusing a target that holds another log before writing anything.
// docs/operations.md, "Moving from SQLite to PostgreSQL", has the operator's steps.
//
// The source is opened read-only. Passwords in the target URL never reach the output.
//
// Exit statuses: 0 copied and verified (or nothing left to copy); 1 refused or failed (the
// target holds another log, a source event breaks the chain, a store cannot be opened or
// written, the copy does not verify); 2 usage error.
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "app/commands.h"
#include "app/progress.h"
#include "platform/system_clock.h"
#include "storage/hash_chain.h"
#include "storage/log_copy.h"
#include "storage/postgres_event_store.h"
#include "storage/sqlite_event_store.h"
#include "storage/store_factory.h"

namespace duban::app {
namespace po = boost::program_options;
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";
constexpr std::size_t kDefaultBatch = 5000;
constexpr std::size_t kMaxBatch = 1'000'000;

// The password of a libpq URL (user:password@ or ?password=), empty when there is none: hidden
// from every message, in case a driver message quotes it (storage::redact_db() shows the URL).
std::string url_password(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    const auto authority = scheme + 3;
    const auto end = std::min(url.find_first_of("/?#", authority), url.size());
    const auto at = url.substr(0, end).rfind('@');
    if (at != std::string_view::npos && at > authority) {
      const auto colon = url.substr(authority, at - authority).find(':');
      if (colon != std::string_view::npos) {
        return std::string(url.substr(authority + colon + 1, at - authority - colon - 1));
      }
    }
  }
  const auto query = url.find('?');
  if (query != std::string_view::npos) {
    std::string_view rest = url.substr(query + 1);
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      const std::string_view param = rest.substr(0, amp);
      if (param.starts_with("password=")) return std::string(param.substr(9));
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    }
  }
  return {};
}

// `text` with every occurrence of `secret` replaced by "***".
std::string hide(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
    text.replace(at, secret.size(), "***");
  }
  return text;
}

std::string head_text(const storage::Head& h) {
  return std::to_string(h.position.value()) + ":" + storage::to_hex(h.hash);
}

// Progress on stderr: a bar on a terminal (or with --progress), else a line per tenth.
class CopyProgress {
 public:
  explicit CopyProgress(bool force_bar) {
    if (Progress::choose(force_bar) == Progress::Style::kBar) {
      bar_.emplace(std::cerr, Progress::Style::kBar, "duban migrate: ", "events");
    }
  }
  void start(std::int64_t total) {
    if (bar_) bar_->add_total(static_cast<std::size_t>(total));
  }
  void update(const storage::LogCopyProgress& p) {
    if (bar_) {
      for (; shown_ < p.copied; ++shown_) bar_->step();
      return;
    }
    const std::int64_t tenth = p.total == 0 ? 10 : p.copied * 10 / p.total;
    if (tenth > tenth_) {
      tenth_ = tenth;
      std::cerr << "duban migrate: " << p.copied << "/" << p.total << " events copied (position "
                << p.target_head.position.value() << ")\n";
    }
  }
  void finish() {
    if (bar_) bar_->finish();
  }

 private:
  std::optional<Progress> bar_;
  std::int64_t shown_ = 0;
  std::int64_t tenth_ = 0;
};

}  // namespace

int run_migrate(int argc, char** argv) {
  po::options_description options(
      "usage: duban migrate --from sqlite:PATH --to postgresql://... [options]\n\n"
      "Copies an event log from a SQLite file into a PostgreSQL database verbatim (positions,\n"
      "times, actors, command ids and hashes), then verifies the copy's hash chain and that its\n"
      "head equals the source's, so `duban audit verify` reports the same head hash on both.\n"
      "The source is only read. An empty database gets the whole log; a database that already\n"
      "holds the start of the same log (an interrupted migrate) gets the rest; a database holding\n"
      "another log is refused and left untouched. Stop every writer of the source first.\n\n"
      "exit status: 0 copied and verified (or nothing left to copy); 1 refused or failed (the\n"
      "message says why and what to do); 2 usage error.\n\noptions");
  std::string from;
  std::string to;
  std::size_t batch = kDefaultBatch;
  options.add_options()("help,h", "show this help")(
      "from", po::value(&from), "the source: sqlite:PATH or a SQLite file path (opened read-only)")(
      "to", po::value(&to),
      "the target: postgresql://user@host:port/dbname (a UTF8 database; the tables are created)")(
      "batch", po::value(&batch)->default_value(kDefaultBatch),
      "events per transaction (a batch ends where a command ends)")(
      "progress", "draw a progress bar on stderr even when it is not a terminal");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "duban migrate: " << hide(e.what(), url_password(to))
              << "\n(see duban migrate --help)\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << options
              << "\nexample:\n"
                 "  duban migrate --from sqlite:/var/lib/duban/events.db \\\n"
                 "                --to postgresql://duban@db.example:5432/duban\n"
                 "  duban audit verify --db /var/lib/duban/events.db   # the same head hash as:\n"
                 "  duban audit verify --db postgresql://duban@db.example:5432/duban\n"
                 "(put the password in ~/.pgpass or PGPASSWORD rather than in the URL)\n";
    return kExitOk;
  }
  const std::string secret = url_password(to);
  const std::string shown_to = storage::redact_db(to);
  if (from.empty() || to.empty()) {
    std::cerr << "duban migrate: give both --from sqlite:PATH and --to postgresql://... (see "
                 "duban migrate --help)\n";
    return kExitUsage;
  }
  if (storage::is_postgres_url(from)) {
    std::cerr << "duban migrate: --from takes a SQLite file (sqlite:PATH or a path); to copy "
                 "between PostgreSQL databases use pg_dump\n";
    return kExitUsage;
  }
  if (!storage::is_postgres_url(to)) {
    std::cerr << "duban migrate: --to must be a postgresql:// (or postgres://) URL, not '"
              << shown_to << "'\n";
    return kExitUsage;
  }
  if (batch == 0 || batch > kMaxBatch) {
    std::cerr << "duban migrate: --batch must be between 1 and " << kMaxBatch << "\n";
    return kExitUsage;
  }
  const std::string path =
      from.starts_with(kSqlitePrefix) ? from.substr(kSqlitePrefix.size()) : from;
  const std::string shown_from = "sqlite:" + path;

  platform::SystemClock wall;  // stamps nothing: the copy keeps the source's times
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    std::cerr << "duban migrate: no database at " << path
              << " (name the SQLite file with --from)\n";
    return kExitFailure;
  }
  auto source = storage::SqliteEventStore::open(
      {.path = path, .mode = storage::SqliteOptions::Mode::read_only}, wall);
  if (!source) {
    std::cerr << "duban migrate: cannot open " << shown_from << ": " << source.error().message
              << "\n";
    return kExitFailure;
  }
  auto target = storage::PostgresEventStore::open(
      {.url = to, .listen = false, .application_name = "duban migrate"}, wall);
  if (!target) {
    std::cerr << "duban migrate: cannot open " << shown_to << ": "
              << hide(target.error().message, secret) << "\n";
    return kExitFailure;
  }

  CopyProgress progress(vm.count("progress") > 0);
  auto copied = storage::copy_log(
      **source, **target,
      {.batch_events = batch, .on_progress = [&](const storage::LogCopyProgress& p) {
         if (p.copied > 0) {
           progress.update(p);
           return;
         }
         std::cout << "source  " << shown_from << ": " << p.source_head.position.value()
                   << " events, head " << head_text(p.source_head) << "\n";
         std::cout << "target  " << shown_to << ": ";
         if (p.resumed_after.value() == 0) {
           std::cout << "empty\n";
         } else if (p.total == 0) {
           std::cout << "already holds the whole log\n";
         } else {
           std::cout << "holds positions 1.." << p.resumed_after.value()
                     << " of the same log: resuming after " << p.resumed_after.value() << "\n";
         }
         std::cout << std::flush;
         progress.start(p.total);
       }});
  progress.finish();
  if (!copied) {
    std::cerr << "duban migrate: " << hide(copied.error().message, secret) << "\n";
    if (copied.error().code != "version_conflict") {
      std::cerr << "duban migrate: what was copied before stays (whole commands, a valid "
                   "chain); fix the cause and run the same migrate again to continue\n";
    }
    return kExitFailure;
  }

  // The copy, read back from PostgreSQL from position 1: chain intact, head = source's head.
  auto check = storage::verify_hash_chain(**target);
  if (!check) {
    std::cerr << "duban migrate: the copy in " << shown_to
              << " does not verify: " << hide(check.error().message, secret) << "\n";
    return kExitFailure;
  }
  if (check->head.position != copied->source_head.position ||
      check->head.hash != copied->source_head.hash) {
    std::cerr << "duban migrate: the copy's head is " << head_text(check->head)
              << " but the source's is " << head_text(copied->source_head)
              << " (was the target written to meanwhile?)\n";
    return kExitFailure;
  }
  std::cout << "verified: the copy's hash chain is intact (" << check->events
            << " events) and its head hash equals the source's\n";
  if (auto now = (*source)->head(); now && now->position != copied->source_head.position) {
    std::cerr << "duban migrate: warning: the source grew to " << now->position.value()
              << " events during the copy (are writers still running?); stop them and run the "
                 "same migrate again to copy the rest\n";
  }
  std::cout << "migrated " << copied->copied << " events into " << shown_to << "; head position "
            << copied->source_head.position.value() << ", hash "
            << storage::to_hex(copied->source_head.hash) << "\n";
  return kExitOk;
}

}  // namespace duban::app
