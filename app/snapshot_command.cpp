// `duban snapshot create|list`: snapshot files of every projection, so `duban serve` (and
// `duban audit asof`) start from the newest one and replay only the events after it
// (service/snapshot_loader.h; the file format is in docs/audit.md).
//
// `create` opens the store read-only (it can run while the server appends), replays the whole
// log from position 1 while verifying the hash chain, positions, stream versions and payloads
// (audit/log_check.h), and writes the projections at the head it reached. A snapshot is
// never built from another snapshot, so a bad one cannot propagate; a log that does not verify
// gets no snapshot at all.
//
// Exit statuses: 0 written (or nothing to do: an empty log); 1 the log does not verify, or the
// file could not be written; 2 usage error, or the store could not be read.
#include <boost/program_options.hpp>
#include <iostream>

#include "app/commands.h"
#include "app/database.h"
#include "app/time_arg.h"
#include "audit/log_check.h"
#include "platform/system_clock.h"
#include "service/snapshot_files.h"
#include "storage/hash_chain.h"

namespace duban::app {
namespace po = boost::program_options;
namespace {

struct Options {
  std::string db = kDefaultDatabase;
  std::string dir;  // empty: next to a SQLite database; a PostgreSQL one needs --dir
  std::filesystem::path snapshot_dir() const { return snapshot_dir_for(db, dir); }
};

// A PostgreSQL --db has no "next to": without --dir there is no snapshot directory.
constexpr const char* kNoDirForPostgres =
    "a postgresql:// --db has no default snapshot directory: name one with --dir DIR (and give "
    "`duban serve` and `duban audit` the same directory with --snapshots DIR)";

po::options_description describe(const char* usage, Options& o) {
  po::options_description options(usage);
  options.add_options()("help,h", "show this help")(
      "db", po::value(&o.db)->default_value(kDefaultDatabase),
      db_option_help(storage::StoreAccess::read_only).c_str())(
      "dir", po::value(&o.dir),
      "snapshot directory (default: <db>.snapshots next to a SQLite --db; required with a "
      "postgresql:// --db)");
  return options;
}

bool parse(const char* name, int argc, char** argv, const po::options_description& options,
           po::variables_map& vm) {
  try {
    po::store(po::command_line_parser(argc, argv).options(options).run(), vm);
    po::notify(vm);
    return true;
  } catch (const po::error& e) {
    std::cerr << "duban snapshot " << name << ": " << e.what() << "\n(see duban snapshot " << name
              << " --help)\n";
    return false;
  }
}

int run_create(int argc, char** argv) {
  Options o;
  std::size_t keep = 0;
  auto options = describe(
      "usage: duban snapshot create [options]\n\n"
      "Replays and verifies the whole log (read-only) and writes every projection at its head\n"
      "into <dir>/snapshot-<position>.dbsnap. `duban serve` starts from the newest valid snapshot\n"
      "and replays only the events after it. Safe while the server runs.\n\n"
      "exit status: 0 written (or the log is empty); 1 the log does not verify (nothing written)\n"
      "or the file could not be written; 2 usage error or unreadable store.\n\noptions",
      o);
  options.add_options()("keep", po::value(&keep)->default_value(0),
                        "afterwards keep only the newest N snapshots (0: keep all)");
  po::variables_map vm;
  if (!parse("create", argc, argv, options, vm)) return kExitUsage;
  if (vm.count("help")) {
    std::cout << options
              << "\nexamples:\n  duban snapshot create --db duban.db --keep 3\n"
                 "  duban snapshot create --db postgresql://duban@db.example/duban --dir "
                 "/var/lib/duban/snapshots\n";
    return kExitOk;
  }
  const std::filesystem::path dir = o.snapshot_dir();
  if (dir.empty()) {
    std::cerr << "duban snapshot create: " << kNoDirForPostgres << "\n";
    return kExitUsage;
  }
  platform::SystemClock wall;
  auto store = storage::open_event_store(o.db, storage::StoreAccess::read_only, wall);
  if (!store) {
    std::cerr << "duban snapshot create: " << store.error().message << "\n";
    return kExitUsage;
  }
  audit::LogCheckOptions check_options;
  check_options.compare_catch_up = false;  // a snapshot needs the rebuild, not the comparison
  auto checked = audit::check_log(**store, check_options);
  if (!checked) {
    std::cerr << "duban snapshot create: cannot read " << storage::redact_db(o.db) << ": "
              << checked.error().message << "\n";
    return kExitUsage;
  }
  if (checked->problem) {
    std::cerr << "duban snapshot create: the log does not verify, no snapshot written: position "
              << checked->problem->position.value() << ": " << checked->problem->message
              << "\n(run `duban audit verify --db " << storage::redact_db(o.db) << "`)\n";
    return kExitFailure;
  }
  if (checked->events == 0) {
    std::cout << "the log is empty: nothing to snapshot\n";
    return kExitOk;
  }
  service::SnapshotInfo info{checked->head.position, checked->head.hash, wall.now(),
                             checked->last_recorded_at, checked->max_recorded_at};
  auto written = service::write_snapshot_file(dir, info, checked->state);
  if (!written) {
    std::cerr << "duban snapshot create: " << written.error().message << "\n";
    return kExitFailure;
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(*written, ec);
  std::cout << "wrote " << written->string() << ": position " << info.position.value() << ", hash "
            << storage::to_hex(info.chain_hash) << ", " << checked->state.tasks.tasks().size()
            << " tasks, " << (ec ? 0 : size) << " bytes\n";
  if (keep > 0) {
    for (const auto& removed : service::prune_snapshot_files(dir, keep)) {
      std::cout << "removed " << removed.string() << "\n";
    }
  }
  return kExitOk;
}

int run_list(int argc, char** argv) {
  Options o;
  auto options = describe(
      "usage: duban snapshot list [options]\n\n"
      "Lists the snapshot files of the directory with their position, time and whether their own\n"
      "checks pass (use `duban audit verify` to compare them with the log).\n\noptions",
      o);
  po::variables_map vm;
  if (!parse("list", argc, argv, options, vm)) return kExitUsage;
  if (vm.count("help")) {
    std::cout << options;
    return kExitOk;
  }
  if (o.snapshot_dir().empty()) {
    std::cerr << "duban snapshot list: " << kNoDirForPostgres << "\n";
    return kExitUsage;
  }
  const auto files = service::list_snapshot_files(o.snapshot_dir());
  if (files.empty()) std::cout << "no snapshots in " << o.snapshot_dir().string() << "\n";
  for (const auto& f : files) {
    auto info = service::read_snapshot_info(f.path);
    if (!info) {
      std::cout << f.path.string() << ": refused: " << info.error().message << "\n";
      continue;
    }
    std::cout << f.path.string() << ": position " << info->position.value() << ", taken "
              << format_utc(info->taken_at) << ", last event recorded "
              << format_utc(info->last_recorded_at) << "\n";
  }
  return kExitOk;
}

}  // namespace

int run_snapshot(int argc, char** argv) {
  const char* usage =
      "usage: duban snapshot <create|list> [options]\n\n"
      "  create  write every projection at the log's head into a snapshot file\n"
      "  list    list the snapshot files of a directory\n";
  if (argc < 2) {
    std::cerr << usage;
    return kExitUsage;
  }
  const std::string_view sub = argv[1];
  if (sub == "--help" || sub == "-h" || sub == "help") {
    std::cout << usage;
    return kExitOk;
  }
  if (sub == "create") return run_create(argc - 1, argv + 1);
  if (sub == "list") return run_list(argc - 1, argv + 1);
  std::cerr << "duban snapshot: unknown subcommand '" << sub << "'\n\n" << usage;
  return kExitUsage;
}

}  // namespace duban::app
