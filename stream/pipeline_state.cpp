#include "stream/pipeline_state.h"

#include <chrono>

namespace streamlearn::stream {
namespace {

constexpr std::uint32_t kVersion = 1;

bool read_header(core::StateReader& in, PipelineState::Header& header) {
  return in.expect_version(kVersion) && in.read_string(header.model) &&
         in.read(header.saved_at_ms) && in.read(header.events) && in.read_string(header.position);
}

}  // namespace

std::string PipelineState::save(const Parts& parts, const SavePosition& save_position) {
  core::StateWriter position;
  save_position(position);
  core::StateWriter out;
  out.write(kVersion);
  out.write_string(parts.model);
  out.write<std::int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count());
  out.write<std::uint64_t>(parts.evaluator->events());
  out.write_string(position.bytes());
  parts.space->save(out);
  parts.classes->save(out);
  parts.windows->save(out);
  parts.evaluator->save(out);
  out.write_bool(parts.delayed != nullptr);
  if (parts.delayed) parts.delayed->save(out);
  out.write_bool(parts.serving != nullptr);
  if (parts.serving) parts.serving->save(out);
  return out.bytes();
}

core::Result<PipelineState::Header> PipelineState::header(std::string_view payload) {
  core::StateReader in(payload);
  Header header;
  if (!read_header(in, header)) return in.status("checkpoint");
  return header;
}

core::Status PipelineState::load(std::string_view payload, const Parts& parts,
                                 const LoadPosition& load_position) {
  core::StateReader in(payload);
  Header header;
  if (!read_header(in, header)) return in.status("checkpoint");
  if (header.model != parts.model)
    return core::Status::error("the checkpoint holds the model '" + header.model +
                               "', the configuration builds '" + parts.model +
                               "': restore the configuration, or start afresh with another "
                               "checkpoint directory");
  const auto part = [](std::string_view what, core::Status status) {
    return status ? status : core::Status::error(std::string(what) + ": " + status.message());
  };
  if (core::Status s = part("feature names", parts.space->load(in)); !s) return s;
  if (core::Status s = part("classes", parts.classes->load(in)); !s) return s;
  if (core::Status s = part("windows", parts.windows->load(in)); !s) return s;
  if (core::Status s = part("evaluator", parts.evaluator->load(in)); !s) return s;
  bool delayed = false, serving = false;
  if (!in.read_bool(delayed)) return in.status("checkpoint");
  if (delayed != (parts.delayed != nullptr))
    return core::Status::error(delayed ? "the checkpoint has delayed labels (--delay) but this "
                                         "run has none: use the same --delay"
                                       : "the checkpoint has no delayed labels but this run has "
                                         "--delay: use the same --delay");
  if (delayed) {
    if (core::Status s = part("delayed labels",
                              parts.delayed->load(in, *parts.space, *parts.classes));
        !s)
      return s;
  }
  if (!in.read_bool(serving)) return in.status("checkpoint");
  if (serving != (parts.serving != nullptr))
    return core::Status::error("the checkpoint was written by another command (evaluate and run "
                               "checkpoints are not interchangeable)");
  if (serving) {
    if (core::Status s = part("pending predictions",
                              parts.serving->load(in, *parts.space, *parts.classes));
        !s)
      return s;
  }
  if (!in.at_end()) return core::Status::error("checkpoint: unexpected bytes after the state");
  core::StateReader position(header.position);
  if (core::Status s = part("source position", load_position(position)); !s) return s;
  return core::Status::ok();
}

}  // namespace streamlearn::stream
