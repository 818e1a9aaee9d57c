// libcurl for the channels that speak SMTP or HTTPS (notify/smtp_channel.h,
// notify/robot_channel.h): one global initialisation, an easy handle that cleans itself up, and
// removing secrets from text before it is printed.
//
// Thread-safety: ensure_curl() may be called from any thread; each CurlHandle is one thread's.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <string>
#include <vector>

namespace duban::notify::detail {

// curl_global_init once per process (the first channel made calls it).
void ensure_curl();

struct CurlHandle {
  CurlHandle();
  ~CurlHandle();
  CurlHandle(const CurlHandle&) = delete;
  CurlHandle& operator=(const CurlHandle&) = delete;
  CURL* get() const { return handle; }

  CURL* handle;
  char error[CURL_ERROR_SIZE] = {};
};

// `text` with every secret of at least 3 characters replaced by "***".
std::string scrub(std::string text, const std::vector<std::string>& secrets);

// What an HTTP POST came back with.
struct HttpAnswer {
  bool answered = false;  // a status line arrived
  long status = 0;
  std::string body;   // at most 64 KiB
  std::string error;  // when not answered: libcurl's reason (not scrubbed yet)
};

// POSTs `body` as application/json to `url` (http:// or https://) within `timeout`.
HttpAnswer post_json(const std::string& url, const std::string& body,
                     std::chrono::milliseconds timeout);

}  // namespace duban::notify::detail
