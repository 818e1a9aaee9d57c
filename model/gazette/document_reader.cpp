#include "model/gazette/document_reader.h"

#include <algorithm>
#include <cstring>

#include "model/gazette/text.h"

namespace duban::gazette {
namespace {

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char a = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
    if (a != prefix[i]) return false;
  }
  return true;
}

int line_of(std::string_view bytes, std::size_t offset) {
  return 1 + static_cast<int>(std::count(bytes.begin(), bytes.begin() + offset, '\n'));
}

// Lines of Markdown or plain text; '#' headings are recognised and their marks removed.
std::vector<SourceLine> split_markdown(std::u32string_view all) {
  std::vector<SourceLine> lines;
  int number = 1;
  std::size_t start = 0;
  while (start <= all.size()) {
    std::size_t end = all.find(U'\n', start);
    if (end == std::u32string_view::npos) end = all.size();
    std::u32string_view raw = all.substr(start, end - start);
    if (!raw.empty() && raw.back() == U'\r') raw.remove_suffix(1);
    SourceLine line{number, std::u32string(raw), 0};
    std::size_t hashes = 0;
    while (hashes < raw.size() && raw[hashes] == U'#') ++hashes;
    if (hashes > 0 && hashes <= 6 && (hashes == raw.size() || text::is_space(raw[hashes]))) {
      line.heading_level = static_cast<int>(hashes);
      line.text = std::u32string(raw.substr(hashes));
    }
    lines.push_back(std::move(line));
    if (end == all.size()) break;
    start = end + 1;
    ++number;
  }
  return lines;
}

char32_t decode_entity(std::u32string_view name) {
  if (name == U"amp") return U'&';
  if (name == U"lt") return U'<';
  if (name == U"gt") return U'>';
  if (name == U"quot") return U'"';
  if (name == U"apos") return U'\'';
  if (name == U"nbsp") return U' ';
  if (name == U"ldquo") return U'“';
  if (name == U"rdquo") return U'”';
  if (name == U"mdash") return U'—';
  if (name.size() > 1 && name[0] == U'#') {
    const bool hex = name[1] == U'x' || name[1] == U'X';
    char32_t value = 0;
    for (std::size_t i = hex ? 2 : 1; i < name.size(); ++i) {
      const char32_t c = name[i];
      int d = -1;
      if (c >= U'0' && c <= U'9')
        d = static_cast<int>(c - U'0');
      else if (hex && c >= U'a' && c <= U'f')
        d = static_cast<int>(c - U'a' + 10);
      else if (hex && c >= U'A' && c <= U'F')
        d = static_cast<int>(c - U'A' + 10);
      if (d < 0 || value > 0x10FFFF) return 0;
      value = value * (hex ? 16 : 10) + static_cast<char32_t>(d);
    }
    if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
    return value;
  }
  return 0;
}

bool is_block_tag(std::u32string_view name) {
  static constexpr std::u32string_view kBlocks[] = {
      U"p",     U"div", U"br",   U"li",      U"tr",      U"td",         U"th",
      U"table", U"ul",  U"ol",   U"section", U"article", U"blockquote", U"pre",
      U"title", U"hr",  U"body", U"html",    U"head"};
  return std::find(std::begin(kBlocks), std::end(kBlocks), name) != std::end(kBlocks);
}

// HTML: tags are dropped, block-level tags end a line, <h1>-<h6> become headings, <script> and
// <style> bodies are skipped, entities are decoded. Each output line keeps the number of the
// source line where its text began.
std::vector<SourceLine> split_html(std::u32string_view all) {
  std::vector<SourceLine> lines;
  SourceLine current{1, {}, 0};
  int line = 1;
  auto flush = [&] {
    lines.push_back(current);
    current = SourceLine{line, {}, 0};
  };
  std::size_t i = 0;
  while (i < all.size()) {
    const char32_t c = all[i];
    if (c == U'\n') {
      ++line;
      // Newlines inside HTML are layout, not structure; they join like spaces.
      if (!current.text.empty())
        current.text.push_back(U' ');
      else
        current.number = line;
      ++i;
      continue;
    }
    if (c == U'<') {
      const std::size_t close = all.find(U'>', i);
      if (close == std::u32string_view::npos) break;  // truncated tag: drop the rest
      std::u32string_view tag = all.substr(i + 1, close - i - 1);
      line += static_cast<int>(std::count(tag.begin(), tag.end(), U'\n'));
      const bool closing = !tag.empty() && tag[0] == U'/';
      if (closing) tag.remove_prefix(1);
      std::size_t name_end = 0;
      while (name_end < tag.size() && !text::is_space(tag[name_end]) && tag[name_end] != U'/' &&
             tag[name_end] != U'\n')
        ++name_end;
      std::u32string name(tag.substr(0, name_end));
      for (char32_t& ch : name)
        if (ch >= U'A' && ch <= U'Z') ch = ch - U'A' + U'a';
      i = close + 1;
      if (!closing && (name == U"script" || name == U"style")) {
        const std::u32string end_tag = U"</" + name;
        std::size_t end = i;
        while (end < all.size()) {
          end = all.find(U'<', end);
          if (end == std::u32string_view::npos) break;
          std::u32string probe(all.substr(end, end_tag.size()));
          for (char32_t& ch : probe)
            if (ch >= U'A' && ch <= U'Z') ch = ch - U'A' + U'a';
          if (probe == end_tag) break;
          ++end;
        }
        if (end == std::u32string_view::npos) end = all.size();
        line += static_cast<int>(std::count(all.begin() + i, all.begin() + end, U'\n'));
        i = end;
        continue;
      }
      if (name.size() == 2 && name[0] == U'h' && name[1] >= U'1' && name[1] <= U'6') {
        flush();
        if (!closing) current.heading_level = static_cast<int>(name[1] - U'0');
      } else if (is_block_tag(name)) {
        flush();
      }
      continue;
    }
    if (c == U'&') {
      const std::size_t semi = all.find(U';', i);
      if (semi != std::u32string_view::npos && semi - i <= 10) {
        const char32_t decoded = decode_entity(all.substr(i + 1, semi - i - 1));
        if (decoded != 0) {
          current.text.push_back(decoded);
          i = semi + 1;
          continue;
        }
      }
    }
    current.text.push_back(c);
    ++i;
  }
  lines.push_back(current);
  for (SourceLine& l : lines) l.text = text::trim(l.text);
  return lines;
}

}  // namespace

Format guess_format(std::string_view file_name, std::string_view content) {
  auto ends = [&](std::string_view ext) {
    if (file_name.size() < ext.size()) return false;
    for (std::size_t i = 0; i < ext.size(); ++i) {
      const char a = static_cast<char>(
          std::tolower(static_cast<unsigned char>(file_name[file_name.size() - ext.size() + i])));
      if (a != ext[i]) return false;
    }
    return true;
  };
  if (ends(".html") || ends(".htm") || ends(".xhtml")) return Format::kHtml;
  if (ends(".md") || ends(".markdown")) return Format::kMarkdown;
  if (ends(".txt")) return Format::kText;
  std::string_view head = content.substr(0, 512);
  while (!head.empty() && (head.front() == ' ' || head.front() == '\n' || head.front() == '\r' ||
                           head.front() == '\t'))
    head.remove_prefix(1);
  if (iequals_prefix(head, "<!doctype html") || iequals_prefix(head, "<html") ||
      iequals_prefix(head, "<?xml")) {
    return Format::kHtml;
  }
  return Format::kMarkdown;
}

std::optional<Format> format_named(std::string_view name) {
  if (name == "markdown") return Format::kMarkdown;
  if (name == "text") return Format::kText;
  if (name == "html") return Format::kHtml;
  return std::nullopt;
}

Result<std::vector<SourceLine>> read_lines(std::string_view bytes, Format format) {
  if (bytes.size() >= 3 && std::memcmp(bytes.data(), "\xEF\xBB\xBF", 3) == 0)
    bytes.remove_prefix(3);
  if (bytes.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return make_error("empty", "the input is empty: there is no text to read");
  }
  if (const std::size_t nul = bytes.find('\0'); nul != std::string_view::npos) {
    return make_error("binary", "the input looks like a binary file (a NUL byte at line " +
                                    std::to_string(line_of(bytes, nul)) +
                                    "); give a gazette as Markdown, plain text or HTML");
  }
  if (const auto bad = text::find_invalid_utf8(bytes)) {
    return make_error("not_utf8",
                      "the input is not valid UTF-8 (first bad byte at line " +
                          std::to_string(line_of(bytes, *bad)) + ", byte offset " +
                          std::to_string(*bad) +
                          "); if it is GB18030/GBK, convert it first: iconv -f GB18030 -t UTF-8");
  }
  const std::u32string all = text::decode(bytes);
  return format == Format::kHtml ? split_html(all) : split_markdown(all);
}

}  // namespace duban::gazette
