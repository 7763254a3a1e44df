#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "gateway/http/message.hpp"
#include "gateway/store/dead_letters.hpp"
#include "gateway/store/keys.hpp"
#include "gateway/store/quarantine.hpp"

namespace ordergate::gateway::pipeline {

class Ingest;
class FileIngest;

/// JSON views of dead letters and quarantine entries, shared by the admin API and the CLI.
[[nodiscard]] std::string deadLetterSummaryJson(const store::DeadLetter& d);
[[nodiscard]] std::string deadLetterJson(const store::DeadLetter& d);
[[nodiscard]] std::string quarantineSummaryJson(const store::QuarantineRecord& q);
[[nodiscard]] std::string quarantineJson(const store::QuarantineRecord& q);

/// Reads `channel`, `type`, `since`, `until` (RFC 3339 or epoch ms), `offset`, `limit` from a
/// query string into filters. Error kInvalidInput naming the parameter.
[[nodiscard]] Result<store::DlqFilter> dlqFilterFromQuery(const http::Request& req);
[[nodiscard]] Result<store::QuarantineFilter> quarantineFilterFromQuery(const http::Request& req);

/// The /v1/admin routes (bearer token, constant-time check): dead letters and quarantine —
/// list, show, replay one / by filter / all, purge.
void addAdminRoutes(http::Router& router, const std::string& token, const store::Keys& keys,
                    Ingest& ingest, FileIngest& files);

}  // namespace ordergate::gateway::pipeline
