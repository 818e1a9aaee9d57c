// `duban token create|list|revoke`: API tokens for machines (scripts, imports, `duban watch`).
// A token is named, scoped to the supervising office, one unit or one account, and expires (90
// days by default). Issuing and revoking are events in the log (TokenIssued, TokenRevoked:
// service/token_service.h), so the audit covers them and every server on that database refuses
// a revoked token at once. Only the SHA-256 of a token is recorded: the printed text is the only
// copy. Tokens made before tokens were events (the `tokens` table) keep working, unnamed and
// without expiry; `revoke` takes their text.
#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>

#include "app/commands.h"
#include "app/database.h"
#include "app/time_arg.h"
#include "model/gazette/units.h"
#include "platform/system_clock.h"
#include "service/account_service.h"
#include "service/projections/read_model.h"
#include "service/token_service.h"

namespace duban::app {
namespace po = boost::program_options;
namespace {

// --expires: a number of days from now, or a date / time (time_arg.h); "never" for no expiry.
Result<Timestamp> parse_expiry(const std::string& text, Timestamp now) {
  if (text == "never") return Timestamp{};
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos &&
      text.size() <= 5) {
    const long days = std::stol(text);
    if (days <= 0) return make_error("invalid_command", "--expires: give at least 1 day");
    return now + std::chrono::days(days);
  }
  return parse_time_arg(text);
}

bool known_unit(storage::EventStore& store, const std::string& unit, Timestamp now) {
  if (gazette::UnitDirectory::builtin().by_id(unit)) return true;
  // Units outside the directory ("unknown:…") exist only in the log: accept those it names.
  service::projections::ReadModel model;
  if (auto caught = model.catch_up(store); !caught) return false;
  const auto rows = model.scorecards(service::projections::AsOf{now});
  return std::any_of(rows.begin(), rows.end(), [&](const auto& r) { return r.unit.str() == unit; });
}

}  // namespace

int run_token(int argc, char** argv) {
  po::options_description visible(
      "usage: duban token create [--name NAME] (--supervisor | --unit ID | --account LOGIN)\n"
      "                          [--expires DAYS|DATE|never] [--db PATH|URL]\n"
      "       duban token list [--db PATH|URL]\n"
      "       duban token revoke NAME|ID|TOKEN [--reason TEXT] [--db PATH|URL]\n\n"
      "API tokens for machines (people sign in with an account: `duban account`). A unit token\n"
      "reads that unit's inbox and tasks and acts for the unit; an account token acts as that\n"
      "person and stops when the account is disabled; the supervisor token reads and acts on\n"
      "everything. Issue and revoke are events in the log (the audit shows them); the log keeps\n"
      "only a hash, so the printed token is the only copy. A revoked or expired token gets 401\n"
      "and its open WebSocket connections close.\n\noptions");
  std::string db = kDefaultDatabase;
  std::string unit, account_login, name, expires = "90", reason;
  visible.add_options()("help,h", "show this help")(
      "db", po::value(&db)->default_value(kDefaultDatabase),
      db_option_help(storage::StoreAccess::create, "event store and token table").c_str())(
      "name", po::value(&name),
      "what the token is for (unique among live tokens; default: the scope and 6 random hex "
      "digits, e.g. unit-fgw-3f9a1c)")(
      "unit", po::value(&unit),
      "the unit id the token acts for (see `duban extract --list-units`)")(
      "account", po::value(&account_login), "the account (login) the token acts as")(
      "supervisor", "a token for the supervising office")(
      "expires", po::value(&expires)->default_value("90"),
      "days from now, a date (2027-03-01) or time, or 'never'")("reason", po::value(&reason),
                                                                "revoke: why, for the audit");
  po::options_description all;
  all.add(visible).add_options()("action", po::value<std::string>(), "")(
      "which", po::value<std::string>(), "");
  po::positional_options_description positional;
  positional.add("action", 1).add("which", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "duban token: " << e.what() << "\n(see duban token --help)\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout
        << visible
        << "\nexamples:\n  duban token create --name nightly-report --supervisor --db duban.db\n"
           "  duban token create --name fgw-import --unit fgw --expires 30 --db duban.db\n"
           "  duban token list --db duban.db\n"
           "  duban token revoke fgw-import --reason '不再使用' --db duban.db\n";
    return kExitOk;
  }
  const std::string action = vm.count("action") ? vm["action"].as<std::string>() : "";
  if (action != "create" && action != "list" && action != "revoke") {
    std::cerr << "duban token: say `duban token create`, `list` or `revoke` (see --help)\n";
    return kExitUsage;
  }
  service::IssueToken request;
  if (action == "create") {
    const bool supervisor = vm.count("supervisor") > 0;
    if (int(supervisor) + int(!unit.empty()) + int(!account_login.empty()) != 1) {
      std::cerr << "duban token create: give exactly one of --supervisor, --unit ID and "
                   "--account LOGIN\n";
      return kExitUsage;
    }
    request.name = name;
    request.scope = supervisor      ? account::TokenScope::kOffice
                    : !unit.empty() ? account::TokenScope::kUnit
                                    : account::TokenScope::kAccount;
    request.unit = UnitId(unit);
    request.account = account::AccountId(account_login);
  }
  if (action == "revoke" && !vm.count("which")) {
    std::cerr << "duban token revoke: name the token (its name, id or text)\n";
    return kExitUsage;
  }

  platform::SystemClock wall;
  // The event store first: SQLite creates its schema only in an empty file.
  auto store = storage::open_event_store(db, storage::StoreAccess::create, wall);
  if (!store) {
    std::cerr << "duban token: " << store.error().message << "\n";
    return kExitFailure;
  }
  auto table = storage::open_token_store(db);
  if (!table) {
    std::cerr << "duban token: " << table.error().message << "\n";
    return kExitFailure;
  }
  service::AccountService accounts(**store, wall);
  service::TokenService tokens(**store, wall, table->get(), &accounts);
  const Timestamp now = wall.now();

  if (action == "create") {
    auto expiry = parse_expiry(expires, now);
    if (!expiry) {
      std::cerr << "duban token create: --expires: " << expiry.error().message << "\n";
      return kExitUsage;
    }
    request.expires_at = *expiry;
    if (request.name.empty()) {
      // Scripts written before tokens had names: a generated one, "unit-fgw-3f9a1c".
      const std::string scope_text =
          request.scope == account::TokenScope::kOffice ? std::string("supervisor")
          : request.scope == account::TokenScope::kUnit ? "unit-" + unit
                                                        : "account-" + account_login;
      request.name = scope_text + "-" + storage::token_hash(storage::new_token_text()).substr(0, 6);
    }
    if (request.scope == account::TokenScope::kUnit && !known_unit(**store, unit, now)) {
      std::cerr << "duban token create: no unit '" << unit
                << "' in the unit directory or the log (`duban extract --list-units` lists ids)\n";
      return kExitFailure;
    }
    auto issued = tokens.issue(request, task::Actor::supervisor());
    if (!issued) {
      std::cerr << "duban token create: " << issued.error().code << ": " << issued.error().message
                << "\n";
      return kExitFailure;
    }
    std::cerr << "token " << issued->info.id << " (" << issued->info.name << ") "
              << (request.expires_at == Timestamp{} ? std::string("never expires")
                                                    : "expires " + format_utc(request.expires_at))
              << "; this is the only copy:\n";
    std::cout << issued->secret << "\n";
    return kExitOk;
  }
  if (action == "revoke") {
    auto revoked = tokens.revoke(vm["which"].as<std::string>(), reason, task::Actor::supervisor());
    if (!revoked) {
      std::cerr << "duban token revoke: " << revoked.error().code << ": " << revoked.error().message
                << "\n";
      return kExitFailure;
    }
    std::cout << "revoked " << revoked->id
              << (revoked->name.empty() ? std::string() : " (" + revoked->name + ")") << "\n";
    return kExitOk;
  }
  if (auto caught = tokens.refresh(); !caught) {
    std::cerr << "duban token list: " << caught.error().message << "\n";
    return kExitFailure;
  }
  std::cout << "ID\tNAME\tSCOPE\tEXPIRES\tSTATUS\n";
  for (const auto& t : tokens.tokens()) {
    std::string scope(account::token_scope_name(t.scope));
    if (t.scope == account::TokenScope::kUnit) scope += ":" + t.unit.str();
    if (t.scope == account::TokenScope::kAccount) scope += ":" + t.account.str();
    if (t.legacy()) scope = "-";
    std::cout << t.id << "\t" << (t.name.empty() ? "-" : t.name) << "\t" << scope << "\t"
              << (t.expires_at == Timestamp{} ? std::string("never") : format_utc(t.expires_at))
              << "\t"
              << (t.revoked        ? "revoked"
                  : t.expired(now) ? "expired"
                                   : "active")
              << "\n";
  }
  return kExitOk;
}

}  // namespace duban::app
