#include "gateway/forward/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <boost/asio/async_result.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstring>
#include <mutex>
#include <string_view>
#include <optional>
#include <unordered_map>
#include <vector>

#include "adapters/common/headers.hpp"
#include "gateway/forward/keepalive_client.hpp"

namespace ordergate::gateway::forward {

namespace asio = boost::asio;

namespace {

void globalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}


std::string_view trimHeaderValue(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) {
    v.remove_prefix(1);
  }
  while (!v.empty() &&
         (v.back() == ' ' || v.back() == '\t' || v.back() == '\r' || v.back() == '\n')) {
    v.remove_suffix(1);
  }
  return v;
}

// One transfer: owns everything libcurl points into until the easy handle leaves the multi.
struct Transfer {
  CURL* easy = nullptr;
  HttpRequest request;
  curl_slist* header_list = nullptr;
  HttpResponse response;
  std::function<void(HttpResponse)> done;
  std::chrono::steady_clock::time_point started;
  char error[CURL_ERROR_SIZE] = {};

  ~Transfer() { curl_slist_free_all(header_list); }
};

// Asio's view of one socket libcurl asked us to watch. The descriptor never owns the fd:
// libcurl closes its sockets itself, and it reports CURL_POLL_REMOVE before it does, at which
// point the descriptor is released (deregistered from epoll) without closing.
struct SocketWatch {
  SocketWatch(asio::io_context& io, curl_socket_t s) : descriptor(io), fd(s) {}
  ~SocketWatch() { release(); }
  void release() {
    removed = true;
    if (descriptor.is_open()) {
      (void)descriptor.release();
    }
  }

  asio::posix::stream_descriptor descriptor;
  curl_socket_t fd;
  int wanted = 0;  // CURL_POLL_IN / CURL_POLL_OUT bits
  bool reading = false;
  bool writing = false;
  bool removed = false;
};

}  // namespace

class HttpClient::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, HttpClientConfig config)
      : io_(io), config_(config), multi_(curl_multi_init()), timer_(io) {
    if (multi_ != nullptr) {
      curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &Impl::onSocket);
      curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
      curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &Impl::onTimer);
      curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
      curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, config_.max_host_connections);
      if (config_.max_idle_connections > 0) {
        curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, config_.max_idle_connections);
      }
    }
  }

  ~Impl() {
    stop();
    if (multi_ != nullptr) {
      // Closes cached connections; libcurl reports CURL_POLL_REMOVE for each watched socket.
      curl_multi_cleanup(multi_);
    }
    sockets_.clear();
    timer_.cancel();
    armed_ = false;
    wanted_.reset();
    for (CURL* easy : pool_) {
      curl_easy_cleanup(easy);
    }
  }

  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void send(HttpRequest request, std::function<void(HttpResponse)> done) {
    if (!done) {
      done = [](HttpResponse) {};
    }
    const auto started = std::chrono::steady_clock::now();
    if (stopped_ || multi_ == nullptr) {
      complete(std::move(done), failure(stopped_ ? "cancelled" : "curl_multi_init failed"),
               started);
      return;
    }
    CURL* easy = takeEasy();
    if (easy == nullptr) {
      complete(std::move(done), failure("curl_easy_init failed"), started);
      return;
    }
    auto transfer = std::make_unique<Transfer>();
    transfer->easy = easy;
    transfer->request = std::move(request);
    transfer->done = std::move(done);
    transfer->started = started;
    configure(*transfer);

    Transfer* raw = transfer.get();
    transfers_.emplace(easy, std::move(transfer));
    const CURLMcode rc = curl_multi_add_handle(multi_, easy);
    if (rc != CURLM_OK) {
      auto node = transfers_.extract(easy);
      recycleEasy(easy);
      complete(std::move(node.mapped()->done), failure(curl_multi_strerror(rc)), raw->started);
    }
  }

  void stop() {
    if (stopped_) {
      return;
    }
    stopped_ = true;
    auto transfers = std::move(transfers_);
    transfers_.clear();
    for (auto& [easy, transfer] : transfers) {
      curl_multi_remove_handle(multi_, easy);
      recycleEasy(easy);
      complete(std::move(transfer->done), failure("cancelled"), transfer->started);
    }
  }

  [[nodiscard]] std::size_t inFlight() const { return transfers_.size(); }

 private:
  static HttpResponse failure(std::string error) {
    HttpResponse r;
    r.error = std::move(error);
    return r;
  }

  // Callbacks always run from the io_context's queue, never inside our curl calls, so user
  // code may call send() / stop() from them freely.
  void complete(std::function<void(HttpResponse)> done, HttpResponse response,
                std::chrono::steady_clock::time_point started) {
    response.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    asio::post(io_, [done = std::move(done), response = std::move(response)]() mutable {
      done(std::move(response));
    });
  }

  CURL* takeEasy() {
    if (!pool_.empty()) {
      CURL* easy = pool_.back();
      pool_.pop_back();
      return easy;
    }
    return curl_easy_init();
  }

  void recycleEasy(CURL* easy) {
    if (pool_.size() < config_.easy_handle_pool) {
      curl_easy_reset(easy);
      pool_.push_back(easy);
    } else {
      curl_easy_cleanup(easy);
    }
  }

  void configure(Transfer& t) {
    CURL* e = t.easy;
    for (const auto& [name, value] : t.request.headers) {
      std::string line = name + ": " + value;
      t.header_list = curl_slist_append(t.header_list, line.c_str());
    }
    // No "Expect: 100-continue" round trip before the body.
    t.header_list = curl_slist_append(t.header_list, "Expect:");

    const long timeout_ms = static_cast<long>(std::max<long long>(1, t.request.timeout.count()));
    const long connect_ms = std::min<long>(
        timeout_ms, static_cast<long>(std::max<long long>(1, config_.connect_timeout.count())));

    curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
    curl_easy_setopt(e, CURLOPT_URL, t.request.url.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    if (t.request.method == "GET") {
      curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(e, CURLOPT_POST, 1L);
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, t.request.body.data());
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(t.request.body.size()));
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.header_list);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Impl::onBody);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Impl::onHeader);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    if (!config_.verify_tls) {
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
  }

  static std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    std::string& excerpt = t->response.body_excerpt;
    const std::size_t limit = t->request.max_response_body;
    if (excerpt.size() < limit) {
      excerpt.append(data, std::min(n, limit - excerpt.size()));
    }
    return n;  // the rest is read and dropped, so the connection stays reusable
  }

  static std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    const std::string_view line(data, n);
    if (line.starts_with("HTTP/")) {
      t->response.retry_after.clear();  // a new (e.g. final after 1xx) response begins
      t->response.content_type.clear();
    } else if (adapters::startsWithNoCase(line, "retry-after:")) {
      t->response.retry_after = std::string(trimHeaderValue(line.substr(12)));
    } else if (adapters::startsWithNoCase(line, "content-type:")) {
      t->response.content_type = std::string(trimHeaderValue(line.substr(13)));
    }
    return n;
  }

  // ---- libcurl -> Asio ------------------------------------------------------------------------

  static int onSocket(CURL* /*easy*/, curl_socket_t s, int what, void* user, void* /*socketp*/) {
    static_cast<Impl*>(user)->watch(s, what);
    return 0;
  }

  static int onTimer(CURLM* /*multi*/, long timeout_ms, void* user) {
    static_cast<Impl*>(user)->scheduleTimeout(timeout_ms);
    return 0;
  }

  void watch(curl_socket_t s, int what) {
    auto it = sockets_.find(s);
    if (what == CURL_POLL_REMOVE) {
      if (it != sockets_.end()) {
        it->second->release();
        sockets_.erase(it);
      }
      return;
    }
    if (it == sockets_.end()) {
      auto w = std::make_shared<SocketWatch>(io_, s);
      boost::system::error_code ec;
      w->descriptor.assign(s, ec);
      if (ec) {
        return;  // cannot watch it: the transfer ends by its timeout
      }
      it = sockets_.emplace(s, std::move(w)).first;
    }
    it->second->wanted = what & (CURL_POLL_IN | CURL_POLL_OUT);
    arm(it->second);
  }

  void arm(const std::shared_ptr<SocketWatch>& w) {
    if (w->removed) {
      return;
    }
    if ((w->wanted & CURL_POLL_IN) != 0 && !w->reading) {
      w->reading = true;
      w->descriptor.async_wait(asio::posix::descriptor_base::wait_read,
                               [self = weak_from_this(), w](boost::system::error_code ec) {
                                 w->reading = false;
                                 if (auto impl = self.lock()) {
                                   impl->onReady(w, CURL_POLL_IN, ec);
                                 }
                               });
    }
    if ((w->wanted & CURL_POLL_OUT) != 0 && !w->writing) {
      w->writing = true;
      w->descriptor.async_wait(asio::posix::descriptor_base::wait_write,
                               [self = weak_from_this(), w](boost::system::error_code ec) {
                                 w->writing = false;
                                 if (auto impl = self.lock()) {
                                   impl->onReady(w, CURL_POLL_OUT, ec);
                                 }
                               });
    }
  }

  void onReady(const std::shared_ptr<SocketWatch>& w, int direction, boost::system::error_code ec) {
    if (w->removed || ec == asio::error::operation_aborted) {
      return;
    }
    if ((w->wanted & direction) == 0) {
      return;  // libcurl lost interest while the wait was pending
    }
    int action = direction == CURL_POLL_IN ? CURL_CSELECT_IN : CURL_CSELECT_OUT;
    if (ec) {
      action = CURL_CSELECT_ERR;
    }
    int running = 0;
    curl_multi_socket_action(multi_, w->fd, action, &running);
    drainCompleted();
    if (!ec) {
      arm(w);  // libcurl may have changed what it wants; re-arm what is still missing
    }
  }

  // libcurl moves its deadline on nearly every call; re-arming the Asio timer each time costs a
  // timerfd_settime syscall (≈18% of the forwarder's CPU in a profile). The timer is re-armed
  // only when curl wants an earlier deadline; a later one is remembered and honoured when the
  // armed timer fires. "Now" (0) is posted, never run inside curl's callback.
  void scheduleTimeout(long timeout_ms) {
    if (timeout_ms < 0) {
      wanted_.reset();
      return;
    }
    if (timeout_ms == 0) {
      wanted_.reset();
      asio::post(io_, [self = weak_from_this()] {
        if (auto impl = self.lock()) {
          impl->onTimeout();
        }
      });
      return;
    }
    wanted_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    if (!armed_ || *wanted_ < armed_at_) {
      armTimer(*wanted_);
    }
  }

  void armTimer(std::chrono::steady_clock::time_point at) {
    armed_ = true;
    armed_at_ = at;
    timer_.expires_at(at);
    timer_.async_wait([self = weak_from_this()](boost::system::error_code ec) {
      if (ec) {
        return;  // replaced by an earlier deadline, or cancelled
      }
      if (auto impl = self.lock()) {
        impl->armed_ = false;
        if (!impl->wanted_) {
          return;
        }
        if (std::chrono::steady_clock::now() < *impl->wanted_) {
          impl->armTimer(*impl->wanted_);
          return;
        }
        impl->wanted_.reset();
        impl->onTimeout();
      }
    });
  }

  void onTimeout() {
    int running = 0;
    curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
    drainCompleted();
  }

  void drainCompleted() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) {
        continue;
      }
      CURL* easy = msg->easy_handle;
      const CURLcode result = msg->data.result;
      auto node = transfers_.extract(easy);
      curl_multi_remove_handle(multi_, easy);
      if (node.empty()) {
        recycleEasy(easy);
        continue;
      }
      Transfer& t = *node.mapped();
      HttpResponse response = std::move(t.response);
      if (result == CURLE_OK) {
        long code = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
        response.status = static_cast<int>(code);
      } else {
        response.status = 0;
        response.timed_out = result == CURLE_OPERATION_TIMEDOUT;
        response.error = t.error[0] != '\0' ? std::string(t.error) : curl_easy_strerror(result);
      }
      recycleEasy(easy);
      complete(std::move(t.done), std::move(response), t.started);
    }
  }

  asio::io_context& io_;
  HttpClientConfig config_;
  CURLM* multi_;
  asio::steady_timer timer_;
  bool armed_ = false;                                          // timer_ has a wait pending
  std::chrono::steady_clock::time_point armed_at_{};            // … for this deadline
  std::optional<std::chrono::steady_clock::time_point> wanted_;  // curl's current deadline
  std::unordered_map<curl_socket_t, std::shared_ptr<SocketWatch>> sockets_;
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> transfers_;
  std::vector<CURL*> pool_;
  bool stopped_ = false;
};

HttpClient::HttpClient(asio::io_context& io, HttpClientConfig config) {
  globalInitOnce();
  if (config.plain_http_keepalive) {
    plain_ = std::make_unique<KeepAliveClient>(io, config);
  }
  impl_ = std::make_shared<Impl>(io, config);
}

HttpClient::~HttpClient() = default;

void HttpClient::send(HttpRequest request, std::function<void(HttpResponse)> done) {
  if (plain_) {
    if (auto url = parsePlainHttpUrl(request.url)) {
      plain_->send(std::move(request), std::move(*url), std::move(done));
      return;
    }
  }
  impl_->send(std::move(request), std::move(done));
}

asio::awaitable<HttpResponse> HttpClient::post(HttpRequest request) {
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(HttpResponse)>(
      [this](auto handler, HttpRequest req) {
        // std::function needs a copyable callable; the coroutine's handler is move-only.
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        send(std::move(req), [shared](HttpResponse r) { std::move (*shared)(std::move(r)); });
      },
      asio::use_awaitable, std::move(request));
}

void HttpClient::stop() {
  if (plain_) {
    plain_->stop();
  }
  impl_->stop();
}

std::size_t HttpClient::inFlight() const {
  return impl_->inFlight() + (plain_ ? plain_->inFlight() : 0);
}

}  // namespace ordergate::gateway::forward
