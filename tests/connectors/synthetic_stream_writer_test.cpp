#include "connectors/synthetic/synthetic_stream_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "connectors/synthetic/concept_drift_stream.h"
#include "connectors/synthetic/sine_generator.h"
#include "connectors/synthetic/synthetic_stream_registry.h"
#include "stream/csv_row_decoder.h"
#include "stream/json_event_decoder.h"

namespace streamlearn::connectors {
namespace {

// Writes n events of `stream` with a writer in `format`; returns the text and the events.
std::string write_events(SyntheticStream& stream, SyntheticStreamWriter::Format format, int n,
                         std::vector<stream::Event>* events) {
  std::FILE* file = std::tmpfile();
  EXPECT_NE(file, nullptr);
  if (!file) return {};
  {
    SyntheticStreamWriter writer(file, format, stream);
    writer.write_header();
    stream::Event event;
    for (int i = 0; i < n; ++i) {
      stream.next(event);
      writer.write(event);
      if (events) events->push_back(event);
    }
    EXPECT_TRUE(writer.finish().is_ok());
  }
  std::rewind(file);
  std::string text;
  char buffer[4096];
  std::size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof(buffer), file)) > 0) text.append(buffer, read);
  std::fclose(file);
  return text;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// A stream whose one categorical feature takes values that need quoting and escaping.
class AwkwardValues final : public SyntheticStream {
 public:
  AwkwardValues(core::FeatureSpace& features, core::ClassSet& classes)
      : SyntheticStream(0, features, classes), id_(add_categorical_column("text")) {
    label_ = classes.intern("a \"class\"");
  }
  std::string describe() const override { return "awkward"; }
  void next(stream::Event& event) override {
    static const char* const kValues[3] = {"plain", "a,b \"quoted\"", "tab\tback\\slash"};
    event.clear();
    const core::SymbolId value = feature_space().value(kValues[count_++ % 3]);
    event.features.add_categorical(id_, value, feature_space().indicator(id_, value));
    event.label = core::Target::of_class(label_);
  }
  std::unique_ptr<SyntheticStream> clone() const override {
    return std::make_unique<AwkwardValues>(feature_space(), class_set());
  }

 private:
  core::FeatureId id_;
  core::ClassId label_ = 0;
  int count_ = 0;
};

TEST(SyntheticStreamWriterTest, HeaderExampleWritesAHeaderRowAndOneRowPerEvent) {
  core::FeatureSpace features;
  core::ClassSet classes;
  auto stream = SyntheticStreamRegistry::builtin().build("sea", 1, features, classes);
  ASSERT_TRUE(stream.is_ok());
  const auto lines =
      lines_of(write_events(**stream, SyntheticStreamWriter::Format::kCsv, 5, nullptr));
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0], "x0,x1,x2,label");
  for (std::size_t i = 1; i < lines.size(); ++i) {
    EXPECT_EQ(std::count(lines[i].begin(), lines[i].end(), ','), 3) << lines[i];
    EXPECT_TRUE(lines[i].ends_with(",0") || lines[i].ends_with(",1")) << lines[i];
  }
}

TEST(SyntheticStreamWriterTest, ParseFormatKnowsCsvAndJsonLines) {
  EXPECT_EQ(SyntheticStreamWriter::parse_format("csv"), SyntheticStreamWriter::Format::kCsv);
  EXPECT_EQ(SyntheticStreamWriter::parse_format("jsonl"),
            SyntheticStreamWriter::Format::kJsonLines);
  EXPECT_EQ(SyntheticStreamWriter::parse_format("ndjson"),
            SyntheticStreamWriter::Format::kJsonLines);
  EXPECT_FALSE(SyntheticStreamWriter::parse_format("parquet").has_value());
}

// Every generator, written and decoded again by evaluate's decoders, gives back its exact events:
// doubles round-trip bit for bit, categorical values stay text.
TEST(SyntheticStreamWriterTest, CsvAndJsonLinesDecodeBackToTheSameEvents) {
  for (const auto& entry : SyntheticStreamRegistry::builtin().entries()) {
    for (const auto format :
         {SyntheticStreamWriter::Format::kCsv, SyntheticStreamWriter::Format::kJsonLines}) {
      core::FeatureSpace features;
      core::ClassSet classes;
      auto stream = SyntheticStreamRegistry::builtin().build(entry.name, 3, features, classes);
      ASSERT_TRUE(stream.is_ok()) << stream.status().message();
      std::vector<stream::Event> events;
      const auto lines = lines_of(write_events(**stream, format, 300, &events));
      const bool csv = format == SyntheticStreamWriter::Format::kCsv;
      ASSERT_EQ(lines.size(), events.size() + (csv ? 1 : 0)) << entry.name;
      // The decoders intern into the same spaces, so equal events mean equal names and values.
      stream::Event decoded;
      if (csv) {
        auto decoder =
            stream::CsvRowDecoder::create(lines[0], {.target = "label"}, features, classes);
        ASSERT_TRUE(decoder.is_ok()) << decoder.status().message();
        for (std::size_t i = 0; i < events.size(); ++i) {
          const auto rejection = decoder->decode(lines[i + 1], decoded);
          ASSERT_FALSE(rejection.has_value()) << entry.name << ": " << rejection->message;
          ASSERT_EQ(decoded.features, events[i].features) << entry.name << ": " << lines[i + 1];
          ASSERT_EQ(decoded.label, events[i].label) << entry.name << ": " << lines[i + 1];
        }
      } else {
        auto decoder = stream::JsonEventDecoder::create({.target = "label"}, features, classes);
        ASSERT_TRUE(decoder.is_ok()) << decoder.status().message();
        for (std::size_t i = 0; i < events.size(); ++i) {
          const auto rejection = decoder->decode(lines[i], decoded);
          ASSERT_FALSE(rejection.has_value()) << entry.name << ": " << rejection->message;
          ASSERT_EQ(decoded.features, events[i].features) << entry.name << ": " << lines[i];
          ASSERT_EQ(decoded.label, events[i].label) << entry.name << ": " << lines[i];
        }
      }
    }
  }
}

TEST(SyntheticStreamWriterTest, JsonLinesWritesNumbersAsNumbersAndCategoriesAsStrings) {
  core::FeatureSpace features;
  core::ClassSet classes;
  auto stream = SyntheticStreamRegistry::builtin().build("stagger", 1, features, classes);
  ASSERT_TRUE(stream.is_ok()) << stream.status().message();
  const auto stagger =
      lines_of(write_events(**stream, SyntheticStreamWriter::Format::kJsonLines, 1, nullptr));
  ASSERT_EQ(stagger.size(), 1u);
  EXPECT_TRUE(stagger[0].starts_with("{\"size\":\"")) << stagger[0];
  EXPECT_NE(stagger[0].find(",\"color\":\""), std::string::npos) << stagger[0];
  EXPECT_TRUE(stagger[0].ends_with(",\"label\":\"0\"}") ||
              stagger[0].ends_with(",\"label\":\"1\"}"))
      << stagger[0];
  auto agrawal = SyntheticStreamRegistry::builtin().build("agrawal", 1, features, classes);
  ASSERT_TRUE(agrawal.is_ok());
  const auto records =
      lines_of(write_events(**agrawal, SyntheticStreamWriter::Format::kJsonLines, 20, nullptr));
  for (const std::string& record : records) {
    EXPECT_TRUE(record.starts_with("{\"salary\":")) << record;
    EXPECT_EQ(record.find("\"salary\":\""), std::string::npos) << record;  // not a string
    // Integer-valued features print without a fraction, as River's ints do.
    const std::size_t age = record.find("\"age\":");
    ASSERT_NE(age, std::string::npos);
    const std::size_t end = record.find(',', age);
    EXPECT_EQ(record.substr(age + 6, end - age - 6).find('.'), std::string::npos) << record;
  }
}

TEST(SyntheticStreamWriterTest, QuotesCsvFieldsAndEscapesJsonStrings) {
  core::FeatureSpace features;
  core::ClassSet classes;
  AwkwardValues awkward(features, classes);
  const auto csv = lines_of(write_events(awkward, SyntheticStreamWriter::Format::kCsv, 3, nullptr));
  ASSERT_EQ(csv.size(), 4u);
  EXPECT_EQ(csv[0], "text,label");
  EXPECT_EQ(csv[1], "plain,\"a \"\"class\"\"\"");
  EXPECT_EQ(csv[2], "\"a,b \"\"quoted\"\"\",\"a \"\"class\"\"\"");
  EXPECT_EQ(csv[3], "tab\tback\\slash,\"a \"\"class\"\"\"");
  AwkwardValues again(features, classes);
  const auto json =
      lines_of(write_events(again, SyntheticStreamWriter::Format::kJsonLines, 3, nullptr));
  ASSERT_EQ(json.size(), 3u);
  EXPECT_EQ(json[1], R"({"text":"a,b \"quoted\"","label":"a \"class\""})");
  EXPECT_EQ(json[2], R"({"text":"tab\tback\\slash","label":"a \"class\""})");
}

TEST(SyntheticStreamWriterTest, AFeatureTheEventLacksIsAnEmptyCellOrAnAbsentKey) {
  core::FeatureSpace features;
  core::ClassSet classes;
  // Sine without noise (x0, x1) suddenly drifting into sine with noise (x0 .. x3) at event 3.
  ConceptDriftStream drifting(
      std::make_unique<SineGenerator>(SineGenerator::Params{}, 1, features, classes),
      std::make_unique<SineGenerator>(SineGenerator::Params{.has_noise = true}, 2, features,
                                      classes),
      {.position = 3, .width = 1}, 3);
  const auto csv =
      lines_of(write_events(drifting, SyntheticStreamWriter::Format::kCsv, 8, nullptr));
  ASSERT_EQ(csv.size(), 9u);
  EXPECT_EQ(csv[0], "x0,x1,x2,x3,label");
  EXPECT_NE(csv[1].find(",,,"), std::string::npos) << csv[1];  // x2 and x3 empty
  EXPECT_EQ(csv[8].find(",,"), std::string::npos) << csv[8];   // all four present
  auto clone = drifting.clone();
  const auto json =
      lines_of(write_events(*clone, SyntheticStreamWriter::Format::kJsonLines, 8, nullptr));
  EXPECT_EQ(json[0].find("\"x2\""), std::string::npos) << json[0];
  EXPECT_NE(json[7].find("\"x3\":"), std::string::npos) << json[7];
}

TEST(SyntheticStreamWriterTest, FinishReportsAFailedWrite) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this system";
  std::FILE* full = std::fopen("/dev/full", "w");
  ASSERT_NE(full, nullptr);
  core::FeatureSpace features;
  core::ClassSet classes;
  auto stream = SyntheticStreamRegistry::builtin().build("sea", 1, features, classes);
  ASSERT_TRUE(stream.is_ok());
  core::Status status;
  {
    SyntheticStreamWriter writer(full, SyntheticStreamWriter::Format::kCsv, **stream);
    writer.write_header();
    stream::Event event;
    for (int i = 0; i < 10; ++i) {
      (*stream)->next(event);
      writer.write(event);
    }
    status = writer.finish();
  }
  std::fclose(full);
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("writing the stream failed: No space left on device"),
            std::string::npos)
      << status.message();
}

}  // namespace
}  // namespace streamlearn::connectors
