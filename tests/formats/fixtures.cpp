#include "tests/formats/fixtures.h"

#include <unistd.h>
#include <zip.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <stdexcept>

#include "model/gazette/blocks.h"
#include "model/gazette/text.h"
#include "tests/support/run_command.h"

namespace duban::formats::testing {
namespace {

namespace fs = std::filesystem;

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* const kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>)";

const char* const kRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>)";

const char* const kDocumentRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>)";

const char* const kNamespaces =
    R"(xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006")";

std::string styles_xml() {
  std::string s =
      std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)") + "<w:styles " +
      kNamespaces + ">" +
      R"(<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>)";
  for (int level = 1; level <= 6; ++level) {
    const std::string n = std::to_string(level);
    s += R"(<w:style w:type="paragraph" w:styleId="Heading)" + n + R"("><w:name w:val="heading )" +
         n + R"("/><w:basedOn w:val="Normal"/></w:style>)";
  }
  // A house style that is a heading only through the style it is based on.
  s +=
      R"(<w:style w:type="paragraph" w:styleId="OfficeTitle"><w:name w:val="Office Title"/><w:basedOn w:val="Heading2"/></w:style>)";
  s += "</w:styles>";
  return s;
}

void add_entry(zip_t* z, const char* name, const std::string& content) {
  // libzip copies the buffer when freep is 1; keep our copy alive by handing it a heap copy.
  char* copy = static_cast<char*>(std::malloc(content.size() ? content.size() : 1));
  std::memcpy(copy, content.data(), content.size());
  zip_source_t* source = zip_source_buffer(z, copy, content.size(), 1);
  if (!source || zip_file_add(z, name, source, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
    zip_source_free(source);
    throw std::runtime_error(std::string("zip_file_add failed: ") + zip_strerror(z));
  }
}

// The value of a Chinese item number (一…九十九), or 0.
int chinese_value(const std::u32string& s) {
  const auto v = gazette::text::chinese_number(s);
  return v ? *v : 0;
}

// The paths of generated files are made once per process.
std::string make_if_missing(const std::string& path,
                            const std::function<void(const std::string&)>& make) {
  if (fs::exists(path)) return path;
  const std::string temporary = path + ".tmp" + std::to_string(::getpid());
  make(temporary);
  fs::rename(temporary, path);
  return path;
}

}  // namespace

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::vector<Paragraph> gazette_paragraphs() {
  const std::string md =
      read_file(std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md");
  auto lines = gazette::read_lines(md, gazette::Format::kMarkdown);
  if (!lines) throw std::runtime_error(lines.error().message);
  std::vector<Paragraph> out;
  for (const gazette::Block& b : gazette::build_blocks(*lines))
    out.push_back(Paragraph{b.heading_level, gazette::text::encode(b.text)});
  return out;
}

void DocxWriter::paragraph(const std::string& text, const std::string& style, int num_id,
                           int level) {
  body_ += "<w:p>";
  if (!style.empty() || num_id > 0) {
    body_ += "<w:pPr>";
    if (!style.empty()) body_ += R"(<w:pStyle w:val=")" + style + R"("/>)";
    if (num_id > 0)
      body_ += R"(<w:numPr><w:ilvl w:val=")" + std::to_string(level) + R"("/><w:numId w:val=")" +
               std::to_string(num_id) + R"("/></w:numPr>)";
    body_ += "</w:pPr>";
  }
  // Split into two runs, as Word does at any formatting change.
  const std::size_t half = text.size() / 2;
  std::size_t cut = half;
  while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) ++cut;
  for (const std::string& part : {text.substr(0, cut), text.substr(cut)}) {
    if (part.empty()) continue;
    body_ += R"(<w:r><w:t xml:space="preserve">)" + xml_escape(part) + "</w:t></w:r>";
  }
  body_ += "</w:p>";
}

void DocxWriter::table(const std::vector<std::vector<Cell>>& rows) {
  body_ += "<w:tbl><w:tblPr/>";
  for (const auto& row : rows) {
    body_ += "<w:tr>";
    for (const Cell& cell : row) {
      body_ += "<w:tc><w:tcPr>";
      if (cell.grid_span > 1)
        body_ += R"(<w:gridSpan w:val=")" + std::to_string(cell.grid_span) + R"("/>)";
      if (cell.merge == Cell::Merge::kRestart) body_ += R"(<w:vMerge w:val="restart"/>)";
      if (cell.merge == Cell::Merge::kContinue) body_ += "<w:vMerge/>";
      body_ += "</w:tcPr>";
      std::size_t start = 0;
      do {
        std::size_t end = cell.text.find('\n', start);
        if (end == std::string::npos) end = cell.text.size();
        paragraph(cell.text.substr(start, end - start));
        start = end + 1;
      } while (start <= cell.text.size());
      body_ += "</w:tc>";
    }
    body_ += "</w:tr>";
  }
  body_ += "</w:tbl>";
}

std::string DocxWriter::write(const std::string& path) const {
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (!z) throw std::runtime_error("zip_open failed for " + path);
  add_entry(z, "[Content_Types].xml", kContentTypes);
  add_entry(z, "_rels/.rels", kRels);
  add_entry(z, "word/_rels/document.xml.rels", kDocumentRels);
  add_entry(z, "word/document.xml",
            std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)") +
                "<w:document " + kNamespaces + "><w:body>" + body_ +
                R"(<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>)");
  add_entry(z, "word/styles.xml", styles_xml());
  add_entry(z, "word/numbering.xml",
            std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)") +
                "<w:numbering " + kNamespaces + ">" + numbering_ + "</w:numbering>");
  if (zip_close(z) != 0) {
    const std::string reason = zip_strerror(z);
    zip_discard(z);
    throw std::runtime_error("zip_close failed: " + reason);
  }
  return read_file(path);
}

int write_gazette_docx(const std::vector<Paragraph>& paragraphs, const std::string& path) {
  DocxWriter docx;
  // Two list styles: （一） in Chinese counting, with Word's default tab after the number, and
  // 1. in decimal. Every run of items that starts at 1 gets a list instance restarting at 1.
  std::string abstracts =
      R"(<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%1）"/></w:lvl></w:abstractNum>)"
      R"(<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:suff w:val="space"/></w:lvl></w:abstractNum>)";
  std::string instances;
  int next_num_id = 1;
  int numbered = 0;
  struct Run {
    int num_id = 0;
    int expected = 0;
  };
  Run runs[2];
  for (const Paragraph& p : paragraphs) {
    if (p.heading_level > 0) {
      docx.paragraph(p.text, "Heading" + std::to_string(p.heading_level));
      continue;
    }
    const std::u32string text = gazette::text::decode(p.text);
    int list = -1, value = 0;
    std::size_t marker = 0;
    if (text.size() > 2 && text[0] == U'（') {
      const std::size_t close = text.find(U'）');
      if (close != std::u32string::npos && close <= 4) {
        value = chinese_value(text.substr(1, close - 1));
        list = 0;
        marker = close + 1;
      }
    } else if (!text.empty() && text[0] >= U'1' && text[0] <= U'9') {
      std::size_t i = 0;
      while (i < text.size() && text[i] >= U'0' && text[i] <= U'9')
        value = value * 10 + int(text[i++] - U'0');
      if (i < text.size() && text[i] == U'.') {
        list = 1;
        marker = i + 1;
        while (marker < text.size() && text[marker] == U' ') ++marker;
      }
    }
    if (list >= 0 && value > 0 && marker < text.size()) {
      Run& run = runs[list];
      if (value == 1) {
        run.num_id = next_num_id++;
        run.expected = 1;
        instances +=
            R"(<w:num w:numId=")" + std::to_string(run.num_id) + R"("><w:abstractNumId w:val=")" +
            std::to_string(list + 1) +
            R"("/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>)";
      }
      if (run.num_id > 0 && value == run.expected) {
        ++run.expected;
        ++numbered;
        docx.paragraph(gazette::text::encode(text.substr(marker)), "", run.num_id, 0);
        continue;
      }
      run.num_id = 0;
    }
    docx.paragraph(p.text);
  }
  docx.set_numbering(abstracts + instances);
  docx.write(path);
  return numbered;
}

std::string gazette_html(const std::vector<Paragraph>& paragraphs, const std::string& title) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" +
      xml_escape(title) +
      "</title>\n<style>\n"
      "body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:14px;line-height:1.6}\n"
      "p{text-indent:2em;margin:0 0 .6em}\n"
      "h1,h2,h3,h4,h5,h6{font-weight:bold;margin:.8em 0 .6em}\n"
      "h1{font-size:28px}h2{font-size:24px}h3{font-size:21px}h4{font-size:18px}"
      "h5{font-size:16.5px}h6{font-size:15.5px}\n"
      "</style></head>\n<body>\n";
  for (const Paragraph& p : paragraphs) {
    if (p.heading_level > 0) {
      const std::string h = "h" + std::to_string(p.heading_level);
      html += "<" + h + ">" + xml_escape(p.text) + "</" + h + ">\n";
    } else {
      html += "<p>" + xml_escape(p.text) + "</p>\n";
    }
  }
  html += "</body></html>\n";
  return html;
}

void print_to_pdf(const std::string& html_path, const std::string& pdf_path) {
  const std::string profile = pdf_path + ".profile";
  const auto r = duban::testing::run_command(
      "timeout", {"240", DUBAN_CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                  "--no-first-run", "--user-data-dir=" + profile, "--print-to-pdf=" + pdf_path,
                  "file://" + fs::absolute(html_path).string()});
  std::error_code ec;
  fs::remove_all(profile, ec);
  if (r.exit_code != 0 || !fs::exists(pdf_path)) {
    throw std::runtime_error("chromium could not print " + html_path + " (exit " +
                             std::to_string(r.exit_code) + "): " + r.err);
  }
}

std::string image_only_pdf(int pages) {
  // Objects: 1 catalog, 2 page tree, 3 the image; then per page a page and its content.
  std::vector<std::string> objects;
  std::string kids;
  for (int i = 0; i < pages; ++i) kids += std::to_string(4 + 2 * i) + " 0 R ";
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>");
  std::string pixels;
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x) pixels.push_back(static_cast<char>((x * 13 + y * 7) & 0xFF));
  objects.push_back(
      "<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray "
      "/BitsPerComponent 8 /Length " +
      std::to_string(pixels.size()) + " >>\nstream\n" + pixels + "\nendstream");
  for (int i = 0; i < pages; ++i) {
    const std::string content = "q 500 0 0 700 48 70 cm /Im1 Do Q";
    objects.push_back(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << "
        "/XObject << /Im1 3 0 R >> >> /Contents " +
        std::to_string(5 + 2 * i) + " 0 R >>");
    objects.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content +
                      "\nendstream");
  }
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t off : offsets) {
    char entry[32];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", off);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

std::string fixture_dir() {
  const std::string dir = DUBAN_FORMATS_FIXTURES;
  fs::create_directories(dir);
  static const std::vector<Paragraph> paragraphs = gazette_paragraphs();
  const std::string md = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";
  make_if_missing(dir + "/gazette.md", [&](const std::string& p) { write_file(p, read_file(md)); });
  make_if_missing(dir + "/gazette.txt",
                  [&](const std::string& p) { write_file(p, read_file(md)); });
  make_if_missing(dir + "/gazette.html", [&](const std::string& p) {
    write_file(p, gazette_html(paragraphs, "青海省人民政府公报 2015年第8期"));
  });
  make_if_missing(dir + "/gazette.docx",
                  [&](const std::string& p) { write_gazette_docx(paragraphs, p); });
  make_if_missing(dir + "/gazette.pdf",
                  [&](const std::string& p) { print_to_pdf(dir + "/gazette.html", p); });
  // About 200 pages (Chromium prints the gazette on 50): the gazette four times over.
  make_if_missing(dir + "/gazette-long.md", [&](const std::string& p) {
    const std::string text = read_file(md);
    write_file(p, text + "\n\n" + text + "\n\n" + text + "\n\n" + text);
  });
  std::vector<Paragraph> long_paragraphs;
  for (int copy = 0; copy < 4; ++copy)
    long_paragraphs.insert(long_paragraphs.end(), paragraphs.begin(), paragraphs.end());
  make_if_missing(dir + "/gazette-long.docx",
                  [&](const std::string& p) { write_gazette_docx(long_paragraphs, p); });
  make_if_missing(dir + "/gazette-long.html", [&](const std::string& p) {
    write_file(p, gazette_html(long_paragraphs, "青海省人民政府公报（合订本）"));
  });
  make_if_missing(dir + "/gazette-long.pdf",
                  [&](const std::string& p) { print_to_pdf(dir + "/gazette-long.html", p); });
  return dir;
}

}  // namespace duban::formats::testing
