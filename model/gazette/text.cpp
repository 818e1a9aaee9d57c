#include "model/gazette/text.h"

namespace duban::gazette::text {

namespace {

// A character read from UTF-8 and its length in bytes; length 0 when the bytes are not one.
struct Decoded {
  char32_t cp = 0;
  std::size_t len = 0;
};

// The common case in Chinese text, checked inline before anything else: a well-formed 3-byte
// sequence at p[i].
inline Decoded decode_three(const unsigned char* p, std::size_t n, std::size_t i) {
  const unsigned char c = p[i];
  if ((c & 0xF0) == 0xE0 && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
    const char32_t cp = ((c & 0x0F) << 12) | ((p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) return {cp, 3};
  }
  return {};
}

// Any character of 2 to 4 bytes at p[i] (p[i] >= 0x80). Not one: a stray continuation byte, a
// truncated sequence, an overlong form, a surrogate, or a value past U+10FFFF.
Decoded decode_multibyte(const unsigned char* p, std::size_t n, std::size_t i) {
  const unsigned char c = p[i];
  std::size_t len = 0;
  char32_t cp = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    return {};
  }
  if (i + len > n) return {};
  for (std::size_t k = 1; k < len; ++k) {
    if ((p[i + k] & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (p[i + k] & 0x3F);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
      (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    return {};
  }
  return {cp, len};
}

// Every byte that is not a continuation byte starts a character.
std::size_t count_characters(const unsigned char* p, std::size_t n) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < n; ++i) chars += (p[i] & 0xC0) != 0x80;
  return chars;
}

}  // namespace

std::optional<std::size_t> find_invalid_utf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  for (std::size_t i = 0; i < n;) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    Decoded d = decode_three(p, n, i);
    if (d.len == 0) d = decode_multibyte(p, n, i);
    if (d.len == 0) return i;
    i += d.len;
  }
  return std::nullopt;
}

std::optional<std::size_t> decode_checked(std::string_view utf8, std::u32string& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const std::size_t n = utf8.size();
  out.assign(count_characters(p, n), U'\0');
  char32_t* o = out.data();
  for (std::size_t i = 0; i < n;) {
    if (p[i] < 0x80) {
      *o++ = p[i++];
      continue;
    }
    Decoded d = decode_three(p, n, i);
    if (d.len == 0) d = decode_multibyte(p, n, i);
    // Every character written consumed one byte counted (its first), so o stays inside out.
    if (d.len == 0) return i;
    *o++ = d.cp;
    i += d.len;
  }
  return std::nullopt;
}

std::u32string decode(std::string_view utf8) {
  // Sized once, to the exact number of characters (every byte that is not a continuation byte
  // starts one), and written by index: push_back's capacity check dominated the parser profile,
  // and sizing by bytes allocated and zeroed three times what Chinese text needs.
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const std::size_t n = utf8.size();
  const std::size_t chars = count_characters(p, n);
  std::u32string out(chars, U'\0');
  char32_t* o = out.data();
  char32_t* const end = o + chars;
  for (std::size_t i = 0; i < n && o != end;) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      *o++ = c;
      i += 1;
    } else if ((c & 0xF0) == 0xE0 && i + 2 < n) {
      *o++ = ((c & 0x0F) << 12) | ((p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
      i += 3;
    } else if ((c & 0xE0) == 0xC0 && i + 1 < n) {
      *o++ = ((c & 0x1F) << 6) | (p[i + 1] & 0x3F);
      i += 2;
    } else if ((c & 0xF8) == 0xF0 && i + 3 < n) {
      *o++ = ((c & 0x07) << 18) | ((p[i + 1] & 0x3F) << 12) | ((p[i + 2] & 0x3F) << 6) |
             (p[i + 3] & 0x3F);
      i += 4;
    } else {
      *o++ = 0xFFFD;  // only reachable on unvalidated input
      i += 1;
      while (i < n && (p[i] & 0xC0) == 0x80) ++i;  // one replacement per counted character
    }
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
  return out;
}

std::string encode(std::u32string_view text) {
  std::string out(text.size() * 4, '\0');
  char* o = out.data();
  for (char32_t c : text) {
    if (c < 0x80) {
      *o++ = static_cast<char>(c);
    } else if (c < 0x800) {
      *o++ = static_cast<char>(0xC0 | (c >> 6));
      *o++ = static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      *o++ = static_cast<char>(0xE0 | (c >> 12));
      *o++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *o++ = static_cast<char>(0x80 | (c & 0x3F));
    } else {
      *o++ = static_cast<char>(0xF0 | (c >> 18));
      *o++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      *o++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *o++ = static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
  return out;
}

bool is_cjk(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0xF900 && c <= 0xFAFF) || c == U'〇';
}

bool is_space(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\r' || c == 0xA0 || c == 0x3000 || c == 0xFEFF;
}

int digit_value(char32_t c) {
  return c >= U'０' ? static_cast<int>(c - U'０') : static_cast<int>(c - U'0');
}

bool is_chinese_digit_slow(char32_t c) {
  switch (c) {
    case U'〇':
    case U'零':
    case U'一':
    case U'二':
    case U'三':
    case U'四':
    case U'五':
    case U'六':
    case U'七':
    case U'八':
    case U'九':
    case U'十':
      return true;
    default:
      return false;
  }
}

bool is_comma(char32_t c) {
  return c == U',' || c == U'，' || c == U';' || c == U'；';
}
bool is_colon(char32_t c) {
  return c == U':' || c == U'：';
}

int chinese_digit(char32_t c) {
  switch (c) {
    case U'〇':
    case U'零':
    case U'○':
      return 0;
    case U'一':
      return 1;
    case U'二':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    default:
      return -1;
  }
}

std::optional<int> chinese_number(std::u32string_view s) {
  if (s.empty() || s.size() > 4) return std::nullopt;
  int value = 0;
  int pending = -1;  // digit waiting for a 十
  bool seen_ten = false;
  for (char32_t c : s) {
    if (c == U'十') {
      if (seen_ten) return std::nullopt;
      value += (pending < 0 ? 1 : pending) * 10;
      pending = -1;
      seen_ten = true;
    } else {
      const int d = chinese_digit(c);
      if (d < 0 || pending >= 0) return std::nullopt;
      pending = d;
    }
  }
  if (pending >= 0) value += pending;
  if (value == 0 && !(s.size() == 1 && chinese_digit(s[0]) == 0)) return std::nullopt;
  return value;
}

std::u32string trim(std::u32string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return std::u32string(s.substr(b, e - b));
}

void trim_in_place(std::u32string& s) {
  std::size_t e = s.size();
  while (e > 0 && is_space(s[e - 1])) --e;
  s.resize(e);
  std::size_t b = 0;
  while (b < e && is_space(s[b])) ++b;
  if (b > 0) s.erase(0, b);
}

void strip_emphasis_in_place(std::u32string& s) {
  std::size_t o = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((s[i] == U'*' || s[i] == U'_') && i + 1 < s.size() && s[i + 1] == s[i]) {
      ++i;
      continue;
    }
    s[o++] = s[i];
  }
  s.resize(o);
}

std::u32string strip_emphasis(std::u32string_view s) {
  if (s.find(U'*') == std::u32string_view::npos && s.find(U'_') == std::u32string_view::npos) {
    return std::u32string(s);
  }
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((s[i] == U'*' || s[i] == U'_') && i + 1 < s.size() && s[i + 1] == s[i]) {
      ++i;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

std::u32string collapse_cjk_spaces(std::u32string_view s) {
  auto sticky = [](char32_t c) {
    return is_cjk(c) || is_open_bracket(c) || is_close_bracket(c) || c == U'《' || c == U'》' ||
           c == U'〔' || c == U'〕' || c == U'—' || c == U'、';
  };
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (is_space(s[i])) {
      std::size_t j = i;
      while (j < s.size() && is_space(s[j])) ++j;
      const bool left = !out.empty() && sticky(out.back());
      const bool right = j < s.size() && sticky(s[j]);
      if (!left && !right && !out.empty() && j < s.size()) out.push_back(U' ');
      i = j - 1;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

std::u32string fold_punctuation(std::u32string_view s) {
  std::u32string out(s);
  for (char32_t& c : out) {
    switch (c) {
      case U'（':
        c = U'(';
        break;
      case U'）':
        c = U')';
        break;
      case U'，':
        c = U',';
        break;
      case U'：':
        c = U':';
        break;
      case U'；':
        c = U';';
        break;
      case U'．':
        c = U'.';
        break;
      default:
        if (c >= U'０' && c <= U'９') c = U'0' + (c - U'０');
    }
  }
  return out;
}

bool starts_with(std::u32string_view s, std::u32string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::u32string_view s, std::u32string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace duban::gazette::text
