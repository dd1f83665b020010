#include "monitors/metrics/accuracy.h"

#include "core/check.h"

namespace streamlearn::monitors {
namespace {

constexpr std::uint32_t kStateVersion = 1;

}  // namespace

void Accuracy::update(core::ClassId y_true, core::ClassId y_pred) {
  ++count_;
  if (y_true == y_pred) ++num_correct_;
}

void Accuracy::revert(core::ClassId y_true, core::ClassId y_pred) {
  SL_DCHECK(count_ > 0);
  --count_;
  if (y_true == y_pred) --num_correct_;
}

void Accuracy::merge(const Accuracy& other) {
  count_ += other.count_;
  num_correct_ += other.num_correct_;
}

double Accuracy::get() const {
  if (count_ == 0) return 0.0;
  return static_cast<double>(num_correct_) / static_cast<double>(count_);
}

void Accuracy::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  out.write(count_);
  out.write(num_correct_);
}

core::Status Accuracy::load(core::StateReader& in) {
  Accuracy loaded;
  if (in.expect_version(kStateVersion) && in.read(loaded.count_) && in.read(loaded.num_correct_)) {
    if (loaded.num_correct_ > loaded.count_)
      in.fail();
    else
      *this = loaded;
  }
  return in.status("Accuracy");
}

}  // namespace streamlearn::monitors
