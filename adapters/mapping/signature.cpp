#include "adapters/mapping/signature.hpp"

#include <charconv>
#include <chrono>

namespace ordergate::adapters::mapping {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

tl::unexpected<Error> unauthenticated(std::string message, std::string_view header) {
  return fail(ErrorCode::kUnauthenticated, std::move(message), std::string(header));
}

}  // namespace

Result<SignatureVerifier> SignatureVerifier::create(const SignatureSpec& spec,
                                                    const Settings& settings) {
  SignatureVerifier v(spec);
  if (spec.scheme == SignatureSpec::Scheme::kNone) {
    return v;
  }
  auto secret = settings.required(spec.secret_setting);
  if (!secret) {
    return tl::unexpected(secret.error());
  }
  std::string key = *secret;
  if (spec.secret_base64) {
    std::string_view encoded = key;
    if (encoded.rfind("whsec_", 0) == 0) {
      encoded.remove_prefix(6);
    }
    auto decoded = base64Decode(encoded);
    if (!decoded || decoded->empty()) {
      return fail(ErrorCode::kConfig, "not valid base64 (signature.secret_encoding: base64)",
                  settings.keyPath(spec.secret_setting));
    }
    key = std::move(*decoded);
  }
  if (spec.scheme == SignatureSpec::Scheme::kToken) {
    v.token_ = std::move(key);
  } else {
    v.mac_.emplace(std::move(key));
  }
  return v;
}

Result<void> SignatureVerifier::verify(const InboundMessage& msg) const {
  const SignatureSpec& s = *spec_;
  if (s.scheme == SignatureSpec::Scheme::kNone) {
    return {};
  }
  const std::string_view value = trim(msg.headers.get(s.header));
  if (value.empty()) {
    return unauthenticated("missing " + s.header, s.header);
  }
  if (!s.timestamp_header.empty()) {
    const std::string_view ts = trim(msg.headers.get(s.timestamp_header));
    if (ts.empty()) {
      return unauthenticated("missing " + s.timestamp_header, s.timestamp_header);
    }
    long long seconds = 0;
    const auto r = std::from_chars(ts.data(), ts.data() + ts.size(), seconds);
    if (r.ec != std::errc() || r.ptr != ts.data() + ts.size()) {
      return unauthenticated("invalid " + s.timestamp_header, s.timestamp_header);
    }
    const long long now =
        std::chrono::duration_cast<std::chrono::seconds>(msg.received_at.time_since_epoch())
            .count();
    if (seconds > now + s.tolerance_seconds || seconds < now - s.tolerance_seconds) {
      return unauthenticated("timestamp outside tolerance", s.timestamp_header);
    }
  }
  if (s.scheme == SignatureSpec::Scheme::kToken) {
    std::string_view token = value;
    if (!s.prefix.empty() && token.substr(0, s.prefix.size()) == s.prefix) {
      token.remove_prefix(s.prefix.size());
    }
    if (!constantTimeEquals(token, token_)) {
      return unauthenticated("token mismatch", s.header);
    }
    return {};
  }
  std::string digest;
  if (s.message.size() == 1 && s.message[0].kind == SignatureSpec::Part::Kind::kBody) {
    digest = mac_->digest(msg.body);
  } else {
    thread_local std::string signed_text;
    signed_text.clear();
    for (const SignatureSpec::Part& part : s.message) {
      switch (part.kind) {
        case SignatureSpec::Part::Kind::kLiteral:
          signed_text += part.text;
          break;
        case SignatureSpec::Part::Kind::kHeader:
          signed_text += trim(msg.headers.get(part.text));
          break;
        case SignatureSpec::Part::Kind::kBody:
          signed_text += msg.body;
          break;
      }
    }
    digest = mac_->digest(signed_text);
  }
  std::string_view rest = value;
  while (!rest.empty()) {
    std::string_view candidate = rest;
    if (!s.separator.empty()) {
      const std::size_t at = rest.find(s.separator);
      candidate = rest.substr(0, at);
      rest =
          at == std::string_view::npos ? std::string_view() : rest.substr(at + s.separator.size());
    } else {
      rest = {};
    }
    candidate = trim(candidate);
    if (!s.prefix.empty()) {
      if (candidate.substr(0, s.prefix.size()) != s.prefix) {
        continue;
      }
      candidate.remove_prefix(s.prefix.size());
    }
    const auto decoded = s.encoding == SignatureSpec::Encoding::kHex ? hexDecode(candidate)
                                                                     : base64Decode(candidate);
    if (decoded && constantTimeEquals(*decoded, digest)) {
      return {};
    }
  }
  return unauthenticated("signature mismatch", s.header);
}

}  // namespace ordergate::adapters::mapping
