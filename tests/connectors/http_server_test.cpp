#include "connectors/http/http_server.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace streamlearn::connectors {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Clock = std::chrono::steady_clock;
using Response = HttpServer::Response;

// Generous: a bound on waits that succeed at once unless the server misbehaves.
constexpr int kWaitMs = 5000;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

long elapsed_ms(Clock::time_point since) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count());
}

std::vector<HttpServer::Route> test_routes() {
  std::vector<HttpServer::Route> routes;
  routes.push_back({"/metrics", [](std::string_view, std::string_view) {
                      return Response{.body = "metrics\n"};
                    }});
  routes.push_back(
      {"/healthz", [](std::string_view, std::string_view) { return Response{.body = "ok\n"}; }});
  routes.push_back({"/readyz", [](std::string_view, std::string_view) {
                      return Response{.status = 503,
                                      .content_type = "application/json",
                                      .body = "{\"ready\":false}"};
                    }});
  routes.push_back({"/echo", [](std::string_view path, std::string_view query) {
                      return Response{.body = "path=" + std::string(path) +
                                              " query=" + std::string(query)};
                    }});
  routes.push_back({"/features/", [](std::string_view path, std::string_view) {
                      return Response{.body = "prefix " + std::string(path)};
                    }});
  routes.push_back({"/features/special",
                    [](std::string_view, std::string_view) { return Response{.body = "exact"}; }});
  routes.push_back({"/throw", [](std::string_view, std::string_view) -> Response {
                      throw std::runtime_error("the feature store is gone");
                    }});
  return routes;
}

std::unique_ptr<HttpServer> start_server(HttpServer::Params params = {}) {
  params.listen = "127.0.0.1:0";
  auto server = HttpServer::start(params, test_routes());
  EXPECT_TRUE(server.is_ok()) << server.status().message();
  if (!server.is_ok()) return nullptr;
  return std::move(server).value();
}

int port_of(const HttpServer& server) {
  const std::string& address = server.address();
  return std::stoi(address.substr(address.rfind(':') + 1));
}

std::string url_of(const HttpServer& server, const std::string& target) {
  return "http://" + server.address() + target;
}

// ---- a libcurl client (what Prometheus and curl look like to the server) ----

struct CurlReply {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
  long new_connections = 0;                    // 0: the request reused an open connection
};

class CurlClient {
 public:
  CurlClient() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    curl_ = curl_easy_init();
  }
  ~CurlClient() { curl_easy_cleanup(curl_); }
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  CurlReply request(const std::string& url, const std::string& method = "GET",
                    const std::string& body = "") {
    CurlReply reply;
    curl_easy_reset(curl_);  // keeps the open connections
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(kWaitMs));
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &CurlClient::on_body);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &CurlClient::on_header);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &reply.headers);
    if (method == "HEAD") {
      curl_easy_setopt(curl_, CURLOPT_NOBODY, 1L);
    } else if (method != "GET") {
      curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    if (!body.empty()) curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
    reply.code = curl_easy_perform(curl_);
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &reply.status);
    curl_easy_getinfo(curl_, CURLINFO_NUM_CONNECTS, &reply.new_connections);
    return reply;
  }

 private:
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto& headers = *static_cast<std::map<std::string, std::string>*>(user);
    const std::string line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) headers.clear();  // a new (or an interim) response
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      const std::size_t value_begin = line.find_first_not_of(' ', colon + 1);
      const std::size_t value_end = line.find_last_not_of("\r\n");
      headers[lower(line.substr(0, colon))] =
          value_begin <= value_end ? line.substr(value_begin, value_end - value_begin + 1) : "";
    }
    return size * count;
  }

  CURL* curl_;
};

// ---- a raw socket client: byte-exact requests, partial requests, idle connections ----

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  /// The header's value, empty when absent.
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }

  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  }

  /// One response: status line, headers, and a Content-Length body (none for a HEAD request).
  /// nullopt when the connection closed or nothing complete came within kWaitMs.
  std::optional<RawResponse> read_response(bool head = false) {
    const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(kWaitMs);
    std::size_t header_end;
    while ((header_end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!receive(deadline)) return std::nullopt;
    }
    RawResponse response;
    const std::string header = pending_.substr(0, header_end + 2);
    pending_.erase(0, header_end + 4);
    if (header.rfind("HTTP/1.", 0) != 0 || header.size() < 12) return std::nullopt;
    response.status = std::stoi(header.substr(9, 3));
    for (std::size_t line = header.find("\r\n") + 2; line < header.size();) {
      const std::size_t line_end = header.find("\r\n", line);
      const std::size_t colon = header.find(':', line);
      if (colon < line_end) {
        const std::size_t value_begin = header.find_first_not_of(' ', colon + 1);
        response.headers[lower(header.substr(line, colon - line))] =
            header.substr(value_begin, line_end - value_begin);
      }
      line = line_end + 2;
    }
    const auto length = response.headers.find("content-length");
    if (!head && length != response.headers.end()) {
      const std::size_t size = std::stoul(length->second);
      while (pending_.size() < size) {
        if (!receive(deadline)) return std::nullopt;
      }
      response.body = pending_.substr(0, size);
      pending_.erase(0, size);
    }
    return response;
  }

  /// Whether the server closed the connection (end of stream or reset) within `timeout_ms`.
  /// Bytes received meanwhile are discarded.
  bool wait_closed(int timeout_ms) {
    const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      const int left_ms = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
      if (left_ms <= 0) return false;
      pollfd descriptor{fd_, POLLIN, 0};
      if (::poll(&descriptor, 1, left_ms) <= 0) continue;
      char buffer[4096];
      if (::recv(fd_, buffer, sizeof buffer, 0) <= 0) return true;
    }
  }

 private:
  // Appends what arrives to pending_; false on end of stream, error or the deadline.
  bool receive(Clock::time_point deadline) {
    const int left_ms = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
    if (left_ms <= 0) return false;
    pollfd descriptor{fd_, POLLIN, 0};
    if (::poll(&descriptor, 1, left_ms) <= 0) return false;
    char buffer[4096];
    const ssize_t received = ::recv(fd_, buffer, sizeof buffer, 0);
    if (received <= 0) return false;
    pending_.append(buffer, static_cast<std::size_t>(received));
    return true;
  }

  int fd_ = -1;
  std::string pending_;
};

std::string get_request(const std::string& target, const std::string& extra_headers = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra_headers + "\r\n";
}

// ---- routing ----

TEST(HttpServerTest, ServesExactRouteAndReportsTheRealPortForPortZero) {
  auto server = start_server();
  ASSERT_NE(server, nullptr);
  EXPECT_THAT(server->address(), StartsWith("127.0.0.1:"));
  EXPECT_GT(port_of(*server), 0);
  EXPECT_EQ(server->requests_served(), 0u);

  CurlClient client;
  const CurlReply reply = client.request(url_of(*server, "/metrics"));
  ASSERT_EQ(reply.code, CURLE_OK) << curl_easy_strerror(reply.code);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "metrics\n");
  EXPECT_EQ(reply.headers.at("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(reply.headers.at("content-length"), "8");
  EXPECT_EQ(server->requests_served(), 1u);
}

TEST(HttpServerTest, SendsTheHandlersStatusAndContentType) {
  auto server = start_server();
  ASSERT_NE(server, nullptr);
  CurlClient client;
  const CurlReply reply = client.request(url_of(*server, "/readyz"));
  ASSERT_EQ(reply.code, CURLE_OK) << curl_easy_strerror(reply.code);
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(reply.headers.at("content-type"), "application/json");
  EXPECT_EQ(reply.body, "{\"ready\":false}");
}

TEST(HttpServerTest, PassesPathAndRawQueryToTheHandler) {
  auto server = start_server();
  ASSERT_NE(server, nullptr);
  CurlClient client;
  EXPECT_EQ(client.request(url_of(*server, "/echo?name=a%20b&x=1")).body,
            "path=/echo query=name=a%20b&x=1");
  EXPECT_EQ(client.request(url_of(*server, "/echo")).body, "path=/echo query=");
  EXPECT_EQ(client.request(url_of(*server, "/echo?")).body, "path=/echo query=");
}

TEST(HttpServerTest, PrefixRouteServesPathsUnderItAndAnExactRouteWins) {
  auto server = start_server();
  ASSERT_NE(server, nullptr);
  CurlClient client;
  CurlReply reply = client.request(url_of(*server, "/features/user-42?fields=all"));
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "prefix /features/user-42");
  EXPECT_EQ(client.request(url_of(*server, "/features/")).body, "prefix /features/");
  EXPECT_EQ(client.request(url_of(*server, "/features/special")).body, "exact");
  EXPECT_EQ(client.request(url_of(*server, "/features/special/more")).body,
            "prefix /features/special/more");
  EXPECT_EQ(client.request(url_of(*server, "/features")).status, 404);
  EXPECT_EQ(client.request(url_of(*server, "/featuresX/1")).status, 404);
  EXPECT_EQ(client.request(url_of(*server, "/metrics/")).status, 404);
}

TEST(HttpServerTest, UnknownPathGets404ListingTheServedPaths) {
  auto server = start_server();
  ASSERT_NE(server, nullptr);
  CurlClient client;
  const CurlReply reply = client.request(url_of(*server, "/nope?x=1"));
  EXPECT_EQ(reply.status, 404);
  EXPECT_THAT(reply.body, HasSubstr("not found: /nope\n"));
  for (const char* path : {"/metrics\n", "/healthz\n", "/readyz\n", "/features/<anything>\n"})
    EXPECT_THAT(reply.body, HasSubstr(path));
  EXPECT_EQ(reply.headers.at("content-length"), std::to_string(reply.body.size()));
  EXPECT_EQ(server->requests_served(), 1u);
}

// ---- methods ----

TEST(HttpServerTest, OtherMethodsGet405WithAllowAndTheirBodyIsSkipped) {
  auto server = start_server();
  ASSERT_NE(server, nullptr);
  CurlClient client;
  const CurlReply reply = client.request(url_of(*server, "/metrics"), "DELETE");
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.headers.at("allow"), "GET, HEAD");

  // A POST body is read and ignored: the next request on the connection is parsed correctly.
  RawConnection connection(port_of(*server));
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(connection.send(
      "POST /metrics HTTP/1.1\r\nHost: test\r\nContent-Length: 11\r\n\r\nGET /nope\r\n" +
      get_request("/healthz")));
  std::optional<RawResponse> response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 405);
  EXPECT_EQ(response->header("allow"), "GET, HEAD");
  response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "ok\n");
}

TEST(HttpServerTest, AnswersExpect100ContinueBeforeReadingTheBody) {
  auto server = start_server();
  ASSERT_NE(server, nullptr);
  RawConnection connection(port_of(*server));
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(connection.send(
      "POST /metrics HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  std::optional<RawResponse> response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 100);
  ASSERT_TRUE(connection.send("hello"));
  response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 405);
}

TEST(HttpServerTest, HeadSendsTheHeadersOfGetWithoutTheBody) {
  auto server = start_server();
  ASSERT_NE(server, nullptr);
  CurlClient client;
  const CurlReply reply = client.request(url_of(*server, "/metrics"), "HEAD");
  ASSERT_EQ(reply.code, CURLE_OK) << curl_easy_strerror(reply.code);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.headers.at("content-length"), "8");
  EXPECT_EQ(reply.body, "");

  // Byte-exact: were the body sent, the next response on the connection would start with it.
  RawConnection connection(port_of(*server));
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(connection.send("HEAD /metrics HTTP/1.1\r\nHost: test\r\n\r\n"));
  std::optional<RawResponse> response = connection.read_response(/*head=*/true);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("content-length"), "8");
  ASSERT_TRUE(connection.send(get_request("/healthz")));
  response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "ok\n");
}

// ---- failures ----

TEST(HttpServerTest, HandlerExceptionGives500AndTheServerKeepsServing) {
  auto server = start_server();
  ASSERT_NE(server, nullptr);
  CurlClient client;
  CurlReply reply = client.request(url_of(*server, "/throw"));
  ASSERT_EQ(reply.code, CURLE_OK) << curl_easy_strerror(reply.code);
  EXPECT_EQ(reply.status, 500);
  EXPECT_THAT(reply.body, HasSubstr("the feature store is gone"));
  EXPECT_THAT(reply.body, HasSubstr("/throw"));

  reply = client.request(url_of(*server, "/metrics"));
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "metrics\n");
  EXPECT_EQ(reply.new_connections, 0) << "the connection should stay open after a 500";
  EXPECT_EQ(server->requests_served(), 2u);
}

TEST(HttpServerTest, OversizedHeaderGets431AndTheConnectionCloses) {
  auto server = start_server();
  ASSERT_NE(server, nullptr);
  RawConnection connection(port_of(*server));
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(
      connection.send(get_request("/metrics", "X-Big: " + std::string(9000, 'a') + "\r\n")));
  const std::optional<RawResponse> response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(response->header("connection"), "close");
  EXPECT_TRUE(connection.wait_closed(kWaitMs));

  // Just under the limit is served.
  RawConnection second(port_of(*server));
  ASSERT_TRUE(second.connected());
  ASSERT_TRUE(second.send(get_request("/metrics", "X-Big: " + std::string(7000, 'a') + "\r\n")));
  const std::optional<RawResponse> served = second.read_response();
  ASSERT_TRUE(served.has_value());
  EXPECT_EQ(served->status, 200);
}

TEST(HttpServerTest, OversizedBodyGets413AndTheConnectionCloses) {
  auto server = start_server();
  ASSERT_NE(server, nullptr);
  RawConnection connection(port_of(*server));
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(
      connection.send("POST /metrics HTTP/1.1\r\nHost: test\r\nContent-Length: 2000000\r\n\r\n"));
  const std::optional<RawResponse> response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(connection.wait_closed(kWaitMs));
}

TEST(HttpServerTest, MalformedRequestGets400) {
  auto server = start_server();
  ASSERT_NE(server, nullptr);
  RawConnection connection(port_of(*server));
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(connection.send("GET /metrics HTTP/1.1\r\nHost test\r\n\r\n"));
  const std::optional<RawResponse> response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 400);
  EXPECT_TRUE(connection.wait_closed(kWaitMs));
}

// ---- connections ----

TEST(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  auto server = start_server();
  ASSERT_NE(server, nullptr);
  RawConnection connection(port_of(*server));
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(connection.send(get_request("/metrics")));
  std::optional<RawResponse> response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "metrics\n");
  EXPECT_NE(lower(response->header("connection")), "close");

  ASSERT_TRUE(connection.send(get_request("/healthz")));
  response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "ok\n");

  // Pipelined: two requests in one write, answered in order.
  ASSERT_TRUE(connection.send(get_request("/echo?1") + get_request("/echo?2")));
  response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "path=/echo query=1");
  response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "path=/echo query=2");
  EXPECT_EQ(server->requests_served(), 4u);

  // Prometheus's view: libcurl reuses its connection for the second scrape.
  CurlClient client;
  EXPECT_EQ(client.request(url_of(*server, "/metrics")).new_connections, 1);
  EXPECT_EQ(client.request(url_of(*server, "/metrics")).new_connections, 0);
}

TEST(HttpServerTest, ConnectionCloseIsHonoured) {
  auto server = start_server();
  ASSERT_NE(server, nullptr);
  RawConnection connection(port_of(*server));
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(connection.send(get_request("/metrics", "Connection: close\r\n")));
  const std::optional<RawResponse> response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "metrics\n");
  EXPECT_EQ(lower(response->header("connection")), "close");
  EXPECT_TRUE(connection.wait_closed(kWaitMs));

  // HTTP/1.0 without keep-alive closes too.
  RawConnection old_client(port_of(*server));
  ASSERT_TRUE(old_client.connected());
  ASSERT_TRUE(old_client.send("GET /healthz HTTP/1.0\r\n\r\n"));
  const std::optional<RawResponse> old_response = old_client.read_response();
  ASSERT_TRUE(old_response.has_value());
  EXPECT_EQ(old_response->body, "ok\n");
  EXPECT_TRUE(old_client.wait_closed(kWaitMs));
}

TEST(HttpServerTest, SilentConnectionsDoNotDelayOtherClients) {
  auto server = start_server();  // the default idle timeout: 30 s
  ASSERT_NE(server, nullptr);
  RawConnection silent(port_of(*server));
  ASSERT_TRUE(silent.connected());
  RawConnection partial(port_of(*server));
  ASSERT_TRUE(partial.connected());
  ASSERT_TRUE(partial.send("GET /metrics HTTP/1.1\r\nHo"));

  const Clock::time_point start = Clock::now();
  CurlClient client;
  const CurlReply reply = client.request(url_of(*server, "/healthz"));
  ASSERT_EQ(reply.code, CURLE_OK) << curl_easy_strerror(reply.code);
  EXPECT_EQ(reply.body, "ok\n");
  EXPECT_LT(elapsed_ms(start), kWaitMs);

  // The partial request was kept and is answered once complete.
  ASSERT_TRUE(partial.send("st: test\r\n\r\n"));
  const std::optional<RawResponse> response = partial.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "metrics\n");
}

TEST(HttpServerTest, ClosesAConnectionWithoutACompleteRequestAfterTheIdleTimeout) {
  auto server = start_server({.idle_timeout_ms = 200});
  ASSERT_NE(server, nullptr);
  const Clock::time_point start = Clock::now();
  RawConnection connection(port_of(*server));
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(connection.send("GET /metrics HTTP/1.1\r\n"));
  EXPECT_TRUE(connection.wait_closed(kWaitMs));
  EXPECT_GE(elapsed_ms(start), 200);

  // Between keep-alive requests as well.
  RawConnection keep_alive(port_of(*server));
  ASSERT_TRUE(keep_alive.connected());
  ASSERT_TRUE(keep_alive.send(get_request("/healthz")));
  ASSERT_TRUE(keep_alive.read_response().has_value());
  EXPECT_TRUE(keep_alive.wait_closed(kWaitMs));
}

TEST(HttpServerTest, ClosesConnectionsBeyondMaxConnectionsAtOnce) {
  auto server = start_server({.max_connections = 1});
  ASSERT_NE(server, nullptr);
  auto first = std::make_unique<RawConnection>(port_of(*server));
  ASSERT_TRUE(first->connected());
  // The server accepts in order, so the first connection holds the one slot.
  RawConnection second(port_of(*server));
  ASSERT_TRUE(second.connected());
  EXPECT_TRUE(second.wait_closed(kWaitMs));

  ASSERT_TRUE(first->send(get_request("/healthz")));
  const std::optional<RawResponse> response = first->read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "ok\n");

  // Once the first closes, its slot is free again (the server notices the close asynchronously,
  // hence the retries).
  first.reset();
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(kWaitMs);
  bool served = false;
  while (!served && Clock::now() < deadline) {
    RawConnection third(port_of(*server));
    served = third.connected() && third.send(get_request("/healthz")) &&
             third.read_response().has_value();
  }
  EXPECT_TRUE(served);
}

TEST(HttpServerTest, DestructorReturnsPromptlyWithConnectionsOpen) {
  auto server = start_server({.idle_timeout_ms = 60'000});
  ASSERT_NE(server, nullptr);
  RawConnection idle(port_of(*server));
  ASSERT_TRUE(idle.connected());
  RawConnection kept_alive(port_of(*server));
  ASSERT_TRUE(kept_alive.connected());
  ASSERT_TRUE(kept_alive.send(get_request("/metrics")));
  ASSERT_TRUE(kept_alive.read_response().has_value());
  RawConnection partial(port_of(*server));
  ASSERT_TRUE(partial.connected());
  ASSERT_TRUE(partial.send("GET /metrics HTTP/1.1\r\n"));

  const Clock::time_point start = Clock::now();
  server.reset();
  EXPECT_LT(elapsed_ms(start), 2000);
  EXPECT_TRUE(idle.wait_closed(kWaitMs));
  EXPECT_TRUE(kept_alive.wait_closed(kWaitMs));
  EXPECT_TRUE(partial.wait_closed(kWaitMs));
}

// ---- settings ----

TEST(HttpServerTest, RejectsMalformedListenAddressesNamingTheValueAndTheExpectedForm) {
  for (const char* listen :
       {"", "127.0.0.1", "127.0.0.1:", ":9464", "127.0.0.1:70000", "127.0.0.1:-1", "127.0.0.1:94x",
        "::1:9464", "[::1]9464", "[::1", "[127.0.0.1]:9464"}) {
    auto server = HttpServer::start({.listen = listen}, test_routes());
    ASSERT_FALSE(server.is_ok()) << listen;
    const std::string message = server.status().message();
    EXPECT_THAT(message, HasSubstr("metrics.listen '" + std::string(listen) + "'")) << message;
    EXPECT_THAT(message, HasSubstr("expected host:port")) << message;
  }
  auto server = HttpServer::start({.listen = ":9464"}, test_routes());
  EXPECT_THAT(server.status().message(), HasSubstr("0.0.0.0"));
}

TEST(HttpServerTest, AddressInUseNamesTheAddressAndWhatToDo) {
  auto first = start_server();
  ASSERT_NE(first, nullptr);
  auto second = HttpServer::start(
      {.listen = first->address(), .listen_setting = "--metrics-listen"}, test_routes());
  ASSERT_FALSE(second.is_ok());
  const std::string message = second.status().message();
  EXPECT_THAT(message, HasSubstr("cannot listen on " + first->address() + ": "));
  EXPECT_THAT(message, HasSubstr("Address already in use"));
  EXPECT_THAT(message, HasSubstr("choose another with --metrics-listen, or port 0"));
  // The first server is unharmed.
  CurlClient client;
  EXPECT_EQ(client.request(url_of(*first, "/healthz")).status, 200);
}

TEST(HttpServerTest, ReportsEveryInvalidSettingAtOnce) {
  std::vector<HttpServer::Route> routes = test_routes();
  routes.push_back({"/metrics", routes.front().handler});
  routes.push_back({"healthz", routes.front().handler});
  routes.push_back({"/empty", nullptr});
  auto server = HttpServer::start(
      {.listen = "localhost", .max_connections = 0, .idle_timeout_ms = 0}, std::move(routes));
  ASSERT_FALSE(server.is_ok());
  const std::string message = server.status().message();
  EXPECT_THAT(message, HasSubstr("metrics.listen 'localhost' has no port"));
  EXPECT_THAT(message, HasSubstr("max_connections is 0"));
  EXPECT_THAT(message, HasSubstr("idle_timeout_ms is 0"));
  EXPECT_THAT(message, HasSubstr("route '/metrics' is given twice"));
  EXPECT_THAT(message, HasSubstr("route 'healthz' is not a path"));
  EXPECT_THAT(message, HasSubstr("route '/empty' has no handler"));
}

TEST(HttpServerTest, ResolvesLocalhostToTheIpv4Loopback) {
  auto server = HttpServer::start({.listen = "localhost:0"}, test_routes());
  ASSERT_TRUE(server.is_ok()) << server.status().message();
  EXPECT_THAT((*server)->address(), StartsWith("127.0.0.1:"));
  CurlClient client;
  EXPECT_EQ(client.request(url_of(**server, "/healthz")).body, "ok\n");
}

TEST(HttpServerTest, ListensOnTheIpv6Loopback) {
  auto server = HttpServer::start({.listen = "[::1]:0"}, test_routes());
  if (!server.is_ok() && server.status().message().find("no such address") != std::string::npos)
    GTEST_SKIP() << "no IPv6 loopback here: " << server.status().message();
  ASSERT_TRUE(server.is_ok()) << server.status().message();
  EXPECT_THAT((*server)->address(), StartsWith("[::1]:"));
  EXPECT_GT(port_of(**server), 0);
  CurlClient client;
  EXPECT_EQ(client.request(url_of(**server, "/healthz")).body, "ok\n");
}

TEST(HttpServerTest, UnresolvableHostIsAClearError) {
  auto server = HttpServer::start({.listen = "no-such-host.invalid:9464"}, test_routes());
  ASSERT_FALSE(server.is_ok());
  EXPECT_THAT(server.status().message(),
              HasSubstr("cannot resolve the host of metrics.listen 'no-such-host.invalid:9464'"));
}

}  // namespace
}  // namespace streamlearn::connectors
