#pragma once

/// HttpServer: a small embedded HTTP/1.1 server for the process's own endpoints: `/metrics` for
/// Prometheus, `/healthz` and `/readyz` for orchestrators, `GET /features/{key}`
/// (feature_lookup_route.h), `POST /challenger/promote` (challenger_routes.h). It is not a general
/// web server: GET and HEAD, and POST on the routes made for it (actions), no TLS, no chunked
/// responses, no compression.
///
/// Built on Boost.Beast and Boost.Asio, asynchronous, on one background thread that the server
/// owns; every Boost include stays in the .cpp, so includers do not pay Beast's compile time.
/// Connections are served concurrently on that thread: a client that connects and sends nothing
/// (or sends slowly) never delays another client's request, and is closed when no complete
/// request arrived within `idle_timeout_ms`. Keep-alive is supported (Prometheus keeps its
/// connection open between scrapes) and `Connection: close` (or HTTP/1.0) is honoured.
///
/// Protocol details: other methods than GET and HEAD get 405 with `Allow: GET, HEAD` (a POST
/// route answers POST only, and 405 with `Allow: POST` to anything else); an unknown
/// path gets 404 whose body lists the served paths; a handler that throws gets 500 with the
/// exception's message, and the server carries on. HEAD answers with the headers GET would have
/// (the handler runs; its body is not sent). Request bodies are read and ignored (at most 1 MiB,
/// else 413); request headers are limited to 8 KiB (431 beyond); a malformed request gets 400.
/// After a 400, 413 or 431 the connection is closed. Every response carries `Content-Length`.
/// Paths are passed to handlers as sent (percent-encoding is not decoded).
///
/// Threading: handlers run on the server thread, one at a time, so they need no locking among
/// themselves but must synchronize with whatever they read (a handler that copies a snapshot
/// under a mutex is the intended shape); a slow handler delays every other request, so handlers
/// should answer in milliseconds. address() and requests_served() may be called from any thread.
/// The destructor stops accepting, closes every connection and joins the thread; it waits only
/// for a handler that is running at that moment.
///
/// Cost: one thread; per open connection (at most `max_connections`, further connections are
/// accepted and closed at once) a socket, a timer and a few KiB of buffers (the read buffer grows
/// to the largest request header, at most 8 KiB).
///
///   std::vector<HttpServer::Route> routes;
///   routes.push_back({"/healthz", [](std::string_view, std::string_view) {
///                       return HttpServer::Response{.body = "ok\n"};
///                     }});
///   auto server = HttpServer::start({.listen = "127.0.0.1:0"}, std::move(routes));
///   if (!server) return server.status();
///   std::string address = (*server)->address();  // "127.0.0.1:40357"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace streamlearn::connectors {

class HttpServer {
 public:
  struct Response {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    std::string allow{};  // a 405's Allow header (the server sets it)
  };

  /// Called on the server thread with the request's path (the query string removed) and its raw
  /// query (what follows '?', empty when none), for GET and HEAD requests (POST for a POST route;
  /// the request body is not passed).
  using Handler = std::function<Response(std::string_view path, std::string_view query)>;

  struct Route {
    /// An exact path ("/metrics"), or a prefix when it ends with '/' ("/features/" serves
    /// "/features/" and everything under it). An exact route wins over a prefix; among
    /// prefixes, the longest wins.
    std::string path;
    Handler handler;
    /// An action: answers POST only (GET and HEAD get 405).
    bool post = false;
  };

  struct Params {
    /// Where to listen: "host:port" with an IPv4 address or a host name ("localhost:9464"),
    /// or "[ipv6]:port" ("[::1]:9464"). Port 0 takes any free port (see address()). Every
    /// interface only when asked for: "0.0.0.0:9464" or "[::]:9464".
    std::string listen = "127.0.0.1:9464";
    /// Connections open at once; more are accepted and closed at once.
    std::size_t max_connections = 64;
    /// A connection on which no complete request arrived within this time is closed (also a
    /// response the client does not read within this time).
    int idle_timeout_ms = 30'000;
    /// The setting `listen` came from, named in error messages so that the user knows what to
    /// change ("metrics.listen", "--metrics-listen").
    std::string listen_setting = "metrics.listen";
  };

  /// Checks the params and routes (reporting every problem at once), binds, listens and starts
  /// the server thread. A failure says what, the value and what to do, e.g. "http server: cannot
  /// listen on 127.0.0.1:9464: Address already in use (another process has this port; choose
  /// another with metrics.listen, or port 0 for any free port)".
  static core::Result<std::unique_ptr<HttpServer>> start(Params params, std::vector<Route> routes);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// The bound address, "127.0.0.1:PORT" or "[::1]:PORT", with the real port when 0 was asked
  /// for.
  const std::string& address() const;
  /// Responses produced so far (every status, 404 and 500 included).
  std::uint64_t requests_served() const;

 private:
  struct State;  // the Boost.Asio objects, the routes and the counters
  explicit HttpServer(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

}  // namespace streamlearn::connectors
