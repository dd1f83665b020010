#include "cli/feature_line_printer.h"

#include "stream/feature_json.h"

namespace streamlearn::cli {

void FeatureLinePrinter::prediction(const stream::Event& /*event*/,
                                    const stream::Prediction& /*prediction*/,
                                    const stream::SourceRecord& /*origin*/) {}

void FeatureLinePrinter::features(const stream::Event& event, const core::FeatureVector& x,
                                  const stream::SourceRecord& /*origin*/) {
  stream::write_features_json(event, x, space_, line_);
  line_ += '\n';
  std::fwrite(line_.data(), 1, line_.size(), lines_);
  ++lines_written_;
}

void FeatureLinePrinter::rejected(const stream::SourceRecord& record,
                                  const stream::Rejection& rejection) {
  const std::string_view reason = stream::reject_reason_name(rejection.reason);
  std::fprintf(messages_, "%.*s/%d@%lld: %s (%.*s)\n", static_cast<int>(record.topic.size()),
               record.topic.data(), static_cast<int>(record.partition),
               static_cast<long long>(record.offset), rejection.message.c_str(),
               static_cast<int>(reason.size()), reason.data());
}

bool FeatureLinePrinter::flush() { return std::fflush(lines_) == 0 && std::ferror(lines_) == 0; }

}  // namespace streamlearn::cli
