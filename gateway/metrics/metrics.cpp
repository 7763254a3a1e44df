#include "gateway/metrics/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ordergate::gateway::metrics {
namespace {

void appendNumber(std::string& out, double v) {
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.9g", v);
  }
  out += buf;
}

void appendLabelValue(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void appendLabels(std::string& out, const std::vector<std::string>& names,
                  const std::vector<std::string>& values, std::string_view extra_name = {},
                  std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) {
    return;
  }
  out += '{';
  bool first = true;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!first) out += ',';
    first = false;
    out += names[i];
    out += "=\"";
    appendLabelValue(out, values[i]);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!first) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

template <class T>
std::unique_ptr<T> makeChild(const std::vector<double>&) {
  return std::make_unique<T>();
}
template <>
std::unique_ptr<Histogram> makeChild<Histogram>(const std::vector<double>& bounds) {
  return std::make_unique<Histogram>(bounds);
}

void renderChild(std::string& out, const std::string& name, const std::vector<std::string>& names,
                 const std::vector<std::string>& values, const Counter& c) {
  out += name;
  appendLabels(out, names, values);
  out += ' ';
  appendNumber(out, static_cast<double>(c.value()));
  out += '\n';
}

void renderChild(std::string& out, const std::string& name, const std::vector<std::string>& names,
                 const std::vector<std::string>& values, const Gauge& g) {
  out += name;
  appendLabels(out, names, values);
  out += ' ';
  appendNumber(out, g.value());
  out += '\n';
}

void renderChild(std::string& out, const std::string& name, const std::vector<std::string>& names,
                 const std::vector<std::string>& values, const Histogram& h) {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= h.bounds().size(); ++i) {
    cumulative += h.bucketCount(i);
    char le[32];
    if (i < h.bounds().size()) {
      std::snprintf(le, sizeof le, "%g", h.bounds()[i]);
    } else {
      std::snprintf(le, sizeof le, "+Inf");
    }
    out += name;
    out += "_bucket";
    appendLabels(out, names, values, "le", le);
    out += ' ';
    appendNumber(out, static_cast<double>(cumulative));
    out += '\n';
  }
  out += name;
  out += "_sum";
  appendLabels(out, names, values);
  out += ' ';
  appendNumber(out, h.sum());
  out += '\n';
  out += name;
  out += "_count";
  appendLabels(out, names, values);
  out += ' ';
  appendNumber(out, static_cast<double>(h.count()));
  out += '\n';
}

}  // namespace

void Gauge::add(double d) {
  double cur = value_.load(std::memory_order_relaxed);
  while (!value_.compare_exchange_weak(cur, cur + d, std::memory_order_relaxed)) {
  }
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    buckets_[i].store(0);
  }
}

void Histogram::observe(double seconds) {
  auto it = std::lower_bound(bounds_.begin(), bounds_.end(), seconds);
  buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  double micros = seconds * 1e6;
  sum_micros_.fetch_add(micros > 0 ? static_cast<std::uint64_t>(micros) : 0,
                        std::memory_order_relaxed);
}

double Histogram::quantile(double q) const {
  std::uint64_t total = count();
  if (total == 0) {
    return 0;
  }
  double rank = q * static_cast<double>(total);
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    std::uint64_t in_bucket = bucketCount(i);
    if (static_cast<double>(cumulative + in_bucket) >= rank && in_bucket > 0) {
      double lower = i == 0 ? 0 : bounds_[i - 1];
      double upper = i < bounds_.size() ? bounds_[i] : lower * 2;
      double frac = (rank - static_cast<double>(cumulative)) / static_cast<double>(in_bucket);
      return lower + (upper - lower) * std::clamp(frac, 0.0, 1.0);
    }
    cumulative += in_bucket;
  }
  return bounds_.empty() ? 0 : bounds_.back();
}

std::vector<double> latencyBuckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
          0.1,    0.25,    0.5,    1,     2.5,    5,     10,   30};
}

template <class T>
T& Family<T>::with(std::initializer_list<std::string_view> values) {
  {
    std::shared_lock lock(mutex_);
    auto it = children_.find(values);
    if (it != children_.end()) {
      return *it->second;
    }
  }
  std::vector<std::string> key(values.begin(), values.end());
  std::unique_lock lock(mutex_);
  auto& slot = children_[key];
  if (!slot) {
    slot = makeChild<T>(bounds_);
  }
  return *slot;
}

template <class T>
void Family<T>::render(std::string& out, std::string_view type) const {
  out += "# HELP ";
  out += name_;
  out += ' ';
  out += help_;
  out += "\n# TYPE ";
  out += name_;
  out += ' ';
  out += type;
  out += '\n';
  std::shared_lock lock(mutex_);
  for (const auto& [values, child] : children_) {
    renderChild(out, name_, label_names_, values, *child);
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

Family<Counter>& Registry::counter(std::string name, std::string help, std::vector<std::string> labels) {
  std::lock_guard lock(mutex_);
  counters_.push_back(std::make_unique<Family<Counter>>(std::move(name), std::move(help), std::move(labels)));
  return *counters_.back();
}

Family<Gauge>& Registry::gauge(std::string name, std::string help, std::vector<std::string> labels) {
  std::lock_guard lock(mutex_);
  gauges_.push_back(std::make_unique<Family<Gauge>>(std::move(name), std::move(help), std::move(labels)));
  return *gauges_.back();
}

Family<Histogram>& Registry::histogram(std::string name, std::string help,
                                       std::vector<std::string> labels, std::vector<double> bounds) {
  std::lock_guard lock(mutex_);
  histograms_.push_back(std::make_unique<Family<Histogram>>(std::move(name), std::move(help),
                                                            std::move(labels), std::move(bounds)));
  return *histograms_.back();
}

std::string Registry::render() const {
  std::string out;
  out.reserve(8192);
  std::lock_guard lock(mutex_);
  for (const auto& f : counters_) f->render(out, "counter");
  for (const auto& f : gauges_) f->render(out, "gauge");
  for (const auto& f : histograms_) f->render(out, "histogram");
  return out;
}

}  // namespace ordergate::gateway::metrics
