#include "tests/learners/reference_stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <string>
#include <string_view>

namespace streamlearn::testing {

ReferenceStream read_reference_stream(const std::filesystem::path& path) {
  ReferenceStream stream;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::string line;
  std::getline(in, line);
  std::vector<std::string_view> names;
  for (std::size_t start = 0, end; start <= line.size(); start = end + 1) {
    end = std::min(line.find(',', start), line.size());
    names.push_back(std::string_view(line).substr(start, end - start));
  }
  names.pop_back();  // the label
  std::vector<core::FeatureId> columns;
  for (std::string_view name : names) columns.push_back(stream.features.feature(name));
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    LabelledEvent& event = stream.events.emplace_back();
    const char* cursor = line.data();
    const char* const end = line.data() + line.size();
    for (core::FeatureId id : columns) {
      double value = 0;
      const auto [next, error] = std::from_chars(cursor, end, value);
      EXPECT_EQ(error, std::errc()) << path << ": " << line;
      event.x.add_numeric(id, value);
      cursor = next + 1;  // skip the comma
    }
    event.y = core::Target::of_class(
        stream.classes.intern(std::string_view(cursor, static_cast<std::size_t>(end - cursor))));
  }
  return stream;
}

PrequentialScore score_prequential(learners::Learner& model, const ReferenceStream& stream) {
  PrequentialScore score;
  std::uint64_t correct = 0;
  core::ClassProbabilities proba;
  for (const LabelledEvent& event : stream.events) {
    model.predict_proba_one(event.x, proba);
    if (!proba.empty()) {
      ++score.scored;
      if (proba.argmax() == event.y.class_id) ++correct;
      const double p = std::clamp(proba.get(core::ClassSet::kPositive), 1e-15, 1 - 1e-15);
      const double loss =
          event.y.class_id == core::ClassSet::kPositive ? -std::log(p) : -std::log(1 - p);
      score.log_loss += (1.0 / static_cast<double>(score.scored)) * (loss - score.log_loss);
    }
    model.learn_one(event.x, event.y);
  }
  score.accuracy = static_cast<double>(correct) / static_cast<double>(score.scored);
  return score;
}

}  // namespace streamlearn::testing
