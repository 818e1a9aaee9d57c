// pg_append_bench: how fast the PostgreSQL event store appends, next to raw inserts into an
// equivalent table on the same server in the same run.
//
// Rows (each on a fresh database, each run for --seconds):
//   raw Cc x 1/txn    C connections (1, 8, 64), each a prepared-insert loop, one row per
//                     transaction, positions from a sequence (the naive design, with its gaps)
//   store Ww x 1ev    PostgresEventStore, W concurrent writers (1, 8, 64), one event per command
//   raw 1c x N/txn    one connection, N prepared single-row inserts per transaction
//   raw 1c x N/stmt   one connection, N rows per transaction in one INSERT ... unnest() of
//                     per-column arrays, exactly the way the store sends a batch (the engine's
//                     batched limit over one connection)
//   store Ww x Nev    W writers (1, 8), N events per command ("batched appends")
// The raw table has the events table's columns and indexes. "vs raw" compares each store row
// with the raw row of the same shape: W writers with C = W connections for single events, and
// the faster raw N row for batches. Latency is per append() call (per transaction for raw).
//
// Without --db it starts a throwaway server with tools/dev/pg-test-server.sh (fsync off: the
// figures are CPU and round trips, not disk) and stops it at the end. With --db URL it uses
// that server, creating and dropping bench_* databases (the user needs CREATEDB).
//
// Usage: pg_append_bench [--db URL] [--seconds S=2] [--batch N=1000] [--payload BYTES=144]
#include <stdlib.h>
#include <unistd.h>

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "platform/system_clock.h"
#include "storage/detail/pg_text.h"
#include "storage/postgres_event_store.h"
#include "tools/bench/pg_bench_support.h"

namespace {

using namespace duban;
using namespace duban::storage;
using duban::bench::BenchDatabase;
using duban::bench::ThrowawayServer;
using duban::platform::SystemClock;
using SteadyClock = std::chrono::steady_clock;

struct Options {
  std::string db;  // empty: start a throwaway server
  double seconds = 2;
  int batch = 1000;
  std::size_t payload = 144;
};

struct Row {
  std::string name;
  double events_per_s = 0;
  double p50_us = 0;
  double p99_us = 0;
  int reference = -1;  // index of the raw row it is compared with
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

// Runs `threads` copies of body(thread, deadline, latencies) and returns events/s and latency.
Row measure(
    const std::string& name, const Options& o, int threads,
    const std::function<std::int64_t(int, SteadyClock::time_point, std::vector<double>&)>& body) {
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(threads));
  std::atomic<std::int64_t> events{0};
  std::atomic<bool> failed{false};
  const auto start = SteadyClock::now();
  const auto deadline = start + std::chrono::duration_cast<SteadyClock::duration>(
                                    std::chrono::duration<double>(o.seconds));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      try {
        events += body(t, deadline, latencies[static_cast<std::size_t>(t)]);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", name.c_str(), e.what());
        failed = true;
      }
    });
  }
  for (auto& th : pool) th.join();
  const double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
  if (failed) throw std::runtime_error(name + " failed");
  std::vector<double> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  Row row{name, static_cast<double>(events.load()) / elapsed, 0, 0};
  row.p50_us = percentile(all, 0.50);
  row.p99_us = percentile(all, 0.99);
  return row;
}

double micros_since(SteadyClock::time_point t0) {
  return std::chrono::duration<double, std::micro>(SteadyClock::now() - t0).count();
}

constexpr const char* kRawTable =
    "CREATE TABLE events(position bigserial PRIMARY KEY, stream text COLLATE \"C\" NOT NULL,"
    " stream_version bigint NOT NULL, type text NOT NULL, schema_version integer NOT NULL,"
    " payload bytea NOT NULL, recorded_at_ms bigint NOT NULL, actor text NOT NULL,"
    " command_id text COLLATE \"C\" NOT NULL, prev_hash bytea NOT NULL, hash bytea NOT NULL,"
    " UNIQUE (stream, stream_version))";

// `connections` raw writers, each inserting `rows` rows per transaction into its own 100
// streams; `unnest` puts a transaction's rows into one statement instead of one per row.
Row raw_insert(const Options& o, const std::string& url, int connections, int rows, bool unnest) {
  {
    pqxx::connection c(url);
    pqxx::nontransaction(c).exec(kRawTable);
  }
  const std::string raw_payload(o.payload, 'p');
  const std::string raw_hash(32, 'h');
  const std::string payload = detail::bytea_hex(raw_payload);
  const std::string hash = detail::bytea_hex(raw_hash);
  std::string name = "raw " + std::to_string(connections) + "c x " + std::to_string(rows) +
                     (unnest ? "/stmt" : "/txn");
  return measure(
      name, o, connections,
      [&](int c, SteadyClock::time_point deadline, std::vector<double>& lat) -> std::int64_t {
        pqxx::connection conn(url);
        conn.prepare(
            "row",
            "INSERT INTO events(stream, stream_version, type, schema_version, payload,"
            " recorded_at_ms, actor, command_id, prev_hash, hash)"
            " VALUES($1, $2, 'BenchEvent', 1, $3::bytea, $4, 'bench', $5, $6::bytea, $7::bytea)");
        // Every row's values travel, one array per column, as the store sends a batch.
        conn.prepare("rows",
                     "INSERT INTO events(stream, stream_version, type, schema_version, payload,"
                     " recorded_at_ms, actor, command_id, prev_hash, hash)"
                     " SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::integer[],"
                     " $5::bytea[], $6::bigint[], $7::text[], $8::text[], $9::bytea[],"
                     " $10::bytea[])");
        std::vector<std::int64_t> versions(100, 0);
        std::int64_t written = 0;
        for (std::int64_t txn = 0; SteadyClock::now() < deadline; ++txn) {
          const auto t0 = SteadyClock::now();
          const auto s = static_cast<std::size_t>(txn % 100);
          const std::string stream = "raw/" + std::to_string(c) + "/" + std::to_string(s);
          const std::string command = std::to_string(c) + "/" + std::to_string(txn);
          const std::int64_t now_ms = 1'767'312'000'000 + txn;
          pqxx::work tx(conn);
          if (unnest) {
            detail::ArrayLiteral col[10];
            for (int i = 0; i < rows; ++i) {
              col[0].add_text(stream);
              col[1].add_int(++versions[s]);
              col[2].add_text("BenchEvent");
              col[3].add_int(1);
              col[4].add_bytea(raw_payload);
              col[5].add_int(now_ms);
              col[6].add_text("bench");
              col[7].add_text(command);
              col[8].add_bytea(raw_hash);
              col[9].add_bytea(raw_hash);
            }
            tx.exec_prepared("rows", col[0].take(), col[1].take(), col[2].take(), col[3].take(),
                             col[4].take(), col[5].take(), col[6].take(), col[7].take(),
                             col[8].take(), col[9].take());
          } else {
            for (int i = 0; i < rows; ++i) {
              tx.exec_prepared("row", stream, ++versions[s], payload, now_ms, command, hash, hash);
            }
          }
          tx.commit();
          written += rows;
          lat.push_back(micros_since(t0));
        }
        return written;
      });
}

// `writers` threads on one store, each appending commands of `events_per_command` events to
// its own 100 streams with exact expected versions.
Row store_append(const Options& o, const std::string& url, int writers, int events_per_command) {
  SystemClock clock;
  auto opened = PostgresEventStore::open({.url = url}, clock);
  if (!opened) throw std::runtime_error(opened.error().message);
  EventStore& store = **opened;
  const std::string payload(o.payload, 'p');
  const std::string name =
      "store " + std::to_string(writers) + "w x " + std::to_string(events_per_command) + "ev";
  return measure(
      name, o, writers,
      [&](int w, SteadyClock::time_point deadline, std::vector<double>& lat) -> std::int64_t {
        const std::vector<NewEvent> batch(static_cast<std::size_t>(events_per_command),
                                          NewEvent{"BenchEvent", 1, payload, "bench"});
        std::vector<std::int64_t> versions(100, 0);
        std::int64_t written = 0;
        for (std::int64_t i = 0; SteadyClock::now() < deadline; ++i) {
          const auto s = static_cast<std::size_t>(i % 100);
          const std::string stream = "bench/" + std::to_string(w) + "/" + std::to_string(s);
          const auto t0 = SteadyClock::now();
          auto r = store.append(stream, ExpectedVersion::exactly(StreamVersion(versions[s])), batch,
                                CommandId(std::to_string(w) + "/" + std::to_string(i)));
          lat.push_back(micros_since(t0));
          if (!r) throw std::runtime_error("append failed: " + r.error().message);
          versions[s] = r->version.value();
          written += events_per_command;
        }
        return written;
      });
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--db") {
      o.db = next();
    } else if (a == "--seconds") {
      o.seconds = std::stod(next());
    } else if (a == "--batch") {
      o.batch = std::stoi(next());
    } else if (a == "--payload") {
      o.payload = static_cast<std::size_t>(std::stoul(next()));
    } else {
      throw std::runtime_error(
          "usage: pg_append_bench [--db URL] [--seconds S=2] "
          "[--batch N=1000] [--payload BYTES=144]");
    }
  }
  if (o.seconds <= 0 || o.seconds > 60 || o.batch < 1) {
    throw std::runtime_error("--seconds must be in (0, 60] and --batch positive");
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) try {
  const Options o = parse(argc, argv);
  std::unique_ptr<ThrowawayServer> server;
  std::string url = o.db;
  if (url.empty()) {
    server = std::make_unique<ThrowawayServer>();
    url = server->url();
  }
  std::string version;
  {
    pqxx::connection c(url);
    pqxx::nontransaction tx(c);
    version = std::string(tx.exec1("SHOW server_version")[0].c_str()) +
              ", fsync=" + tx.exec1("SHOW fsync")[0].c_str() +
              ", synchronous_commit=" + tx.exec1("SHOW synchronous_commit")[0].c_str();
  }
  std::printf("pg_append_bench: %.1f s per row, payload %zu B, batch %d events/command\n",
              o.seconds, o.payload, o.batch);
  std::printf("PostgreSQL %s%s\n\n", version.c_str(),
              server ? " (throwaway server: figures are CPU and round trips, not disk)" : "");

  int n = 0;
  std::vector<Row> rows;
  auto run = [&](const std::function<Row(const std::string&)>& f, int reference = -1) {
    BenchDatabase db(url, "bench_" + std::to_string(getpid()) + "_" + std::to_string(n++));
    rows.push_back(f(db.url()));
    rows.back().reference = reference;
    std::fprintf(stderr, "  %s done\n", rows.back().name.c_str());
  };
  for (int c : {1, 8, 64}) run([&](const std::string& u) { return raw_insert(o, u, c, 1, false); });
  for (int w = 0; w < 3; ++w) {
    const int writers = std::array{1, 8, 64}[static_cast<std::size_t>(w)];
    run([&](const std::string& u) { return store_append(o, u, writers, 1); }, w);
  }
  run([&](const std::string& u) { return raw_insert(o, u, 1, o.batch, false); });
  run([&](const std::string& u) { return raw_insert(o, u, 1, o.batch, true); });
  const int raw_batch = rows[6].events_per_s > rows[7].events_per_s ? 6 : 7;
  for (int writers : {1, 8}) {
    run([&](const std::string& u) { return store_append(o, u, writers, o.batch); }, raw_batch);
  }

  std::printf("%-22s %12s %11s %11s %9s\n", "row", "events/s", "p50 us", "p99 us", "vs raw");
  for (const Row& r : rows) {
    std::string ratio = "";
    if (r.reference >= 0) {
      char buf[32];
      std::snprintf(
          buf, sizeof buf, "%.0f%%",
          100 * r.events_per_s / rows[static_cast<std::size_t>(r.reference)].events_per_s);
      ratio = buf;
    }
    std::printf("%-22s %12.0f %11.1f %11.1f %9s\n", r.name.c_str(), r.events_per_s, r.p50_us,
                r.p99_us, ratio.c_str());
  }
  std::printf(
      "\nvs raw: store W writers x 1 event against raw W connections x 1/txn; batched "
      "rows against the faster raw %d-row transaction (%s).\n",
      o.batch, rows[static_cast<std::size_t>(raw_batch)].name.c_str());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "pg_append_bench: %s\n", e.what());
  return 1;
}
