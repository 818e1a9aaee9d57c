// `duban serve [--db PATH|URL] [--listen 127.0.0.1:PORT] [--demo] [--ingest FILE...] [--now T] ...`
//
// Wires the server together: the event store and token table --db names (a SQLite file or a
// PostgreSQL database; storage/store_factory.h), the read model and TaskService over them, the
// clock (--now fixes it), optional ingests before serving, and with --demo demo accounts (an
// office 督查员 and 领导, a 承办人 and a 负责人 for two units) with fresh generated passwords, so
// the web page's sign-in works at once, and machine tokens for scripts (a supervisor token and
// one per unit of the log, in the `tokens` table, no expiry: serve_child and the benches read
// them).
// Then serves until SIGINT/SIGTERM (graceful: see server.h).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>

#include "app/commands.h"
#include "app/database.h"
#include "app/input_file.h"
#include "app/serve_notify.h"
#include "app/simulation.h"
#include "app/time_arg.h"
#include "app/units_arg.h"
#include "app/write_clock.h"
#include "model/gazette/parser.h"
#include "platform/system_clock.h"
#include "server/server.h"
#include "service/account_service.h"
#include "service/gazette_ingest.h"
#include "service/password.h"
#include "service/projections/read_model.h"
#include "service/sessions.h"
#include "service/snapshot_files.h"
#include "service/snapshot_loader.h"
#include "service/task_service.h"
#include "service/token_service.h"
#include "service/unit_directory_log.h"
#include "storage/blob_store.h"

namespace duban::app {
namespace po = boost::program_options;
namespace {

// "host:port" -> (host, port). nullopt when malformed.
std::optional<std::pair<std::string, std::uint16_t>> parse_listen(const std::string& text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const unsigned long p = std::stoul(port);
  if (p > 65535) return std::nullopt;
  return std::pair(text.substr(0, colon), static_cast<std::uint16_t>(p));
}

// Thousands of WebSocket clients need thousands of descriptors: take what the hard limit allows.
void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// Ingests `files` through the same path as `duban ingest`, reading unit names with `units` (and
// recording it in the log as `duban ingest` does). False when any failed.
bool ingest_files(const std::vector<std::string>& files, service::TaskService& service,
                  storage::EventStore& target, const service::ChosenDirectory& units) {
  std::vector<service::IngestSource> sources;
  bool ok = true;
  for (const auto& file : files) {
    // The same reader as `duban ingest`: .docx and .pdf too, sniffed or by name.
    auto input = read_gazette_input(file, std::nullopt, "duban serve: --ingest: ");
    if (!input) {
      std::cerr << "duban serve: --ingest: " << input.error().message << "\n";
      ok = false;
      continue;
    }
    auto parsed = gazette::parse_gazette(input->text(), input->format(), units.directory);
    if (!parsed) {
      std::cerr << "duban serve: --ingest: " << file << ": " << parsed.error().message << "\n";
      ok = false;
      continue;
    }
    sources.push_back(service::IngestSource{file, std::string(input->text()), std::move(*parsed)});
  }
  std::vector<std::string> problems;
  const auto planned = service::plan_documents(sources, service.read_model(), problems);
  for (const auto& p : problems) std::cerr << "duban serve: --ingest: " << p << "\n";
  ok = ok && problems.empty();
  // A truncated or wrong file must not cancel tasks on start-up either; `duban ingest
  // --allow-cancel N` is the way to apply real removals.
  if (auto refused =
          service::check_cancellations(planned, std::nullopt, "duban ingest --allow-cancel ")) {
    std::cerr << "duban serve: --ingest: refused: " << refused->message << "\n";
    return false;
  }
  bool writes = false;
  for (const auto& d : planned) writes = writes || !d.plan.empty();
  if (writes && !units.from_log) {
    if (auto recorded = service::record_directory(target, units.text, task::Actor::supervisor());
        !recorded) {
      std::cerr << "duban serve: --ingest: recording the unit directory: "
                << recorded.error().message << "\n";
      return false;
    }
  }
  service::IngestCounts total;
  for (const auto& d : planned) {
    auto ran = service::run_plan(service, d);
    if (!ran) {
      std::cerr << "duban serve: --ingest: " << d.source << ": " << d.document.id << ": "
                << ran.error().message << "\n";
      ok = false;
      continue;
    }
    total.add(*ran);
  }
  std::cout << "ingested " << files.size() << " file(s): " << total.registered
            << " document version(s) registered, " << total.created << " task(s) created, "
            << total.events << " event(s) appended\n";
  return ok;
}

// --demo: the demo accounts, created (or, on a database that has them, given new passwords)
// and printed with their passwords. Units: the first two of `log_units` that the directory
// knows, else the directory's first two. False (after a message) when the log refuses.
bool print_demo_accounts(service::AccountService& accounts, const std::vector<UnitId>& log_units,
                         Timestamp now, const std::string& base) {
  const auto& directory = gazette::UnitDirectory::builtin();
  std::vector<const gazette::Unit*> units;
  for (const UnitId& u : log_units) {
    if (units.size() == 2) break;
    if (const gazette::Unit* known = directory.by_id(u.str())) units.push_back(known);
  }
  for (const gazette::Unit& u : directory.units()) {
    if (units.size() == 2) break;
    if (std::find(units.begin(), units.end(), &u) == units.end()) units.push_back(&u);
  }
  struct Demo {
    std::string login;
    std::string name;
    UnitId unit;
    account::Role role;
    std::string what;
  };
  std::vector<Demo> demos{
      {"inspector", "督查员（演示）", UnitId(), account::Role::kInspector, "督查室 督查员"},
      {"leader", "领导（演示）", UnitId(), account::Role::kLeader, "督查室 领导"}};
  for (const gazette::Unit* u : units) {
    demos.push_back({u->id + ".handler", u->name + "承办人（演示）", UnitId(u->id),
                     account::Role::kHandler, u->name + " 承办人"});
    demos.push_back({u->id + ".head", u->name + "负责人（演示）", UnitId(u->id),
                     account::Role::kUnitHead, u->name + " 负责人"});
  }
  if (auto caught = accounts.refresh(); !caught) {
    std::cerr << "duban serve: --demo: " << caught.error().message << "\n";
    return false;
  }
  std::cout << "demo accounts (sign in at http://" << base
            << "/ with the login and password; the passwords are new each start):\n";
  for (const Demo& d : demos) {
    const std::string password = service::generate_password();
    auto hash = service::hash_password(password);
    if (!hash) {
      std::cerr << "duban serve: --demo: " << hash.error().message << "\n";
      return false;
    }
    const account::AccountId id(d.login);
    account::AccountCommand command;
    if (accounts.account(id)) {
      command = account::ResetPassword{id, *hash};
    } else {
      command = account::CreateAccount{id, d.name, d.unit, {d.role}, *hash};
    }
    auto done = accounts.execute(
        command, task::Actor::supervisor(),
        CommandId("demo:account:" + d.login + "@" + std::to_string(to_millis(now))));
    if (!done) {
      std::cerr << "duban serve: --demo: account " << d.login << ": " << done.error().message
                << "\n";
      return false;
    }
    std::cout << "  login " << d.login << "  password " << password << "  (" << d.what << ")\n";
  }
  std::cout << "  or: curl -c jar -H 'Content-Type: application/json' -d "
               "'{\"login\":\"inspector\",\"password\":\"…\"}' http://"
            << base << "/api/v1/session\n";
  return true;
}

}  // namespace

int run_serve(int argc, char** argv) {
  po::options_description visible(
      "usage: duban serve [options]\n\n"
      "Serves the HTTP API (docs/api.md) and the WebSocket push (docs/protocol.md, at /ws) on one\n"
      "port, runs the deadline sweep on a timer, and shuts down gracefully on SIGINT/SIGTERM\n"
      "(requests in flight finish, WebSockets close with 1001).\n\noptions");
  std::string db = kDefaultDatabase;
  std::string listen = "127.0.0.1:8080";
  std::string snapshots;
  server::ServerOptions options;
  double sweep_seconds = 60;
  double checkpoint_seconds = 5;
  double idle_seconds = 60;
  double drain_seconds = 10;
  service::SessionLimits session_limits;
  double session_idle_minutes = 30;
  double session_max_hours = 12;
  double lockout_minutes = 15;
  visible.add_options()("help,h", "show this help")(
      "db", po::value(&db)->default_value(kDefaultDatabase),
      db_option_help(storage::StoreAccess::create, "event store and token table").c_str())(
      "snapshots", po::value(&snapshots),
      "start from the newest valid snapshot in this directory (default: <db>.snapshots next to a "
      "SQLite --db; with a postgresql:// --db, snapshots are used only when this is given; see "
      "duban snapshot create)")("listen", po::value(&listen)->default_value(listen),
                                "address:port to listen on; port 0 picks a free port (printed)")(
      "demo",
      "create demo accounts (office inspector and leader, handler and head of two units) and "
      "print their generated passwords: people sign in with them")(
      "demo-tokens",
      "as --demo, and also create and print machine tokens (a supervisor token and one per unit, "
      "without expiry) for curl, duban watch, scripts and tests")(
      "ingest", po::value<std::vector<std::string>>()->multitoken(),
      "gazette file(s) to ingest before serving (as `duban ingest`)")(
      "units", po::value<std::string>(), kUnitsHelp)(
      "now", po::value<std::string>(),
      "fix the clock at this time (2016-01-02 or 2016-01-02T08:00:00Z): lights, sweeps and new "
      "events use it; only with --simulate")("simulate", kSimulateHelp)(
      "sweep-interval", po::value(&sweep_seconds)->default_value(sweep_seconds),
      "seconds between deadline sweeps; 0 turns the sweep off")(
      "yellow-share", po::value(&options.yellow_share)->default_value(options.yellow_share),
      "yellow when less than this share of a task's time is left (0..1)")(
      "threads", po::value(&options.io_threads)->default_value(options.io_threads), "I/O threads")(
      "workers", po::value(&options.workers)->default_value(options.workers),
      "threads running requests against the store")("quiet", "no request log on stderr")(
      "exclusive-db",
      "SQLite --db only: be the file's only writer while serving (other `duban ingest`, "
      "`sweep`, `token` ... runs on it are refused, reads still work), so queries skip their "
      "read of the log's head (docs/operations.md); no effect on PostgreSQL")(
      "notify", po::value<std::string>(),
      "run the notifier inside the server with this configuration (as `duban notify --notify`; "
      "with several servers on one PostgreSQL one delivers at a time); default off")(
      "max-attachment",
      po::value(&options.max_attachment_body)->default_value(options.max_attachment_body),
      "largest evidence file accepted, in bytes (POST /api/v1/tasks/{id}/attachments)");
  po::options_description tuning("tuning (defaults suit most uses; tests shrink them)");
  tuning.add_options()("checkpoint-interval",
                       po::value(&checkpoint_seconds)->default_value(checkpoint_seconds),
                       "seconds between checkpoint messages to quiet subscriptions")(
      "ws-idle-timeout", po::value(&idle_seconds)->default_value(idle_seconds),
      "seconds without traffic (pings included) before a WebSocket is closed")(
      "send-queue", po::value(&options.ws_send_queue)->default_value(options.ws_send_queue),
      "event messages queued per WebSocket before it stops taking more")(
      "send-budget", po::value(&options.ws_send_budget)->default_value(options.ws_send_budget),
      "bytes queued per WebSocket (events and replies) before it stops taking events and "
      "reading")(
      "ping-rate",
      po::value(&options.ws_pings_per_second)->default_value(options.ws_pings_per_second),
      "pings answered per WebSocket and second; 0: no limit")(
      "ring", po::value(&options.ring_capacity)->default_value(options.ring_capacity),
      "events the push dispatcher keeps in memory")(
      "ring-bytes", po::value(&options.ring_max_bytes)->default_value(options.ring_max_bytes),
      "bytes the push dispatcher's ring may hold (both wire formats)")(
      "max-connections",
      po::value(&options.max_connections)->default_value(options.max_connections),
      "open connections (HTTP and WebSocket) at once; one more is answered 503 and closed")(
      "max-connections-per-address",
      po::value(&options.max_connections_per_address)
          ->default_value(options.max_connections_per_address),
      "open connections (HTTP and WebSocket) at once from one remote address")(
      "drain-timeout", po::value(&drain_seconds)->default_value(drain_seconds),
      "seconds shutdown waits for requests and closes before cutting connections")(
      "session-idle", po::value(&session_idle_minutes)->default_value(session_idle_minutes),
      "minutes a sign-in session may go unused before it ends")(
      "session-max", po::value(&session_max_hours)->default_value(session_max_hours),
      "hours a sign-in session lasts at most, however busy")(
      "sign-in-attempts",
      po::value(&session_limits.max_failures)->default_value(session_limits.max_failures),
      "failed sign-ins of one account (within the lock-out time) that lock it out")(
      "lockout", po::value(&lockout_minutes)->default_value(lockout_minutes),
      "minutes an account stays locked out (recorded as SignInLockedOut)");
  visible.add(tuning);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(visible).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "duban serve: " << e.what() << "\n(see duban serve --help)\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout
        << visible
        << "\nexamples:\n  duban serve --db duban.db --demo --ingest "
           "data/qinghai-gazette-2015-08.md\n"
           "  duban serve --db duban.db --demo-tokens   # also tokens for curl and duban watch\n"
           "  duban serve --db postgresql://duban@db.example/duban --snapshots "
           "/var/lib/duban/snapshots\n"
           "  curl -H 'Authorization: Bearer TOKEN' http://127.0.0.1:8080/api/v1/units/fgw/inbox\n";
    return kExitOk;
  }
  auto where = parse_listen(listen);
  if (!where) {
    std::cerr << "duban serve: --listen must be address:port, e.g. 127.0.0.1:8080\n";
    return kExitUsage;
  }
  if (!(options.yellow_share >= 0.0 && options.yellow_share <= 1.0) || sweep_seconds < 0 ||
      checkpoint_seconds <= 0 || idle_seconds <= 0 || drain_seconds < 0 || options.io_threads < 1 ||
      options.workers < 1 || options.ws_send_queue < 1 || options.ring_capacity < 2 ||
      options.ws_send_budget < 1 || options.ring_max_bytes < 1 || options.ws_pings_per_second < 0 ||
      options.max_connections < 1 || options.max_connections_per_address < 1 ||
      options.max_attachment_body < 1) {
    std::cerr << "duban serve: an option is out of range (see duban serve --help)\n";
    return kExitUsage;
  }
  options.address = where->first;
  options.port = where->second;
  options.sweep_interval =
      std::chrono::milliseconds(static_cast<std::int64_t>(sweep_seconds * 1000));
  options.checkpoint_interval =
      std::chrono::milliseconds(static_cast<std::int64_t>(checkpoint_seconds * 1000));
  options.ws_idle_timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(idle_seconds * 1000));
  options.drain_timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(drain_seconds * 1000));
  options.request_log = vm.count("quiet") == 0;

  const auto clocks = write_clock(vm, "duban serve");
  if (!clocks) return kExitUsage;
  const Clock& wall = clocks->wall;
  const Clock& clock = clocks->clock();
  raise_open_file_limit();

  std::optional<std::string> units_file;
  if (vm.count("units")) units_file = vm["units"].as<std::string>();
  auto units_given = read_units_file(units_file);
  if (!units_given) {
    std::cerr << "duban serve: --units: " << units_given.error().message << "\n";
    return kExitUsage;
  }

  // The event store first: SQLite creates its schema only in an empty file.
  const auto writers =
      vm.count("exclusive-db") ? storage::Writers::exclusive : storage::Writers::shared;
  auto store = storage::open_event_store(db, storage::StoreAccess::create, wall, writers);
  if (!store) {
    std::cerr << "duban serve: " << store.error().message << "\n";
    return kExitFailure;
  }
  auto tokens = storage::open_token_store(db);
  if (!tokens) {
    std::cerr << "duban serve: " << tokens.error().message << "\n";
    return kExitFailure;
  }
  // Evidence attachments, in tables beside the log (storage/blob_store.h).
  auto blobs = storage::open_blob_store(db);
  if (!blobs) {
    std::cerr << "duban serve: " << blobs.error().message << "\n";
    return kExitFailure;
  }
  service::projections::ReadModel model;
  // The newest valid snapshot and the events after it; without one (or with a damaged or
  // mismatched one, refused with a message) the whole log (service/snapshot_loader.h).
  const std::filesystem::path snapshot_dir = snapshot_dir_for(db, snapshots);
  auto loaded = service::load_read_model(**store, snapshot_dir, model);
  if (!loaded) {
    std::cerr << "duban serve: reading " << storage::redact_db(db) << ": " << loaded.error().message
              << "\n";
    return kExitFailure;
  }
  for (const auto& why : loaded->refused) std::cerr << "duban serve: snapshot " << why << "\n";
  // Unit names: --units, else the directory the log's ingests recorded, else the built-in one.
  // Read once: a directory another process records later counts after a restart.
  auto directory = service::choose_directory(**store, *units_given);
  if (!directory) {
    std::cerr << "duban serve: " << directory.error().message << "\n";
    return kExitFailure;
  }
  if (loaded->snapshot) {
    std::cerr << "duban serve: started from " << loaded->snapshot->string() << " and "
              << loaded->position.value() - loaded->snapshot_position.value()
              << " events after it\n";
  }
  // Everything the server and the --ingest files append goes through `target`: marked as a
  // simulation with --simulate.
  WriteTarget writes(**store, clocks->simulate);
  storage::EventStore& target = writes.get();
  service::TaskService service(target, model, clock);
  if (vm.count("ingest") &&
      !ingest_files(vm["ingest"].as<std::vector<std::string>>(), service, target, *directory)) {
    return kExitFailure;
  }

  auto minutes = [](double m) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(m * 60 * 1000));
  };
  session_limits.idle = minutes(session_idle_minutes);
  session_limits.absolute = minutes(session_max_hours * 60);
  session_limits.lockout = minutes(lockout_minutes);
  session_limits.window = session_limits.lockout;
  if (session_limits.idle.count() <= 0 || session_limits.absolute.count() <= 0 ||
      session_limits.lockout.count() <= 0 || session_limits.max_failures < 1) {
    std::cerr << "duban serve: --session-idle, --session-max, --lockout and --sign-in-attempts "
                 "must be positive\n";
    return kExitUsage;
  }
  service::AccountService accounts(**store, clock);
  if (auto caught = accounts.refresh(); !caught) {
    std::cerr << "duban serve: reading accounts: " << caught.error().message << "\n";
    return kExitFailure;
  }
  service::SessionManager sessions(accounts, clock, session_limits);
  // Tokens are events in the log; the `tokens` table keeps working for the tokens made before.
  service::TokenService token_service(**store, clock, tokens->get(), &accounts);
  if (auto caught = token_service.refresh(); !caught) {
    std::cerr << "duban serve: reading tokens: " << caught.error().message << "\n";
    return kExitFailure;
  }
  // --notify: the notifier on its own thread, started once the server listens.
  std::unique_ptr<ServeNotifier> notifier;
  if (vm.count("notify")) {
    auto opened = ServeNotifier::open(
        db, vm["notify"].as<std::string>(), **store, clock,
        [&units = directory->directory](const UnitId& u) {
          const gazette::Unit* known = units.by_id(u.str());
          return known ? known->name : u.str();
        },
        "duban serve " + std::to_string(getpid()), std::chrono::milliseconds(500));
    if (!opened) {
      std::cerr << "duban serve: --notify: " << opened.error().message << "\n";
      return opened.error().code == "bad_config" ? kExitUsage : kExitFailure;
    }
    notifier = std::move(*opened);
  }
  server::Server srv(options, server::ServerDependencies{
                                  target, service, token_service, clock, directory->directory,
                                  &sessions, &directory->text, &token_service,
                                  notifier ? &notifier->state() : nullptr, blobs->get()});
  auto port = srv.start();
  if (!port) {
    std::cerr << "duban serve: " << port.error().message << "\n";
    return kExitFailure;
  }
  // Before anything says the server is up: a SIGTERM right after "listening on" shuts it down
  // gracefully instead of killing it.
  srv.catch_signals();
  if (notifier) {
    notifier->start(srv.metrics());
    std::cout << "duban serve: notifier on (" << notifier->channels() << " channel(s))"
              << std::endl;
  }
  const std::string base = options.address + ":" + std::to_string(*port);
  const bool machine_tokens = vm.count("demo-tokens") > 0;
  if (vm.count("demo") || machine_tokens) {
    const auto log_units =
        model.scorecards(service::projections::AsOf{clock.now(), options.yellow_share});
    std::vector<UnitId> unit_ids;
    for (const auto& row : log_units) unit_ids.push_back(row.unit);
    if (!print_demo_accounts(accounts, unit_ids, wall.now(), base)) return kExitFailure;
  }
  if (machine_tokens) {
    auto supervisor = (*tokens)->create(storage::TokenGrant::supervisor(), wall.now());
    if (!supervisor) {
      std::cerr << "duban serve: --demo: " << supervisor.error().message << "\n";
      return kExitFailure;
    }
    std::cout << "machine tokens (for curl, scripts and duban watch; people sign in above):\n"
              << "supervisor token: " << *supervisor << "\n";
    const auto units =
        model.scorecards(service::projections::AsOf{clock.now(), options.yellow_share});
    if (!units.empty()) std::cout << "unit tokens:\n";
    for (const auto& row : units) {
      auto t = (*tokens)->create(storage::TokenGrant::of_unit(row.unit), wall.now());
      if (!t) {
        std::cerr << "duban serve: --demo: " << t.error().message << "\n";
        return kExitFailure;
      }
      const gazette::Unit* u = directory->directory.by_id(row.unit.str());
      std::cout << "  " << row.unit.str() << "  " << (u ? u->name : std::string("-")) << "  " << *t
                << "\n";
    }
    std::cout << "try:\n  curl -H 'Authorization: Bearer " << *supervisor << "' http://" << base
              << "/api/v1/documents\n  duban watch --token " << *supervisor << " ws://" << base
              << "/ws\n";
  }
  std::cout << "duban serve: listening on http://" << base << " (WebSocket ws://" << base
            << "/ws); stop with Ctrl-C" << std::endl;
  srv.wait();
  if (notifier) notifier->stop();
  std::cout << "duban serve: stopped" << std::endl;
  return kExitOk;
}

}  // namespace duban::app
