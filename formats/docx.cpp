#include "formats/docx.h"

#include <zip.h>

#include <pugixml.hpp>

#include <cctype>
#include <cstring>
#include <map>
#include <memory>
#include <optional>

#include "formats/detail/numbering.h"
#include "formats/detail/pipe_table.h"

namespace duban::formats {
namespace {

// No part of a real document comes near this; a zip bomb stops here.
constexpr zip_uint64_t kMaxPartBytes = 512u << 20;

const char* const kResave =
    "; open it in Word or WPS and save it again as .docx, or export it as PDF";

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using Zip = std::unique_ptr<zip_t, ZipCloser>;

Result<Zip> open_zip(std::string_view bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!source) {
    zip_error_fini(&error);
    return make_error("damaged_docx", "the .docx file cannot be read (out of memory)");
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (!archive) {
    const std::string reason = zip_error_strerror(&error);
    zip_source_free(source);
    zip_error_fini(&error);
    return make_error("damaged_docx",
                      "the .docx file is damaged or truncated (not a complete zip "
                      "archive: " +
                          reason + ")" + kResave);
  }
  zip_error_fini(&error);
  return Zip(archive);
}

// The part `name`, or nullopt when the archive has none. Errors: "damaged_docx".
Result<std::optional<std::string>> read_part(zip_t* archive, const char* name) {
  const zip_int64_t index = zip_name_locate(archive, name, 0);
  if (index < 0) return std::optional<std::string>();
  const auto at = static_cast<zip_uint64_t>(index);
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(archive, at, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
      st.size > kMaxPartBytes) {
    return make_error("damaged_docx", std::string("the .docx part ") + name +
                                          " is unreadable or implausibly large" + kResave);
  }
  zip_file_t* file = zip_fopen_index(archive, at, 0);
  if (!file) {
    return make_error("damaged_docx", std::string("the .docx part ") + name +
                                          " cannot be opened (" + zip_strerror(archive) + ")" +
                                          kResave);
  }
  std::string content(static_cast<std::size_t>(st.size), '\0');
  zip_uint64_t done = 0;
  while (done < st.size) {
    const zip_int64_t n = zip_fread(file, content.data() + done, st.size - done);
    if (n <= 0) break;
    done += static_cast<zip_uint64_t>(n);
  }
  const bool failed = done != st.size || zip_fread(file, content.data(), 0) < 0;
  const std::string reason = zip_file_strerror(file);
  zip_fclose(file);
  if (failed) {
    return make_error("damaged_docx", std::string("the .docx part ") + name + " is damaged (" +
                                          reason + ")" + kResave);
  }
  return std::optional<std::string>(std::move(content));
}

struct NumberRef {
  int num_id = 0;
  int level = 0;
};

struct Style {
  std::string based_on;
  int heading_level = 0;  // 1-6, 0 for body text
  std::optional<NumberRef> number;
};

int heading_level_from_name(std::string name) {
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name == "title") return 1;
  if (name.rfind("heading ", 0) == 0 && name.size() == 9 && name[8] >= '1' && name[8] <= '9')
    return std::min(6, name[8] - '0');
  return 0;
}

std::optional<NumberRef> number_ref(pugi::xml_node ppr) {
  const pugi::xml_node num = ppr.child("w:numPr");
  if (!num) return std::nullopt;
  NumberRef ref;
  ref.num_id = num.child("w:numId").attribute("w:val").as_int(-1);
  ref.level = num.child("w:ilvl").attribute("w:val").as_int(0);
  return ref;
}

int outline_heading(pugi::xml_node ppr) {
  const pugi::xml_node o = ppr.child("w:outlineLvl");
  if (!o) return 0;
  const int level = o.attribute("w:val").as_int(9);
  return level >= 0 && level < 6 ? level + 1 : 0;
}

class Converter {
 public:
  Converter(detail::Numbering numbering, std::map<std::string, Style> styles,
            const ProgressFn& progress)
      : numbering_(std::move(numbering)), styles_(std::move(styles)), progress_(progress) {}

  std::string run(pugi::xml_node body) {
    std::size_t total = 0;
    for (pugi::xml_node n = body.first_child(); n; n = n.next_sibling()) ++total;
    std::size_t done = 0;
    for (pugi::xml_node n = body.first_child(); n; n = n.next_sibling()) {
      block(n);
      if (progress_) progress_(++done, total);
    }
    return std::move(out_);
  }

 private:
  void block(pugi::xml_node n) {
    const std::string_view name = n.name();
    if (name == "w:p") {
      paragraph(n);
    } else if (name == "w:tbl") {
      table(n);
    } else if (name == "w:sdt") {
      for (pugi::xml_node c : n.child("w:sdtContent").children()) block(c);
    } else if (name == "w:customXml" || name == "w:ins" || name == "w:moveTo") {
      for (pugi::xml_node c : n.children()) block(c);
    }
  }

  // The style's property, looked up along its basedOn chain (bounded against cycles).
  template <class F>
  auto from_style(const std::string& id, F get) const -> decltype(get(Style{})) {
    std::string at = id;
    for (int depth = 0; depth < 16 && !at.empty(); ++depth) {
      const auto it = styles_.find(at);
      if (it == styles_.end()) break;
      if (auto v = get(it->second)) return v;
      at = it->second.based_on;
    }
    return {};
  }

  // The paragraph's automatic number as text ("" when it has none), advancing the counters.
  std::string number_of(pugi::xml_node ppr, const std::string& style) {
    std::optional<NumberRef> ref = number_ref(ppr);
    if (!ref) ref = from_style(style, [](const Style& s) { return s.number; });
    if (!ref || ref->num_id <= 0) return "";  // numId 0 removes a style's numbering
    return numbering_.next(ref->num_id, ref->level);
  }

  // The visible text of a paragraph's content; line breaks as '\n'.
  static void inline_text(pugi::xml_node n, std::string& out) {
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
      const std::string_view name = c.name();
      if (name == "w:t") {
        out += c.text().get();
      } else if (name == "w:tab" || name == "w:ptab") {
        out += ' ';
      } else if (name == "w:br") {
        const std::string_view type = c.attribute("w:type").value();
        if (type.empty() || type == "textWrapping") out += '\n';
      } else if (name == "w:cr") {
        out += '\n';
      } else if (name == "w:noBreakHyphen") {
        out += '-';
      } else if (name == "w:r" || name == "w:hyperlink" || name == "w:ins" || name == "w:moveTo" ||
                 name == "w:smartTag" || name == "w:fldSimple" || name == "w:customXml" ||
                 name == "w:sdtContent" || name == "w:dir" || name == "w:bdo" ||
                 name == "mc:AlternateContent" || name == "mc:Choice") {
        inline_text(c, out);
      } else if (name == "w:sdt") {
        inline_text(c.child("w:sdtContent"), out);
      }
      // w:del, w:moveFrom (removed text), w:instrText (field codes), w:drawing and w:pict
      // (text boxes, whose text Word does not flow with the paragraph) are left out.
    }
  }

  // The number and text of a paragraph on one logical line; sets `heading` (0 for body text).
  std::string paragraph_text(pugi::xml_node p, int& heading) {
    const pugi::xml_node ppr = p.child("w:pPr");
    const std::string style = ppr.child("w:pStyle").attribute("w:val").value();
    heading = outline_heading(ppr);
    if (heading == 0) heading = from_style(style, [](const Style& s) { return s.heading_level; });
    std::string text = number_of(ppr, style);
    inline_text(p, text);
    return text;
  }

  void paragraph(pugi::xml_node p) {
    int heading = 0;
    std::string text = paragraph_text(p, heading);
    std::size_t first = text.find_first_not_of(" \n");
    if (first == std::string::npos) return;
    text.erase(0, first);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
    if (heading > 0) {
      for (char& c : text)
        if (c == '\n') c = ' ';
      out_.append(static_cast<std::size_t>(heading), '#');
      out_ += ' ';
    }
    out_ += text;
    out_ += "\n\n";
  }

  std::string cell_text(pugi::xml_node tc) {
    std::string text;
    for (pugi::xml_node c : tc.children()) {
      const std::string_view name = c.name();
      std::string part;
      if (name == "w:p") {
        int heading = 0;
        part = paragraph_text(c, heading);
      } else if (name == "w:tbl") {
        for (pugi::xml_node row : c.children("w:tr"))
          for (pugi::xml_node inner : row.children("w:tc")) part += cell_text(inner) + " ";
      } else if (name == "w:sdt") {
        part = cell_text(c.child("w:sdtContent"));
      }
      if (part.find_first_not_of(" \n") == std::string::npos) continue;
      if (!text.empty()) text += ' ';
      text += part;
    }
    return text;
  }

  void table(pugi::xml_node tbl) {
    out_ += '\n';
    for (pugi::xml_node tr : tbl.children("w:tr")) {
      detail::PipeRow row;
      const pugi::xml_node trpr = tr.child("w:trPr");
      const int before = trpr.child("w:gridBefore").attribute("w:val").as_int(0);
      for (int i = 0; i < before && i < 64; ++i) row.emplace_back();
      for (pugi::xml_node tc : tr.children("w:tc")) {
        const pugi::xml_node tcpr = tc.child("w:tcPr");
        const int span = std::clamp(tcpr.child("w:gridSpan").attribute("w:val").as_int(1), 1, 64);
        const pugi::xml_node vmerge = tcpr.child("w:vMerge");
        const std::string_view merge = vmerge.attribute("w:val").value();
        const bool continues = vmerge && merge != "restart";
        // A continued cell's own paragraphs are empty in Word; its numbering still counts.
        std::string text = cell_text(tc);
        row.push_back(continues ? std::string() : std::move(text));
        for (int i = 1; i < span; ++i) row.emplace_back();
      }
      const int after = trpr.child("w:gridAfter").attribute("w:val").as_int(0);
      for (int i = 0; i < after && i < 64; ++i) row.emplace_back();
      if (row.empty()) continue;
      out_ += detail::pipe_row(row);
      out_ += '\n';
    }
    out_ += '\n';
  }

  detail::Numbering numbering_;
  std::map<std::string, Style> styles_;
  const ProgressFn& progress_;
  std::string out_;
};

std::map<std::string, Style> load_styles(std::string_view xml) {
  std::map<std::string, Style> styles;
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) return styles;
  for (pugi::xml_node s : doc.child("w:styles").children("w:style")) {
    if (std::string_view(s.attribute("w:type").value()) != "paragraph") continue;
    Style style;
    style.based_on = s.child("w:basedOn").attribute("w:val").value();
    const pugi::xml_node ppr = s.child("w:pPr");
    style.heading_level = outline_heading(ppr);
    if (style.heading_level == 0)
      style.heading_level = heading_level_from_name(s.child("w:name").attribute("w:val").value());
    style.number = number_ref(ppr);
    styles[s.attribute("w:styleId").value()] = std::move(style);
  }
  return styles;
}

}  // namespace

Result<std::string> docx_to_markdown(std::string_view bytes, const ProgressFn& progress) {
  // libzip takes an empty buffer for an empty archive; a .docx always starts with a local header.
  if (bytes.substr(0, 4) != std::string_view("PK\x03\x04", 4)) {
    return make_error("damaged_docx",
                      std::string("the .docx file is damaged or truncated (it does not start as a "
                                  "zip archive does)") +
                          kResave);
  }
  auto archive = open_zip(bytes);
  if (!archive) return archive.error();
  auto document = read_part(archive->get(), "word/document.xml");
  if (!document) return document.error();
  if (!*document) {
    return make_error("not_docx",
                      "the file is a zip archive without word/document.xml, so not a Word "
                      "document (.docx); an .odt or .wps must be saved as .docx first");
  }
  auto numbering_xml = read_part(archive->get(), "word/numbering.xml");
  if (!numbering_xml) return numbering_xml.error();
  auto styles_xml = read_part(archive->get(), "word/styles.xml");
  if (!styles_xml) return styles_xml.error();

  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer((*document)->data(), (*document)->size());
  if (!parsed) {
    return make_error("damaged_docx", std::string("the .docx file is damaged: word/document.xml "
                                                  "is not well-formed XML (") +
                                          parsed.description() + " at byte " +
                                          std::to_string(parsed.offset) + ")" + kResave);
  }
  const pugi::xml_node body = doc.child("w:document").child("w:body");
  if (!body) {
    return make_error("damaged_docx", std::string("the .docx file has no document body") + kResave);
  }
  detail::Numbering numbering;
  if (*numbering_xml) numbering.load(**numbering_xml);
  Converter converter(std::move(numbering),
                      *styles_xml ? load_styles(**styles_xml) : std::map<std::string, Style>{},
                      progress);
  return converter.run(body);
}

}  // namespace duban::formats
