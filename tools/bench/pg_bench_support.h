// Helpers shared by the PostgreSQL benches (pg_append_bench, node_fanout_bench): a throwaway
// server and fresh databases on it, so a bench run leaves nothing behind.
#pragma once

#include <stdlib.h>

#include <pqxx/connection>
#include <pqxx/nontransaction>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace duban::bench {

// The throwaway server (tools/dev/pg-test-server.sh), stopped and its data deleted on
// destruction. Needs DUBAN_SOURCE_DIR defined by the bench's target.
class ThrowawayServer {
 public:
  ThrowawayServer() {
    std::string tmpl = std::filesystem::temp_directory_path().string() + "/pg-bench-XXXXXX";
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    state_ = tmpl;
    if (run("start") != 0) throw std::runtime_error("tools/dev/pg-test-server.sh start failed");
    std::ifstream in(state_ / "url");
    if (!(in >> url_)) throw std::runtime_error("the test server wrote no url");
  }
  ~ThrowawayServer() {
    run("stop");
    std::filesystem::remove_all(state_);
  }
  ThrowawayServer(const ThrowawayServer&) = delete;
  ThrowawayServer& operator=(const ThrowawayServer&) = delete;
  const std::string& url() const { return url_; }

 private:
  int run(const char* action) {
    const std::string cmd = std::string(DUBAN_SOURCE_DIR) + "/tools/dev/pg-test-server.sh " +
                            action + " '" + state_.string() + "' >/dev/null";
    return std::system(cmd.c_str());
  }
  std::filesystem::path state_;
  std::string url_;
};

// A fresh UTF8 database `name` on the server at `server` (a postgresql:// URL), dropped
// (WITH (FORCE)) on destruction; url() names it with the server URL's parameters.
class BenchDatabase {
 public:
  BenchDatabase(const std::string& server, std::string name)
      : server_(server), name_(std::move(name)) {
    pqxx::connection admin(server_);
    pqxx::nontransaction(admin).exec("CREATE DATABASE " + name_ +
                                     " ENCODING 'UTF8' TEMPLATE template0");
    const auto slash = server_.rfind('/');
    const auto query = server_.find('?', slash);
    url_ = server_.substr(0, slash + 1) + name_ +
           (query == std::string::npos ? "" : server_.substr(query));
  }
  ~BenchDatabase() {
    try {
      pqxx::connection admin(server_);
      pqxx::nontransaction(admin).exec("DROP DATABASE " + name_ + " WITH (FORCE)");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "dropping %s: %s\n", name_.c_str(), e.what());
    }
  }
  BenchDatabase(const BenchDatabase&) = delete;
  BenchDatabase& operator=(const BenchDatabase&) = delete;
  const std::string& url() const { return url_; }

 private:
  std::string server_, name_, url_;
};

}  // namespace duban::bench
