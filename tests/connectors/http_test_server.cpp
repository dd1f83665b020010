#include "tests/connectors/http_test_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <system_error>
#include <utility>

namespace streamlearn::testing {
namespace {

[[noreturn]] void fail(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

int bind_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("socket");
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) fail("bind");
  return fd;
}

int bound_port(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof(address);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) fail("getsockname");
  return ntohs(address.sin_port);
}

// Appends what arrives; false on end of stream or error (the client left, or the server stops).
bool read_more(int connection, std::string& buffer) {
  char chunk[4096];
  while (true) {
    const ssize_t received = ::recv(connection, chunk, sizeof(chunk), 0);
    if (received > 0) {
      buffer.append(chunk, static_cast<std::size_t>(received));
      return true;
    }
    if (received < 0 && errno == EINTR) continue;
    return false;
  }
}

bool send_all(int connection, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t written =
        ::send(connection, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    sent += static_cast<std::size_t>(written);
  }
  return true;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string trim(const std::string& text) {
  const std::size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

// Parses the request line and headers of `head` (without the blank line).
HttpTestServer::Request parse_head(const std::string& head) {
  HttpTestServer::Request request;
  std::size_t line_end = head.find("\r\n");
  const std::string request_line = head.substr(0, line_end);
  const std::size_t method_end = request_line.find(' ');
  request.method = request_line.substr(0, method_end);
  const std::size_t target_end = request_line.find(' ', method_end + 1);
  request.target = request_line.substr(method_end + 1, target_end - method_end - 1);
  while (line_end != std::string::npos) {
    const std::size_t begin = line_end + 2;
    line_end = head.find("\r\n", begin);
    const std::string line =
        head.substr(begin, line_end == std::string::npos ? std::string::npos : line_end - begin);
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    request.headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
  }
  return request;
}

std::string response(int status) {
  const std::string body = status == 200 ? "ok" : "failure";
  const std::string reason = status == 200 ? "OK" : "Internal Server Error";
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

}  // namespace

HttpTestServer::HttpTestServer() : HttpTestServer(Behaviour{}) {}

HttpTestServer::HttpTestServer(Behaviour behaviour) : behaviour_(behaviour) {
  listener_ = bind_loopback(0);
  if (::listen(listener_, 64) != 0) fail("listen");
  port_ = bound_port(listener_);
  if (::pipe2(wake_pipe_, O_CLOEXEC) != 0) fail("pipe2");
  acceptor_ = std::thread([this] { accept_loop(); });
}

HttpTestServer::~HttpTestServer() {
  stopping_ = true;
  const char wake = 'x';
  [[maybe_unused]] const ssize_t ignored = ::write(wake_pipe_[1], &wake, 1);
  acceptor_.join();
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    for (const int connection : connections_) ::shutdown(connection, SHUT_RDWR);
  }
  for (std::thread& thread : connection_threads_) thread.join();
  for (const int connection : connections_) ::close(connection);
  ::close(listener_);
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
}

std::string HttpTestServer::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/alerts";
}

std::vector<HttpTestServer::Request> HttpTestServer::requests() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

std::vector<std::string> HttpTestServer::delivered_bodies() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> bodies;
  for (const Request& request : requests_)
    if (request.status >= 200 && request.status < 300) bodies.push_back(request.body);
  return bodies;
}

std::size_t HttpTestServer::num_requests() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return requests_.size();
}

bool HttpTestServer::wait_for_requests(std::size_t count, int timeout_ms) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return request_arrived_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                                   [&] { return requests_.size() >= count; });
}

int HttpTestServer::closed_port() {
  const int fd = bind_loopback(0);
  const int port = bound_port(fd);
  ::close(fd);
  return port;
}

void HttpTestServer::accept_loop() {
  while (!stopping_) {
    pollfd fds[2] = {{listener_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    const std::lock_guard<std::mutex> lock(mutex_);
    connections_.push_back(connection);
    connection_threads_.emplace_back([this, connection] { serve(connection); });
  }
}

void HttpTestServer::serve(int connection) {
  std::string buffer;
  while (true) {
    std::size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos)
      if (!read_more(connection, buffer)) return;
    Request request = parse_head(buffer.substr(0, head_end));
    std::size_t content_length = 0;
    if (const auto found = request.headers.find("content-length"); found != request.headers.end())
      content_length = std::stoul(found->second);
    const std::size_t body_begin = head_end + 4;
    while (buffer.size() < body_begin + content_length)
      if (!read_more(connection, buffer)) return;
    request.body = buffer.substr(body_begin, content_length);
    buffer.erase(0, body_begin + content_length);
    const int status = record(std::move(request));
    if (status == 0) {
      // Hang: say nothing, and keep the connection until the client closes it or the server stops.
      while (read_more(connection, buffer)) buffer.clear();
      return;
    }
    if (!send_all(connection, response(status))) return;
  }
}

int HttpTestServer::record(Request request) {
  const std::lock_guard<std::mutex> lock(mutex_);
  int status = 200;
  if (behaviour_.hang) {
    status = 0;
  } else if (answered_failures_ < behaviour_.failures) {
    ++answered_failures_;
    status = behaviour_.failure_status;
  }
  request.status = status;
  requests_.push_back(std::move(request));
  request_arrived_.notify_all();
  return status;
}

}  // namespace streamlearn::testing
