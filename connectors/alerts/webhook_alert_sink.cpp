#include "connectors/alerts/webhook_alert_sink.h"

#include <curl/curl.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace streamlearn::connectors {
namespace {

constexpr int kMaxAttempts = 20;
constexpr std::int64_t kMaxDurationMs = 3'600'000;

CURLcode init_curl_once() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

std::size_t discard_response(char* /*data*/, std::size_t size, std::size_t count, void* /*user*/) {
  return size * count;
}

// Webhook URLs often carry a secret in their path or query (Slack, Teams), so messages name only
// the scheme and host.
std::string url_origin(const std::string& url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "'" + url.substr(0, url.find_first_of("/?#")) + "'";
  std::size_t host_begin = scheme_end + 3;
  const std::size_t host_end = std::min(url.find_first_of("/?#", host_begin), url.size());
  const std::size_t at = url.rfind('@', host_end);
  if (at != std::string::npos && at >= host_begin) host_begin = at + 1;  // drop user:password@
  return url.substr(0, scheme_end + 3) + url.substr(host_begin, host_end - host_begin);
}

std::int64_t backoff_before_attempt_ms(const WebhookAlertSink::Params& params, int attempt) {
  return params.initial_backoff_ms << std::min(attempt - 2, kMaxAttempts);
}

std::vector<std::string> param_problems(const WebhookAlertSink::Params& params) {
  std::vector<std::string> problems;
  if (params.url.empty()) {
    problems.push_back(
        "url is empty; set it to the http:// or https:// address that receives "
        "the alerts");
  } else if (params.url.rfind("http://", 0) != 0 && params.url.rfind("https://", 0) != 0) {
    problems.push_back("url " + url_origin(params.url) + " must start with http:// or https://");
  }
  if (params.timeout_ms < 1 || params.timeout_ms > kMaxDurationMs)
    problems.push_back("timeout_ms is " + std::to_string(params.timeout_ms) +
                       "; it must be between 1 and " + std::to_string(kMaxDurationMs) +
                       " (default 2000)");
  if (params.max_attempts < 1 || params.max_attempts > kMaxAttempts)
    problems.push_back("max_attempts is " + std::to_string(params.max_attempts) +
                       "; it must be between 1 and " + std::to_string(kMaxAttempts) +
                       " (default 3)");
  if (params.initial_backoff_ms < 0 || params.initial_backoff_ms > kMaxDurationMs)
    problems.push_back("initial_backoff_ms is " + std::to_string(params.initial_backoff_ms) +
                       "; it must be between 0 and " + std::to_string(kMaxDurationMs) +
                       " (default 200)");
  if (params.queue_capacity == 0)
    problems.push_back("queue_capacity is 0; it must be at least 1 (default 1000)");
  if (params.fallback_path.empty())
    problems.push_back(
        "fallback_path is empty; set it to a local file (the alert log) that "
        "receives the alerts the webhook does not take");
  return problems;
}

}  // namespace

core::Result<std::unique_ptr<WebhookAlertSink>> WebhookAlertSink::open(Params params) {
  const std::vector<std::string> problems = param_problems(params);
  if (!problems.empty()) {
    std::string message = "invalid webhook alert sink settings: ";
    for (std::size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
    return core::Status::error(message);
  }
  if (const CURLcode code = init_curl_once(); code != CURLE_OK)
    return core::Status::error(std::string("cannot initialize libcurl for the alert webhook: ") +
                               curl_easy_strerror(code));
  core::Result<std::unique_ptr<JsonLinesAlertSink>> fallback =
      JsonLinesAlertSink::open(params.fallback_path);
  if (!fallback) return core::Status::error("webhook fallback: " + fallback.status().message());

  CURL* curl = curl_easy_init();
  if (!curl) return core::Status::error("cannot create a libcurl handle for the alert webhook");
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  // curl would otherwise send "Expect: 100-continue" for larger bodies and wait up to a second for
  // the interim response that many webhook receivers never send.
  if (headers) {
    curl_slist* more = curl_slist_append(headers, "Expect:");
    if (more) headers = more;
  }
  curl_easy_setopt(curl, CURLOPT_URL, params.url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "streamlearn-alerts/1");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard_response);
  // No signals: the worker is one thread of many, and the resolver timeout must not use alarm().
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (!headers) {
    curl_easy_cleanup(curl);
    return core::Status::error("cannot allocate the alert webhook's request headers");
  }
  return std::unique_ptr<WebhookAlertSink>(
      new WebhookAlertSink(std::move(params), std::move(fallback).value(), curl, headers));
}

WebhookAlertSink::WebhookAlertSink(Params params, std::unique_ptr<JsonLinesAlertSink> fallback,
                                   void* curl, curl_slist* headers)
    : params_(std::move(params)), fallback_(std::move(fallback)), curl_(curl), headers_(headers) {
  worker_ = std::thread([this] { run_worker(); });
}

WebhookAlertSink::~WebhookAlertSink() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    drain_until_ = enqueued_;
    drain_deadline_ = Clock::now() + std::chrono::milliseconds(retry_budget_ms());
  }
  work_ready_.notify_all();
  worker_.join();
  curl_easy_cleanup(static_cast<CURL*>(curl_));
  curl_slist_free_all(headers_);
}

std::int64_t WebhookAlertSink::retry_budget_ms() const {
  std::int64_t budget_ms = params_.timeout_ms * params_.max_attempts;
  for (int attempt = 2; attempt <= params_.max_attempts; ++attempt)
    budget_ms += backoff_before_attempt_ms(params_, attempt);
  return budget_ms;
}

WebhookAlertSink::Counters WebhookAlertSink::counters() const {
  Counters counters;
  counters.published = published_.load(std::memory_order_relaxed);
  counters.delivered = delivered_.load(std::memory_order_relaxed);
  counters.retried_attempts = retried_attempts_.load(std::memory_order_relaxed);
  counters.fallen_back = fallen_back_.load(std::memory_order_relaxed);
  counters.queue_full = queue_full_.load(std::memory_order_relaxed);
  counters.dropped = dropped_.load(std::memory_order_relaxed);
  return counters;
}

void WebhookAlertSink::publish(const monitors::Alert& alert) {
  published_.fetch_add(1, std::memory_order_relaxed);
  Pending pending{0, alert.id, monitors::to_json(alert)};
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (queue_.size() < params_.queue_capacity && !stopping_) {
      pending.sequence = ++enqueued_;
      queue_.push_back(std::move(pending));
      lock.unlock();
      work_ready_.notify_all();
      return;
    }
  }
  fall_back(pending,
            "the queue of " + std::to_string(params_.queue_capacity) +
                " alerts waiting for the webhook was full",
            true);
}

core::Status WebhookAlertSink::flush() {
  const std::lock_guard<std::mutex> flush_lock(flush_mutex_);
  std::unique_lock<std::mutex> lock(mutex_);
  const std::uint64_t target = enqueued_;
  if (finished_ < target) {
    drain_until_ = target;
    drain_deadline_ = Clock::now() + std::chrono::milliseconds(retry_budget_ms());
    work_ready_.notify_all();
    work_done_.wait(lock, [&] { return finished_ >= target; });
  }
  const std::uint64_t undelivered = std::exchange(undelivered_since_flush_, 0);
  const std::uint64_t dropped = std::exchange(dropped_since_flush_, 0);
  const std::optional<std::string> first_failure = std::exchange(first_failure_, std::nullopt);
  lock.unlock();

  core::Status fallback_status = fallback_->flush();
  if (undelivered == 0) return fallback_status;
  std::string message =
      "the webhook at " + url_origin(params_.url) + " did not take " + std::to_string(undelivered) +
      " alert(s) since the last flush (first: " + first_failure.value_or("?") + "); ";
  if (dropped == 0) {
    message += "they are in the local alert log '" + fallback_->destination() + "'";
  } else {
    message += std::to_string(dropped) + " of them could not be written to the local alert log '" +
               fallback_->destination() + "' either and are lost (" +
               (fallback_status.is_ok() ? std::string("write error") : fallback_status.message()) +
               ")";
  }
  message += ". Check that the endpoint is up and answers 2xx within timeout_ms=" +
             std::to_string(params_.timeout_ms) +
             "; a full queue means alerts come faster than it "
             "takes them (raise queue_capacity)";
  return core::Status::error(std::move(message));
}

void WebhookAlertSink::run_worker() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // shutting down with nothing left
    Pending pending = std::move(queue_.front());
    queue_.pop_front();
    std::string failure;
    if (abandoned_) {
      failure = "not attempted: shutting down after a failed attempt";
    } else if (finished_ < drain_until_ && Clock::now() >= drain_deadline_) {
      failure = "not attempted: the flush or shutdown deadline had passed";
    }
    lock.unlock();
    if (failure.empty() && deliver(pending, failure)) {
      delivered_.fetch_add(1, std::memory_order_relaxed);
    } else {
      fall_back(pending, failure, false);
    }
    lock.lock();
    finished_ = pending.sequence;
    work_done_.notify_all();
  }
}

bool WebhookAlertSink::deliver(const Pending& pending, std::string& failure) {
  int attempts = 0;
  for (int attempt = 1; attempt <= params_.max_attempts; ++attempt) {
    if (attempt > 1 && !wait_backoff(backoff_before_attempt_ms(params_, attempt))) break;
    const std::int64_t timeout_ms = attempt_timeout_ms();
    if (timeout_ms < 1) break;  // 0 would mean no timeout to libcurl
    if (++attempts > 1) retried_attempts_.fetch_add(1, std::memory_order_relaxed);
    if (this->attempt(pending.json, timeout_ms, failure)) return true;
    const std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) {
      abandoned_ = true;
      break;
    }
  }
  if (failure.empty()) failure = "not attempted: the flush or shutdown deadline had passed";
  failure += " (" + std::to_string(attempts) + " attempt(s))";
  return false;
}

bool WebhookAlertSink::attempt(const std::string& json, std::int64_t timeout_ms,
                               std::string& failure) {
  CURL* curl = static_cast<CURL*>(curl_);
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(json.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_ms));
  const CURLcode code = curl_easy_perform(curl);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  if (code != CURLE_OK) {
    failure = curl_easy_strerror(code);
    if (error[0] != '\0') failure += std::string(": ") + error;
    return false;
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) return true;
  failure = "HTTP " + std::to_string(status);
  return false;
}

bool WebhookAlertSink::wait_backoff(std::int64_t backoff_ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  const Clock::time_point until = Clock::now() + std::chrono::milliseconds(backoff_ms);
  // Wakes at once on shutdown, or when a flush sets a deadline that leaves no time for the attempt
  // after this backoff.
  const auto cut_short = [&] {
    return stopping_ || (finished_ < drain_until_ && drain_deadline_ <= until);
  };
  if (work_ready_.wait_until(lock, until, cut_short)) {
    // Shutdown does not wait on an endpoint that has just failed: this alert and the rest go to
    // the fallback log.
    if (stopping_) abandoned_ = true;
    return false;
  }
  return true;
}

std::int64_t WebhookAlertSink::attempt_timeout_ms() {
  const std::lock_guard<std::mutex> lock(mutex_);
  if (finished_ >= drain_until_) return params_.timeout_ms;
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(drain_deadline_ - Clock::now());
  return std::min<std::int64_t>(params_.timeout_ms, left.count());
}

void WebhookAlertSink::fall_back(const Pending& pending, const std::string& reason,
                                 bool queue_full) {
  const bool written = fallback_->write_line(pending.json);
  if (written) {
    fallen_back_.fetch_add(1, std::memory_order_relaxed);
    if (queue_full) queue_full_.fetch_add(1, std::memory_order_relaxed);
  } else {
    dropped_.fetch_add(1, std::memory_order_relaxed);
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  ++undelivered_since_flush_;
  if (!written) ++dropped_since_flush_;
  if (!first_failure_) first_failure_ = "alert '" + pending.id + "': " + reason;
}

}  // namespace streamlearn::connectors
