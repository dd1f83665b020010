// Number parsing, the largest single cost of `evaluate` on CSV: the fields of
// ../shared/reference/streams/sea_drift_100k.csv (300,000 values written the shortest way, 16 and
// 17 significant digits, as Python writes them) read with std::from_chars and with the decoders'
// fast path (stream::internal::parse_short_decimal: Clinger's fast path, an 80-bit division for
// 17-19 digits, eight digits at a time), which gives the same doubles bit for bit
// (tests/stream/parsed_number_test.cpp). Items are numbers.
//
//   build/bench/sl_bench --benchmark_filter=ParseNumbers --benchmark_repetitions=10
//                        --benchmark_enable_random_interleaving=true

#include <benchmark/benchmark.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "stream/parsed_number.h"

namespace streamlearn {
namespace {

/// The numeric fields of the file, one string each.
const std::vector<std::string>& fields() {
  static const std::vector<std::string> values = [] {
    const char* shared = std::getenv("SL_SHARED_DIR");
    std::ifstream file(std::filesystem::path(shared ? shared : SL_DEFAULT_SHARED_DIR) /
                       "reference" / "streams" / "sea_drift_100k.csv");
    std::vector<std::string> out;
    std::string line;
    std::getline(file, line);  // the header
    while (std::getline(file, line)) {
      std::size_t start = 0;
      for (int column = 0; column < 3; ++column) {
        const std::size_t comma = line.find(',', start);
        out.push_back(line.substr(start, comma - start));
        start = comma + 1;
      }
    }
    return out;
  }();
  return values;
}

template <typename Parse>
void run(benchmark::State& state, Parse&& parse) {
  const std::vector<std::string>& values = fields();
  if (values.empty()) {
    state.SkipWithError("sea_drift_100k.csv not found: set SL_SHARED_DIR");
    return;
  }
  for (auto _ : state) {
    double sum = 0.0;
    for (const std::string& text : values) sum += parse(text);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * values.size()));
}

void BM_ParseNumbers_FromChars(benchmark::State& state) {
  run(state, [](const std::string& text) {
    double value = 0.0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
  });
}
BENCHMARK(BM_ParseNumbers_FromChars)->Unit(benchmark::kMillisecond);

void BM_ParseNumbers_ShortDecimal(benchmark::State& state) {
  run(state, [](const std::string& text) {
    double value = 0.0;
    if (!stream::internal::parse_short_decimal(text.data(), text.data() + text.size(), value))
      std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
  });
}
BENCHMARK(BM_ParseNumbers_ShortDecimal)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace streamlearn
