#include "service/evidence.h"

#include <algorithm>

namespace duban::service {
namespace {

constexpr const char* kDocx =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr const char* kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr const char* kPptx =
    "application/vnd.openxmlformats-officedocument.presentationml.presentation";

bool starts(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string extension(std::string_view name) {
  const auto dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string() : lower(name.substr(dot + 1));
}

// Valid UTF-8 except that a sequence cut off by the end of `s` is allowed when `truncated`
// (the head of a longer file may end inside a character).
bool is_utf8(std::string_view s, bool truncated) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    if (c < 0x80) {
      n = 0;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
    } else {
      return false;
    }
    if (i + n >= s.size() && n > 0) {
      if (!truncated) return false;
      for (std::size_t k = i + 1; k < s.size(); ++k) {
        if ((static_cast<unsigned char>(s[k]) & 0xC0) != 0x80) return false;
      }
      return true;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n + 1;
  }
  return true;
}

Error refused(std::string message) {
  return make_error("unsupported_media_type", std::move(message));
}

std::string base_type(std::string_view content_type) {
  auto t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  return lower(t);
}

}  // namespace

Result<std::string> sniff_media_type(std::string_view head, std::string_view name) {
  const std::string ext = extension(name);
  if (starts(head, "MZ") ||
      starts(head,
             "\x7f"
             "ELF") ||
      starts(head, "\xfe\xed\xfa\xce") || starts(head, "\xfe\xed\xfa\xcf") ||
      starts(head, "\xce\xfa\xed\xfe") || starts(head, "\xcf\xfa\xed\xfe") ||
      starts(head, "\xca\xfe\xba\xbe")) {
    return refused("the file is an executable program; attach documents, images or tables");
  }
  if (starts(head, "#!")) {
    return refused("the file is a script (it starts with #!); attach documents, images or tables");
  }
  if (starts(head, "%PDF-")) return std::string("application/pdf");
  if (starts(head, "\x89PNG\r\n\x1a\n")) return std::string("image/png");
  if (starts(head, "\xff\xd8\xff")) return std::string("image/jpeg");
  if (starts(head, "GIF87a") || starts(head, "GIF89a")) return std::string("image/gif");
  if (starts(head, "PK\x03\x04")) {
    // An Office Open XML package: a zip whose parts name the application's folder. The first
    // entries (normally [Content_Types].xml, then _rels/ and the main part) lie in the head.
    const bool ooxml = head.find("[Content_Types].xml") != std::string_view::npos;
    if (ooxml) {
      if (ext == "docx" || head.find("word/") != std::string_view::npos) return std::string(kDocx);
      if (ext == "xlsx" || head.find("xl/") != std::string_view::npos) return std::string(kXlsx);
      if (ext == "pptx" || head.find("ppt/") != std::string_view::npos) return std::string(kPptx);
    }
    return refused("the file is a zip archive but not a Word, Excel or PowerPoint document");
  }
  if (starts(head, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) {
    if (ext == "doc") return std::string("application/msword");
    if (ext == "xls") return std::string("application/vnd.ms-excel");
    if (ext == "ppt") return std::string("application/vnd.ms-powerpoint");
    return refused("the file is an old Office (OLE) file; name it .doc, .xls or .ppt");
  }
  const bool has_nul = head.find('\0') != std::string_view::npos;
  if (!head.empty() && !has_nul && is_utf8(head, head.size() >= kSniffBytes)) {
    return std::string(ext == "csv" ? "text/csv" : "text/plain");
  }
  return refused(
      "the file's type is not one accepted as evidence (PDF, PNG, JPEG, GIF, Word, Excel, "
      "PowerPoint, UTF-8 text or CSV)");
}

Result<std::string> clean_file_name(std::string_view name) {
  const auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (char c : name) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out += c;
  }
  if (out.empty() || out == "." || out == "..") {
    return make_error("invalid_argument", "the attachment needs a file name");
  }
  if (!is_utf8(out, false)) {
    return make_error("invalid_argument", "the file name is not UTF-8");
  }
  if (out.size() > 255) return make_error("invalid_argument", "the file name is too long");
  return out;
}

Result<EvidenceUpload> EvidenceUpload::start(storage::BlobStore& store, std::string_view name,
                                             std::string_view declared_type,
                                             const EvidenceLimits& limits) {
  auto clean = clean_file_name(name);
  if (!clean) return clean.error();
  auto writer = store.begin_put(limits.max_size);
  if (!writer) return writer.error();
  return EvidenceUpload(std::move(*writer), std::move(*clean), base_type(declared_type), limits);
}

Result<bool> EvidenceUpload::sniff() {
  auto type = sniff_media_type(head_, name_);
  if (!type) return type.error();
  const auto& allowed = limits_->allowed_types;
  if (std::find(allowed.begin(), allowed.end(), *type) == allowed.end()) {
    return refused("files of type " + *type + " are not accepted as evidence here");
  }
  if (!declared_.empty() && declared_ != "application/octet-stream" && declared_ != *type &&
      !(starts(declared_, "text/") && starts(*type, "text/"))) {
    return refused("the file was declared as " + declared_ + " but its content is " + *type);
  }
  type_ = *type;
  auto w = writer_.write(head_);
  head_ = std::string();
  return w;
}

Result<bool> EvidenceUpload::write(std::string_view bytes) {
  auto fail = [&](Error e) -> Result<bool> {
    writer_.abort();
    failed_ = e;
    return e;
  };
  if (failed_) return *failed_;
  size_ += static_cast<std::int64_t>(bytes.size());
  if (size_ > limits_->max_size) {
    return fail(make_error("too_large", "the file is larger than the limit of " +
                                            std::to_string(limits_->max_size) + " bytes"));
  }
  if (type_.empty()) {
    const std::size_t n = std::min(bytes.size(), kSniffBytes - head_.size());
    head_.append(bytes.substr(0, n));
    bytes.remove_prefix(n);
    if (head_.size() < kSniffBytes) return true;
    if (auto s = sniff(); !s) return fail(s.error());
  }
  if (bytes.empty()) return true;
  if (auto w = writer_.write(bytes); !w) return fail(w.error());
  return true;
}

Result<task::Attachment> EvidenceUpload::finish(Timestamp now) {
  if (failed_) return *failed_;
  auto fail = [&](Error e) -> Result<task::Attachment> {
    writer_.abort();
    failed_ = e;
    return e;
  };
  if (size_ == 0) return fail(make_error("empty", "the file is empty"));
  if (type_.empty()) {
    if (auto s = sniff(); !s) return fail(s.error());
  }
  auto stored = writer_.commit(now);
  if (!stored) return fail(stored.error());
  return task::Attachment{stored->sha256, name_, type_, stored->size};
}

Result<task::Attachment> store_evidence(storage::BlobStore& store, std::string_view name,
                                        std::string_view declared_type,
                                        const storage::BlobSource& source,
                                        const EvidenceLimits& limits, Timestamp now) {
  auto upload = EvidenceUpload::start(store, name, declared_type, limits);
  if (!upload) return upload.error();
  std::string buffer(storage::kBlobChunkSize, '\0');
  for (;;) {
    auto got = source(buffer.data(), buffer.size());
    if (!got) return got.error();
    if (*got == 0) break;
    if (auto w = upload->write(std::string_view(buffer.data(), *got)); !w) return w.error();
  }
  return upload->finish(now);
}

}  // namespace duban::service
