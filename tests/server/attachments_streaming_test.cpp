// Evidence files streamed over real HTTP on 127.0.0.1 (the server reads an upload's body in
// pieces and writes a download chunk by chunk; docs/api.md, "Attachments"): a 20 MiB file
// round-trips byte for byte through a chunked request body and a Content-Length one; an
// oversized upload gets 413 before its body is sent (announced by Content-Length) or as soon as
// a chunked body crosses the limit; a disguised executable gets 415 from its first piece, the
// rest unsent; a HEAD of a download announces the length without the bytes. Memory figures are
// for tools/bench (attachment_bench), not here.
#include <gtest/gtest.h>

#include "storage/blob_store.h"
#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

// A PDF header, then bytes of every value (NULs included).
std::string pdf_of_size(std::size_t n, unsigned seed = 5) {
  std::string out = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
  unsigned x = seed;
  out.reserve(n);
  while (out.size() < n) {
    x = x * 1103515245u + 12345u;
    out.push_back(static_cast<char>(x >> 16));
  }
  return out;
}

std::string hex(std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kHex[n & 15]);
    n >>= 4;
  } while (n);
  return out;
}

constexpr std::size_t kLimit = 24 * 1024 * 1024;

class AttachmentsStreaming : public ServerTest {
 protected:
  void SetUp() override {
    with_blobs = true;
    ServerOptions options = test_options();
    options.max_attachment_body = kLimit;
    start_server(options);
    create_task("T-1", {"fgw"});
    fgw = unit_token("fgw");
  }

  // The header of an upload of "证明材料.pdf" to T-1, framed by `framing` (a Content-Length or
  // Transfer-Encoding line).
  std::string upload_header(const std::string& framing) const {
    return "POST /api/v1/tasks/T-1/attachments?name=" + percent_encode("证明材料.pdf") +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + fgw +
           "\r\nContent-Type: application/pdf\r\n" + framing + "\r\n\r\n";
  }

  // GET a report's attachment through the fixture's client.
  HttpResponse download(const std::string& sha, std::string_view method = "GET") {
    // The file must be on a report of the task to be downloadable.
    return http().request(method, "/api/v1/attachments/" + sha + "?task=T-1", {}, fgw);
  }

  void report(const std::string& sha) {
    const auto state = http().get(task_path("T-1"), supervisor).json();
    const std::string body =
        R"({"command_id":"c-)" + sha.substr(0, 8) + R"(","expected_version":)" +
        std::to_string(state.at("version").as_int64()) +
        R"(,"note":"材料","attachments":[{"sha256":")" + sha + R"(","name":"证明材料.pdf"}]})";
    auto r = http().post(task_path("T-1", "progress"), body, fgw);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  std::string fgw;
};

TEST_F(AttachmentsStreaming, A20MiBFileRoundTripsByteForByteInAChunkedBody) {
  const std::string bytes = pdf_of_size(20 * 1024 * 1024);
  duban::testing::RawConnection c("127.0.0.1", port);
  c.write(upload_header("Transfer-Encoding: chunked"));
  // Pieces of uneven sizes, none aligned with the store's chunks.
  std::size_t at = 0;
  std::size_t piece = 1000;
  while (at < bytes.size()) {
    const std::size_t n = std::min(piece, bytes.size() - at);
    c.write(hex(n) + "\r\n" + bytes.substr(at, n) + "\r\n");
    at += n;
    piece = piece % 700'000 * 2 + 333;
  }
  c.write("0\r\n\r\n");
  auto up = c.read_response(60s);
  ASSERT_EQ(up.status, 201) << up.body;
  const std::string sha = str(up.json().at("sha256"));
  EXPECT_EQ(up.json().at("size").as_int64(), static_cast<std::int64_t>(bytes.size()));
  report(sha);

  auto down = download(sha);
  ASSERT_EQ(down.status, 200) << down.body.substr(0, 200);
  EXPECT_EQ(down.headers["content-type"], "application/pdf");
  EXPECT_EQ(down.headers["content-length"], std::to_string(bytes.size()));
  EXPECT_NE(down.headers["content-disposition"].find("filename*=UTF-8''" +
                                                     percent_encode("证明材料.pdf")),
            std::string::npos)
      << down.headers["content-disposition"];
  EXPECT_EQ(down.body.size(), bytes.size());
  EXPECT_TRUE(down.body == bytes) << "the download differs from the upload";

  auto head = download(sha, "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers["content-length"], std::to_string(bytes.size()));
  EXPECT_TRUE(head.body.empty());

  // The connection is still good for another request after a streamed download.
  auto again = download(sha);
  EXPECT_TRUE(again.body == bytes);
}

TEST_F(AttachmentsStreaming, A20MiBFileWithAContentLengthRoundTrips) {
  const std::string bytes = pdf_of_size(20 * 1024 * 1024 + 17, 9);
  auto up =
      http().request("POST", "/api/v1/tasks/T-1/attachments?name=" + percent_encode("证明材料.pdf"),
                     bytes, fgw, "application/pdf");
  ASSERT_EQ(up.status, 201) << up.body;
  const std::string sha = str(up.json().at("sha256"));
  report(sha);
  auto down = download(sha);
  ASSERT_EQ(down.status, 200);
  EXPECT_TRUE(down.body == bytes) << "the download differs from the upload";
}

TEST_F(AttachmentsStreaming, AnUploadAnnouncedOverTheLimitGets413BeforeItsBodyIsSent) {
  duban::testing::RawConnection c("127.0.0.1", port);
  c.write(upload_header("Content-Length: " + std::to_string(kLimit + 1)));
  auto r = c.read_response(10s);  // not a byte of the body sent
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_NE(r.body.find("larger"), std::string::npos) << r.body;
}

TEST_F(AttachmentsStreaming, AChunkedUploadIsRefusedAsSoonAsItCrossesTheLimit) {
  duban::testing::RawConnection c("127.0.0.1", port);
  c.write(upload_header("Transfer-Encoding: chunked"));
  const std::string piece = pdf_of_size(1024 * 1024, 3);
  // Just past the limit, and the body never ends (no last chunk): the answer cannot wait for it.
  // The server may close before the last piece is taken: a failed write ends the sending.
  try {
    for (std::size_t sent = 0; sent <= kLimit; sent += piece.size()) {
      c.write(hex(piece.size()) + "\r\n" + piece + "\r\n");
    }
  } catch (const std::exception&) {
  }
  auto r = c.read_response(20s);
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_NE(r.body.find("larger"), std::string::npos) << r.body;
  EXPECT_TRUE(c.closed_by_peer());
  // The server goes on taking uploads.
  auto ok = http().request("POST", "/api/v1/tasks/T-1/attachments?name=a.pdf", pdf_of_size(1000, 4),
                           fgw, "application/pdf");
  EXPECT_EQ(ok.status, 201) << ok.body;
}

TEST_F(AttachmentsStreaming, ADisguisedExecutableIsRefusedFromItsFirstPiece) {
  duban::testing::RawConnection c("127.0.0.1", port);
  c.write(upload_header("Content-Length: " + std::to_string(8 * 1024 * 1024)));
  std::string first = "MZ\x90" + std::string(64 * 1024, 'x');
  c.write(first);  // 8 MiB announced, 64 KiB sent
  auto r = c.read_response(10s);
  EXPECT_EQ(r.status, 415) << r.body;
  EXPECT_NE(r.body.find("executable"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace duban::server::testing
