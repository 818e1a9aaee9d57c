// The PostgreSQL store's text plumbing, without a server: bytea hex both ways, the UTF-8/NUL
// check that keeps unstorable text out of a batch, array literals that quote everything, and
// which StoreErrc each SQLSTATE class becomes. (That the server parses the literals as meant is
// covered end to end by AwkwardTextAndEveryByteValueRoundTrip.)
#include <gtest/gtest.h>

#include <stdexcept>

#include "storage/detail/pg_conn.h"
#include "storage/detail/pg_text.h"

namespace duban::storage::detail {
namespace {

TEST(PgText, ByteaHexRoundTripsEveryByteValue) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  const std::string hex = bytea_hex(all);
  EXPECT_EQ(hex.substr(0, 6), "\\x0001");
  EXPECT_EQ(bytea_from_hex(hex), all);
  EXPECT_EQ(bytea_hex(""), "\\x");
  EXPECT_EQ(bytea_from_hex("\\x"), "");
  EXPECT_EQ(bytea_from_hex("\\xDEADbeef"), "\xde\xad\xbe\xef");
}

TEST(PgText, ByteaInAnyOtherFormIsAnError) {
  EXPECT_THROW(bytea_from_hex("abc"), std::runtime_error);    // escape format
  EXPECT_THROW(bytea_from_hex("\\x0"), std::runtime_error);   // odd digit count
  EXPECT_THROW(bytea_from_hex("\\xzz"), std::runtime_error);  // not hex
}

TEST(PgText, OnlyValidUtf8WithoutNulFitsPostgresText) {
  EXPECT_TRUE(fits_pg_text(""));
  EXPECT_TRUE(fits_pg_text("task/QH-2015-08-3.2"));
  EXPECT_TRUE(fits_pg_text("青海省"));
  EXPECT_TRUE(fits_pg_text("\xf0\x9f\x99\x82"));       // U+1F642, 4 bytes
  EXPECT_FALSE(fits_pg_text(std::string("a\0b", 3)));  // NUL
  EXPECT_FALSE(fits_pg_text("caf\xe9"));               // Latin-1
  EXPECT_FALSE(fits_pg_text("\xe9\x9d"));              // truncated sequence
  EXPECT_FALSE(fits_pg_text("\xc0\xaf"));              // overlong '/'
  EXPECT_FALSE(fits_pg_text("\xed\xa0\x80"));          // UTF-16 surrogate
  EXPECT_FALSE(fits_pg_text("\xf4\x90\x80\x80"));      // above U+10FFFF
  EXPECT_FALSE(fits_pg_text("\x80"));                  // stray continuation byte
}

TEST(PgText, ArrayLiteralsQuoteEveryStringAndEscapeQuotesAndBackslashes) {
  ArrayLiteral a;
  a.add_text("plain");
  a.add_text("NULL");
  a.add_text("a \"b\" \\c {d},e");
  a.add_text("");
  EXPECT_EQ(a.size(), 4u);
  EXPECT_EQ(a.take(), R"({"plain","NULL","a \"b\" \\c {d},e",""})");

  ArrayLiteral b;
  b.add_bytea(std::string("\0\xff", 2));
  b.add_bytea("");
  EXPECT_EQ(b.take(), R"({"\\x00ff","\\x"})");

  ArrayLiteral n;
  n.add_int(1);
  n.add_int(-9'000'000'000);
  EXPECT_EQ(n.take(), "{1,-9000000000}");
  EXPECT_EQ(ArrayLiteral().take(), "{}");
}

TEST(PgErrors, SqlstatesMapToTheStoresErrorCodes) {
  EXPECT_EQ(errc_for_sqlstate("55P03"), StoreErrc::busy);       // lock_timeout
  EXPECT_EQ(errc_for_sqlstate("40P01"), StoreErrc::busy);       // deadlock
  EXPECT_EQ(errc_for_sqlstate("40001"), StoreErrc::busy);       // serialization failure
  EXPECT_EQ(errc_for_sqlstate("25006"), StoreErrc::read_only);  // read-only transaction
  EXPECT_EQ(errc_for_sqlstate("42501"), StoreErrc::read_only);  // no privilege
  EXPECT_EQ(errc_for_sqlstate("23505"), StoreErrc::version_conflict);
  EXPECT_EQ(errc_for_sqlstate("08006"), StoreErrc::io_error);          // connection failure
  EXPECT_EQ(errc_for_sqlstate("57P01"), StoreErrc::io_error);          // terminated by admin
  EXPECT_EQ(errc_for_sqlstate("53100"), StoreErrc::io_error);          // disk full
  EXPECT_EQ(errc_for_sqlstate("XX001"), StoreErrc::corrupt);           // data corrupted
  EXPECT_EQ(errc_for_sqlstate("22021"), StoreErrc::invalid_argument);  // bad encoding
  EXPECT_EQ(errc_for_sqlstate("42601"), StoreErrc::internal);          // syntax error: our bug
  EXPECT_EQ(errc_for_sqlstate(""), StoreErrc::internal);
}

}  // namespace
}  // namespace duban::storage::detail
