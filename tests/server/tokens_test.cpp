// Covers API tokens as events and credentials that stop at once, against the real server on
// 127.0.0.1 over a real SQLite log (service/token_service.h, server/api/sign_in.h):
// - issued tokens authenticate, are listed (GET /api/v1/tokens) without secret or hash, only for
//   the supervising office; issue and revoke are TokenIssued / TokenRevoked in the log;
// - a revoked, expired or disabled-account token gets 401 with a message saying which;
// - a revocation recorded by another process on the same log is honoured;
// - tokens of the `tokens` table (before tokens were events) keep working and can be revoked;
// - a revoked token's WebSocket, and the WebSocket of a session that is signed out or whose
//   account is disabled, are closed with 1008 within a second, and the next request is 401.
#include <gtest/gtest.h>

#include "service/password.h"
#include "service/token_service.h"
#include "storage/event_codec.h"
#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

class TokensTest : public ServerTest {
 protected:
  // As ServerTest::start_server, with the token service in front of the token table, as
  // `duban serve` wires it, and a quick credential re-check.
  void SetUp() override {
    auto opened = storage::SqliteEventStore::open({.path = dir.file("events.db")}, clock);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store = std::move(*opened);
    auto t = storage::SqliteTokenStore::open(dir.file("events.db"));
    ASSERT_TRUE(t.ok()) << t.error().message;
    tokens = std::move(*t);
    service = std::make_unique<service::TaskService>(*store, model, clock);
    accounts = std::make_unique<service::AccountService>(*store, clock);
    sessions = std::make_unique<service::SessionManager>(*accounts, clock, session_limits);
    token_service =
        std::make_unique<service::TokenService>(*store, clock, tokens.get(), accounts.get());
    supervisor = token(storage::TokenGrant::supervisor());
    ServerOptions o = test_options();
    o.credential_recheck = 100ms;
    server = std::make_unique<Server>(
        o, ServerDependencies{*store, *service, *token_service, clock,
                              gazette::UnitDirectory::builtin(), sessions.get(), nullptr,
                              token_service.get()});
    auto p = server->start();
    ASSERT_TRUE(p.ok()) << p.error().message;
    port = *p;
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

  std::unique_ptr<service::TokenService> token_service;
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
  EXPECT_EQ(c.get("/api/v1/whoami", t.secret).status, 401);
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
