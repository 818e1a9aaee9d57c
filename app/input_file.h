// Reading whole input files at the command-line edge, with errors a person can act on.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "formats/input_document.h"
#include "model/result.h"

namespace duban::app {

// Reads `path` ("-" for standard input). Errors: "unreadable" with the OS reason.
Result<std::string> read_input_file(const std::string& path);

// A gazette file ready for the parser: its bytes and, for .docx and .pdf, the Markdown made
// from them (formats/input_document.h).
struct GazetteInput {
  std::string bytes;
  formats::Kind kind = formats::Kind::kMarkdown;
  formats::ParserInput input;

  // What the parser reads, and what line numbers in its clauses refer to.
  std::string_view text() const { return input.text(bytes); }
  gazette::Format format() const { return input.format; }
};

// Reads `path` and converts it: the kind is `forced`, else from the name or the content. A long
// .pdf or .docx draws its progress on stderr, prefixed with `command` ("duban extract: "), as a
// bar when `force_bar` or stderr is a terminal. Errors: "unreadable", and the converters' errors
// (formats/docx.h, formats/pdf.h) with the file name in front of the message.
Result<GazetteInput> read_gazette_input(const std::string& path,
                                        std::optional<formats::Kind> forced,
                                        const std::string& command, bool force_bar = false);

}  // namespace duban::app
