#pragma once

/// WebhookAlertSink: POSTs each alert's JSON (monitors::to_json, Content-Type: application/json)
/// to an http:// or https:// URL with libcurl, retrying with exponential backoff, and writes what
/// it cannot deliver to a local alert log (a JsonLinesAlertSink file), so no alert is lost and a
/// failing webhook never slows the stream.
///
/// publish() only serializes the alert and appends it to a bounded in-memory queue; it never
/// waits for the network. A background worker thread sends the queue in order, one request at a
/// time, over a reused connection. An attempt succeeds on a 2xx response; a connection error, a
/// timeout (timeout_ms per attempt, connect and transfer together) or any other status is retried
/// after initial_backoff_ms, then twice that, and so on, up to max_attempts; then the alert goes to
/// the fallback log. When the queue is full, publish() writes the alert to the fallback log at once
/// (one write(2)) instead of blocking, so such an alert can precede older queued ones in the log.
/// The fallback log is JSON Lines, so it can be replayed.
/// Delivery is at least once: when a response is lost after the receiver took the alert, the retry
/// (or the fallback log) has it a second time.
///
/// flush() waits until everything queued before it has been delivered or written to the fallback
/// log, at most retry_budget_ms() (one alert's full retry schedule): attempts and backoffs are cut
/// to that deadline, and what is still queued when it passes goes to the fallback log without an
/// attempt. It returns an error naming the first undelivered alert when any alert since the last
/// flush went to the fallback log. The destructor drains to the same deadline but never waits out a
/// backoff (the condition variable wakes the worker at once): after a failed attempt, or when the
/// shutdown interrupts a backoff, that alert and everything still queued go straight to the
/// fallback log. It returns within retry_budget_ms() plus the time to write the log.
///
/// Cost on the calling thread: to_json (a few microseconds), a mutex and a condition-variable
/// notify; memory: at most queue_capacity serialized alerts. Threading: publish(), flush() and
/// counters() may be called from any thread, but not once the destructor has begun.
/// curl_global_init runs once per process (thread-safe); curl_global_cleanup never runs, since
/// other threads may still use libcurl at exit.
///
///   WebhookAlertSink::Params params;
///   params.url = "https://hooks.example.com/streamlearn";
///   params.fallback_path = "alerts.jsonl";
///   auto sink = WebhookAlertSink::open(params);
///   if (!sink) return sink.status();
///   (*sink)->publish(alert);  // returns at once
///   core::Status status = (*sink)->flush();  // an error names what went to alerts.jsonl

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "connectors/alerts/json_lines_alert_sink.h"
#include "core/status.h"
#include "monitors/alerts/alert_sink.h"

struct curl_slist;

namespace streamlearn::connectors {

class WebhookAlertSink final : public monitors::AlertSink {
 public:
  struct Params {
    /// Where to POST: http:// or https://. Proxies follow libcurl's environment variables.
    std::string url;
    /// Per attempt, connecting and transferring together.
    std::int64_t timeout_ms = 2000;
    /// Attempts per alert, the first included (1 to 20).
    int max_attempts = 3;
    /// Wait before the second attempt; each further wait doubles. 0: retry at once.
    std::int64_t initial_backoff_ms = 200;
    /// Alerts waiting for the worker; beyond this publish() writes to the fallback log.
    std::size_t queue_capacity = 1000;
    /// The local alert log (JSON Lines, appended to, created when missing) for what is not
    /// delivered.
    std::filesystem::path fallback_path;
  };

  /// What happened to the published alerts. After flush() returns,
  /// published == delivered + fallen_back + dropped.
  struct Counters {
    std::uint64_t published = 0;
    std::uint64_t delivered = 0;
    /// Attempts after an alert's first.
    std::uint64_t retried_attempts = 0;
    /// Written to the fallback log, queue_full of them because the queue was full.
    std::uint64_t fallen_back = 0;
    std::uint64_t queue_full = 0;
    /// Neither delivered nor written to the fallback log (the local disk failed): 0 unless the
    /// fallback log reports a write error.
    std::uint64_t dropped = 0;
  };

  /// Checks the params (reporting every problem at once), opens the fallback log and starts the
  /// worker thread.
  static core::Result<std::unique_ptr<WebhookAlertSink>> open(Params params);
  ~WebhookAlertSink() override;
  WebhookAlertSink(const WebhookAlertSink&) = delete;
  WebhookAlertSink& operator=(const WebhookAlertSink&) = delete;

  void publish(const monitors::Alert& alert) override;
  [[nodiscard]] core::Status flush() override;

  const Params& params() const { return params_; }
  Counters counters() const;
  /// The longest one alert can take: max_attempts * timeout_ms plus every backoff between them.
  std::int64_t retry_budget_ms() const;

 private:
  struct Pending {
    std::uint64_t sequence;  // 1 for the first alert queued
    std::string id;
    std::string json;
  };
  using Clock = std::chrono::steady_clock;

  WebhookAlertSink(Params params, std::unique_ptr<JsonLinesAlertSink> fallback, void* curl,
                   curl_slist* headers);
  void run_worker();
  /// Sends one alert with retries; returns whether a 2xx came back, else sets `failure`.
  bool deliver(const Pending& pending, std::string& failure);
  /// One POST, cut to `timeout_ms`; returns whether a 2xx came back, else sets `failure`.
  bool attempt(const std::string& json, std::int64_t timeout_ms, std::string& failure);
  /// Waits for a backoff; returns false when the wait would pass the drain deadline or the sink
  /// is shutting down.
  bool wait_backoff(std::int64_t backoff_ms);
  /// Time left before the drain deadline (for the alert being sent), or timeout_ms when there is
  /// none.
  std::int64_t attempt_timeout_ms();
  void fall_back(const Pending& pending, const std::string& reason, bool queue_full);

  const Params params_;
  std::unique_ptr<JsonLinesAlertSink> fallback_;
  void* curl_;  // CURL*, used by the worker thread only
  curl_slist* headers_;

  mutable std::mutex mutex_;
  std::condition_variable work_ready_;  // the worker waits: a new alert, a flush or the shutdown
  std::condition_variable work_done_;   // flush() waits: the worker finished an alert
  std::deque<Pending> queue_;
  std::uint64_t enqueued_ = 0;  // sequence number of the last alert queued
  std::uint64_t finished_ = 0;  // sequence number of the last alert delivered or fallen back
  // While finished_ < drain_until_, the worker works to drain_deadline_ (flush or shutdown).
  std::uint64_t drain_until_ = 0;
  Clock::time_point drain_deadline_;
  bool stopping_ = false;
  bool abandoned_ = false;  // shutting down and an attempt failed: the rest goes to the fallback
  std::uint64_t undelivered_since_flush_ = 0;
  std::uint64_t dropped_since_flush_ = 0;
  std::optional<std::string> first_failure_;  // since the last flush
  std::mutex flush_mutex_;                    // one flush() at a time

  std::atomic<std::uint64_t> published_{0};
  std::atomic<std::uint64_t> delivered_{0};
  std::atomic<std::uint64_t> retried_attempts_{0};
  std::atomic<std::uint64_t> fallen_back_{0};
  std::atomic<std::uint64_t> queue_full_{0};
  std::atomic<std::uint64_t> dropped_{0};

  std::thread worker_;  // last: starts after every member above exists
};

}  // namespace streamlearn::connectors
