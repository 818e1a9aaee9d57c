#include "notify/smtp_channel.h"

#include <cstring>
#include <ctime>

#include "notify/detail/curl.h"
#include "notify/email_message.h"

namespace duban::notify {
namespace {

struct Upload {
  std::string data;
  std::size_t at = 0;
};

std::size_t feed(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, upload->data.size() - upload->at);
  std::memcpy(buffer, upload->data.data() + upload->at, n);
  upload->at += n;
  return n;
}

}  // namespace

SmtpChannel::SmtpChannel(ChannelConfig config) : config_(std::move(config)) {
  detail::ensure_curl();
}

DeliveryOutcome SmtpChannel::deliver(const Notification& n) {
  const std::string where = "smtp " + config_.name + " (" + redacted_url(config_.url) + ")";
  if (n.address.empty()) {
    return DeliveryOutcome::failed(where + ": no e-mail address configured for " +
                                       n.recipient.str() +
                                       (n.account.empty() ? "" : "/" + n.account),
                                   false);
  }
  Upload upload{email_message(n, config_, std::time(nullptr)), 0};
  detail::CurlHandle curl;
  if (!curl.get()) return DeliveryOutcome::failed(where + ": cannot start libcurl");
  CURL* c = curl.get();
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + n.address + ">").c_str());
  const std::string from = "<" + config_.from + ">";
  curl_easy_setopt(c, CURLOPT_URL, config_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_USE_SSL,
                   static_cast<long>(config_.starttls_required ? CURLUSESSL_ALL : CURLUSESSL_NONE));
  if (!config_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, config_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, config_.password.c_str());
  }
  if (!config_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, config_.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, feed);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout.count()));
  const CURLcode code = curl_easy_perform(c);
  curl_slist_free_all(rcpt);
  if (code == CURLE_OK) return DeliveryOutcome::ok();

  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  const std::string reason = curl.error[0] ? curl.error : curl_easy_strerror(code);
  const std::string why =
      detail::scrub(where + ": " + reason + (reply ? " (SMTP " + std::to_string(reply) + ")" : ""),
                    {config_.password, config_.secret});
  const bool permanent = (reply >= 500 && reply < 600) || code == CURLE_LOGIN_DENIED ||
                         code == CURLE_USE_SSL_FAILED || code == CURLE_UNSUPPORTED_PROTOCOL;
  return DeliveryOutcome::failed(why, !permanent);
}

}  // namespace duban::notify
