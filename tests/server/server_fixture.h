// A real `duban serve` in-process for tests: a SQLite file in a temp dir, the token table beside
// it, the read model and TaskService, a fake clock the test moves, and the Server listening on
// 127.0.0.1 with an ephemeral port. Tests talk to it with the real clients of
// tests/support/net_clients.h. Helpers create tasks through the service and tokens through the
// store, so each test states only what it is about.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "model/gazette/units.h"
#include "model/task/commands.h"
#include "server/api/target.h"
#include "server/server.h"
#include "service/account_service.h"
#include "service/password.h"
#include "service/projections/read_model.h"
#include "service/sessions.h"
#include "service/task_service.h"
#include "service/token_service.h"
#include "storage/blob_store.h"
#include "storage/sqlite_event_store.h"
#include "storage/sqlite_token_store.h"
#include "tests/support/net_clients.h"
#include "tests/support/run_command.h"

namespace duban::server::testing {

using namespace std::chrono_literals;

// The string held by a JSON value (the tests read ids and codes out of replies).
inline std::string str(const boost::json::value& v) {
  return std::string(v.as_string());
}

// The whole file at `path` (fixtures such as the bundled gazette); empty when unreadable.
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
using duban::testing::HttpClient;
using duban::testing::HttpResponse;
using duban::testing::WsClient;
using duban::testing::WsClosed;
using duban::testing::WsMessage;

// A clock the test moves while server threads read it.
class TestClock final : public Clock {
 public:
  explicit TestClock(Timestamp t) : ms_(to_millis(t)) {}
  Timestamp now() const override { return from_millis(ms_.load()); }
  void advance_to(Timestamp t) { ms_.store(to_millis(t)); }

 private:
  std::atomic<std::int64_t> ms_;
};

inline Timestamp utc(int y, unsigned mo, unsigned d, int h = 0) {
  using namespace std::chrono;
  return sys_days(year(y) / month(mo) / day(d)) + hours(h);
}

// "/api/v1/tasks/<task, %-encoded>[/<action>]".
inline std::string task_url(const std::string& task, const std::string& action = "") {
  return "/api/v1/tasks/" + percent_encode(task) + (action.empty() ? "" : "/" + action);
}

// The CreateTask of a clause of `document` named `id`, as the tests create tasks.
inline task::CreateTask create_command(const std::string& id, std::vector<std::string> leads,
                                       std::vector<std::string> participants = {},
                                       task::Deadline deadline = std::nullopt,
                                       const std::string& document = "青政办〔2015〕151号") {
  task::CreateTask c;
  c.task = TaskId(id);
  c.provenance = task::Provenance{DocumentId(document),
                                  1,
                                  "正文",
                                  id,
                                  "建立共享机制",
                                  "建立共享机制。（省商务厅牵头）",
                                  10,
                                  11};
  for (auto& u : leads) c.leads.emplace_back(u);
  for (auto& u : participants) c.participants.emplace_back(u);
  c.deadline = std::move(deadline);
  return c;
}

class ServerTest : public ::testing::Test {
 protected:
  // Options every server test starts from: quick timers, no request log, small pools.
  static ServerOptions test_options() {
    ServerOptions o;
    o.port = 0;
    o.io_threads = 2;
    o.workers = 4;
    o.request_log = false;
    o.sweep_interval = 0ms;
    o.checkpoint_interval = 200ms;
    o.drain_timeout = 3s;
    return o;
  }

  void SetUp() override { start_server(test_options()); }
  void TearDown() override { stop_server(); }

  void start_server(ServerOptions options) {
    if (!store) {
      auto opened = storage::SqliteEventStore::open(
          {.path = dir.file("events.db"), .exclusive = exclusive_store}, clock);
      ASSERT_TRUE(opened.ok()) << opened.error().message;
      store = std::move(*opened);
      auto t = storage::SqliteTokenStore::open(dir.file("events.db"));
      ASSERT_TRUE(t.ok()) << t.error().message;
      tokens = std::move(*t);
      service = std::make_unique<service::TaskService>(*store, model, clock);
      accounts = std::make_unique<service::AccountService>(*store, clock);
      sessions = std::make_unique<service::SessionManager>(*accounts, clock, session_limits);
      if (with_token_service) {
        token_service =
            std::make_unique<service::TokenService>(*store, clock, tokens.get(), accounts.get());
      }
      supervisor = token(storage::TokenGrant::supervisor());
      if (with_blobs) {
        auto b = storage::open_blob_store(dir.file("events.db"));
        ASSERT_TRUE(b.ok()) << b.error().message;
        blobs = std::move(*b);
      }
    }
    storage::TokenStore& lookup =
        token_service ? static_cast<storage::TokenStore&>(*token_service) : *tokens;
    ServerDependencies deps{*store,
                            *service,
                            lookup,
                            clock,
                            gazette::UnitDirectory::builtin(),
                            sessions.get(),
                            nullptr,
                            token_service.get()};
    deps.blobs = blobs.get();
    server = std::make_unique<Server>(options, deps);
    auto p = server->start();
    ASSERT_TRUE(p.ok()) << p.error().message;
    port = *p;
  }

  void stop_server() {
    if (server) server->stop();
    server.reset();
  }

  std::string token(const storage::TokenGrant& grant) {
    auto t = tokens->create(grant, clock.now());
    EXPECT_TRUE(t.ok());
    return t.ok() ? *t : std::string();
  }
  std::string unit_token(const std::string& unit) {
    return token(storage::TokenGrant::of_unit(UnitId(unit)));
  }

  // Creates a task through the service (as the supervisor); returns its id.
  std::string create_task(const std::string& id, std::vector<std::string> leads,
                          std::vector<std::string> participants = {},
                          task::Deadline deadline = std::nullopt,
                          const std::string& document = "青政办〔2015〕151号") {
    const task::CreateTask c = create_command(id, std::move(leads), std::move(participants),
                                              std::move(deadline), document);
    auto done = service->execute(c, task::Actor::supervisor(), CommandId("create:" + id));
    EXPECT_TRUE(done.ok()) << done.error().message;
    return id;
  }

  // Runs a command through the service as `actor` with a fresh command id.
  service::CommandOutcome run(const task::Command& command, const task::Actor& actor) {
    auto done = service->execute(command, actor, CommandId("cmd:" + std::to_string(++commands_)));
    EXPECT_TRUE(done.ok()) << done.error().message;
    return done.ok() ? *done : service::CommandOutcome{};
  }

  // Creates the account `login` (unit empty: the supervising office) with `roles` and
  // `password` (by default "password-<login>", what sign_in_cookie() uses), as the office.
  void create_person(const std::string& login, const std::string& unit,
                     std::vector<account::Role> roles, const std::string& password = "") {
    auto hash = service::hash_password(password.empty() ? "password-" + login : password);
    ASSERT_TRUE(hash.ok());
    auto done =
        accounts->execute(account::CreateAccount{account::AccountId(login), "Name of " + login,
                                                 UnitId(unit), std::move(roles), *hash},
                          task::Actor::supervisor(), CommandId("create-account:" + login));
    ASSERT_TRUE(done.ok()) << done.error().message;
  }

  // Signs a create_person() account in over HTTP; returns the "duban_session=<secret>" cookie.
  std::string sign_in_cookie(const std::string& login) {
    auto c = http();
    auto r = c.request("POST", "/api/v1/session",
                       R"({"login":")" + login + R"(","password":"password-)" + login + R"("})");
    EXPECT_EQ(r.status, 200) << r.body;
    auto it = r.headers.find("set-cookie");
    return it == r.headers.end() ? "" : it->second.substr(0, it->second.find(';'));
  }

  std::int64_t head() {
    auto h = store->head();
    return h.ok() ? h->position.value() : -1;
  }

  HttpClient http() { return HttpClient("127.0.0.1", port); }
  WsClient ws(const std::string& token, const std::string& subprotocol = "") {
    WsClient::Options o;
    o.token = token;
    o.subprotocol = subprotocol;
    return WsClient("127.0.0.1", port, o);
  }

  static std::string task_path(const std::string& task, const std::string& action = "") {
    return task_url(task, action);
  }

  // Sends a subscribe message and reads the hello and subscribed answers.
  static void subscribe(WsClient& c, const std::string& filter_json,
                        std::optional<std::int64_t> from = std::nullopt) {
    std::string msg = "{\"type\":\"subscribe\",\"filter\":" + filter_json;
    if (from) msg += ",\"from\":" + std::to_string(*from);
    msg += "}";
    c.send_text(msg);
  }

  // Reads messages until one of `type` arrives (others are collected in `skipped`).
  static WsMessage read_until(WsClient& c, const std::string& type,
                              std::vector<WsMessage>* skipped = nullptr,
                              std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) throw std::runtime_error("no '" + type + "' message in time");
      WsMessage m = c.next(left);
      if (!m.binary && m.type() == type) return m;
      if (skipped) skipped->push_back(std::move(m));
    }
  }

  duban::testing::TempDir dir;
  TestClock clock{utc(2016, 1, 4, 2)};
  std::unique_ptr<storage::SqliteEventStore> store;
  std::unique_ptr<storage::SqliteTokenStore> tokens;
  service::projections::ReadModel model;
  std::unique_ptr<service::TaskService> service;
  // Sign-in (service/sessions.h) with these limits; a test changes them before SetUp.
  service::SessionLimits session_limits;
  std::unique_ptr<service::AccountService> accounts;
  std::unique_ptr<service::SessionManager> sessions;
  // API tokens as events (service/token_service.h) in front of the token table, as `duban serve`
  // wires them: a test sets with_token_service before SetUp (start_server()).
  bool with_token_service = false;
  std::unique_ptr<service::TokenService> token_service;
  // Evidence attachments beside the log (storage/blob_store.h): a test sets with_blobs before
  // SetUp (start_server()).
  bool with_blobs = false;
  // Open the store as the file's only writer (SqliteOptions::exclusive: queries skip head()): a
  // test sets exclusive_store before SetUp (start_server()).
  bool exclusive_store = false;
  std::unique_ptr<storage::BlobStore> blobs;
  std::unique_ptr<Server> server;
  std::uint16_t port = 0;
  std::string supervisor;

 private:
  int commands_ = 0;
};

}  // namespace duban::server::testing
