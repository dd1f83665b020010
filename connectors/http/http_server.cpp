#include "connectors/http/http_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace streamlearn::connectors {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

constexpr std::uint32_t kHeaderLimitBytes = 8 * 1024;
constexpr std::uint64_t kBodyLimitBytes = 1024 * 1024;
// How long a closing connection is drained (see Session::close_gracefully).
constexpr std::chrono::milliseconds kLingerTimeout{1000};
// The wait before accepting again after accept() failed for another reason than the shutdown
// (typically EMFILE), so that a full descriptor table does not spin the thread.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};
constexpr std::string_view kExpectedListenForm =
    "expected host:port, e.g. 127.0.0.1:9464, localhost:9464 or [::1]:9464 (0.0.0.0:9464 or "
    "[::]:9464 for every interface), with a port from 0 to 65535 (0: any free port)";

// A request body that is read and thrown away: the server serves GET and HEAD, but a client may
// still send a body, which must be consumed for the connection to stay usable.
struct DiscardBody {
  struct value_type {};

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(http::header<isRequest, Fields>& /*header*/, value_type& /*body*/) {}
    void init(const boost::optional<std::uint64_t>& /*content_length*/, beast::error_code& ec) {
      ec = {};
    }
    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, beast::error_code& ec) {
      ec = {};
      return net::buffer_size(buffers);
    }
    void finish(beast::error_code& ec) { ec = {}; }
  };
};

using Request = http::request<DiscardBody>;

// The routes and what the sessions share. Apart from requests_served, only the server thread
// touches it.
struct Router {
  std::vector<HttpServer::Route> exact;
  std::vector<HttpServer::Route> prefixes;  // longest first
  std::string served_paths;                 // for the 404 body: one line per route
  std::chrono::milliseconds idle_timeout{0};
  std::size_t max_connections = 0;
  std::size_t open_connections = 0;
  std::atomic<std::uint64_t> requests_served{0};

  HttpServer::Response dispatch(http::verb method, std::string_view target) const;
};

HttpServer::Response text_response(int status, std::string body) {
  HttpServer::Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

HttpServer::Response Router::dispatch(http::verb method, std::string_view target) const {
  const bool post = method == http::verb::post;
  if (method != http::verb::get && method != http::verb::head && !post) {
    HttpServer::Response response =
        text_response(405, "method not allowed; this server answers GET and HEAD\n");
    response.allow = "GET, HEAD";
    return response;
  }
  // An absolute-form target ("http://host:port/metrics") comes from proxies; keep its path.
  if (const std::size_t scheme_end = target.find("://");
      scheme_end != std::string_view::npos && target.substr(0, 1) != "/") {
    const std::size_t path_begin = target.find('/', scheme_end + 3);
    target = path_begin == std::string_view::npos ? "/" : target.substr(path_begin);
  }
  if (target.empty() || target.front() != '/')
    return text_response(400, "bad request target; expected a path such as /metrics\n");
  const std::size_t query_begin = target.find('?');
  const std::string_view path = target.substr(0, query_begin);
  const std::string_view query =
      query_begin == std::string_view::npos ? std::string_view() : target.substr(query_begin + 1);

  const HttpServer::Route* route = nullptr;
  for (const HttpServer::Route& candidate : exact) {
    if (candidate.path == path) {
      route = &candidate;
      break;
    }
  }
  for (auto it = prefixes.begin(); route == nullptr && it != prefixes.end(); ++it) {
    if (path.substr(0, it->path.size()) == it->path) route = &*it;
  }
  if (route == nullptr && !post) {
    return text_response(
        404, "not found: " + std::string(path) + "\nthis server serves:\n" + served_paths);
  }
  if (route == nullptr || route->post != post) {
    const bool post_route = route != nullptr && route->post;
    HttpServer::Response response = text_response(
        405, post_route ? "method not allowed; " + route->path + " answers POST\n"
                        : std::string("method not allowed; this server answers GET and HEAD\n"));
    response.allow = post_route ? "POST" : "GET, HEAD";
    return response;
  }
  try {
    return route->handler(path, query);
  } catch (const std::exception& error) {
    return text_response(500, "internal error in " + route->path + ": " + error.what() + "\n");
  } catch (...) {
    return text_response(500, "internal error in " + route->path + ": unknown exception\n");
  }
}

// One connection: read a request, answer it, repeat while keep-alive. Owned by the pending
// asynchronous operation (shared_from_this), so it ends when nothing more is waited for.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Router& router) : stream_(std::move(socket)), router_(router) {
    ++router_.open_connections;
  }
  ~Session() { --router_.open_connections; }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void read_header() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimitBytes);
    parser_->body_limit(kBodyLimitBytes);
    // One deadline for the whole request, header and body: a client that trickles bytes cannot
    // hold the connection beyond it.
    stream_.expires_after(router_.idle_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

 private:
  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    if (parser_->is_done()) return respond();
    // A client that announced a body with "Expect: 100-continue" waits for this before sending.
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      continue_ = {http::status::continue_, parser_->get().version()};
      http::async_write(stream_, continue_,
                        [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                          if (!write_ec) self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return self->on_read_error(ec);
                       self->respond();
                     });
  }

  void on_read_error(beast::error_code ec) {
    const beast::error_category& http_category =
        http::make_error_code(http::error::end_of_stream).category();
    if (ec == http::error::header_limit) {
      send_error(431, "request header fields too large: at most 8 KiB\n");
    } else if (ec == http::error::body_limit) {
      send_error(413, "request body too large: at most 1 MiB\n");
    } else if (ec.category() == http_category && ec != http::error::end_of_stream &&
               ec != http::error::partial_message) {
      send_error(400, "bad request: " + ec.message() + "\n");
    } else if (ec == http::error::end_of_stream) {
      // The client closed its side between requests: the normal end of a keep-alive connection.
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
    // Anything else (the idle timeout, a reset, a client gone mid-request) just ends the session.
  }

  // After a parse error the parser's state is unknown, so the connection closes after the answer.
  void send_error(int status, std::string body) {
    response_ = {};
    response_.version(11);
    response_.result(static_cast<unsigned>(status));
    response_.set(http::field::content_type, "text/plain; charset=utf-8");
    response_.keep_alive(false);
    response_.body() = std::move(body);
    response_.content_length(response_.body().size());
    router_.requests_served.fetch_add(1);
    write(false);
  }

  void respond() {
    const Request& request = parser_->get();
    const bool head = request.method() == http::verb::head;
    HttpServer::Response answer = router_.dispatch(
        request.method(), std::string_view(request.target().data(), request.target().size()));
    if (answer.status < 200 || answer.status > 599) {
      answer = text_response(500, "internal error: the handler returned status " +
                                      std::to_string(answer.status) + " (expected 200 to 599)\n");
    }
    response_ = {};
    response_.version(request.version());
    response_.result(static_cast<unsigned>(answer.status));
    if (!answer.content_type.empty()) response_.set(http::field::content_type, answer.content_type);
    if (answer.status == 405) response_.set(http::field::allow, answer.allow);
    response_.keep_alive(request.keep_alive());
    // 204 and 304 have no body; 204 not even a Content-Length (RFC 9110, 8.6). HEAD announces
    // the length GET would send.
    if (answer.status != 204) response_.content_length(answer.body.size());
    if (!head && answer.status != 204 && answer.status != 304)
      response_.body() = std::move(answer.body);
    router_.requests_served.fetch_add(1);
    write(response_.keep_alive());
  }

  void write(bool keep_alive) {
    stream_.expires_after(router_.idle_timeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                        if (ec) return;
                        if (keep_alive) return self->read_header();
                        self->close_gracefully();
                      });
  }

  // Closing a socket whose receive buffer still holds data makes the kernel send a reset, which
  // can destroy the response before the client read it (a 431 after an oversized header, say).
  // So: shut down the sending side, then read and discard until the client closes, at most
  // kLingerTimeout.
  void close_gracefully() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return;
    stream_.expires_after(
        std::min<std::chrono::milliseconds>(kLingerTimeout, router_.idle_timeout));
    drain();
  }

  void drain() {
    stream_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (!ec) self->drain();
                            });
  }

  beast::tcp_stream stream_;
  Router& router_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<DiscardBody>> parser_;
  http::response<http::empty_body> continue_;
  http::response<http::string_body> response_;
  std::array<char, 1024> drain_buffer_{};
};

struct ListenAddress {
  std::string host;  // without the brackets of an IPv6 address
  std::uint16_t port = 0;
  bool bracketed = false;
};

// Splits "host:port" or "[v6]:port"; nullopt after adding a problem.
std::optional<ListenAddress> parse_listen(const HttpServer::Params& params,
                                          std::vector<std::string>& problems) {
  const std::string& listen = params.listen;
  const auto problem = [&](const std::string& what) {
    problems.push_back(params.listen_setting + " '" + listen + "' " + what + "; " +
                       std::string(kExpectedListenForm));
    return std::nullopt;
  };
  if (listen.empty()) return problem("is empty");
  ListenAddress address;
  std::string_view port_text;
  if (listen.front() == '[') {
    const std::size_t close = listen.find(']');
    if (close == std::string::npos) return problem("has no ']' after the IPv6 address");
    if (close + 1 >= listen.size() || listen[close + 1] != ':')
      return problem("has no ':port' after the IPv6 address");
    address.host = listen.substr(1, close - 1);
    address.bracketed = true;
    port_text = std::string_view(listen).substr(close + 2);
    beast::error_code ec;
    (void)net::ip::make_address_v6(address.host, ec);
    if (ec) return problem("has '" + address.host + "' in brackets, which is not an IPv6 address");
  } else {
    const std::size_t colon = listen.rfind(':');
    if (colon == std::string::npos) return problem("has no port");
    address.host = listen.substr(0, colon);
    port_text = std::string_view(listen).substr(colon + 1);
    if (address.host.empty())
      return problem("has no host (write 0.0.0.0 explicitly to listen on every interface)");
    if (address.host.find(':') != std::string::npos)
      return problem("has an IPv6 address without brackets");
  }
  unsigned port = 0;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return problem("has a bad port '" + std::string(port_text) + "'");
  }
  address.port = static_cast<std::uint16_t>(port);
  return address;
}

std::string format_endpoint(const tcp::endpoint& endpoint) {
  const net::ip::address& address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

// What to do about a bind or listen failure.
std::string listen_advice(const beast::error_code& ec, const std::string& setting) {
  if (ec == net::error::address_in_use)
    return "another process has this port; choose another with " + setting +
           ", or port 0 for any free port";
  if (ec == net::error::access_denied)
    return "ports below 1024 need privileges; choose a port from 1024 with " + setting;
  if (ec == boost::system::errc::address_not_available ||
      ec == net::error::address_family_not_supported)
    return "this machine has no such address; use 127.0.0.1, 0.0.0.0 or one of its addresses in " +
           setting;
  return "check " + setting;
}

}  // namespace

struct HttpServer::State {
  explicit State(Params server_params) : params(std::move(server_params)) {}

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted) return;
      if (ec) {
        accept_retry_timer.expires_after(kAcceptRetryDelay);
        accept_retry_timer.async_wait([this](beast::error_code wait_ec) {
          if (!wait_ec) accept();
        });
        return;
      }
      beast::error_code ignored;
      if (router.open_connections >= router.max_connections) {
        socket.close(ignored);
      } else {
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Session>(std::move(socket), router)->read_header();
      }
      accept();
    });
  }

  void run() {
    // Handlers catch what the routes throw; this is for the rest (std::bad_alloc), so that one
    // failed request does not stop the server.
    for (;;) {
      try {
        io_context.run();
        return;
      } catch (const std::exception& error) {
        std::fprintf(stderr, "http server: %s (serving on)\n", error.what());
      }
    }
  }

  const Params params;
  std::string address;
  Router router;  // before io_context: the sessions that io_context destroys refer to it
  net::io_context io_context{1};
  tcp::acceptor acceptor{io_context};
  net::steady_timer accept_retry_timer{io_context};
  std::thread thread;
};

core::Result<std::unique_ptr<HttpServer>> HttpServer::start(Params params,
                                                            std::vector<Route> routes) {
  std::vector<std::string> problems;
  const std::optional<ListenAddress> listen = parse_listen(params, problems);
  if (params.max_connections == 0)
    problems.push_back("max_connections is 0; it must be at least 1 (default 64)");
  if (params.idle_timeout_ms < 1) {
    problems.push_back("idle_timeout_ms is " + std::to_string(params.idle_timeout_ms) +
                       "; it must be at least 1 (default 30000)");
  }
  std::set<std::string> seen;
  for (const Route& route : routes) {
    if (route.path.empty() || route.path.front() != '/' ||
        route.path.find_first_of("?# ") != std::string::npos) {
      problems.push_back(
          "route '" + route.path +
          "' is not a path; a route is a path starting with '/' (\"/metrics\"), or a "
          "prefix ending with '/' (\"/features/\")");
    } else if (!seen.insert(route.path).second) {
      problems.push_back("route '" + route.path + "' is given twice");
    }
    if (!route.handler) problems.push_back("route '" + route.path + "' has no handler");
  }
  if (!problems.empty()) {
    std::string message = "http server: invalid settings: ";
    for (std::size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
    return core::Status::error(message);
  }

  auto state = std::make_unique<State>(std::move(params));
  const Params& settings = state->params;
  Router& router = state->router;
  router.idle_timeout = std::chrono::milliseconds(settings.idle_timeout_ms);
  router.max_connections = settings.max_connections;
  for (Route& route : routes) {
    const bool prefix = route.path.back() == '/';
    router.served_paths += route.path + (prefix ? "<anything>\n" : "\n");
    (prefix ? router.prefixes : router.exact).push_back(std::move(route));
  }
  if (router.served_paths.empty()) router.served_paths = "(no paths)\n";
  std::stable_sort(router.prefixes.begin(), router.prefixes.end(),
                   [](const Route& a, const Route& b) { return a.path.size() > b.path.size(); });

  // The address: a literal; "localhost", which is the IPv4 loopback without asking the resolver
  // (RFC 6761: a minimal system may have no /etc/hosts); or the host name resolved (IPv4
  // preferred, as a scraper configured with the name will most likely use it).
  beast::error_code ec;
  net::ip::address ip = listen->host == "localhost"
                            ? net::ip::address(net::ip::address_v4::loopback())
                            : net::ip::make_address(listen->host, ec);
  if (ec) {
    tcp::resolver resolver(state->io_context);
    const auto results = resolver.resolve(listen->host, std::to_string(listen->port),
                                          tcp::resolver::numeric_service, ec);
    if (ec || results.empty()) {
      return core::Status::error(
          "http server: cannot resolve the host of " + settings.listen_setting + " '" +
          settings.listen + "': " + (ec ? ec.message() : "no address") +
          " (use an IP address such as 127.0.0.1, or a name this machine resolves)");
    }
    ip = results.begin()->endpoint().address();
    for (const auto& result : results) {
      if (result.endpoint().address().is_v4()) {
        ip = result.endpoint().address();
        break;
      }
    }
  }
  const tcp::endpoint endpoint(ip, listen->port);
  const std::string shown =
      settings.listen +
      (format_endpoint(endpoint) == settings.listen ? "" : " (" + format_endpoint(endpoint) + ")");
  tcp::acceptor& acceptor = state->acceptor;
  // SO_REUSEADDR lets a restarted process bind while old connections linger in TIME_WAIT; on
  // Linux it does not let two processes listen on one port.
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return core::Status::error("http server: cannot listen on " + shown + ": " + ec.message() +
                               " (" + listen_advice(ec, settings.listen_setting) + ")");
  }
  state->address = format_endpoint(acceptor.local_endpoint(ec));
  if (ec) return core::Status::error("http server: cannot read the bound address: " + ec.message());

  state->accept();
  State* raw_state = state.get();
  state->thread = std::thread([raw_state] { raw_state->run(); });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(state)));
}

HttpServer::HttpServer(std::unique_ptr<State> state) : state_(std::move(state)) {}

HttpServer::~HttpServer() {
  // stop() makes run() return once the handler in progress (if any) finishes; destroying the
  // io_context then destroys every session, which closes its socket.
  state_->io_context.stop();
  if (state_->thread.joinable()) state_->thread.join();
}

const std::string& HttpServer::address() const { return state_->address; }

std::uint64_t HttpServer::requests_served() const { return state_->router.requests_served.load(); }

}  // namespace streamlearn::connectors
