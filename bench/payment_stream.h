#pragma once

// PaymentStream: the card payments the window and checkpoint benchmarks feed a pipeline with. A
// user (one of `population`, drawn uniformly, fixed seed), a merchant (one of 1,000), an amount
// (log-normal around the user's typical amount, 4x for fraud) and a fraud label (2%), at 10
// million events per hour of event time, so that each of 1,000,000 users pays about 10 times an
// hour; a fifth of the events arrive up to 10 s out of order. With `retire`, the live users are a
// range of ids that slides by the population every hour: a user pays for about an hour and is
// then silent for ever.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <string_view>
#include <vector>

#include "core/feature_space.h"
#include "stream/event.h"
#include "tests/monitors/split_mix64.h"

namespace streamlearn::bench {

constexpr std::uint32_t kNumUsers = 1'000'000;
constexpr std::uint32_t kNumMerchants = 1'000;
constexpr std::uint64_t kEventsPerHour = 10'000'000;
constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kStartMs = 1'700'000'000'000 / kHourMs * kHourMs;  // on an hour
constexpr std::int32_t kMaxLagMs = 10'000;
constexpr double kLaggedFraction = 0.2;
constexpr double kFraudRate = 0.02;

// The payment stream described at the top. The user is drawn per event (so that every one of the
// population turns up); the rest is drawn once, 2^22 times, and cycled, so that the timed loop
// costs a few nanoseconds per event.
class PaymentStream {
 public:
  enum class User : std::uint8_t {
    kNumber,  // a number, which the window keys by its shortest text
    kText,    // a string ("u123"), interned in the FeatureSpace as it arrives, as decoders do
    kEntity,  // a string ("u123") carried as a key field, as decoders do with schema entities
  };
  struct Params {
    User user = User::kNumber;
    std::uint32_t population = kNumUsers;
    bool retire = false;  // the live range of user ids slides by `population` an hour
  };

  PaymentStream(core::FeatureSpace& space, Params params)
      : space_(space),
        params_(params),
        user_(space.feature("user")),
        merchant_(space.feature("merchant")),
        amount_(space.feature("amount")) {
    monitors::SplitMix64 rng(20261121);
    draws_.resize(kNumDraws);
    for (Draw& draw : draws_) {
      draw.merchant = static_cast<std::uint32_t>(rng.next() % kNumMerchants);
      // Log-normal spread around the user's typical amount (Box-Muller).
      const double u1 = rng.uniform();
      const double u2 = rng.uniform();
      const double normal =
          std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(2.0 * std::numbers::pi * u2);
      draw.amount_factor = std::exp(0.5 * normal);
      draw.lag_ms = rng.uniform() < kLaggedFraction
                        ? static_cast<std::int32_t>(rng.next() % kMaxLagMs)
                        : 0;
      draw.fraud = rng.uniform() < kFraudRate;
    }
    for (std::uint32_t m = 0; m < kNumMerchants; ++m)
      merchants_.push_back(intern(merchant_, "m" + std::to_string(m)));
  }

  void next(stream::Event& event) {
    const Draw& draw = draws_[position_ % kNumDraws];
    const std::uint64_t shift =
        params_.retire ? position_ * params_.population / kEventsPerHour : 0;
    // Uniform in [0, population) by Lemire's multiply-shift (no division).
    const std::uint64_t user = shift + (((user_rng_.next() >> 32) * params_.population) >> 32);
    event.clear();
    event.event_time_ms =
        kStartMs + static_cast<std::int64_t>(position_ * kHourMs / kEventsPerHour) - draw.lag_ms;
    switch (params_.user) {
      case User::kNumber:
        event.features.add_numeric(user_, static_cast<double>(user));
        break;
      case User::kText: {
        char text[24] = {'u'};
        const Category category =
            intern(user_, std::string_view(text, std::to_chars(text + 1, text + 24, user).ptr));
        event.features.add_categorical(user_, category.value, category.indicator);
        break;
      }
      case User::kEntity: {
        char text[24] = {'u'};
        event.features.add_key(
            user_, std::string_view(text, std::to_chars(text + 1, text + 24, user).ptr));
        break;
      }
    }
    const Category& merchant = merchants_[draw.merchant];
    event.features.add_categorical(merchant_, merchant.value, merchant.indicator);
    // The user's typical amount, 10 to 110, from its id.
    const double typical = 10.0 + static_cast<double>(user * 2654435761u % 1000) / 10.0;
    event.features.add_numeric(amount_, typical * draw.amount_factor * (draw.fraud ? 4.0 : 1.0));
    event.label = core::Target::of_class(draw.fraud ? 1 : 0);
    ++position_;
  }

  std::uint64_t position() const { return position_; }

 private:
  static constexpr std::size_t kNumDraws = std::size_t{1} << 22;
  struct Draw {
    std::uint32_t merchant;
    double amount_factor;
    std::int32_t lag_ms;
    bool fraud;
  };
  struct Category {
    core::SymbolId value;
    core::FeatureId indicator;
  };
  Category intern(core::FeatureId feature, std::string_view text) {
    const core::SymbolId value = space_.value(text);
    return {value, space_.indicator(feature, value)};
  }

  core::FeatureSpace& space_;
  Params params_;
  core::FeatureId user_;
  core::FeatureId merchant_;
  core::FeatureId amount_;
  std::vector<Draw> draws_;
  monitors::SplitMix64 user_rng_{2026};
  std::vector<Category> merchants_;
  std::uint64_t position_ = 0;
};

}  // namespace streamlearn::bench
