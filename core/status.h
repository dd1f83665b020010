#pragma once

/// Status and Result<T>: how the boundary (CLI, config, registry look-up, connector set-up, model
/// load) reports errors a user can act on. The message says what went wrong, where, and what to
/// do. The hot path never returns these per record; it counts rejects instead.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace streamlearn::core {

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status error(std::string message) { return Status(std::move(message)); }

  bool is_ok() const { return !message_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  const std::string& message() const {
    static const std::string kEmpty;
    return message_ ? *message_ : kEmpty;
  }

 private:
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::optional<std::string> message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : state_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool is_ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return is_ok(); }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  Status status() const { return is_ok() ? Status::ok() : std::get<Status>(state_); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace streamlearn::core

/// Returns early from the enclosing function when `expr` yields a failed Status.
#define SL_RETURN_IF_ERROR(expr)                  \
  do {                                            \
    ::streamlearn::core::Status sl_status_ = (expr); \
    if (!sl_status_.is_ok()) return sl_status_;   \
  } while (false)
