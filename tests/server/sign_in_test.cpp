// Covers sign-in over HTTP against the real server on 127.0.0.1 and a real SQLite log: the
// session cookie (HttpOnly, SameSite=Strict, Path=/), signing out, idle and absolute expiry on
// the server's clock, brute force locked out after N failures with the lock-out recorded as an
// event, an account disabled mid-session losing access at once, an administrator ending
// sessions, CSRF (cookie-authenticated commands must be JSON), and authorisation from roles (a
// handler cannot approve, an inspector can return a task and a unit cannot).
#include <gtest/gtest.h>

#include "service/password.h"
#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

class SignInTest : public ServerTest {
 protected:
  SignInTest() {
    session_limits.idle = 30min;
    session_limits.absolute = 2h;
    session_limits.max_failures = 3;
    session_limits.lockout = 15min;
    session_limits.window = 15min;
  }

  HttpResponse sign_in(HttpClient& c, const std::string& login, const std::string& password) {
    return c.request("POST", "/api/v1/session",
                     R"({"login":")" + login + R"(","password":")" + password + R"("})");
  }

  // The "duban_session=<secret>" part of a successful sign-in's Set-Cookie.
  // A command body at the task's current version.
  std::string body(const std::string& task, const std::string& id, const std::string& fields = "") {
    auto c = http();
    const auto version = c.get(task_path(task), supervisor).json().at("version").as_int64();
    return R"({"command_id":")" + id + R"(","expected_version":)" + std::to_string(version) +
           (fields.empty() ? "" : "," + fields) + "}";
  }

  static std::string cookie_of(const HttpResponse& r) {
    auto it = r.headers.find("set-cookie");
    if (it == r.headers.end()) return "";
    return it->second.substr(0, it->second.find(';'));
  }

  HttpResponse as(HttpClient& c, const std::string& cookie, std::string_view method,
                  std::string_view target, std::string_view body = {},
                  std::string_view content_type = "application/json") {
    return c.request(method, target, body, {}, content_type, {{"Cookie", cookie}});
  }
};

TEST_F(SignInTest, SigningInSetsAStrictHttpOnlyCookieThatActsForThePersonsUnit) {
  create_person("wang.fang", "fgw", {account::Role::kHandler}, "correct-horse-1");
  auto c = http();
  auto r = sign_in(c, "wang.fang", "correct-horse-1");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string set_cookie = r.headers.at("set-cookie");
  EXPECT_NE(set_cookie.find("duban_session="), std::string::npos);
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(set_cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(str(r.json().at("account")), "wang.fang");
  EXPECT_EQ(str(r.json().at("unit")), "fgw");

  const std::string cookie = cookie_of(r);
  auto who = as(c, cookie, "GET", "/api/v1/whoami");
  ASSERT_EQ(who.status, 200) << who.body;
  EXPECT_EQ(str(who.json().at("unit")), "fgw");
  EXPECT_EQ(as(c, cookie, "GET", "/api/v1/session").status, 200);

  EXPECT_EQ(as(c, cookie, "DELETE", "/api/v1/session").status, 204);
  EXPECT_EQ(as(c, cookie, "GET", "/api/v1/whoami").status, 401);
}

TEST_F(SignInTest, AWrongPasswordOrUnknownLoginIsUnauthorizedAlike) {
  create_person("wang.fang", "fgw", {account::Role::kHandler}, "correct-horse-1");
  auto c = http();
  auto wrong = sign_in(c, "wang.fang", "wrong-horse-1");
  auto unknown = sign_in(c, "nobody", "correct-horse-1");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(str(wrong.json().at("message")), str(unknown.json().at("message")));
  EXPECT_EQ(wrong.headers.count("set-cookie"), 0u);
}

TEST_F(SignInTest, ASessionCookieIsRefusedAfterIdleOrAbsoluteExpiry) {
  create_person("wang.fang", "fgw", {account::Role::kHandler}, "correct-horse-1");
  auto c = http();
  const std::string idle = cookie_of(sign_in(c, "wang.fang", "correct-horse-1"));
  clock.advance_to(clock.now() + 29min);
  EXPECT_EQ(as(c, idle, "GET", "/api/v1/whoami").status, 200);  // touched: idle timer restarts
  clock.advance_to(clock.now() + 31min);
  EXPECT_EQ(as(c, idle, "GET", "/api/v1/whoami").status, 401);

  const std::string busy = cookie_of(sign_in(c, "wang.fang", "correct-horse-1"));
  for (int i = 0; i < 4; ++i) {
    clock.advance_to(clock.now() + 25min);
    EXPECT_EQ(as(c, busy, "GET", "/api/v1/whoami").status, 200) << i;
  }
  clock.advance_to(clock.now() + 25min);  // 125 min after sign-in: past the 2 h limit
  EXPECT_EQ(as(c, busy, "GET", "/api/v1/whoami").status, 401);
}

TEST_F(SignInTest, BruteForceIsLockedOutAndTheLockOutIsAnEvent) {
  create_person("wang.fang", "fgw", {account::Role::kHandler}, "correct-horse-1");
  auto c = http();
  EXPECT_EQ(sign_in(c, "wang.fang", "guess-number-1").status, 401);
  EXPECT_EQ(sign_in(c, "wang.fang", "guess-number-2").status, 401);
  auto third = sign_in(c, "wang.fang", "guess-number-3");
  EXPECT_EQ(third.status, 429) << third.body;
  EXPECT_EQ(str(third.json().at("error")), "locked_out");
  // Locked: even the right password is refused until the lock-out ends.
  EXPECT_EQ(sign_in(c, "wang.fang", "correct-horse-1").status, 429);

  auto stream = store->read_stream("account/wang.fang");
  ASSERT_TRUE(stream.ok());
  ASSERT_EQ(stream->size(), 2u);
  EXPECT_EQ(stream->back().type, "SignInLockedOut");
  EXPECT_EQ(stream->back().actor, "system");

  clock.advance_to(clock.now() + 16min);
  EXPECT_EQ(sign_in(c, "wang.fang", "correct-horse-1").status, 200);
}

TEST_F(SignInTest, AnAccountDisabledMidSessionLosesAccessAtOnce) {
  create_person("wang.fang", "fgw", {account::Role::kHandler}, "correct-horse-1");
  auto c = http();
  const std::string cookie = cookie_of(sign_in(c, "wang.fang", "correct-horse-1"));
  ASSERT_EQ(as(c, cookie, "GET", "/api/v1/whoami").status, 200);
  // Disabled by another process on the same log (as `duban account disable` would).
  service::AccountService cli(*store, clock);
  ASSERT_TRUE(cli.execute(account::DisableAccount{account::AccountId("wang.fang"), "调离岗位"},
                          task::Actor::supervisor(), CommandId("disable"))
                  .ok());
  EXPECT_EQ(as(c, cookie, "GET", "/api/v1/whoami").status, 401);
  EXPECT_EQ(sign_in(c, "wang.fang", "correct-horse-1").status, 401);
}

TEST_F(SignInTest, AnAdministratorEndsSomeonesSessions) {
  create_person("wang.fang", "fgw", {account::Role::kHandler}, "correct-horse-1");
  auto c = http();
  const std::string cookie = cookie_of(sign_in(c, "wang.fang", "correct-horse-1"));
  const std::string unit = unit_token("fgw");
  EXPECT_EQ(c.request("DELETE", "/api/v1/accounts/wang.fang/sessions", {}, unit).status, 403);
  auto ended = c.request("DELETE", "/api/v1/accounts/wang.fang/sessions", {}, supervisor);
  ASSERT_EQ(ended.status, 200) << ended.body;
  EXPECT_EQ(ended.json().at("ended").as_int64(), 1);
  EXPECT_EQ(as(c, cookie, "GET", "/api/v1/whoami").status, 401);
}

TEST_F(SignInTest, CookieAuthenticatedCommandsMustBeJson) {
  create_task("T-1", {"fgw"});
  create_person("wang.fang", "fgw", {account::Role::kHandler}, "correct-horse-1");
  auto c = http();
  const std::string cookie = cookie_of(sign_in(c, "wang.fang", "correct-horse-1"));
  auto form = as(c, cookie, "POST", task_path("T-1", "acknowledge"), "command_id=x",
                 "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 403) << form.body;
  auto json = as(c, cookie, "POST", task_path("T-1", "acknowledge"), body("T-1", "ack-1"));
  EXPECT_EQ(json.status, 200) << json.body;
}

TEST_F(SignInTest, AHandlerCannotApproveAnInspectorCanReturnAndAUnitCannot) {
  create_task("T-1", {"fgw"});
  create_person("wang.fang", "fgw", {account::Role::kHandler}, "correct-horse-1");
  create_person("li.ming", "", {account::Role::kInspector}, "correct-horse-2");
  auto c = http();
  const std::string handler = cookie_of(sign_in(c, "wang.fang", "correct-horse-1"));
  const std::string inspector = cookie_of(sign_in(c, "li.ming", "correct-horse-2"));
  ASSERT_EQ(as(c, handler, "POST", task_path("T-1", "report-completion"),
               body("T-1", "rc-1", R"("summary":"done")"))
                .status,
            200);
  auto approve =
      as(c, handler, "POST", task_path("T-1", "approve-completion"), body("T-1", "ap-1"));
  EXPECT_EQ(approve.status, 403) << approve.body;
  auto unit_return =
      as(c, handler, "POST", task_path("T-1", "return"), body("T-1", "ret-1", R"("reason":"no")"));
  EXPECT_EQ(unit_return.status, 403) << unit_return.body;
  auto inspector_return = as(c, inspector, "POST", task_path("T-1", "return"),
                             body("T-1", "ret-2", R"("reason":"材料不全")"));
  EXPECT_EQ(inspector_return.status, 200) << inspector_return.body;
}

TEST_F(SignInTest, AccountEventsAreNeverPushedNotEvenToTheSupervisor) {
  create_task("T-1", {"fgw"});
  create_person("wang.fang", "fgw", {account::Role::kHandler}, "correct-horse-1");
  auto c = ws(supervisor);
  c.next();  // hello
  subscribe(c, R"({"all":true})", 0);
  std::vector<WsMessage> seen;
  read_until(c, "caught_up", &seen);
  run(task::AcknowledgeTask{TaskId("T-1")}, task::Actor::of_unit(UnitId("fgw")));
  auto live = read_until(c, "event", &seen).json();
  EXPECT_EQ(str(live.at("event_type")), "TaskAcknowledged");
  for (const WsMessage& m : seen) {
    EXPECT_EQ(m.data.find("AccountCreated"), std::string::npos) << m.data;
    EXPECT_EQ(m.data.find("argon2id"), std::string::npos) << m.data;
  }
}

}  // namespace
}  // namespace duban::server::testing
