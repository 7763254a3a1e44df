#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace ordergate::gateway::metrics {

/// A monotonically increasing count. Thread-safe, lock-free.
class Counter {
 public:
  void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

/// A value that goes up and down. Thread-safe, lock-free.
class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double d);
  [[nodiscard]] double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

/// Fixed-bucket histogram of seconds. Thread-safe, lock-free.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double seconds);
  void observeMicros(std::int64_t micros) { observe(static_cast<double>(micros) / 1e6); }
  [[nodiscard]] const std::vector<double>& bounds() const { return bounds_; }
  [[nodiscard]] std::uint64_t bucketCount(std::size_t i) const { return buckets_[i].load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  [[nodiscard]] double sum() const { return static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6; }
  /// Approximate quantile (0..1) by linear interpolation inside the bucket; 0 when empty.
  [[nodiscard]] double quantile(double q) const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1 (+Inf)
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_micros_{0};
};

/// Default latency buckets: 100 µs … 30 s.
std::vector<double> latencyBuckets();

/// Orders label-value lists of either kind (stored strings, looked-up views), so a lookup
/// needs no copy of its values: with() runs several times per request.
struct LabelValuesLess {
  using is_transparent = void;
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    auto ai = a.begin();
    auto bi = b.begin();
    for (; ai != a.end() && bi != b.end(); ++ai, ++bi) {
      const int c = std::string_view(*ai).compare(std::string_view(*bi));
      if (c != 0) return c < 0;
    }
    return ai == a.end() && bi != b.end();
  }
};

/// One metric name with a fixed list of label names; children created on first use.
template <class T>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::vector<double> bounds = {})
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)),
        bounds_(std::move(bounds)) {}

  /// The child for these label values (same count as label names). Thread-safe; returned
  /// references stay valid for the registry's lifetime.
  T& with(std::initializer_list<std::string_view> values);
  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::string& help() const { return help_; }
  void render(std::string& out, std::string_view type) const;

 private:
  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;
  mutable std::shared_mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<T>, LabelValuesLess> children_;
};

/// The process's metrics. Families are registered at start-up; render() writes Prometheus text
/// format 0.0.4. Thread-safe.
class Registry {
 public:
  Family<Counter>& counter(std::string name, std::string help, std::vector<std::string> labels = {});
  Family<Gauge>& gauge(std::string name, std::string help, std::vector<std::string> labels = {});
  Family<Histogram>& histogram(std::string name, std::string help,
                               std::vector<std::string> labels = {},
                               std::vector<double> bounds = latencyBuckets());
  [[nodiscard]] std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Family<Counter>>> counters_;
  std::vector<std::unique_ptr<Family<Gauge>>> gauges_;
  std::vector<std::unique_ptr<Family<Histogram>>> histograms_;
};

}  // namespace ordergate::gateway::metrics
