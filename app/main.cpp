// duban: turns policy gazettes into tracked supervision tasks. This is the composition root:
// it picks the subcommand and wires its dependencies; the work lives in model/, storage/, server/.
#include <cstring>
#include <iostream>
#include <string_view>

#include "app/commands.h"

namespace {

struct Subcommand {
  std::string_view name;
  std::string_view summary;
  int (*run)(int, char**);
};

constexpr Subcommand kSubcommands[] = {
    {"extract", "read gazettes and print their task clauses, documents or units",
     duban::app::run_extract},
    {"ingest", "record gazettes' documents and task clauses in the event store",
     duban::app::run_ingest},
    {"drafts", "review documents before 交办: list, show, correct and publish drafts",
     duban::app::run_drafts},
    {"sweep", "record the deadline reminders due now (approaching, overdue)",
     duban::app::run_sweep},
    {"deadlines", "set deadlines in bulk: a default date or N working days after 交办",
     duban::app::run_deadlines},
    {"tasks", "show document progress, a unit's inbox, overdue tasks or scorecards",
     duban::app::run_tasks},
    {"serve", "serve the HTTP API and WebSocket push (docs/api.md, docs/protocol.md)",
     duban::app::run_serve},
    {"token", "create a bearer token for a unit or the supervisor", duban::app::run_token},
    {"account", "create, disable, list accounts (people, roles) and reset their passwords",
     duban::app::run_account},
    {"watch", "print a duban serve subscription's events as they happen", duban::app::run_watch},
    {"notify", "tell the units concerned of task events (webhook, e-mail, robots), at least once",
     duban::app::run_notify},
    {"audit", "verify the log (tamper evidence), a task's history, state as of a point, diffs",
     duban::app::run_audit},
    {"snapshot", "write every projection into a snapshot file, so start-up replays only the tail",
     duban::app::run_snapshot},
    {"report", "the supervision report (考评) per unit and document: table, CSV, JSON or HTML",
     duban::app::run_report},
    {"migrate", "copy the event log from SQLite into PostgreSQL, verbatim and verified",
     duban::app::run_migrate},
};

void print_usage(std::ostream& out) {
  out << "usage: duban <command> [options]\n\n"
         "duban (督办) turns policy gazettes into tracked supervision tasks.\n\ncommands:\n";
  for (const auto& c : kSubcommands) {
    out << "  " << c.name << std::string(12 - c.name.size(), ' ') << c.summary << "\n";
  }
  out << "\nRun `duban <command> --help` for the options of one command.\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return duban::app::kExitUsage;
  }
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    if (name == "help" && argc > 2) {
      for (const auto& c : kSubcommands) {
        if (c.name == argv[2]) {
          char help[] = "--help";
          char* args[] = {argv[2], help, nullptr};
          return c.run(2, args);
        }
      }
    }
    print_usage(std::cout);
    return duban::app::kExitOk;
  }
  if (name == "--version") {
    std::cout << "duban 0.1.0\n";
    return duban::app::kExitOk;
  }
  for (const auto& c : kSubcommands) {
    if (c.name == name) {
      try {
        return c.run(argc - 1, argv + 1);
      } catch (const std::exception& e) {
        // Only broken environments get here (out of memory, a failing disk): say so plainly.
        std::cerr << "duban " << name << ": internal error: " << e.what() << "\n";
        return duban::app::kExitFailure;
      }
    }
  }
  std::cerr << "duban: unknown command '" << name << "'\n\n";
  print_usage(std::cerr);
  return duban::app::kExitUsage;
}
