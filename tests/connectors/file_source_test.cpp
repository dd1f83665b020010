#include "connectors/files/file_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/test_support.h"

namespace streamlearn::connectors {
namespace {

using stream::RejectReason;
using ::testing::HasSubstr;
using Next = FileSource::Next;

std::filesystem::path write_file(const std::filesystem::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return path;
}

std::filesystem::path write_gzip(const std::filesystem::path& path, std::string_view content) {
  gzFile file = gzopen(path.c_str(), "wb");
  EXPECT_NE(file, nullptr);
  EXPECT_EQ(gzwrite(file, content.data(), static_cast<unsigned>(content.size())),
            static_cast<int>(content.size()));
  EXPECT_EQ(gzclose(file), Z_OK);
  return path;
}

class FileSourceTest : public ::testing::Test {
 protected:
  std::unique_ptr<FileSource> open(const std::filesystem::path& path,
                                   const stream::EventSchema& schema,
                                   FileSource::Options options = {}) {
    core::Result<std::unique_ptr<FileSource>> source =
        FileSource::open(path, schema, space_, classes_, options);
    EXPECT_TRUE(source.is_ok()) << source.status().message();
    return source.is_ok() ? std::move(source).value() : nullptr;
  }

  std::string open_error(const std::filesystem::path& path, const stream::EventSchema& schema) {
    core::Result<std::unique_ptr<FileSource>> source =
        FileSource::open(path, schema, space_, classes_);
    EXPECT_FALSE(source.is_ok()) << path;
    return source.status().message();
  }

  // Every result of next() up to kEnd or kError, in order.
  std::vector<Next> drain(FileSource& source) {
    std::vector<Next> results;
    Next next;
    do {
      next = source.next(event_);
      results.push_back(next);
    } while (next != Next::kEnd && next != Next::kError);
    return results;
  }

  core::FeatureSpace space_;
  core::ClassSet classes_;
  stream::Event event_;
};

TEST_F(FileSourceTest, ReplaysTheHeaderExample) {
  const auto path = write_file(streamlearn::testing::scratch_dir() / "events.csv",
                               "x,color,label\n1.5,red,UP\n2.5,blue,DOWN\n");
  auto source = FileSource::open(path, {.target = "label"}, space_, classes_);
  ASSERT_TRUE(source) << source.status().message();
  stream::Event event;
  std::vector<std::string> labels;
  for (FileSource::Next next; (next = (*source)->next(event)) != FileSource::Next::kEnd;) {
    ASSERT_EQ(next, FileSource::Next::kEvent);
    labels.push_back(classes_.name(event.label.class_id));
  }
  EXPECT_EQ(labels, (std::vector<std::string>{"UP", "DOWN"}));
  EXPECT_EQ((*source)->format(), FileSource::Format::kCsv);
  EXPECT_EQ((*source)->events_read(), 2u);
  EXPECT_EQ((*source)->lines_read(), 3u);
  EXPECT_EQ((*source)->next(event), FileSource::Next::kEnd);  // the end stays the end
}

TEST_F(FileSourceTest, ReplaysJsonLines) {
  const auto path = write_file(streamlearn::testing::scratch_dir() / "events.jsonl",
                               "{\"x\": 1.5, \"label\": \"UP\"}\n{\"x\": -1, \"label\": \"DOWN\"}");
  auto source = open(path, {.target = "label"});
  ASSERT_TRUE(source);
  EXPECT_EQ(source->format(), FileSource::Format::kJsonLines);
  ASSERT_EQ(source->next(event_), Next::kEvent);
  EXPECT_EQ(event_.features.find_numeric(space_.feature("x"))->value, 1.5);
  ASSERT_EQ(source->next(event_), Next::kEvent);
  EXPECT_EQ(classes_.name(event_.label.class_id), "DOWN");
  EXPECT_EQ(source->next(event_), Next::kEnd);
  EXPECT_EQ(source->lines_read(), 2u);
}

TEST_F(FileSourceTest, ReadsGzippedCsvAndJsonLines) {
  const auto dir = streamlearn::testing::scratch_dir();
  write_gzip(dir / "a.csv.gz", "x,label\r\n1,A\r\n2,B\r\n");
  write_gzip(dir / "b.jsonl.gz", "{\"x\": 1, \"label\": \"A\"}\n\n{\"x\": 2, \"label\": \"B\"}\n");
  for (const char* name : {"a.csv.gz", "b.jsonl.gz"}) {
    auto source = open(dir / name, {.target = "label"});
    ASSERT_TRUE(source);
    EXPECT_EQ(drain(*source), (std::vector<Next>{Next::kEvent, Next::kEvent, Next::kEnd})) << name;
    EXPECT_EQ(event_.features.find_numeric(space_.feature("x"))->value, 2.0);
    EXPECT_EQ(classes_.name(event_.label.class_id), "B");
  }
}

TEST_F(FileSourceTest, ChoosesTheFormatByExtension) {
  EXPECT_EQ(FileSource::format_of("data.csv").value(), FileSource::Format::kCsv);
  EXPECT_EQ(FileSource::format_of("/tmp/DATA.CSV.GZ").value(), FileSource::Format::kCsv);
  for (const char* name : {"a.jsonl", "a.json", "a.ndjson", "a.jsonl.gz", "a.json.gz", "a.NDJSON"})
    EXPECT_EQ(FileSource::format_of(name).value(), FileSource::Format::kJsonLines) << name;
  for (const char* name : {"a.txt", "a.gz", "a.csv.bz2", "a", "csv", "a.tsv"})
    EXPECT_FALSE(FileSource::format_of(name).is_ok()) << name;
}

TEST_F(FileSourceTest, UnknownExtensionFailsListingTheSupportedOnes) {
  const auto path = write_file(streamlearn::testing::scratch_dir() / "data.txt", "x\n1\n");
  const std::string message = open_error(path, {});
  EXPECT_THAT(message, HasSubstr("data.txt"));
  EXPECT_THAT(message, HasSubstr(".csv, .jsonl, .ndjson or .json"));
  EXPECT_THAT(message, HasSubstr(".gz"));
}

TEST_F(FileSourceTest, MissingFileFailsWithThePathAndTheReason) {
  const auto path = streamlearn::testing::scratch_dir() / "absent.csv";
  const std::string message = open_error(path, {});
  EXPECT_THAT(message, HasSubstr(path.string()));
  EXPECT_THAT(message, HasSubstr("No such file or directory"));
}

// One line per reject reason a CSV file can produce, with empty lines between.
constexpr std::string_view kMixedCsv =
    "x1,x2,label\n"    // 1
    "1,2,A\n"          // 2  event
    "1,nan,A\n"        // 3  non_finite
    "1,inf,B\n"        // 4  non_finite
    "1,1e999,A\n"      // 5  out_of_range
    "1,1e308,B\n"      // 6  event: huge but finite
    "1,2\n"            // 7  field_count
    "1,2,3,4\n"        // 8  field_count
    "\n"               // 9  empty
    "1,2,\n"           // 10 missing_target
    "\"1,2,A\n"        // 11 malformed (unterminated quote)
    "1,-Infinity,A\n"  // 12 non_finite
    "  \t\n"           // 13 empty
    "3,red,B\n";       // 14 event

TEST_F(FileSourceTest, CountsRejectsByReasonExactly) {
  const auto path = write_file(streamlearn::testing::scratch_dir() / "data.csv", kMixedCsv);
  auto source = open(path, {.target = "label"});
  ASSERT_TRUE(source);
  std::vector<std::uint64_t> rejected_lines;
  std::vector<std::uint64_t> event_lines;
  for (Next next; (next = source->next(event_)) != Next::kEnd;) {
    ASSERT_NE(next, Next::kError) << source->error().message();
    if (next == Next::kRejected) rejected_lines.push_back(source->last_rejection().line_number);
    if (next == Next::kEvent) event_lines.push_back(source->lines_read());
  }
  EXPECT_EQ(event_lines, (std::vector<std::uint64_t>{2, 6, 14}));
  EXPECT_EQ(rejected_lines, (std::vector<std::uint64_t>{3, 4, 5, 7, 8, 10, 11, 12}));
  const stream::RejectCounts& rejects = source->rejects();
  EXPECT_EQ(rejects.count(RejectReason::kNonFinite), 3u);
  EXPECT_EQ(rejects.count(RejectReason::kOutOfRange), 1u);
  EXPECT_EQ(rejects.count(RejectReason::kFieldCount), 2u);
  EXPECT_EQ(rejects.count(RejectReason::kMissingTarget), 1u);
  EXPECT_EQ(rejects.count(RejectReason::kMalformedRecord), 1u);
  EXPECT_EQ(rejects.total(), 8u);
  EXPECT_EQ(source->events_read(), 3u);
  EXPECT_EQ(source->empty_lines(), 2u);
  EXPECT_EQ(source->lines_read(), 14u);
}

TEST_F(FileSourceTest, KeepsTheLineNumberMessageAndOriginalBytesOfARejectedLine) {
  const auto path = write_file(streamlearn::testing::scratch_dir() / "data.csv",
                               "x1,x2,label\r\n1,2,A\r\n\"a,b\",nan,A\r\n");
  auto source = open(path, {.target = "label"});
  ASSERT_TRUE(source);
  ASSERT_EQ(source->next(event_), Next::kEvent);
  ASSERT_EQ(source->next(event_), Next::kRejected);
  const FileSource::RejectedLine& rejection = source->last_rejection();
  EXPECT_EQ(rejection.reason, RejectReason::kNonFinite);
  EXPECT_EQ(rejection.line_number, 3u);
  EXPECT_EQ(rejection.offset_bytes, 20u);
  EXPECT_EQ(rejection.message, path.string() + ":3: column 'x2': 'nan' is not a finite number");
  EXPECT_EQ(rejection.bytes, "\"a,b\",nan,A");
  EXPECT_EQ(source->next(event_), Next::kEnd);
}

TEST_F(FileSourceTest, StrictModeStopsAtTheFirstBadLine) {
  const auto path = write_file(streamlearn::testing::scratch_dir() / "data.csv", kMixedCsv);
  auto source = open(path, {.target = "label"}, {.strict = true});
  ASSERT_TRUE(source);
  EXPECT_EQ(drain(*source), (std::vector<Next>{Next::kEvent, Next::kError}));
  EXPECT_THAT(source->error().message(),
              HasSubstr("data.csv:3: column 'x2': 'nan' is not a finite number"));
  EXPECT_EQ(source->last_rejection().line_number, 3u);
  EXPECT_EQ(source->last_rejection().bytes, "1,nan,A");
  EXPECT_EQ(source->rejects().total(), 1u);
  EXPECT_EQ(source->next(event_), Next::kError);  // it stays stopped
  EXPECT_EQ(source->lines_read(), 3u);
}

TEST_F(FileSourceTest, StrictModeReadsACleanFileToTheEnd) {
  const auto path =
      write_file(streamlearn::testing::scratch_dir() / "data.csv", "x,label\n1,A\n\n2,B");
  auto source = open(path, {.target = "label"}, {.strict = true});
  ASSERT_TRUE(source);
  EXPECT_EQ(drain(*source), (std::vector<Next>{Next::kEvent, Next::kEvent, Next::kEnd}));
  EXPECT_EQ(source->empty_lines(), 1u);
}

TEST_F(FileSourceTest, HandlesCrLfAndAMissingTrailingNewline) {
  const auto path =
      write_file(streamlearn::testing::scratch_dir() / "data.csv", "x,label\r\n1,A\r\n2,B");
  auto source = open(path, {.target = "label"});
  ASSERT_TRUE(source);
  EXPECT_EQ(drain(*source), (std::vector<Next>{Next::kEvent, Next::kEvent, Next::kEnd}));
  EXPECT_EQ(classes_.name(event_.label.class_id), "B");  // not "B\r"
  EXPECT_EQ(classes_.size(), 2u);
}

TEST_F(FileSourceTest, EmptyLinesBeforeTheHeaderAreSkipped) {
  const auto path =
      write_file(streamlearn::testing::scratch_dir() / "data.csv", "\n\nx,label\n1,nan\n");
  auto source = open(path, {.target = "label"});
  ASSERT_TRUE(source);
  ASSERT_EQ(source->next(event_), Next::kEvent);  // a class label "nan" is just text
  EXPECT_EQ(classes_.name(event_.label.class_id), "nan");
  EXPECT_EQ(source->empty_lines(), 2u);
  EXPECT_EQ(source->lines_read(), 4u);
}

TEST_F(FileSourceTest, MissingConfiguredColumnFailsAtOpenListingTheColumns) {
  const auto path =
      write_file(streamlearn::testing::scratch_dir() / "data.csv", "x1,x2,y\n1,2,3\n");
  const std::string message = open_error(path, {.target = "label", .key_field = "user"});
  EXPECT_THAT(message, HasSubstr("data.csv:1: "));
  EXPECT_THAT(message, HasSubstr("no column 'label' (configured as the target)"));
  EXPECT_THAT(message, HasSubstr("no column 'user' (configured as the key field)"));
  EXPECT_THAT(message, HasSubstr("the columns are: x1, x2, y"));
}

TEST_F(FileSourceTest, CsvWithoutAHeaderRowFailsAtOpen) {
  const auto dir = streamlearn::testing::scratch_dir();
  for (const char* content : {"", "\n\n"}) {
    write_file(dir / "empty.csv", content);
    EXPECT_THAT(open_error(dir / "empty.csv", {}), HasSubstr("needs a header row"));
  }
}

TEST_F(FileSourceTest, EmptyJsonLinesFileHasNoEvents) {
  const auto path = write_file(streamlearn::testing::scratch_dir() / "empty.jsonl", "\n");
  auto source = open(path, {});
  ASSERT_TRUE(source);
  EXPECT_EQ(source->next(event_), Next::kEnd);
  EXPECT_EQ(source->empty_lines(), 1u);
}

TEST_F(FileSourceTest, JsonArrayFileFailsAtOpen) {
  const auto path = write_file(streamlearn::testing::scratch_dir() / "data.json",
                               "[\n  {\"x\": 1},\n  {\"x\": 2}\n]\n");
  const std::string message = open_error(path, {});
  EXPECT_THAT(message, HasSubstr("data.json:1: "));
  EXPECT_THAT(message, HasSubstr("JSON array"));
}

TEST_F(FileSourceTest, CountsJsonLinesRejectsByReason) {
  const auto path = write_file(streamlearn::testing::scratch_dir() / "data.ndjson",
                               "{\"x\": 1, \"y\": \"A\"}\n"           // 1 event
                               "{\"x\": 1, \"y\": \"A\"\n"            // 2 malformed
                               "{\"x\": NaN, \"y\": \"A\"}\n"         // 3 non_finite
                               "   \n"                                // 4 empty
                               "{\"x\": {\"a\": 1}, \"y\": \"A\"}\n"  // 5 bad_field_type
                               "{\"x\": 1e999, \"y\": \"A\"}\n"       // 6 out_of_range
                               "{\"x\": 1}\n"                         // 7 missing_target
                               "{\"x\": 2, \"y\": \"B\"}\n");         // 8 event
  auto source = open(path, {.target = "y"});
  ASSERT_TRUE(source);
  EXPECT_EQ(drain(*source),
            (std::vector<Next>{Next::kEvent, Next::kRejected, Next::kRejected, Next::kRejected,
                               Next::kRejected, Next::kRejected, Next::kEvent, Next::kEnd}));
  const stream::RejectCounts& rejects = source->rejects();
  EXPECT_EQ(rejects.count(RejectReason::kMalformedRecord), 1u);
  EXPECT_EQ(rejects.count(RejectReason::kNonFinite), 1u);
  EXPECT_EQ(rejects.count(RejectReason::kBadFieldType), 1u);
  EXPECT_EQ(rejects.count(RejectReason::kOutOfRange), 1u);
  EXPECT_EQ(rejects.count(RejectReason::kMissingTarget), 1u);
  EXPECT_EQ(rejects.total(), 5u);
  EXPECT_EQ(source->empty_lines(), 1u);
  EXPECT_EQ(source->lines_read(), 8u);
}

TEST_F(FileSourceTest, FirstJsonLineCanBeRejectedWithItsLineNumber) {
  const auto path = write_file(streamlearn::testing::scratch_dir() / "data.jsonl",
                               "\n{\"x\": \"a\", \"m\": [1]}\n{\"x\": 1}\n");
  auto source = open(path, {});
  ASSERT_TRUE(source);
  ASSERT_EQ(source->next(event_), Next::kRejected);
  EXPECT_EQ(source->last_rejection().line_number, 2u);
  EXPECT_EQ(source->last_rejection().offset_bytes, 1u);
  EXPECT_EQ(source->last_rejection().bytes, "{\"x\": \"a\", \"m\": [1]}");
  EXPECT_THAT(source->last_rejection().message, HasSubstr("data.jsonl:2: field 'm'"));
  EXPECT_EQ(source->next(event_), Next::kEvent);
  EXPECT_EQ(source->next(event_), Next::kEnd);
}

TEST_F(FileSourceTest, TruncatedGzipEndsWithAnError) {
  const auto dir = streamlearn::testing::scratch_dir();
  std::string content = "x,label\n";
  for (int i = 0; i < 50000; ++i) content += std::to_string(i) + ",A\n";
  write_gzip(dir / "full.csv.gz", content);
  std::ifstream full(dir / "full.csv.gz", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(full)), std::istreambuf_iterator<char>());
  write_file(dir / "cut.csv.gz", std::string_view(bytes).substr(0, bytes.size() / 2));
  auto source = open(dir / "cut.csv.gz", {.target = "label"});
  ASSERT_TRUE(source);
  const std::vector<Next> results = drain(*source);
  EXPECT_EQ(results.back(), Next::kError);
  EXPECT_THAT(source->error().message(), HasSubstr("cut.csv.gz"));
  EXPECT_GT(source->events_read(), 0u);
}

TEST_F(FileSourceTest, SchemaGivingAFieldTwoRolesFailsAtOpen) {
  const auto path = write_file(streamlearn::testing::scratch_dir() / "data.jsonl", "{}\n");
  EXPECT_THAT(open_error(path, {.target = "a", .ignore = {"a"}}),
              HasSubstr("'a' is configured as both the target and the ignored field"));
}

TEST_F(FileSourceTest, ReplaysTheSharedSeaStreamWithoutRejects) {
  SL_REQUIRE_SHARED_DIR(shared);
  const auto path = shared / "reference" / "streams" / "sea_drift_100k.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is absent";
  auto source = open(path, {.target = "label"}, {.strict = true});
  ASSERT_TRUE(source);
  std::uint64_t events = 0;
  for (Next next; (next = source->next(event_)) != Next::kEnd;) {
    ASSERT_EQ(next, Next::kEvent) << source->error().message();
    ASSERT_EQ(event_.features.numeric().size(), 3u);
    ++events;
  }
  EXPECT_EQ(events, 100000u);
  EXPECT_EQ(source->lines_read(), 100001u);
  EXPECT_TRUE(classes_.boolean());
}

/// What next() returns from here on, as comparable text: the result, the line, and the event's
/// numbers or the rejection's message.
std::vector<std::string> rest_of(FileSource& source, stream::Event& event) {
  std::vector<std::string> rest;
  for (Next next; (next = source.next(event)) != Next::kEnd;) {
    if (next == Next::kError) return {"error " + source.error().message()};
    std::string entry = next == Next::kEvent ? "event " + std::to_string(source.event_line_number())
                                             : "rejected " + source.last_rejection().message;
    for (const core::NumericFeature& feature : event.features.numeric())
      entry += " " + std::to_string(feature.value);
    rest.push_back(entry);
  }
  return rest;
}

TEST_F(FileSourceTest, ResumingAtASavedPositionReplaysExactlyTheRest) {
  for (const char* name : {"data.csv", "data.jsonl"}) {
    const bool csv = std::string_view(name).ends_with(".csv");
    const auto path = write_file(
        streamlearn::testing::scratch_dir() / name,
        csv ? kMixedCsv
            : "{\"x\": 1, \"label\": \"a\"}\n\n{\"x\": nan}\n{\"x\": 2, \"label\": \"b\"}\n"
              "{\"x\": 3, \"label\": \"a\"}\n");
    auto whole = open(path, {.target = "label"});
    ASSERT_TRUE(whole);
    const std::vector<std::string> everything = rest_of(*whole, event_);
    for (std::size_t cut = 0; cut <= everything.size(); ++cut) {
      auto original = open(path, {.target = "label"});
      for (std::size_t i = 0; i < cut; ++i) ASSERT_NE(original->next(event_), Next::kEnd);
      core::StateWriter saved;
      original->save_position(saved);
      auto resumed = open(path, {.target = "label"});
      core::StateReader reader(saved.bytes());
      const core::Status status = resumed->resume(reader);
      ASSERT_TRUE(status.is_ok()) << name << " cut " << cut << ": " << status.message();
      EXPECT_EQ(rest_of(*resumed, event_),
                std::vector<std::string>(everything.begin() + static_cast<std::ptrdiff_t>(cut),
                                         everything.end()))
          << name << " cut " << cut;
      EXPECT_EQ(resumed->rejects().total(), whole->rejects().total()) << name << " cut " << cut;
      EXPECT_EQ(resumed->events_read(), whole->events_read());
      EXPECT_EQ(resumed->empty_lines(), whole->empty_lines());
    }
  }
}

TEST_F(FileSourceTest, ResumingInAFileThatChangedIsAnError) {
  const auto path =
      write_file(streamlearn::testing::scratch_dir() / "data.csv", "x,label\n1,a\n2,b\n3,a\n");
  auto original = open(path, {.target = "label"});
  ASSERT_EQ(original->next(event_), Next::kEvent);
  ASSERT_EQ(original->next(event_), Next::kEvent);
  core::StateWriter saved;
  original->save_position(saved);
  // The first row grew by a byte: line 3 no longer starts where it did.
  write_file(path, "x,label\n10,a\n2,b\n3,a\n");
  auto changed = open(path, {.target = "label"});
  core::StateReader reader(saved.bytes());
  const core::Status status = changed->resume(reader);
  ASSERT_FALSE(status.is_ok());
  EXPECT_THAT(status.message(), HasSubstr("is not the one checkpointed"));
  EXPECT_THAT(status.message(), HasSubstr("line 3 starts at byte 13, not 12"));
  // Shorter than the position.
  write_file(path, "x,label\n1,a\n");
  auto shorter = open(path, {.target = "label"});
  core::StateReader again(saved.bytes());
  EXPECT_THAT(shorter->resume(again).message(), HasSubstr("the file ends at line 2"));
}

}  // namespace
}  // namespace streamlearn::connectors
