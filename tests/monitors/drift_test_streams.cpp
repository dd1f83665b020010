#include "tests/monitors/drift_test_streams.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "monitors/drift/drift_detector_registry.h"
#include "tests/monitors/split_mix64.h"

namespace streamlearn::testing {

using monitors::DriftDetector;
using monitors::SplitMix64;

std::vector<double> error_stream(std::uint64_t seed, std::size_t length, std::size_t change_at,
                                 double rate_before, double rate_after) {
  SplitMix64 rng(seed);
  std::vector<double> values;
  values.reserve(length);
  for (std::size_t i = 0; i < length; ++i)
    values.push_back(rng.uniform() < (i < change_at ? rate_before : rate_after) ? 1.0 : 0.0);
  return values;
}

std::vector<double> gaussian_stream(std::uint64_t seed, std::size_t length, double mean,
                                    double standard_deviation) {
  SplitMix64 rng(seed);
  std::vector<double> values;
  values.reserve(length);
  for (std::size_t i = 0; i < length; ++i) {
    const double u1 = rng.uniform();
    const double u2 = rng.uniform();
    values.push_back(mean + standard_deviation * std::sqrt(-2.0 * std::log(1.0 - u1)) *
                                std::cos(2.0 * std::numbers::pi * u2));
  }
  return values;
}

std::vector<double> stepped_uniform_stream(std::uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<double> values;
  for (int i = 0; i < 6000; ++i) {
    const double shift = i < 1500 ? 0.0 : i < 3000 ? 0.5 : i < 4500 ? 0.2 : 0.9;
    values.push_back(rng.uniform() + shift);
  }
  return values;
}

std::vector<double> river_docstring_stream() {
  // Generated with CPython and packed four values per hex digit, first value in the most
  // significant bit.
  constexpr std::string_view kHex =
      "8e136c8fdf80874fc1a8b318f746b6f1cc65334459360e205be053cf74cb74931cfac5a61b1f1e35f5eb486b"
      "a8b57c980f4619b8252c65fff1e0991f1dc10940b1be1b6c6b762ded9692595d2aa0c702eb0a4ae9bc826fde"
      "33c07e5b0d7178ed66cb6bd732c6bb9ea97ce79b47341c643b756ff993eb2fd5f1cc44e8237cfa535094fdbe"
      "f93fbebba9fbfe9ffb3babf1babb457d3f3ebf5f8effe675fff1e75f2fdffffcc5daeebffbe76ad96f363cbb"
      "4daff3fb7d87af7ffbdfbb7d9fff3cdbdeff17dfbfdc3f6ebf3fde37ef0d7fbafffadbf67f6f7fbfba97e3df"
      "e51f3f3aeddafdefaff57e27bd23d9fa8fe6d765f7f5affff70f5bc3657f";
  std::vector<double> values;
  for (const char digit : kHex) {
    const int nibble = digit <= '9' ? digit - '0' : digit - 'a' + 10;
    for (int bit = 3; bit >= 0; --bit) values.push_back((nibble >> bit) & 1);
  }
  return values;
}

std::vector<std::string> docstring_report(DriftDetector& detector,
                                          const std::vector<double>& values) {
  std::vector<std::string> lines;
  bool print_warning = true;
  for (std::size_t i = 0; i < values.size(); ++i) {
    detector.update(values[i]);
    if (detector.warning_detected() && print_warning) {
      lines.push_back("Warning detected at index " + std::to_string(i));
      print_warning = false;
    }
    if (detector.drift_detected()) {
      lines.push_back("Change detected at index " + std::to_string(i));
      print_warning = true;
    }
  }
  return lines;
}

DriftFlags collect_flags(DriftDetector& detector, const std::vector<double>& values,
                         std::size_t first) {
  DriftFlags flags;
  for (std::size_t i = first; i < values.size(); ++i) {
    detector.update(values[i]);
    if (detector.drift_detected()) flags.drifts.push_back(i);
    if (detector.warning_detected()) flags.warnings.push_back(i);
  }
  return flags;
}

std::vector<std::size_t> drift_indices(DriftDetector& detector, const std::vector<double>& values,
                                       std::size_t first) {
  std::vector<std::size_t> indices;
  for (std::size_t i = first; i < values.size(); ++i) {
    detector.update(values[i]);
    if (detector.drift_detected()) indices.push_back(i);
  }
  return indices;
}

std::unique_ptr<DriftDetector> build_detector(std::string_view expression) {
  auto detector = monitors::DriftDetectorRegistry::builtin().build(expression);
  EXPECT_TRUE(detector.is_ok()) << detector.status().message();
  return std::move(detector).value();
}

}  // namespace streamlearn::testing
