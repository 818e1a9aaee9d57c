#include "tests/notify/smtp_sink.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace duban::testing {

SmtpSink::SmtpSink(bool starttls) : out_(dir_.file("received.jsonl")) {
  std::vector<std::string> args{std::string(DUBAN_SOURCE_DIR) + "/tests/notify/smtp_sink.py", out_};
  if (starttls) {
    const std::string make_certificate =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
        "-addext subjectAltName=IP:127.0.0.1 -keyout '" +
        dir_.file("key.pem") + "' -out '" + ca_file() + "' 2>/dev/null";
    if (std::system(make_certificate.c_str()) != 0) {
      throw std::runtime_error("openssl could not make the sink's certificate");
    }
    args.push_back(ca_file());
    args.push_back(dir_.file("key.pem"));
  }
  process_ = std::make_unique<ChildProcess>("/usr/bin/python3", args);
  const auto line = process_->wait_for_line("port ", std::chrono::seconds(30));
  if (!line) throw std::runtime_error("the SMTP sink did not start: " + process_->err());
  port_ = static_cast<std::uint16_t>(std::stoi(line->substr(line->find("port ") + 5)));
}

std::string SmtpSink::url() const {
  return "smtp://127.0.0.1:" + std::to_string(port_);
}

std::vector<boost::json::object> SmtpSink::messages() const {
  std::vector<boost::json::object> out;
  std::ifstream in(out_);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    out.push_back(boost::json::parse(line).as_object());
  }
  return out;
}

}  // namespace duban::testing
