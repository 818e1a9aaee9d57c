// A fresh PostgreSQL database per test, on the throwaway server the CTest fixture started
// (tools/dev/pg-test-server.sh; tests/CMakeLists.txt). The server's URL comes from
// $DUBAN_TEST_PG_URL if set, else from the file the fixture wrote (DUBAN_PG_URL_FILE). A test
// run without a server fails loudly: PostgreSQL tests are never skipped.
//
// TestDatabase creates "test_<random>" on construction and drops it (WITH (FORCE): connections
// a failed test leaked go too) on destruction, so tests are independent and may run in parallel.
//
// Also the helpers the PostgreSQL tests of tests/storage and tests/app share: with_password()
// and expect_same_log(), which compares two logs field by field and hash by hash.
#pragma once

#include <gtest/gtest.h>

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>

#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/event_store.h"
#include "storage/hash_chain.h"

namespace duban::storage::testing {

// The server's base URL (to its `postgres` database).
inline std::string pg_server_url() {
  if (const char* env = std::getenv("DUBAN_TEST_PG_URL"); env && *env) return env;
  std::ifstream in(DUBAN_PG_URL_FILE);
  std::string url;
  if (!(in >> url)) {
    throw std::runtime_error(std::string("no PostgreSQL test server: ") + DUBAN_PG_URL_FILE +
                             " is missing. Run the tests through ctest (its fixture starts one), "
                             "or start one with tools/dev/pg-test-server.sh start DIR and set "
                             "DUBAN_TEST_PG_URL to the URL in DIR/url");
  }
  return url;
}

// `url` with its database name replaced by `db` (keeps any ?query).
inline std::string with_database(const std::string& url, const std::string& db) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  const auto query = url.find('?');
  std::string out = slash == std::string::npos ? url.substr(0, query) : url.substr(0, slash);
  out += "/" + db;
  if (query != std::string::npos) out += url.substr(query);
  return out;
}

// `url` ("postgresql://user@host...") with `password` added to its user info. The fixture's
// server trusts local connections, so any password is accepted and a test can check that it is
// never printed.
inline std::string with_password(const std::string& url, const std::string& password) {
  const auto at = url.find('@');
  EXPECT_NE(at, std::string::npos) << url;
  return url.substr(0, at) + ":" + password + url.substr(at);
}

// `a` and `b` hold the same events, every field and hash equal (a copied log, or the same
// commands appended to two stores).
inline void expect_same_log(const std::vector<RecordedEvent>& a,
                            const std::vector<RecordedEvent>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    const RecordedEvent& x = a[i];
    const RecordedEvent& y = b[i];
    ASSERT_EQ(x.position, y.position);
    EXPECT_EQ(x.stream, y.stream);
    EXPECT_EQ(x.version, y.version);
    EXPECT_EQ(x.type, y.type);
    EXPECT_EQ(x.schema_version, y.schema_version);
    EXPECT_EQ(x.payload, y.payload) << "position " << x.position.value();
    EXPECT_EQ(x.recorded_at, y.recorded_at);
    EXPECT_EQ(x.actor, y.actor);
    EXPECT_EQ(x.command_id, y.command_id);
    EXPECT_EQ(to_hex(x.hash), to_hex(y.hash)) << "position " << x.position.value();
  }
}

// Runs SQL outside a transaction (CREATE/DROP DATABASE cannot run inside one).
inline pqxx::result pg_exec(pqxx::connection& c, const std::string& sql) {
  pqxx::nontransaction tx(c);
  return tx.exec(sql);
}

class TestDatabase {
 public:
  TestDatabase() : server_(pg_server_url()) {
    std::random_device rd;
    std::uniform_int_distribution<unsigned long long> dist;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", dist(rd));
    name_ = "test_" + std::string(buf);
    pqxx::connection admin(server_);
    pg_exec(admin, "CREATE DATABASE " + name_ + " ENCODING 'UTF8' TEMPLATE template0");
    url_ = with_database(server_, name_);
  }
  ~TestDatabase() {
    try {
      pqxx::connection admin(server_);
      pg_exec(admin, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception& e) {
      ADD_FAILURE() << "dropping " << name_ << ": " << e.what();
    }
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }
  const std::string& server_url() const { return server_; }

 private:
  std::string server_;
  std::string name_;
  std::string url_;
};

}  // namespace duban::storage::testing
