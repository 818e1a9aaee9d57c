// Covers API tokens as events and credentials that stop at once, against the real server on
// 127.0.0.1 over a real SQLite log (service/token_service.h, server/api/sign_in.h):
// - issued tokens authenticate, are listed (GET /api/v1/tokens) without secret or hash, only for
//   the supervising office; issue and revoke are TokenIssued / TokenRevoked in the log;
// - POST /api/v1/tokens: the office issues any token, a signed-in person one of their own account;
// - a revoked, expired or disabled-account token gets 401 with a message saying which; a token
//   scoped to an account acts as that person (the event's actor names them);
// - a revocation recorded by another process on the same log is honoured (within a second);
// - tokens of the `tokens` table (before tokens were events) keep working and can be revoked;
// - a revoked token's WebSocket, and the WebSocket of a session that is signed out or whose
//   account is disabled, are closed with 1008 within a second, and the next request is 401.
#include <gtest/gtest.h>

#include <thread>

#include "service/password.h"
#include "service/token_service.h"
#include "storage/event_codec.h"
#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

class TokensTest : public ServerTest {
 protected:
  // The token service in front of the token table, as `duban serve` wires it, and a quick
  // look for revocations.
  void SetUp() override {
    with_token_service = true;
    ServerOptions o = test_options();
    o.credential_recheck = 100ms;
    start_server(o);
  }

  service::IssuedToken issue(const std::string& name, account::TokenScope scope,
                             const std::string& unit_or_account = "",
                             Timestamp expires_at = Timestamp{}) {
    service::IssueToken r;
    r.name = name;
    r.scope = scope;
    if (scope == account::TokenScope::kUnit) r.unit = UnitId(unit_or_account);
    if (scope == account::TokenScope::kAccount) r.account = account::AccountId(unit_or_account);
    r.expires_at = expires_at;
    auto issued = token_service->issue(r, task::Actor::supervisor());
    EXPECT_TRUE(issued.ok()) << issued.error().message;
    return issued.ok() ? *issued : service::IssuedToken{};
  }

  void create_account(const std::string& login, const std::string& unit, account::Role role,
                      const std::string& password) {
    auto hash = service::hash_password(password);
    ASSERT_TRUE(hash.ok());
    auto done = accounts->execute(
        account::CreateAccount{
            account::AccountId(login), "Name of " + login, UnitId(unit), {role}, *hash},
        task::Actor::supervisor(), CommandId("create-account:" + login));
    ASSERT_TRUE(done.ok()) << done.error().message;
  }

  void disable(const std::string& login) {
    auto done = accounts->execute(account::DisableAccount{account::AccountId(login), "调离岗位"},
                                  task::Actor::supervisor(), CommandId("disable:" + login));
    ASSERT_TRUE(done.ok()) << done.error().message;
  }

  std::string sign_in(const std::string& login, const std::string& password) {
    auto c = http();
    auto r = c.request("POST", "/api/v1/session",
                       R"({"login":")" + login + R"(","password":")" + password + R"("})");
    EXPECT_EQ(r.status, 200) << r.body;
    auto it = r.headers.find("set-cookie");
    return it == r.headers.end() ? "" : it->second.substr(0, it->second.find(';'));
  }

  WsClient ws_with_cookie(const std::string& cookie) {
    WsClient::Options o;
    o.cookie = cookie;
    return WsClient("127.0.0.1", port, o);
  }

  // The connection's close code once the server closes it within `within`; 0 when it did not.
  static int closed_within(WsClient& c, std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    try {
      for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left <= 0ms) return 0;
        c.read(left);  // hello, subscribed, checkpoints: read on until the close
      }
    } catch (const WsClosed& closed) {
      return closed.code;
    }
  }

  std::vector<storage::RecordedEvent> token_stream(const std::string& id) {
    auto s = store->read_stream(account::token_stream_id(id));
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : std::vector<storage::RecordedEvent>{};
  }
};

TEST_F(TokensTest, AnIssuedTokenActsForItsScopeAndIsRecordedWithoutItsSecret) {
  auto fgw = issue("fgw-import", account::TokenScope::kUnit, "fgw");
  auto c = http();
  auto who = c.get("/api/v1/whoami", fgw.secret);
  ASSERT_EQ(who.status, 200) << who.body;
  EXPECT_EQ(str(who.json().at("unit")), "fgw");

  const auto stream = token_stream(fgw.info.id);
  ASSERT_EQ(stream.size(), 1u);
  EXPECT_EQ(stream[0].type, "TokenIssued");
  EXPECT_EQ(stream[0].payload.find(fgw.secret), std::string::npos);
  auto decoded = storage::decode_event(stream[0]);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<account::TokenIssued>(*decoded).secret_hash, storage::token_hash(fgw.secret));
}

TEST_F(TokensTest, TheOfficeListsTokensWithoutSecretsAndAUnitMayNot) {
  auto fgw = issue("fgw-import", account::TokenScope::kUnit, "fgw");
  issue("nightly-report", account::TokenScope::kOffice, "", clock.now() + 24h);
  auto c = http();
  auto list = c.get("/api/v1/tokens", supervisor);
  ASSERT_EQ(list.status, 200) << list.body;
  const boost::json::value body = list.json();
  const auto& rows = body.at("tokens").as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(str(rows[0].at("name")), "fgw-import");
  EXPECT_EQ(str(rows[0].at("scope")), "unit");
  EXPECT_EQ(str(rows[0].at("status")), "active");
  EXPECT_TRUE(rows[0].at("expires_at").is_null());
  EXPECT_EQ(str(rows[1].at("expires_at")).substr(0, 10), "2016-01-05");
  EXPECT_EQ(list.body.find(fgw.secret), std::string::npos);
  EXPECT_EQ(list.body.find(fgw.info.secret_hash), std::string::npos);

  EXPECT_EQ(c.get("/api/v1/tokens", fgw.secret).status, 403);
}

TEST_F(TokensTest, ARevokedTokenGets401SayingSoAndTheRevocationIsAnEvent) {
  auto fgw = issue("fgw-import", account::TokenScope::kUnit, "fgw");
  auto c = http();
  auto revoked = c.request("DELETE", "/api/v1/tokens/fgw-import", R"({"reason":"泄露"})",
                           supervisor, "application/json");
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(str(revoked.json().at("status")), "revoked");

  auto refused = c.get("/api/v1/whoami", fgw.secret);
  EXPECT_EQ(refused.status, 401);
  EXPECT_NE(str(refused.json().at("message")).find("revoked"), std::string::npos) << refused.body;
  const auto stream = token_stream(fgw.info.id);
  ASSERT_EQ(stream.size(), 2u);
  EXPECT_EQ(stream[1].type, "TokenRevoked");
  EXPECT_EQ(stream[1].actor, "supervisor");
  // Revoking twice is refused; the name is free again for a new token.
  EXPECT_EQ(c.request("DELETE", "/api/v1/tokens/" + fgw.info.id, "", supervisor).status, 409);
  EXPECT_EQ(
      c.get("/api/v1/whoami", issue("fgw-import", account::TokenScope::kUnit, "fgw").secret).status,
      200);
}

TEST_F(TokensTest, AnExpiredTokenGets401SayingSo) {
  auto t = issue("short", account::TokenScope::kOffice, "", clock.now() + 1h);
  auto c = http();
  EXPECT_EQ(c.get("/api/v1/whoami", t.secret).status, 200);
  clock.advance_to(clock.now() + 2h);
  auto refused = c.get("/api/v1/whoami", t.secret);
  EXPECT_EQ(refused.status, 401);
  EXPECT_NE(str(refused.json().at("message")).find("expired"), std::string::npos) << refused.body;
}

TEST_F(TokensTest, ARevocationRecordedByAnotherProcessOnTheSameLogIsHonoured) {
  auto t = issue("shared", account::TokenScope::kOffice);
  auto c = http();
  EXPECT_EQ(c.get("/api/v1/whoami", t.secret).status, 200);
  // Another node: its own connection to the same file and its own token service.
  auto other = storage::SqliteEventStore::open({.path = dir.file("events.db")}, clock);
  ASSERT_TRUE(other.ok());
  service::TokenService elsewhere(**other, clock, nullptr, nullptr);
  ASSERT_TRUE(elsewhere.revoke(t.info.id, "", task::Actor::supervisor()).ok());
  // This server reads the revocation when its push dispatcher next polls the log (100 ms).
  int status = 0;
  for (auto until = std::chrono::steady_clock::now() + 1s;
       std::chrono::steady_clock::now() < until && status != 401;
       std::this_thread::sleep_for(20ms)) {
    status = c.get("/api/v1/whoami", t.secret).status;
  }
  EXPECT_EQ(status, 401);
}

TEST_F(TokensTest, AnOldTableTokenKeepsWorkingAndIsRevokedByItsText) {
  const std::string old = unit_token("fgw");
  auto c = http();
  EXPECT_EQ(c.get("/api/v1/whoami", old).status, 200);
  auto revoked = token_service->revoke(old, "旧令牌", task::Actor::supervisor());
  ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  EXPECT_TRUE(revoked->legacy());
  EXPECT_EQ(c.get("/api/v1/whoami", old).status, 401);
  EXPECT_EQ(c.get("/api/v1/whoami", supervisor).status, 200);  // other table tokens unaffected
}

TEST_F(TokensTest, AnAccountTokenActsForTheAccountAndStopsWhenItIsDisabled) {
  create_account("li.na", "fgw", account::Role::kHandler, "correct-horse-1");
  auto t = issue("li.na-laptop", account::TokenScope::kAccount, "li.na");
  auto c = http();
  auto who = c.get("/api/v1/whoami", t.secret);
  ASSERT_EQ(who.status, 200) << who.body;
  EXPECT_EQ(str(who.json().at("unit")), "fgw");
  disable("li.na");
  auto refused = c.get("/api/v1/whoami", t.secret);
  EXPECT_EQ(refused.status, 401);
  EXPECT_NE(str(refused.json().at("message")).find("disabled"), std::string::npos);
}

TEST_F(TokensTest, ACommandThroughAnAccountTokenRecordsThePersonInTheEventsActor) {
  create_task("T-1", {"fgw"});
  create_account("li.na", "fgw", account::Role::kHandler, "correct-horse-1");
  auto t = issue("li.na-laptop", account::TokenScope::kAccount, "li.na");
  auto c = http();
  auto who = c.get("/api/v1/whoami", t.secret);
  ASSERT_EQ(who.status, 200) << who.body;
  EXPECT_EQ(str(who.json().at("account")), "li.na");
  const auto version = c.get(task_path("T-1"), supervisor).json().at("version").as_int64();
  auto reported = c.post(task_path("T-1", "report-completion"),
                         R"({"command_id":"r-1","expected_version":)" + std::to_string(version) +
                             R"(,"summary":"已完成"})",
                         t.secret);
  ASSERT_EQ(reported.status, 200) << reported.body;
  auto stream = store->read_stream("task/T-1");
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(stream->back().actor, "unit:fgw/person:li.na");
  EXPECT_EQ(stream->back().command_id.str().rfind("client:account:li.na:", 0), 0u);
}

TEST_F(TokensTest, TheOfficeIssuesATokenOverHttpAndItsSecretIsShownOnce) {
  auto c = http();
  auto issued = c.post("/api/v1/tokens",
                       R"({"name":"fgw-import","scope":"unit","unit":"fgw","expires_in_days":7})",
                       supervisor);
  ASSERT_EQ(issued.status, 201) << issued.body;
  const std::string secret = str(issued.json().at("token"));
  EXPECT_EQ(str(issued.json().at("scope")), "unit");
  EXPECT_EQ(str(issued.json().at("expires_at")).substr(0, 10), "2016-01-11");
  auto who = c.get("/api/v1/whoami", secret);
  ASSERT_EQ(who.status, 200) << who.body;
  EXPECT_EQ(str(who.json().at("unit")), "fgw");
  const auto stream = token_stream(str(issued.json().at("id")));
  ASSERT_EQ(stream.size(), 1u);
  EXPECT_EQ(stream[0].actor, "supervisor");
  // Listed without the secret; a second live token of that name is refused.
  auto list = c.get("/api/v1/tokens", supervisor);
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  EXPECT_EQ(
      c.post("/api/v1/tokens", R"({"name":"fgw-import","scope":"office"})", supervisor).status,
      409);
  EXPECT_EQ(
      c.post("/api/v1/tokens", R"({"name":"x","scope":"unit","unit":"no-such-unit"})", supervisor)
          .status,
      404);
  EXPECT_EQ(c.post("/api/v1/tokens", R"({"name":"x","scope":"everyone"})", supervisor).status, 400);
  // A unit's machine token issues nothing.
  EXPECT_EQ(
      c.post("/api/v1/tokens", R"({"name":"mine","scope":"unit","unit":"fgw"})", secret).status,
      403);
}

TEST_F(TokensTest, ASignedInPersonIssuesATokenOnlyForTheirOwnAccount) {
  create_account("li.na", "fgw", account::Role::kHandler, "correct-horse-1");
  create_account("wang", "fgw", account::Role::kUnitHead, "correct-horse-2");
  const std::string cookie = sign_in("li.na", "correct-horse-1");
  auto c = http();
  auto as_li = [&](const std::string& body) {
    return c.request("POST", "/api/v1/tokens", body, "", "application/json", {{"Cookie", cookie}});
  };
  auto issued = as_li(R"({"name":"li.na-script"})");
  ASSERT_EQ(issued.status, 201) << issued.body;
  EXPECT_EQ(str(issued.json().at("scope")), "account");
  EXPECT_EQ(str(issued.json().at("account")), "li.na");
  EXPECT_FALSE(issued.json().at("expires_at").is_null());
  auto who = c.get("/api/v1/whoami", str(issued.json().at("token")));
  ASSERT_EQ(who.status, 200) << who.body;
  EXPECT_EQ(str(who.json().at("account")), "li.na");
  EXPECT_EQ(token_stream(str(issued.json().at("id")))[0].actor, "unit:fgw/person:li.na");

  EXPECT_EQ(as_li(R"({"name":"w","scope":"account","account":"wang"})").status, 403);
  EXPECT_EQ(as_li(R"({"name":"u","scope":"unit","unit":"fgw"})").status, 403);
  EXPECT_EQ(as_li(R"({"name":"forever","expires_in_days":null})").status, 403);
  // Listing and revoking stay the office's.
  EXPECT_EQ(c.request("GET", "/api/v1/tokens", "", "", "", {{"Cookie", cookie}}).status, 403);
}

TEST_F(TokensTest, ARevokedTokensWebSocketIsClosedWithin1s) {
  auto t = issue("watcher", account::TokenScope::kOffice);
  auto w = ws(t.secret);
  subscribe(w, R"({"all":true})");
  read_until(w, "subscribed");
  ASSERT_TRUE(token_service->revoke("watcher", "", task::Actor::supervisor()).ok());
  EXPECT_EQ(closed_within(w, 1s), 1008);
  WsClient::Options again;
  again.token = t.secret;
  EXPECT_EQ(WsClient::handshake_status("127.0.0.1", port, again), 401);
}

TEST_F(TokensTest, DisablingAnAccountMidSessionRefusesTheNextRequestAndClosesItsWebSocket) {
  create_account("li.na", "fgw", account::Role::kHandler, "correct-horse-1");
  const std::string cookie = sign_in("li.na", "correct-horse-1");
  auto w = ws_with_cookie(cookie);
  subscribe(w, R"({"unit":"fgw"})");
  read_until(w, "subscribed");
  disable("li.na");
  auto c = http();
  EXPECT_EQ(c.request("GET", "/api/v1/whoami", "", "", "", {{"Cookie", cookie}}).status, 401);
  EXPECT_EQ(closed_within(w, 1s), 1008);
}

TEST_F(TokensTest, SigningOutClosesTheSessionsWebSocketWithin1s) {
  create_account("li.na", "fgw", account::Role::kHandler, "correct-horse-1");
  const std::string cookie = sign_in("li.na", "correct-horse-1");
  auto w = ws_with_cookie(cookie);
  subscribe(w, R"({"unit":"fgw"})");
  read_until(w, "subscribed");
  auto c = http();
  EXPECT_EQ(c.request("DELETE", "/api/v1/session", "", "", "", {{"Cookie", cookie}}).status, 204);
  EXPECT_EQ(closed_within(w, 1s), 1008);
}

TEST_F(TokensTest, AnAdministratorEndingSessionsClosesTheirWebSocketsWithin1s) {
  create_account("li.na", "fgw", account::Role::kHandler, "correct-horse-1");
  auto w = ws_with_cookie(sign_in("li.na", "correct-horse-1"));
  subscribe(w, R"({"unit":"fgw"})");
  read_until(w, "subscribed");
  auto c = http();
  EXPECT_EQ(c.request("DELETE", "/api/v1/accounts/li.na/sessions", "", supervisor).status, 200);
  EXPECT_EQ(closed_within(w, 1s), 1008);
}

}  // namespace
}  // namespace duban::server::testing
