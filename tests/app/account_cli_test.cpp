// Covers `duban account` as a user runs it (the real binary, a real SQLite file): create with a
// generated password printed once or one read from stdin, list (table and JSON), roles, disable,
// reset-password, usage errors, and that no password reaches the database file.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace duban::testing {
namespace {

using duban::testing::contains;

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class AccountCli : public ::testing::Test {
 protected:
  CommandResult account(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), "account");
    args.push_back("--db");
    args.push_back(db);
    return run_command(DUBAN_BINARY, args, stdin_text);
  }
  TempDir dir;
  std::string db = dir.file("duban.db");
};

TEST_F(AccountCli, HelpNamesEveryActionAndTheRoles) {
  auto r = run_command(DUBAN_BINARY, {"account", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* word : {"create", "disable", "reset-password", "list", "handler", "unit_head",
                           "inspector", "leader", "--password-stdin"}) {
    EXPECT_TRUE(contains(r.out, word)) << word;
  }
}

TEST_F(AccountCli, CreateListDisableAndResetAnAccount) {
  auto created = account(
      {"create", "--login", "wang.fang", "--name", "王芳", "--unit", "fgw", "--role", "handler"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  ASSERT_TRUE(contains(created.out, "password for wang.fang: ")) << created.out;
  const std::string generated =
      created.out.substr(created.out.find(": ") + 2, 20);  // printed once, 20 characters

  auto office = account({"create", "--login", "li.ming", "--name", "李明", "--office", "--role",
                         "inspector", "--role", "leader", "--password-stdin"},
                        "a-long-enough-secret\n");
  ASSERT_EQ(office.exit_code, 0) << office.err;
  EXPECT_FALSE(contains(office.out, "a-long-enough-secret"));

  auto listed = account({"list", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  auto rows = boost::json::parse(listed.out).as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("login").as_string(), "li.ming");
  EXPECT_EQ(rows[0].at("unit").as_string(), "");
  EXPECT_EQ(rows[0].at("roles").as_array().size(), 2u);
  EXPECT_EQ(rows[1].at("unit").as_string(), "fgw");
  EXPECT_FALSE(rows[1].at("disabled").as_bool());

  EXPECT_EQ(account({"roles", "--login", "wang.fang", "--role", "handler", "--role", "unit_head"})
                .exit_code,
            0);
  auto disabled = account({"disable", "--login", "wang.fang", "--reason", "调离岗位"});
  EXPECT_EQ(disabled.exit_code, 0) << disabled.err;
  auto reset = account({"reset-password", "--login", "li.ming"});
  EXPECT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_TRUE(contains(reset.out, "password for li.ming: "));

  auto table = account({"list"});
  EXPECT_TRUE(contains(table.out, "disabled")) << table.out;
  EXPECT_TRUE(contains(table.out, "handler,unit_head")) << table.out;

  // Only hashes reach the file: neither password is in it.
  const std::string bytes = file_bytes(db);
  EXPECT_TRUE(contains(bytes, "$argon2id$"));
  EXPECT_FALSE(contains(bytes, generated));
  EXPECT_FALSE(contains(bytes, "a-long-enough-secret"));
}

TEST_F(AccountCli, RefusalsSayWhatIsWrong) {
  auto office_role = account({"create", "--login", "x.y", "--name", "X", "--unit", "fgw", "--role",
                              "leader", "--password-stdin"},
                             "a-long-enough-secret\n");
  EXPECT_EQ(office_role.exit_code, 1);
  EXPECT_TRUE(contains(office_role.err, "belongs to an office account")) << office_role.err;
  auto short_password = account({"create", "--login", "x.y", "--name", "X", "--unit", "fgw",
                                 "--role", "handler", "--password-stdin"},
                                "short\n");
  EXPECT_EQ(short_password.exit_code, 1);
  EXPECT_TRUE(contains(short_password.err, "at least") || contains(short_password.err, "needs"))
      << short_password.err;
  EXPECT_EQ(account({"create", "--login", "x.y", "--name", "X", "--role", "handler"}).exit_code, 2);
  EXPECT_EQ(account({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(account({"disable", "--login", "nobody", "--reason", "r"}).exit_code, 1);
}

}  // namespace
}  // namespace duban::testing
