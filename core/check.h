#pragma once

/// SL_CHECK / SL_DCHECK: programmer-error assertions that print both operands and abort. Never
/// used on data: bad input is counted and routed, not asserted.

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

namespace streamlearn::core {

[[noreturn]] inline void check_failed(const char* file, int line, const char* expression,
                                      const std::string& detail) {
  std::fprintf(stderr, "%s:%d: internal error: check failed: %s%s%s\n", file, line, expression,
               detail.empty() ? "" : " ", detail.c_str());
  std::abort();
}

template <typename A, typename B>
std::string describe_operands(const A& a, const B& b) {
  std::ostringstream out;
  out << "(" << a << " vs " << b << ")";
  return out.str();
}

}  // namespace streamlearn::core

#define SL_CHECK(condition)                                                        \
  do {                                                                             \
    if (!(condition)) ::streamlearn::core::check_failed(__FILE__, __LINE__, #condition, ""); \
  } while (false)

#define SL_CHECK_OP(a, op, b)                                                     \
  do {                                                                            \
    const auto& sl_a_ = (a);                                                      \
    const auto& sl_b_ = (b);                                                      \
    if (!(sl_a_ op sl_b_))                                                        \
      ::streamlearn::core::check_failed(__FILE__, __LINE__, #a " " #op " " #b,     \
                                        ::streamlearn::core::describe_operands(sl_a_, sl_b_)); \
  } while (false)

#define SL_CHECK_EQ(a, b) SL_CHECK_OP(a, ==, b)
#define SL_CHECK_LT(a, b) SL_CHECK_OP(a, <, b)
#define SL_CHECK_LE(a, b) SL_CHECK_OP(a, <=, b)

#ifdef NDEBUG
#define SL_DCHECK(condition) \
  do {                       \
  } while (false)
#define SL_DCHECK_LT(a, b) \
  do {                     \
  } while (false)
#else
#define SL_DCHECK(condition) SL_CHECK(condition)
#define SL_DCHECK_LT(a, b) SL_CHECK_LT(a, b)
#endif
