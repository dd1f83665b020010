#include "connectors/synthetic/agrawal_generator.h"

#include <cmath>

#include "core/check.h"
#include "core/param_writer.h"

namespace streamlearn::connectors {
namespace {

constexpr const char* kFeatureNames[9] = {"salary",  "commission", "age",    "elevel", "car",
                                          "zipcode", "hvalue",     "hyears", "loan"};

bool within(double value, double low, double high) { return low <= value && value <= high; }

// Functions 6..9 (the paper's 7..10) label by disposable income; River: 0 when it exceeds 1.
int by_disposable(double disposable) { return disposable > 1 ? 0 : 1; }

}  // namespace

AgrawalGenerator::AgrawalGenerator(Params params, std::uint64_t seed, core::FeatureSpace& features,
                                   core::ClassSet& classes)
    : SyntheticStream(seed, features, classes), params_(params), random_(seed) {
  SL_CHECK(params.classification_function >= 0 && params.classification_function < 10);
  SL_CHECK(params.perturbation >= 0.0 && params.perturbation <= 1.0);
  for (int i = 0; i < 9; ++i) feature_ids_[i] = add_numeric_column(kFeatureNames[i]);
  class_ids_[0] = classes.intern("0");
  class_ids_[1] = classes.intern("1");
}

std::optional<AgrawalGenerator::Params> AgrawalGenerator::read_params(core::ParamReader& reader) {
  const Params defaults;
  Params params;
  params.classification_function =
      reader.integer("classification_function", defaults.classification_function);
  params.perturbation = reader.number("perturbation", defaults.perturbation);
  params.balance_classes = reader.boolean("balance_classes", defaults.balance_classes);
  bool valid = true;
  if (params.classification_function < 0 || params.classification_function > 9) {
    reader.reject("classification_function",
                  "must be 0..9, got " + std::to_string(params.classification_function));
    valid = false;
  }
  if (!(params.perturbation >= 0.0 && params.perturbation <= 1.0)) {
    reader.reject("perturbation", "must be in [0, 1], got " +
                                      core::ParamWriter::format_number(params.perturbation));
    valid = false;
  }
  if (!valid) return std::nullopt;
  return params;
}

int AgrawalGenerator::classify(std::int64_t function, const Record& r) {
  const bool young = r.age < 40;
  const bool middle = !young && r.age < 60;
  switch (function) {
    case 0:
      return (young || !middle) ? 1 : 0;
    case 1:
      if (young) return within(r.salary, 50000, 100000);
      if (middle) return within(r.salary, 75000, 125000);
      return within(r.salary, 25000, 75000);
    case 2:
      if (young) return r.elevel == 0 || r.elevel == 1;
      if (middle) return r.elevel == 1 || r.elevel == 2 || r.elevel == 3;
      return r.elevel == 2 || r.elevel == 3 || r.elevel == 4;
    case 3:
      if (young)
        return (r.elevel == 0 || r.elevel == 1) ? within(r.salary, 25000, 75000)
                                                : within(r.salary, 50000, 100000);
      if (middle)
        return (r.elevel == 1 || r.elevel == 2 || r.elevel == 3) ? within(r.salary, 50000, 100000)
                                                                 : within(r.salary, 75000, 125000);
      return (r.elevel == 2 || r.elevel == 3 || r.elevel == 4) ? within(r.salary, 50000, 100000)
                                                               : within(r.salary, 25000, 75000);
    case 4:
      // The paper's function 5 (see the header for River's version).
      if (young)
        return within(r.salary, 50000, 100000) ? within(r.loan, 100000, 300000)
                                               : within(r.loan, 200000, 400000);
      if (middle)
        return within(r.salary, 75000, 125000) ? within(r.loan, 200000, 400000)
                                               : within(r.loan, 300000, 500000);
      return within(r.salary, 25000, 75000) ? within(r.loan, 300000, 500000)
                                            : within(r.loan, 100000, 300000);
    case 5: {
      const double total = r.salary + r.commission;
      if (young) return within(total, 50000, 100000);
      if (middle) return within(total, 75000, 125000);
      return within(total, 25000, 75000);
    }
    case 6:
      return by_disposable(2 * (r.salary + r.commission) / 3 - r.loan / 5 - 20000);
    case 7:
      return by_disposable(2 * (r.salary + r.commission) / 3 - 5000 * r.elevel - 20000);
    case 8:
      return by_disposable(2 * (r.salary + r.commission) / 3 - 5000 * r.elevel - r.loan / 5 -
                           10000);
    case 9: {
      const double equity = r.hyears >= 20 ? r.hvalue * (r.hyears - 20) / 10 : 0.0;
      return by_disposable(2 * (r.salary + r.commission) / 3 - 5000 * r.elevel + equity / 5 -
                           10000);
    }
    default:
      SL_CHECK(function >= 0 && function < 10);
      return 0;
  }
}

std::string AgrawalGenerator::describe() const {
  const Params defaults;
  core::ParamWriter writer("agrawal");
  writer.integer("classification_function", params_.classification_function,
                 defaults.classification_function);
  writer.number("perturbation", params_.perturbation, defaults.perturbation);
  writer.boolean("balance_classes", params_.balance_classes, defaults.balance_classes);
  return writer.expression();
}

AgrawalGenerator::Record AgrawalGenerator::draw_record() {
  Record r;
  r.salary = random_.uniform(20000, 150000);
  r.commission = r.salary >= 75000 ? 0.0 : random_.uniform(10000, 85000);
  r.age = static_cast<double>(random_.between(20, 80));
  r.elevel = static_cast<double>(random_.between(0, 4));
  r.car = static_cast<double>(random_.between(1, 20));
  r.zipcode = static_cast<double>(random_.between(0, 8));
  r.hvalue = (8 - r.zipcode) * 100000 * random_.uniform(0.5, 1.5);
  r.hyears = static_cast<double>(random_.between(1, 30));
  r.loan = random_.uniform(0, 500000);
  return r;
}

double AgrawalGenerator::perturb(double value, double low, double high) {
  value += (high - low) * (2 * (random_.uniform() - 0.5)) * params_.perturbation;
  return value < low ? low : (value > high ? high : value);
}

void AgrawalGenerator::next(stream::Event& event) {
  Record r;
  int label = 0;
  while (true) {
    r = draw_record();
    label = classify(params_.classification_function, r);
    if (!params_.balance_classes) break;
    if (label == (next_class_should_be_zero_ ? 0 : 1)) {
      next_class_should_be_zero_ = !next_class_should_be_zero_;
      break;
    }
  }
  if (params_.perturbation > 0) {
    r.salary = perturb(r.salary, 20000, 150000);
    if (r.commission > 0) r.commission = perturb(r.commission, 10000, 75000);
    r.age = std::nearbyint(perturb(r.age, 20, 80));
    const double house_scale = (8 - r.zipcode) * 100000;
    r.hvalue = perturb(r.hvalue, 0.5 * house_scale, 1.5 * house_scale);
    r.hyears = std::nearbyint(perturb(r.hyears, 1, 30));
    r.loan = perturb(r.loan, 0, 500000);
  }
  event.clear();
  const double values[9] = {r.salary,  r.commission, r.age,    r.elevel, r.car,
                            r.zipcode, r.hvalue,     r.hyears, r.loan};
  for (int i = 0; i < 9; ++i) event.features.add_numeric(feature_ids_[i], values[i]);
  event.label = core::Target::of_class(class_ids_[label]);
}

std::unique_ptr<SyntheticStream> AgrawalGenerator::clone() const {
  return std::make_unique<AgrawalGenerator>(params_, seed(), feature_space(), class_set());
}

}  // namespace streamlearn::connectors
