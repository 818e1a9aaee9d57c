// Covers parse_command() (server/api/command_json.h) over the one table of task actions
// (model/task/task_actions.h): every action of the table has a body parser that builds the
// same command as the table's sample (so allowed_actions() and the API speak of the same
// commands), names outside the table are not_found, and the sign-off actions read their fields
// (a refusal needs a reason).
#include "server/api/command_json.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "model/task/task_actions.h"
#include "server/api/error_status.h"

namespace duban::server {
namespace {

const TaskId kTask("T-1");

// The required fields of each action's body (docs/api.md, "Commands"), besides the envelope.
const std::map<std::string_view, std::string> kRequired = {
    {"reassign", R"("leads":["fgw"],"reason":"r")"},
    {"revise", R"("provenance":{"document":"d"})"},
    {"request-extension", R"("requested_deadline":"2030-01-01","reason":"r")"},
    {"reject-extension", R"("reason":"r")"},
    {"deadline", R"("deadline":null)"},
    {"report-completion", R"("summary":"s")"},
    {"return", R"("reason":"r")"},
    {"reopen", R"("reason":"r")"},
    {"cancel", R"("reason":"r")"},
    {"reporting-cycle", R"("cycle":"monthly","reason":"r")"},
    {"refuse-sign-off", R"("reason":"r")"},
    {"expand", R"("group":"city-prefecture-govs")"},
    {"delegate", R"("units":["xining-gov"])"},
    {"contribute", R"("text":"t")"},
};

std::string body(std::string_view fields) {
  std::string out = R"({"command_id":"c-1","expected_version":3)";
  if (!fields.empty()) out += "," + std::string(fields);
  return out + "}";
}

TEST(CommandJson, EveryTaskActionParsesToTheCommandItsSampleIs) {
  task::TaskState state;
  state.id = kTask;
  for (const task::TaskAction& action : task::task_actions()) {
    auto it = kRequired.find(action.name);
    auto parsed = parse_command(action.name, kTask, body(it == kRequired.end() ? "" : it->second));
    ASSERT_TRUE(parsed.ok()) << action.name << ": " << parsed.error().message;
    EXPECT_EQ(parsed->command.index(), action.sample(state).index())
        << action.name << " parses to " << task::command_name(parsed->command);
    EXPECT_EQ(task::task_of(parsed->command), kTask) << action.name;
    EXPECT_EQ(parsed->expected, StreamVersion(3));
  }
}

TEST(CommandJson, ANameOutsideTheTableIsNotFound) {
  EXPECT_EQ(task::find_task_action("sign_off"), nullptr);
  auto parsed = parse_command("sign_off", kTask, body(""));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, "not_found");
  EXPECT_NE(task::find_task_action("sign-off"), nullptr);
}

TEST(CommandJson, SignOffTakesANoteAndARefusalNeedsAReason) {
  auto signed_off = parse_command("sign-off", kTask, body(R"("note":"同意")"));
  ASSERT_TRUE(signed_off.ok()) << signed_off.error().message;
  EXPECT_EQ(std::get<task::SignOffCompletion>(signed_off->command).note, "同意");

  auto no_reason = parse_command("refuse-sign-off", kTask, body(""));
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().code, api_errc::kBadRequest);
  EXPECT_NE(no_reason.error().message.find("reason"), std::string::npos);

  auto refused = parse_command("refuse-sign-off", kTask, body(R"("reason":"材料不全")"));
  ASSERT_TRUE(refused.ok()) << refused.error().message;
  EXPECT_EQ(std::get<task::RefuseSignOff>(refused->command).reason, "材料不全");

  auto unknown = parse_command("sign-off", kTask, body(R"("reason":"x")"));
  ASSERT_FALSE(unknown.ok()) << "sign-off takes a note, not a reason";
  EXPECT_EQ(unknown.error().code, api_errc::kBadRequest);
}

}  // namespace
}  // namespace duban::server
