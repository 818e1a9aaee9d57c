// `duban token create (--unit ID | --supervisor) [--db PATH|URL]`: creates a bearer token for
// `duban serve` and prints it. Only its SHA-256 is stored (the `tokens` table beside the log, in
// the SQLite file or PostgreSQL database --db names; storage/token_store.h), so the printed text
// is the only copy: hand it over now. Every server on that database accepts it.
#include <boost/program_options.hpp>
#include <iostream>

#include "app/commands.h"
#include "app/database.h"
#include "model/gazette/units.h"
#include "platform/system_clock.h"
#include "service/projections/read_model.h"

namespace duban::app {
namespace po = boost::program_options;

int run_token(int argc, char** argv) {
  po::options_description visible(
      "usage: duban token create (--unit ID | --supervisor) [--db PATH|URL]\n\n"
      "Creates a bearer token for `duban serve` and prints it on stdout. A unit token reads that\n"
      "unit's inbox and tasks and acts for the unit where the task lifecycle lets it; the\n"
      "supervisor token reads and acts on everything. The database keeps only a hash: the\n"
      "printed token is the only copy.\n\noptions");
  std::string db = kDefaultDatabase;
  std::string unit;
  visible.add_options()("help,h", "show this help")(
      "db", po::value(&db)->default_value(kDefaultDatabase),
      db_option_help(storage::StoreAccess::create, "event store and token table").c_str())(
      "unit", po::value(&unit), "the unit id the token acts for (see `duban extract --units`)")(
      "supervisor", "a token for the supervising office");
  po::options_description all;
  all.add(visible).add_options()("action", po::value<std::string>(), "");
  po::positional_options_description positional;
  positional.add("action", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "duban token: " << e.what() << "\n(see duban token --help)\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << visible
              << "\nexamples:\n  duban token create --supervisor --db duban.db\n"
                 "  duban token create --unit fgw --db duban.db\n"
                 "  duban token create --supervisor --db postgresql://duban@db.example/duban\n";
    return kExitOk;
  }
  if (!vm.count("action") || vm["action"].as<std::string>() != "create") {
    std::cerr << "duban token: say `duban token create` (see duban token --help)\n";
    return kExitUsage;
  }
  const bool supervisor = vm.count("supervisor") > 0;
  if (supervisor == !unit.empty()) {
    std::cerr << "duban token create: give exactly one of --unit ID and --supervisor\n";
    return kExitUsage;
  }

  platform::SystemClock wall;
  // The event store first: SQLite creates its schema only in an empty file.
  auto store = storage::open_event_store(db, storage::StoreAccess::create, wall);
  if (!store) {
    std::cerr << "duban token: " << store.error().message << "\n";
    return kExitFailure;
  }
  if (!supervisor && !gazette::UnitDirectory::builtin().by_id(unit)) {
    // Units outside the directory ("unknown:…") exist only in the log: accept those it names.
    service::projections::ReadModel model;
    if (auto caught = model.catch_up(**store); !caught) {
      std::cerr << "duban token: reading " << storage::redact_db(db) << ": "
                << caught.error().message << "\n";
      return kExitFailure;
    }
    const auto rows = model.scorecards(service::projections::AsOf{wall.now()});
    const bool known =
        std::any_of(rows.begin(), rows.end(), [&](const auto& r) { return r.unit.str() == unit; });
    if (!known) {
      std::cerr << "duban token create: no unit '" << unit
                << "' in the unit directory or the log (`duban extract --units` lists ids)\n";
      return kExitFailure;
    }
  }
  auto tokens = storage::open_token_store(db);
  if (!tokens) {
    std::cerr << "duban token: " << tokens.error().message << "\n";
    return kExitFailure;
  }
  auto token = (*tokens)->create(
      supervisor ? storage::TokenGrant::supervisor() : storage::TokenGrant::of_unit(UnitId(unit)),
      wall.now());
  if (!token) {
    std::cerr << "duban token: " << token.error().code << ": " << token.error().message << "\n";
    return kExitFailure;
  }
  std::cout << *token << "\n";
  return kExitOk;
}

}  // namespace duban::app
