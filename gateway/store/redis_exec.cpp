// The awaitable wrappers over RedisClient::command(): exec, execPipeline, waitConnected.
#include <boost/asio/async_result.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "gateway/store/redis_client.hpp"

namespace ordergate::gateway::store {

using Clock = std::chrono::steady_clock;

namespace {

/// Awaitable over command(); `args` must stay alive until the call returns (it is copied into
/// hiredis' output buffer at once).
boost::asio::awaitable<Result<RedisReply>> execViews(RedisClient& client,
                                                     std::span<const std::string_view> args) {
  co_return co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                                 void(Result<RedisReply>)>(
      [&client, args](auto handler) {
        using Handler = decltype(handler);
        auto shared = std::make_shared<Handler>(std::move(handler));
        client.command(args, [shared](Result<RedisReply> result) {
          (*shared)(std::move(result));
        });
      },
      boost::asio::use_awaitable);
}

}  // namespace

boost::asio::awaitable<Result<RedisReply>> RedisClient::exec(
    std::initializer_list<std::string_view> args) {
  // Not a coroutine: copy now, because the caller's temporaries may be gone when the returned
  // awaitable first runs.
  return exec(std::vector<std::string>(args.begin(), args.end()));
}

boost::asio::awaitable<Result<RedisReply>> RedisClient::exec(std::vector<std::string> args) {
  std::vector<std::string_view> views(args.begin(), args.end());
  co_return co_await execViews(*this, views);
}

boost::asio::awaitable<std::vector<Result<RedisReply>>> RedisClient::execPipeline(
    std::vector<std::vector<std::string>> commands) {
  if (commands.empty()) {
    co_return std::vector<Result<RedisReply>>{};
  }
  co_return co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                                 void(std::vector<Result<RedisReply>>)>(
      [this, &commands](auto handler) {
        using Handler = decltype(handler);
        struct State {
          explicit State(Handler h, std::size_t n) : handler(std::move(h)), results(n) {}
          Handler handler;
          std::vector<Result<RedisReply>> results;
          std::size_t left = 0;
        };
        auto state = std::make_shared<State>(std::move(handler), commands.size());
        state->left = commands.size();
        std::vector<std::string_view> views;
        for (std::size_t i = 0; i < commands.size(); ++i) {
          views.assign(commands[i].begin(), commands[i].end());
          command(views, [state, i](Result<RedisReply> result) {
            state->results[i] = std::move(result);
            if (--state->left == 0) {
              state->handler(std::move(state->results));
            }
          });
        }
      },
      boost::asio::use_awaitable);
}

boost::asio::awaitable<bool> RedisClient::waitConnected(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  boost::asio::steady_timer timer(ioContext());
  while (!connected()) {
    if (Clock::now() >= deadline) {
      co_return false;
    }
    timer.expires_after(std::chrono::milliseconds(5));
    boost::system::error_code ec;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
  co_return true;
}

}  // namespace ordergate::gateway::store
