// `duban account create|disable|roles|list|reset-password`: the people who sign in to `duban
// serve`, recorded as account events in the event log (model/account/events.h), so the audit
// covers who was given which roles, when and by whom. The CLI acts as the supervising office.
//
// Passwords never travel on the command line (where `ps` and shell history would keep them):
// --password-stdin reads one line from stdin; without it a random password is generated and
// printed once on stdout. Only its Argon2id hash is recorded (service/password.h).
#include <boost/json.hpp>
#include <boost/program_options.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/database.h"
#include "app/table.h"
#include "model/account/account.h"
#include "platform/system_clock.h"
#include "service/account_service.h"
#include "service/password.h"
#include "service/unit_rules.h"

namespace duban::app {
namespace po = boost::program_options;

namespace {

constexpr const char* kUsage =
    "usage: duban account create --login NAME --name TEXT (--unit ID | --office) --role ROLE...\n"
    "                            [--password-stdin] [--db PATH|URL]\n"
    "       duban account disable --login NAME --reason TEXT [--db PATH|URL]\n"
    "       duban account roles --login NAME --role ROLE... [--db PATH|URL]\n"
    "       duban account reset-password --login NAME [--password-stdin] [--db PATH|URL]\n"
    "       duban account list [--json] [--db PATH|URL]\n"
    "       duban account sign-off --unit ID --required yes|no [--db PATH|URL]\n\n"
    "Manages the accounts of the people who sign in to `duban serve`. Every change is an event in\n"
    "the log (AccountCreated, AccountDisabled, AccountRolesChanged, PasswordReset), recorded as\n"
    "the supervising office. Roles: for a unit account `handler` (承办人) and `unit_head`\n"
    "(负责人); for an office account (--office, the 督查室) `inspector` (督查员) and `leader`\n"
    "(领导). A password is read from stdin with --password-stdin (one line, at least 10 bytes);\n"
    "otherwise a random one is generated and printed once. Only an Argon2id hash is stored.\n"
    "`sign-off` sets whether a unit's completions reported by a handler need its unit_head's\n"
    "sign-off before they reach the supervisor (UnitSignOffRequired).\n\n"
    "options";

std::string roles_text(const std::vector<account::Role>& roles) {
  std::string out;
  for (account::Role r : roles) out += (out.empty() ? "" : ",") + std::string(role_name(r));
  return out;
}

// The password for create / reset-password: a line of stdin, or a generated one (printed).
Result<std::string> password_hash(bool from_stdin, std::string& generated) {
  std::string password;
  if (from_stdin) {
    if (!std::getline(std::cin, password)) {
      return make_error("invalid_command", "--password-stdin: stdin gave no line");
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
  } else {
    generated = service::generate_password();
    password = generated;
  }
  return service::hash_password(password);
}

CommandId command_id(std::string_view action, const std::string& login, Timestamp now) {
  return CommandId("cli:account:" + std::string(action) + ":" + login + "@" +
                   std::to_string(to_millis(now)));
}

}  // namespace

// `duban account sign-off --unit ID --required yes|no`, as the supervising office.
int set_sign_off(const std::string& db, const std::string& unit, const po::variables_map& vm) {
  const std::string required = vm.count("required") ? vm["required"].as<std::string>() : "";
  if (unit.empty() || (required != "yes" && required != "no")) {
    std::cerr << "duban account sign-off: give --unit ID and --required yes|no\n";
    return kExitUsage;
  }
  platform::SystemClock wall;
  auto store = storage::open_event_store(db, storage::StoreAccess::create, wall);
  if (!store) {
    std::cerr << "duban account: " << store.error().message << "\n";
    return kExitFailure;
  }
  auto done = service::set_unit_sign_off(**store, UnitId(unit), required == "yes",
                                         task::Actor::supervisor(),
                                         command_id("sign-off", unit, wall.now()), wall.now());
  if (!done) {
    std::cerr << "duban account sign-off: " << done.error().code << ": " << done.error().message
              << "\n";
    return kExitFailure;
  }
  std::cout << "unit " << unit << (required == "yes" ? " requires" : " does not require")
            << " its head's sign-off"
            << (done->position.value() > 0
                    ? " (recorded at position " + std::to_string(done->position.value()) + ")"
                    : " (already so; nothing recorded)")
            << "\n";
  return kExitOk;
}

int run_account(int argc, char** argv) {
  po::options_description visible(kUsage);
  std::string db = kDefaultDatabase;
  std::string login, name, unit, reason;
  std::vector<std::string> role_names;
  visible.add_options()("help,h", "show this help")(
      "db", po::value(&db)->default_value(kDefaultDatabase),
      db_option_help(storage::StoreAccess::create, "event store").c_str())(
      "login", po::value(&login), "login name: 2-64 of a-z 0-9 . _ -")(
      "name", po::value(&name), "display name, as the audit shows it (create)")(
      "unit", po::value(&unit), "the unit the person acts for (create)")(
      "office", "an account of the supervising office (create)")(
      "role", po::value(&role_names)->multitoken(),
      "handler | unit_head | inspector | leader; repeat for several (create, roles)")(
      "reason", po::value(&reason), "why the account is disabled (disable)")(
      "password-stdin", "read the password from one line of stdin instead of generating one")(
      "json", "list as JSON")("required", po::value<std::string>(),
                              "yes | no: the unit requires sign-off (sign-off)");
  po::options_description all;
  all.add(visible).add_options()("action", po::value<std::string>(), "");
  po::positional_options_description positional;
  positional.add("action", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "duban account: " << e.what() << "\n(see duban account --help)\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << visible
              << "\nexamples:\n"
                 "  duban account create --login wang.fang --name 王芳 --unit fgw --role handler\n"
                 "  duban account create --login li.ming --name 李明 --office --role inspector "
                 "--password-stdin < pw.txt\n"
                 "  duban account disable --login wang.fang --reason 调离岗位\n"
                 "  duban account list --json\n";
    return kExitOk;
  }
  const std::string action = vm.count("action") ? vm["action"].as<std::string>() : "";
  if (action != "create" && action != "disable" && action != "roles" && action != "list" &&
      action != "reset-password" && action != "sign-off") {
    std::cerr << "duban account: say create, disable, roles, reset-password, list or sign-off "
                 "(see duban account --help)\n";
    return kExitUsage;
  }
  if (action == "sign-off") return set_sign_off(db, unit, vm);
  if (action != "list" && login.empty()) {
    std::cerr << "duban account " << action << ": --login is required\n";
    return kExitUsage;
  }
  std::vector<account::Role> roles;
  for (const std::string& r : role_names) {
    account::Role role{};
    if (!account::parse_role(r, role)) {
      std::cerr << "duban account: unknown role '" << r
                << "' (handler, unit_head, inspector, leader)\n";
      return kExitUsage;
    }
    roles.push_back(role);
  }
  if (action == "create" && (unit.empty() == (vm.count("office") == 0))) {
    std::cerr << "duban account create: give exactly one of --unit ID and --office\n";
    return kExitUsage;
  }

  platform::SystemClock wall;
  auto store = storage::open_event_store(db, storage::StoreAccess::create, wall);
  if (!store) {
    std::cerr << "duban account: " << store.error().message << "\n";
    return kExitFailure;
  }
  service::AccountService accounts(**store, wall);
  if (auto caught = accounts.refresh(); !caught) {
    std::cerr << "duban account: reading " << storage::redact_db(db) << ": "
              << caught.error().message << "\n";
    return kExitFailure;
  }

  if (action == "list") {
    const auto all_accounts = accounts.accounts();
    if (vm.count("json")) {
      boost::json::array out;
      for (const auto& a : all_accounts) {
        boost::json::array rs;
        for (account::Role r : a.roles) rs.emplace_back(role_name(r));
        out.push_back({{"login", a.id.str()},
                       {"display_name", a.display_name},
                       {"unit", a.unit.str()},
                       {"roles", std::move(rs)},
                       {"disabled", a.disabled}});
      }
      std::cout << boost::json::serialize(out) << "\n";
    } else {
      Table table({"login", "name", "unit", "roles", "status"});
      for (const auto& a : all_accounts) {
        table.add({a.id.str(), a.display_name, a.is_office() ? "(office)" : a.unit.str(),
                   roles_text(a.roles), a.disabled ? "disabled" : "active"});
      }
      table.print(std::cout);
    }
    return kExitOk;
  }

  const account::AccountId id(login);
  std::string generated;
  account::AccountCommand command;
  if (action == "create" || action == "reset-password") {
    auto hash = password_hash(vm.count("password-stdin") > 0, generated);
    if (!hash) {
      std::cerr << "duban account " << action << ": " << hash.error().message << "\n";
      return kExitFailure;
    }
    if (action == "create") {
      command = account::CreateAccount{id, name, UnitId(unit), roles, *hash};
    } else {
      command = account::ResetPassword{id, *hash};
    }
  } else if (action == "disable") {
    command = account::DisableAccount{id, reason};
  } else {
    command = account::ChangeAccountRoles{id, roles};
  }
  auto done =
      accounts.execute(command, task::Actor::supervisor(), command_id(action, login, wall.now()));
  if (!done) {
    std::cerr << "duban account " << action << ": " << done.error().code << ": "
              << done.error().message << "\n";
    return kExitFailure;
  }
  if (!generated.empty()) {
    std::cout << "password for " << login << ": " << generated
              << "\n(shown once: hand it over now; only its hash is stored)\n";
  } else {
    std::cout << "account " << login << ": " << action << " recorded at position "
              << done->last.value() << "\n";
  }
  return kExitOk;
}

}  // namespace duban::app
