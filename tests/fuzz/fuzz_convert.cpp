// Fuzzes the converters of formats/ into the text the gazette parser reads: Word .docx (a zip of
// XML parts, libzip and pugixml), PDF (poppler) and HTML with tables (model/gazette's reader).
// The first byte picks what the rest is:
//   0  a whole .docx file (zip bytes as given);
//   1  the XML parts of a .docx, separated by a 0x00 byte: word/document.xml, then
//      word/numbering.xml and word/styles.xml when present, zipped here, so mutations reach the
//      XML readers instead of dying in the zip's checksums;
//   2  a PDF file;
//   3  an HTML page.
// Whatever the input, the converters must not crash, hang or trip a sanitizer, and must answer
// with an error value or with valid UTF-8 text, which the parser then reads or refuses with an
// error value; every clause it returns has a lead.
#include <zip.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "formats/input_document.h"
#include "model/gazette/parser.h"
#include "model/gazette/text.h"

namespace {

// A zip (as libzip writes it) holding `parts`, made in memory; empty when libzip fails.
std::string zip_of(const std::vector<std::pair<const char*, std::string_view>>& parts) {
  struct Error {
    zip_error_t e;
    Error() { zip_error_init(&e); }
    ~Error() { zip_error_fini(&e); }
  } error;
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error.e);
  if (!buffer) return {};
  zip_t* z = zip_open_from_source(buffer, ZIP_TRUNCATE, &error.e);
  if (!z) {
    zip_source_free(buffer);
    return {};
  }
  zip_source_keep(buffer);  // read the bytes after zip_close()
  for (const auto& [name, content] : parts) {
    zip_source_t* s = zip_source_buffer(z, content.data(), content.size(), 0);
    if (!s || zip_file_add(z, name, s, ZIP_FL_OVERWRITE) < 0) zip_source_free(s);
  }
  std::string out;
  if (zip_close(z) != 0) {
    zip_discard(z);
  } else if (zip_source_open(buffer) == 0) {
    char chunk[4096];
    for (zip_int64_t n; (n = zip_source_read(buffer, chunk, sizeof chunk)) > 0;) {
      out.append(chunk, static_cast<std::size_t>(n));
    }
    zip_source_close(buffer);
  }
  zip_source_free(buffer);
  return out;
}

constexpr std::string_view kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>)";

std::string docx_of_parts(std::string_view bytes) {
  std::vector<std::string_view> xml;
  while (xml.size() < 2) {
    const std::size_t nul = bytes.find('\0');
    if (nul == std::string_view::npos) break;
    xml.push_back(bytes.substr(0, nul));
    bytes.remove_prefix(nul + 1);
  }
  xml.push_back(bytes);
  std::vector<std::pair<const char*, std::string_view>> parts{
      {"[Content_Types].xml", kContentTypes}, {"word/document.xml", xml[0]}};
  if (xml.size() > 1) parts.emplace_back("word/numbering.xml", xml[1]);
  if (xml.size() > 2) parts.emplace_back("word/styles.xml", xml[2]);
  return zip_of(parts);
}

void check_parse(std::string_view text, duban::gazette::Format format) {
  using namespace duban::gazette;
  auto result = parse_gazette(text, format, UnitDirectory::builtin());
  if (!result) return;
  for (const Clause& c : result->clauses) {
    bool lead = false;
    for (const auto& a : c.assignments) lead = lead || a.role == Role::kLead;
    if (!lead || c.source.line > c.source.end_line) std::abort();
  }
}

}  // namespace

// fontconfig (which poppler asks for fonts) keeps a process-wide cache it never frees;
// LeakSanitizer would report it at exit after the first PDF. Nothing of duban's is suppressed.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig\n";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using duban::formats::Kind;
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string zipped;
  std::string_view bytes = rest;
  Kind kind = Kind::kHtml;
  switch (data[0] % 4) {
    case 0:
      kind = Kind::kDocx;
      break;
    case 1:
      zipped = docx_of_parts(rest);
      bytes = zipped;
      kind = Kind::kDocx;
      break;
    case 2:
      kind = Kind::kPdf;
      break;
    default:
      kind = Kind::kHtml;
      break;
  }
  auto input = duban::formats::prepare(bytes, kind);
  if (!input) {
    if (input.error().code.empty() || input.error().message.empty()) std::abort();
    return 0;
  }
  const std::string_view text = input->text(bytes);
  // What a converter made is text the parser can take: valid UTF-8, no NUL.
  if (input->converted && (duban::gazette::text::find_invalid_utf8(text) ||
                           text.find('\0') != std::string_view::npos)) {
    std::abort();
  }
  check_parse(text, input->format);
  return 0;
}
