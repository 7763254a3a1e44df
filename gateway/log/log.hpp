#pragma once

#include <initializer_list>
#include <string_view>
#include <utility>

namespace ordergate::gateway::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

/// Parses "debug", "info", "warn", "error"; false when unknown.
bool parseLevel(std::string_view text, Level& out);
void setLevel(Level level);
bool enabled(Level level);

/// One extra field of a log line; values are written as JSON strings (or numbers via the
/// integer overload). Never pass secrets: nothing here can tell them apart.
struct Field {
  std::string_view key;
  std::string_view text;
  long long number = 0;
  bool is_number = false;
  Field(std::string_view k, std::string_view v) : key(k), text(v) {}
  Field(std::string_view k, const char* v) : key(k), text(v) {}
  Field(std::string_view k, long long v) : key(k), number(v), is_number(true) {}
  Field(std::string_view k, int v) : key(k), number(v), is_number(true) {}
  Field(std::string_view k, unsigned long v) : key(k), number(static_cast<long long>(v)), is_number(true) {}
};

/// Writes one JSON line to stderr: {"ts":…,"level":…,"msg":…,<fields>}. Thread-safe.
void write(Level level, std::string_view msg, std::initializer_list<Field> fields = {});

inline void debug(std::string_view m, std::initializer_list<Field> f = {}) { if (enabled(Level::kDebug)) write(Level::kDebug, m, f); }
inline void info(std::string_view m, std::initializer_list<Field> f = {}) { if (enabled(Level::kInfo)) write(Level::kInfo, m, f); }
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) { if (enabled(Level::kWarn)) write(Level::kWarn, m, f); }
inline void error(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::kError, m, f); }

}  // namespace ordergate::gateway::log
