// Evidence uploads (佐证材料): the checks an attachment passes before its bytes are kept, and
// storing it (storage/blob_store.h) as the reference a report carries (model/task/attachment.h).
//
// The type is sniffed from the content, never taken from the name or the client's
// Content-Type: PDF, PNG, JPEG, GIF, the zip-based Office formats (docx, xlsx, pptx), the old
// OLE ones (doc, xls, ppt), and UTF-8 text (txt, csv). Executables (MZ, ELF, Mach-O) and
// scripts (#!) are refused, and so is a declared type that disagrees with the content.
// docs/api.md ("Attachments") has the table.
//
// Thread-safety: the functions are reentrant; store_evidence() is as thread-safe as the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"
#include "model/task/attachment.h"
#include "model/time.h"
#include "storage/blob_store.h"

namespace duban::service {

struct EvidenceLimits {
  // The largest file accepted, in bytes. Default 50 MiB.
  std::int64_t max_size = 50 * 1024 * 1024;
  // The sniffed media types accepted. Default: every type sniff_media_type() recognises.
  std::vector<std::string> allowed_types = {
      "application/pdf",
      "image/png",
      "image/jpeg",
      "image/gif",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      "application/msword",
      "application/vnd.ms-excel",
      "application/vnd.ms-powerpoint",
      "text/plain",
      "text/csv",
  };
};

// How many leading bytes sniff_media_type() looks at.
inline constexpr std::size_t kSniffBytes = 8192;

// The media type of a file from its first bytes (`head`, up to kSniffBytes) and its name (which
// only tells apart formats that share a container: docx/xlsx/pptx, doc/xls/ppt, txt/csv).
// Errors (code "unsupported_media_type"): an executable or script, an unrecognised format.
Result<std::string> sniff_media_type(std::string_view head, std::string_view name);

// A file name fit to keep: the last path component, without control characters; an error
// ("invalid_argument") when nothing is left or it is not UTF-8.
Result<std::string> clean_file_name(std::string_view name);

// One upload in progress, fed as its bytes arrive (the server reads a request body in pieces):
// the name is checked at start(); the first kSniffBytes are held back and sniffed (type refused,
// not allowed, or disagreeing with `declared_type`: the client's Content-Type, where empty or
// application/octet-stream declares nothing) before a byte reaches the store; then the bytes go
// to a BlobWriter chunk by chunk. The size limit is enforced as it is crossed, not at the end.
// Memory: the sniff head plus one chunk (storage::kBlobChunkSize), whatever the file's size.
// Any error aborts the upload (nothing is kept); so does destroying an unfinished one.
// Must not outlive the store. Not thread-safe: one caller at a time.
class EvidenceUpload {
 public:
  // Errors: "invalid_argument" (name), or the store's (read-only).
  static Result<EvidenceUpload> start(storage::BlobStore& store, std::string_view name,
                                      std::string_view declared_type, const EvidenceLimits& limits);

  // Takes the next bytes. Errors: "too_large" (the limit is crossed), "unsupported_media_type"
  // (once the head is sniffed), or the store's.
  Result<bool> write(std::string_view bytes);
  // Sniffs a file shorter than the head, stores the rest, and returns the reference. Errors:
  // "empty", "unsupported_media_type", or the store's.
  Result<task::Attachment> finish(Timestamp now);
  // Bytes taken so far.
  std::int64_t size() const { return size_; }

 private:
  EvidenceUpload(storage::BlobWriter writer, std::string name, std::string declared,
                 const EvidenceLimits& limits)
      : writer_(std::move(writer)),
        name_(std::move(name)),
        declared_(std::move(declared)),
        limits_(&limits) {}
  Result<bool> sniff();  // decides the type from head_ and hands head_ to the writer

  storage::BlobWriter writer_;
  std::string name_;      // cleaned
  std::string declared_;  // the declared base type, lowercase
  const EvidenceLimits* limits_;
  std::string head_;  // the first bytes until sniffed
  std::string type_;  // the sniffed type; empty until then
  std::int64_t size_ = 0;
  std::optional<Error> failed_;
};

// Checks and stores one upload pulled from `source`: an EvidenceUpload fed to its end (see
// there for the checks). Errors: "unsupported_media_type" (type refused or disagreeing),
// "too_large", "empty", "invalid_argument" (name), or the store's.
Result<task::Attachment> store_evidence(storage::BlobStore& store, std::string_view name,
                                        std::string_view declared_type,
                                        const storage::BlobSource& source,
                                        const EvidenceLimits& limits, Timestamp now);

}  // namespace duban::service
