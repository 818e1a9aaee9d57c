// Evidence uploads (service/evidence.h): the type is sniffed from the content (PDF, PNG, JPEG,
// GIF, docx/xlsx/pptx, doc/xls/ppt, UTF-8 text and CSV); executables, scripts, unknown binaries
// and a declared type that disagrees are refused with a message that says why; file names are
// cut to their last component; store_evidence() keeps the bytes in a real SQLite blob table and
// refuses a file over the size limit.
#include "service/evidence.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "storage/sqlite_event_store.h"
#include "tests/support/temp_dir.h"

namespace duban::service {
namespace {

std::string sniff(std::string_view head, std::string_view name = "file") {
  auto t = sniff_media_type(head, name);
  return t ? *t : "refused: " + t.error().message;
}

TEST(Evidence, CommonDocumentAndImageTypesAreRecognisedByContent) {
  EXPECT_EQ(sniff("%PDF-1.7\n...", "a.bin"), "application/pdf");
  EXPECT_EQ(sniff("\x89PNG\r\n\x1a\n...."), "image/png");
  EXPECT_EQ(sniff("\xff\xd8\xff\xe0..JFIF"), "image/jpeg");
  EXPECT_EQ(sniff("GIF89a...."), "image/gif");
  const std::string zip = std::string("PK\x03\x04", 4) + "....[Content_Types].xml....";
  EXPECT_EQ(sniff(zip + "word/document.xml", "x"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(sniff(zip + "xl/workbook.xml", "x"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(sniff(zip, "台账.pptx"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation");
  const std::string ole("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
  EXPECT_EQ(sniff(ole + "...", "旧报告.DOC"), "application/msword");
  EXPECT_EQ(sniff(ole + "...", "表.xls"), "application/vnd.ms-excel");
  EXPECT_EQ(sniff("第一行\n第二行\n", "说明.txt"), "text/plain");
  EXPECT_EQ(sniff("a,b\n1,2\n", "台账.csv"), "text/csv");
}

TEST(Evidence, ExecutablesScriptsAndUnknownBinariesAreRefused) {
  EXPECT_NE(sniff("MZ\x90\x00", "report.pdf").find("executable"), std::string::npos);
  EXPECT_NE(sniff(std::string("\x7f"
                              "ELF\x02",
                              5),
                  "a.docx")
                .find("executable"),
            std::string::npos);
  EXPECT_NE(sniff("#!/usr/bin/env python\n", "a.txt").find("script"), std::string::npos);
  EXPECT_NE(sniff(std::string("PK\x03\x04plain zip", 13), "a.zip").find("zip"), std::string::npos);
  EXPECT_NE(sniff(std::string("\x00\x01\x02\x03", 4), "a.bin").find("not one accepted"),
            std::string::npos);
  EXPECT_NE(sniff("\xc3\x28 not utf-8", "a.txt").find("not one accepted"), std::string::npos);
}

TEST(Evidence, FileNamesKeepOnlyTheirLastComponent) {
  EXPECT_EQ(*clean_file_name("C:\\Users\\王\\验收报告.pdf"), "验收报告.pdf");
  EXPECT_EQ(*clean_file_name("../../etc/passwd"), "passwd");
  EXPECT_FALSE(clean_file_name("dir/").ok());
  EXPECT_FALSE(clean_file_name("..").ok());
}

class EvidenceStore : public ::testing::Test {
 protected:
  void SetUp() override {
    auto events = storage::SqliteEventStore::open({.path = dir.file("e.db")}, clock);
    ASSERT_TRUE(events.ok());
    auto b = storage::open_blob_store(dir.file("e.db"));
    ASSERT_TRUE(b.ok()) << b.error().message;
    blobs = std::move(*b);
  }
  Result<task::Attachment> store(std::string_view name, const std::string& bytes,
                                 std::string_view declared, const EvidenceLimits& limits = {}) {
    std::size_t at = 0;
    return store_evidence(
        *blobs, name, declared,
        [&](char* buf, std::size_t cap) -> Result<std::size_t> {
          // A source that hands out at most 1000 bytes at a time, as a socket would.
          const std::size_t n = std::min({cap, bytes.size() - at, std::size_t{1000}});
          std::copy_n(bytes.data() + at, n, buf);
          at += n;
          return n;
        },
        limits, clock.now());
  }

  duban::testing::TempDir dir;
  FixedClock clock{from_millis(0)};
  std::unique_ptr<storage::BlobStore> blobs;
};

TEST_F(EvidenceStore, AnAcceptedFileIsStoredWhole) {
  std::string pdf = "%PDF-1.4\n" + std::string(300 * 1024, 'x');
  auto a = store("dir/验收报告.pdf", pdf, "application/pdf; charset=binary");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->name, "验收报告.pdf");
  EXPECT_EQ(a->media_type, "application/pdf");
  EXPECT_EQ(a->size, static_cast<std::int64_t>(pdf.size()));
  std::string back;
  ASSERT_TRUE(*blobs->read(a->sha256, [&](std::string_view c) -> Result<bool> {
    back.append(c);
    return true;
  }));
  EXPECT_TRUE(back == pdf);
}

TEST_F(EvidenceStore, DisguisedOversizedAndDisallowedFilesAreRefused) {
  auto disguised = store("photo.png", "%PDF-1.4\n...", "image/png");
  ASSERT_FALSE(disguised.ok());
  EXPECT_EQ(disguised.error().code, "unsupported_media_type");
  EXPECT_NE(disguised.error().message.find("declared as image/png but its content is "
                                           "application/pdf"),
            std::string::npos);
  EvidenceLimits small;
  small.max_size = 20000;
  auto big = store("a.pdf", "%PDF-1.4\n" + std::string(30000, 'x'), "", small);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, "too_large");
  EvidenceLimits pdf_only;
  pdf_only.allowed_types = {"application/pdf"};
  auto text = store("a.txt", "hello", "", pdf_only);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, "unsupported_media_type");
  EXPECT_FALSE(store("a.txt", "", "").ok());
}

}  // namespace
}  // namespace duban::service
