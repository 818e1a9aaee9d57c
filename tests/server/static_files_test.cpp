// The embedded web page over real HTTP: gzip for clients that accept it, strong ETags with 304s,
// and HEAD (server/api/static_files.h).
#include <zlib.h>

#include "server/api/static_files.h"
#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

// The bytes a gzip member inflates to; throws when it is not one.
std::string gunzip(const std::string& z) {
  z_stream s{};
  if (inflateInit2(&s, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2");
  std::string out;
  char buffer[16384];
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data()));
  s.avail_in = static_cast<uInt>(z.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    s.next_out = reinterpret_cast<Bytef*>(buffer);
    s.avail_out = sizeof buffer;
    rc = inflate(&s, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - s.avail_out);
  }
  inflateEnd(&s);
  if (rc != Z_STREAM_END) throw std::runtime_error("not a whole gzip member");
  return out;
}

const std::map<std::string, std::string> kGzip{{"Accept-Encoding", "gzip, deflate, br"}};

class StaticFilesTest : public ServerTest {};

TEST_F(StaticFilesTest, AClientAcceptingGzipGetsTheSamePageSmaller) {
  auto c = http();
  const auto plain = c.request("GET", "/app/main.js");
  const auto zipped = c.request("GET", "/app/main.js", {}, {}, {}, kGzip);
  ASSERT_EQ(plain.status, 200);
  ASSERT_EQ(zipped.status, 200);
  EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
  EXPECT_EQ(zipped.headers.at("content-encoding"), "gzip");
  EXPECT_EQ(zipped.headers.at("vary"), "Accept-Encoding");
  EXPECT_LT(zipped.body.size(), plain.body.size() / 2);
  EXPECT_EQ(gunzip(zipped.body), plain.body);
  // Each encoding is its own representation: its own tag.
  EXPECT_NE(plain.headers.at("etag"), zipped.headers.at("etag"));
}

TEST_F(StaticFilesTest, ARevalidationWithTheCurrentTagGets304AndNoBody) {
  auto c = http();
  const auto first = c.request("GET", "/", {}, {}, {}, kGzip);
  ASSERT_EQ(first.status, 200);
  const auto tag = first.headers.at("etag");
  ASSERT_EQ(tag.front(), '"');
  auto headers = kGzip;
  headers["If-None-Match"] = "\"stale\", " + tag;
  const auto again = c.request("GET", "/", {}, {}, {}, headers);
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.headers.at("etag"), tag);
  // A tag of another file, or of the other encoding, is not current: the whole file again.
  headers["If-None-Match"] = tag;
  headers.erase("Accept-Encoding");
  const auto plain = c.request("GET", "/", {}, {}, {}, headers);
  EXPECT_EQ(plain.status, 200);
  EXPECT_NE(plain.body.find("<html"), std::string::npos);
}

TEST_F(StaticFilesTest, HeadAnswersGetsHeadersWithoutTheBody) {
  auto c = http();
  const auto get = c.request("GET", "/app/app.css");
  const auto head = c.request("HEAD", "/app/app.css");
  ASSERT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.headers.at("content-length"), std::to_string(get.body.size()));
  EXPECT_EQ(head.headers.at("etag"), get.headers.at("etag"));
  EXPECT_EQ(head.headers.at("content-type"), get.headers.at("content-type"));
  // The connection is still usable after a HEAD (no phantom body in the stream).
  EXPECT_EQ(c.request("GET", "/app/app.css").body, get.body);
}

TEST_F(StaticFilesTest, OtherMethodsAre405WithAllow) {
  auto c = http();
  const auto r = c.request("DELETE", "/app/main.js");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.at("allow"), "GET, HEAD");
}

TEST(AcceptsGzip, ReadsCodingsAndQualities) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("deflate, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("*, gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("br;q=1, *;q=0"));
}

}  // namespace
}  // namespace duban::server::testing
