#include "notify/email_message.h"

#include <openssl/evp.h>

#include "notify/signature.h"

namespace duban::notify {
namespace {

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

bool plain_ascii(std::string_view s) {
  for (const unsigned char c : s) {
    if (c < 0x20 || c > 0x7e || c == '=' || c == '?') return false;
  }
  return true;
}

// Length of the UTF-8 character starting with `lead`.
std::size_t char_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xe) return 3;
  if ((lead >> 3) == 0x1e) return 4;
  return 1;
}

std::string crlf(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

std::string address_header(const std::string& name, const std::string& address) {
  if (name.empty()) return address;
  return encode_header_words(name) + " <" + address + ">";
}

}  // namespace

std::string encode_header_words(std::string_view text) {
  if (plain_ascii(text)) return std::string(text);
  // "=?UTF-8?B?" + base64 + "?=" is at most 75: 63 base64 characters, so 45 bytes (a multiple
  // of 3 keeps each word's base64 complete).
  constexpr std::size_t kBytesPerWord = 45;
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = at;
    while (end < text.size()) {
      const std::size_t next = end + char_length(static_cast<unsigned char>(text[end]));
      if (next - at > kBytesPerWord) break;
      end = next;
    }
    if (end == at) end = std::min(text.size(), at + 1);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(at, end - at)) + "?=";
    at = end;
  }
  return out;
}

std::string base64_lines(std::string_view bytes) {
  const std::string all = base64(bytes);
  std::string out;
  for (std::size_t i = 0; i < all.size(); i += 76) out += all.substr(i, 76) + "\r\n";
  return out;
}

std::string email_subject(const Notification& n) {
  const std::string_view first = std::string_view(n.text).substr(0, n.text.find('\n'));
  constexpr std::size_t kMaxChars = 60;
  std::size_t at = 0;
  std::size_t chars = 0;
  while (at < first.size() && chars < kMaxChars) {
    at += char_length(static_cast<unsigned char>(first[at]));
    ++chars;
  }
  if (at >= first.size()) return std::string(first);
  return std::string(first.substr(0, at)) + "…";
}

std::string message_id(std::string_view key) {
  // A keyed hash only to get a fixed-length ASCII id; the key "duban-message-id" is no secret.
  return hmac_sha256_hex("duban-message-id", key).substr(0, 40) + "@duban";
}

std::string email_message(const Notification& n, const ChannelConfig& channel, std::time_t now) {
  std::tm tm{};
  gmtime_r(&now, &tm);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  std::string m;
  m += "From: " + address_header(channel.from_name, channel.from) + "\r\n";
  m += "To: " + n.address + "\r\n";
  m += "Subject: " + encode_header_words(email_subject(n)) + "\r\n";
  m += std::string("Date: ") + date + "\r\n";
  m += "Message-ID: <" + message_id(n.key) + ">\r\n";
  m += "X-Duban-Idempotency-Key: " + encode_header_words(n.key) + "\r\n";
  m += "X-Duban-Event: " + n.event_type + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\n";
  m += "Content-Transfer-Encoding: base64\r\n";
  m += "\r\n";
  m += base64_lines(crlf(n.text + "\n"));
  return m;
}

}  // namespace duban::notify
