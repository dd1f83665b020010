#pragma once

/// The seeded input streams and flag-collecting loops shared by the drift detector tests: streams
/// built on SplitMix64 (easy to rebuild bit for bit in Python, where the golden values come from),
/// the 0/1 stream of River's docstring examples, and loops that record where a detector flags.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "monitors/drift/drift_detector.h"

namespace streamlearn::testing {

/// Errors (1) with probability rate_before until change_at, then with rate_after; else 0.
std::vector<double> error_stream(std::uint64_t seed, std::size_t length, std::size_t change_at,
                                 double rate_before, double rate_after);

/// Normal values by Box-Muller on SplitMix64, the same on every standard library.
std::vector<double> gaussian_stream(std::uint64_t seed, std::size_t length, double mean,
                                    double standard_deviation = 1.0);

/// 6000 uniform [0, 1) values whose mean steps up by 0.5, down by 0.3, then up by 0.7, every 1500
/// values. Only additions of SplitMix64 uniforms, so a Python transcription reproduces it bit for
/// bit.
std::vector<double> stepped_uniform_stream(std::uint64_t seed);

/// The 2000 values of River's docstring examples for the binary detectors:
/// rng = random.Random(42); rng.choices([0, 1], k=1000) + rng.choices([0, 1], k=1000,
/// weights=[0.3, 0.7]).
std::vector<double> river_docstring_stream();

/// What River's docstring loop prints: the first warning after each drift, and every drift, as
/// "Warning detected at index i" / "Change detected at index i".
std::vector<std::string> docstring_report(monitors::DriftDetector& detector,
                                          const std::vector<double>& values);

/// The indices at which a detector signalled drift and warning.
struct DriftFlags {
  std::vector<std::size_t> drifts;
  std::vector<std::size_t> warnings;
};

/// Updates the detector with values[first..] and records the indices of its flags.
DriftFlags collect_flags(monitors::DriftDetector& detector, const std::vector<double>& values,
                         std::size_t first = 0);

/// Updates the detector with values[first..] and returns the indices where it signalled drift.
std::vector<std::size_t> drift_indices(monitors::DriftDetector& detector,
                                       const std::vector<double>& values, std::size_t first = 0);

/// Builds a detector from a model expression with the built-in registry; a failure fails the
/// running test.
std::unique_ptr<monitors::DriftDetector> build_detector(std::string_view expression);

}  // namespace streamlearn::testing
