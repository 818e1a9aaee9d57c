// The subcommands of the `duban` binary. Each takes the arguments after its name and returns
// the process exit status: 0 success, 1 the work failed (bad input, refused command), 2 usage.
#pragma once

namespace duban::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

int run_extract(int argc, char** argv);
int run_ingest(int argc, char** argv);
int run_sweep(int argc, char** argv);
int run_tasks(int argc, char** argv);
int run_serve(int argc, char** argv);
int run_token(int argc, char** argv);
int run_watch(int argc, char** argv);
int run_audit(int argc, char** argv);
int run_snapshot(int argc, char** argv);
int run_report(int argc, char** argv);
int run_migrate(int argc, char** argv);
int run_deadlines(int argc, char** argv);
int run_drafts(int argc, char** argv);
int run_account(int argc, char** argv);
int run_notify(int argc, char** argv);
// `duban notify digest` (notify_digest_command.cpp); run_notify() hands it over.
int run_notify_digest(int argc, char** argv);

}  // namespace duban::app
