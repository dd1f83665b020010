#pragma once

// An evaluator whose logistic regression is challenged by a naive Bayes (window 50, no automatic
// promotion), after 100 labelled events of a band-shaped concept (x in [2, 4] is class 1) that the
// naive Bayes learns better: the state the challenger's routes and metrics report on.

#include <memory>

#include "learners/learner_registry.h"
#include "stream/challenger.h"
#include "stream/prequential_evaluator.h"

namespace streamlearn::testing {

struct ChallengedEvaluator {
  ChallengedEvaluator() {
    evaluator.challenge_with(std::make_unique<stream::Challenger>(
        std::move(learners::LearnerRegistry::builtin().build("gaussian_nb")).value(),
        stream::Challenger::Params{.window = 50, .auto_promote = false}));
    for (int i = 0; i < 100; ++i) {
      stream::Event event;
      event.features.add_numeric(0, i % 7);
      event.label = core::Target::of_class(i % 7 >= 2 && i % 7 <= 4 ? 1 : 0);
      evaluator.process(event);
    }
  }

  std::unique_ptr<learners::Learner> model =
      std::move(learners::LearnerRegistry::builtin().build("logistic_regression")).value();
  stream::PrequentialEvaluator evaluator{*model, {}};
};

}  // namespace streamlearn::testing
