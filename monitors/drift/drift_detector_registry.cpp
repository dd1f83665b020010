#include "monitors/drift/drift_detector_registry.h"

#include "core/model_expression.h"
#include "monitors/drift/adwin.h"
#include "monitors/drift/ddm.h"
#include "monitors/drift/eddm.h"
#include "monitors/drift/hddm_a.h"
#include "monitors/drift/hddm_w.h"
#include "monitors/drift/kswin.h"
#include "monitors/drift/page_hinkley.h"

namespace streamlearn::monitors {

const DriftDetectorRegistry& DriftDetectorRegistry::builtin() {
  static const DriftDetectorRegistry registry = [] {
    DriftDetectorRegistry r;
    r.add("adwin", Adwin::create, "ADaptive WINdowing (River drift.ADWIN)");
    r.add("ddm", Ddm::create, "Drift Detection Method, binary input (River drift.binary.DDM)");
    r.add("eddm", Eddm::create,
          "Early Drift Detection Method, binary input (River drift.binary.EDDM)");
    r.add("hddm_a", HddmA::create,
          "Hoeffding's bound drift detection, averages (River drift.binary.HDDM_A)");
    r.add("hddm_w", HddmW::create,
          "Hoeffding's bound drift detection, weighted averages (River drift.binary.HDDM_W)");
    r.add("page_hinkley", PageHinkley::create, "Page-Hinkley test (River drift.PageHinkley)");
    r.add("kswin", Kswin::create,
          "Kolmogorov-Smirnov windowing (River drift.KSWIN)");
    return r;
  }();
  return registry;
}

void DriftDetectorRegistry::add(std::string name, Factory factory, std::string summary) {
  factories_[std::move(name)] = {std::move(factory), std::move(summary)};
}

core::Result<std::unique_ptr<DriftDetector>> DriftDetectorRegistry::build(
    std::string_view expression) const {
  auto steps = core::parse_model_expression(expression);
  if (!steps) return steps.status();
  const std::string prefix = "detector expression '" + std::string(expression) + "': ";
  if (steps->size() != 1)
    return core::Status::error(prefix + "name one detector, e.g. 'adwin(delta=0.002)'");
  const core::ModelStep& step = steps->front();
  auto it = factories_.find(step.name);
  if (it == factories_.end()) {
    std::string known;
    for (const auto& [name, unused] : factories_) known += (known.empty() ? "" : ", ") + name;
    return core::Status::error(prefix + "unknown detector '" + step.name + "' (known: " + known +
                               ")");
  }
  core::ParamReader params(step.name, step.params);
  std::unique_ptr<DriftDetector> detector = it->second.factory(params);
  if (core::Status status = params.finish(); !status)
    return core::Status::error(prefix + status.message());
  return detector;
}

std::vector<DriftDetectorRegistry::Entry> DriftDetectorRegistry::entries() const {
  std::vector<Entry> entries;
  for (const auto& [name, registration] : factories_) entries.push_back({name, registration.summary});
  return entries;
}

}  // namespace streamlearn::monitors
