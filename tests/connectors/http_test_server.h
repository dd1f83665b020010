#pragma once

/// HttpTestServer: a tiny HTTP/1.1 server on 127.0.0.1 for the webhook tests, on plain POSIX
/// sockets. It listens on a free port (port 0), accepts on its own thread, serves each connection
/// on a thread of its own (keep-alive: request after request), parses the request line, the
/// headers and a Content-Length body, records every request, and answers as its Behaviour says:
/// `failures` times `failure_status`, then 200; or never (hang: it reads the request and keeps the
/// connection open without a word until the client gives up). The destructor stops it and joins
/// every thread.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace streamlearn::testing {

class HttpTestServer {
 public:
  struct Behaviour {
    /// Requests answered with failure_status before the first 200.
    int failures = 0;
    int failure_status = 500;
    /// Never answers (the other fields are ignored).
    bool hang = false;
  };

  struct Request {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
    int status = 0;  // the answer sent, 0 when none
  };

  HttpTestServer();  // answers 200 to everything
  explicit HttpTestServer(Behaviour behaviour);
  ~HttpTestServer();
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  int port() const { return port_; }
  /// "http://127.0.0.1:<port>/alerts".
  std::string url() const;

  std::vector<Request> requests() const;
  /// Bodies of the requests answered 2xx, in arrival order.
  std::vector<std::string> delivered_bodies() const;
  std::size_t num_requests() const;
  /// Waits up to `timeout_ms` until at least `count` requests arrived; returns whether they did.
  bool wait_for_requests(std::size_t count, int timeout_ms) const;

  /// A port on 127.0.0.1 where nothing listens (bound, then closed), so connecting is refused.
  static int closed_port();

 private:
  void accept_loop();
  void serve(int connection);
  /// Returns the status to answer with, or 0 to hang; records the request.
  int record(Request request);

  Behaviour behaviour_;
  int listener_ = -1;
  int port_ = 0;
  int wake_pipe_[2] = {-1, -1};
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;

  mutable std::mutex mutex_;
  mutable std::condition_variable request_arrived_;
  std::vector<Request> requests_;
  int answered_failures_ = 0;
  std::vector<int> connections_;
  std::vector<std::thread> connection_threads_;
};

}  // namespace streamlearn::testing
