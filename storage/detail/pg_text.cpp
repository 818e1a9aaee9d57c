#include "storage/detail/pg_text.h"

#include <stdexcept>

namespace duban::storage::detail {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_hex(std::string& out, std::string_view raw) {
  for (unsigned char c : raw) {
    out.push_back(kHexDigits[c >> 4]);
    out.push_back(kHexDigits[c & 0xf]);
  }
}

}  // namespace

std::string bytea_hex(std::string_view raw) {
  std::string out;
  out.reserve(2 + raw.size() * 2);
  out.append("\\x");
  append_hex(out, raw);
  return out;
}

std::string bytea_from_hex(std::string_view text) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) {
    throw std::runtime_error("bytea value not in hex form (is bytea_output = hex?)");
  }
  std::string out;
  out.reserve((text.size() - 2) / 2);
  for (std::size_t i = 2; i < text.size(); i += 2) {
    const int hi = hex_value(text[i]);
    const int lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) throw std::runtime_error("bad hex digit in a bytea value");
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

bool fits_pg_text(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    // Lead byte: how many continuation bytes, and the smallest code point it may encode
    // (overlong forms are invalid UTF-8).
    std::size_t extra;
    char32_t cp;
    char32_t min;
    if ((c & 0xe0) == 0xc0) {
      extra = 1, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2, cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      extra = 3, cp = c & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += extra + 1;
  }
  return true;
}

void ArrayLiteral::separator() {
  if (count_++ > 0) text_.push_back(',');
}

void ArrayLiteral::add_text(std::string_view s) {
  separator();
  text_.push_back('"');
  for (char c : s) {
    // Inside a quoted element only the quote and the backslash need escaping.
    if (c == '"' || c == '\\') text_.push_back('\\');
    text_.push_back(c);
  }
  text_.push_back('"');
}

void ArrayLiteral::add_bytea(std::string_view raw) {
  separator();
  // The element's text is \x<hex>; its backslash is escaped for the array parser.
  text_.append("\"\\\\x");
  append_hex(text_, raw);
  text_.push_back('"');
}

void ArrayLiteral::add_int(std::int64_t v) {
  separator();
  text_.append(std::to_string(v));
}

std::string ArrayLiteral::take() {
  text_.push_back('}');
  return std::move(text_);
}

}  // namespace duban::storage::detail
