#include "connectors/files/model_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "connectors/files/checksummed_file.h"
#include "stream/pipeline_model.h"
#include "tests/test_support.h"

namespace streamlearn::connectors {
namespace {

constexpr const char* kModel = "standard_scaler | logistic_regression";

/// A model trained on a few events over the features a, b and the classes red / blue.
struct Trained {
  core::FeatureSpace space;
  core::ClassSet classes;
  std::unique_ptr<learners::Learner> learner;
};

std::unique_ptr<Trained> trained() {
  auto result = std::make_unique<Trained>();
  auto model = stream::PipelineModel::build(kModel, result->space);
  EXPECT_TRUE(model) << model.status().message();
  result->learner = std::move(model->learner);
  const core::FeatureId a = result->space.feature("a"), b = result->space.feature("b");
  const core::ClassId red = result->classes.intern("red");
  const core::ClassId blue = result->classes.intern("blue");
  for (int i = 0; i < 200; ++i) {
    core::FeatureVector x;
    x.add_numeric(a, i % 7);
    x.add_numeric(b, (i * 3) % 5);
    result->learner->learn_one(x, core::Target::of_class((i % 7) > 3 ? blue : red));
  }
  return result;
}

TEST(ModelFileTest, ARoundTripThroughAFileGivesTheSamePredictions) {
  const std::unique_ptr<Trained> source = trained();
  const ModelFile file =
      ModelFile::of(kModel, 3, 200, source->space, source->classes, *source->learner);
  const std::string path = (testing::scratch_dir() / "m.slmodel").string();
  ASSERT_TRUE(file.write(path));
  auto read = ModelFile::read(path);
  ASSERT_TRUE(read) << read.status().message();
  EXPECT_EQ(read->expression, kModel);
  EXPECT_EQ(read->model_version, 3u);
  EXPECT_EQ(read->events, 200u);

  core::FeatureSpace space;
  core::ClassSet classes;
  auto model = stream::PipelineModel::build(kModel, space);
  ASSERT_TRUE(model);
  ASSERT_TRUE(read->load_names(space, classes));
  ASSERT_TRUE(read->load_learner(*model->learner));
  EXPECT_EQ(space.find_feature("b"), source->space.find_feature("b"));
  EXPECT_EQ(classes.name(1), "blue");
  for (int i = 0; i < 20; ++i) {
    core::FeatureVector x;
    x.add_numeric(*space.find_feature("a"), i * 0.5);
    x.add_numeric(*space.find_feature("b"), 4 - i * 0.25);
    core::ClassProbabilities expected, actual;
    source->learner->predict_proba_one(x, expected);
    model->learner->predict_proba_one(x, actual);
    ASSERT_EQ(expected.size(), actual.size());
    for (core::ClassId c = 0; c < expected.size(); ++c) EXPECT_EQ(expected[c], actual[c]) << i;
  }
}

TEST(ModelFileTest, EveryCorruptedByteIsDetected) {
  const std::unique_ptr<Trained> source = trained();
  const std::string bytes =
      ModelFile::of(kModel, 1, 200, source->space, source->classes, *source->learner).encode();
  ASSERT_TRUE(ModelFile::decode(bytes));
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    std::string flipped = bytes;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x01);
    EXPECT_FALSE(ModelFile::decode(flipped)) << at;
  }
  EXPECT_FALSE(ModelFile::decode(bytes.substr(0, bytes.size() - 1)));
  auto checkpoint = ModelFile::decode(ChecksummedFile::encode("SLCKPT\r\n", 1, "x"));
  ASSERT_FALSE(checkpoint);
  EXPECT_NE(checkpoint.status().message().find("not a streamlearn model file"), std::string::npos)
      << checkpoint.status().message();
}

TEST(ModelFileTest, ConflictingNamesAreRefusedAndChangeNothing) {
  const std::unique_ptr<Trained> source = trained();
  const ModelFile file =
      ModelFile::of(kModel, 1, 200, source->space, source->classes, *source->learner);
  core::FeatureSpace space;
  core::ClassSet classes;
  space.feature("b");  // a source opened first: "b" has id 0, the file says "a"
  classes.intern("maybe");
  const core::Status loaded = file.load_names(space, classes);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.message().find("feature names"), std::string::npos) << loaded.message();
  EXPECT_EQ(space.num_features(), 1u);
  EXPECT_EQ(classes.size(), 1u);
}

TEST(ModelFileTest, AnExclusiveWriteRefusesAnExistingFile) {
  const std::string path = (testing::scratch_dir() / "request.json").string();
  ASSERT_TRUE(ChecksummedFile::write_atomically(path, "one", ChecksummedFile::Existing::kRefuse));
  const core::Status second =
      ChecksummedFile::write_atomically(path, "two", ChecksummedFile::Existing::kRefuse);
  ASSERT_FALSE(second);
  EXPECT_NE(second.message().find("exists already"), std::string::npos) << second.message();
  EXPECT_EQ(ChecksummedFile::read(path).value(), "one");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

}  // namespace
}  // namespace streamlearn::connectors
