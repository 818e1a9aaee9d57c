// A real SMTP server on 127.0.0.1 for the notifier's tests: tests/notify/smtp_sink.py (Debian's
// python3-aiosmtpd) started as a child process on a port the kernel picks, killed when the sink
// is destroyed. Each accepted message is decoded by Python's e-mail library (independently of
// duban's encoder) and read back here as JSON.
//
// Thread-safety: one thread uses a sink.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace duban::testing {

class SmtpSink {
 public:
  // Starts the sink; throws std::runtime_error when it does not listen within 30 s. With
  // `starttls`, the sink makes a self-signed certificate for 127.0.0.1 (openssl), offers STARTTLS
  // and requires it; ca_file() is then the certificate to trust.
  explicit SmtpSink(bool starttls = false);

  std::string ca_file() const { return dir_.file("cert.pem"); }

  std::uint16_t port() const { return port_; }
  std::string url() const;  // smtp://127.0.0.1:<port>

  // Every message accepted so far, decoded: mail_from, rcpt_tos, subject, from, to,
  // message_id, key (X-Duban-Idempotency-Key), event, content_type, charset, body, tls.
  std::vector<boost::json::object> messages() const;

 private:
  TempDir dir_;
  std::string out_;
  std::unique_ptr<ChildProcess> process_;
  std::uint16_t port_ = 0;
};

}  // namespace duban::testing
