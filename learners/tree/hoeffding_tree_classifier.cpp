#include "learners/tree/hoeffding_tree_classifier.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/param_writer.h"

namespace streamlearn::learners {
namespace {

using tree::ClassWeights;
using tree::HoeffdingLeaf;
using tree::SplitSuggestion;

constexpr std::uint32_t kStateVersion = 1;
constexpr std::int64_t kUnset = std::numeric_limits<std::int64_t>::min();
// More classes than any ClassSet hands out in practice: a saved state claiming more is corrupt (and
// would make predict_proba_one allocate that many probabilities).
constexpr std::uint64_t kMaxClassSlots = std::uint64_t{1} << 24;

// The learners are streaming: every event weighs 1 (River's default sample weight).
constexpr double kWeight = 1.0;

const char* criterion_name(HoeffdingTreeClassifier::Criterion criterion) {
  return criterion == HoeffdingTreeClassifier::Criterion::kGini ? "gini" : "info_gain";
}

const char* leaf_prediction_name(HoeffdingTreeClassifier::LeafPrediction prediction) {
  switch (prediction) {
    case HoeffdingTreeClassifier::LeafPrediction::kMajorityClass:
      return "mc";
    case HoeffdingTreeClassifier::LeafPrediction::kNaiveBayes:
      return "nb";
    case HoeffdingTreeClassifier::LeafPrediction::kNaiveBayesAdaptive:
      break;
  }
  return "nba";
}

// sqrt(R^2 ln(1/delta) / 2n), in River's order of operations.
double hoeffding_bound(double range, double delta, double weight) {
  return std::sqrt((range * range * std::log(1.0 / delta)) / (2.0 * weight));
}

}  // namespace

std::unique_ptr<Learner> HoeffdingTreeClassifier::create(core::ParamReader& reader) {
  Params params;
  params.grace_period = reader.integer("grace_period", params.grace_period);
  if (params.grace_period < 1) reader.reject("grace_period", "must be at least 1");

  const std::int64_t max_depth = reader.integer("max_depth", kUnset);
  if (max_depth != kUnset) {
    if (max_depth < 0 || max_depth > UINT32_MAX) {
      reader.reject("max_depth", "must be between 0 and 4294967295 (leave it out for no limit)");
    } else {
      params.max_depth = max_depth;
    }
  }

  const std::string criterion = reader.text("split_criterion", "info_gain");
  if (criterion == "gini") {
    params.split_criterion = Criterion::kGini;
  } else if (criterion != "info_gain") {
    reader.reject("split_criterion", "'" + criterion +
                                         "' is not supported: use info_gain or gini (River's "
                                         "hellinger is not implemented)");
  }

  params.delta = reader.number("delta", params.delta);
  if (!(params.delta > 0 && params.delta < 1))
    reader.reject("delta", "must be strictly between 0 and 1");
  params.tau = reader.number("tau", params.tau);
  if (params.tau < 0) reader.reject("tau", "must be at least 0");

  const std::string prediction = reader.text("leaf_prediction", "nba");
  if (prediction == "mc") {
    params.leaf_prediction = LeafPrediction::kMajorityClass;
  } else if (prediction == "nb") {
    params.leaf_prediction = LeafPrediction::kNaiveBayes;
  } else if (prediction != "nba") {
    reader.reject("leaf_prediction", "'" + prediction + "' is not one of mc, nb, nba");
  }

  params.nb_threshold = reader.integer("nb_threshold", params.nb_threshold);
  if (params.nb_threshold < 0) reader.reject("nb_threshold", "must be at least 0");
  params.binary_split = reader.boolean("binary_split", params.binary_split);
  params.min_branch_fraction = reader.number("min_branch_fraction", params.min_branch_fraction);
  if (!(params.min_branch_fraction >= 0 && params.min_branch_fraction < 1))
    reader.reject("min_branch_fraction", "must be at least 0 and below 1");
  params.max_share_to_split = reader.number("max_share_to_split", params.max_share_to_split);
  if (!(params.max_share_to_split > 0 && params.max_share_to_split <= 1))
    reader.reject("max_share_to_split", "must be above 0 and at most 1");
  params.merit_preprune = reader.boolean("merit_preprune", params.merit_preprune);
  params.remove_poor_attrs = reader.boolean("remove_poor_attrs", params.remove_poor_attrs);
  return std::make_unique<HoeffdingTreeClassifier>(params);
}

std::string HoeffdingTreeClassifier::describe() const {
  const Params defaults;
  core::ParamWriter writer("hoeffding_tree");
  writer.integer("grace_period", params_.grace_period, defaults.grace_period);
  writer.integer("max_depth", params_.max_depth);
  writer.text("split_criterion", criterion_name(params_.split_criterion),
              criterion_name(defaults.split_criterion));
  writer.number("delta", params_.delta, defaults.delta);
  writer.number("tau", params_.tau, defaults.tau);
  writer.text("leaf_prediction", leaf_prediction_name(params_.leaf_prediction),
              leaf_prediction_name(defaults.leaf_prediction));
  writer.integer("nb_threshold", params_.nb_threshold, defaults.nb_threshold);
  writer.boolean("binary_split", params_.binary_split, defaults.binary_split);
  writer.number("min_branch_fraction", params_.min_branch_fraction, defaults.min_branch_fraction);
  writer.number("max_share_to_split", params_.max_share_to_split, defaults.max_share_to_split);
  writer.boolean("merit_preprune", params_.merit_preprune, defaults.merit_preprune);
  writer.boolean("remove_poor_attrs", params_.remove_poor_attrs, defaults.remove_poor_attrs);
  return writer.expression();
}

std::unique_ptr<Learner> HoeffdingTreeClassifier::clone() const {
  return std::make_unique<HoeffdingTreeClassifier>(params_);
}

std::size_t HoeffdingTreeClassifier::num_leaves() const {
  std::size_t count = 0;
  for (const Node& node : nodes_) count += node.kind == Node::Kind::kLeaf ? 1 : 0;
  return count;
}

std::size_t HoeffdingTreeClassifier::depth() const {
  std::size_t deepest = 0;
  for (const Node& node : nodes_)
    if (node.kind == Node::Kind::kLeaf) deepest = std::max<std::size_t>(deepest, node.depth);
  return deepest;
}

std::uint32_t HoeffdingTreeClassifier::route(const Node& node) const {
  switch (node.kind) {
    case Node::Kind::kNumericBinary: {
      const double* value = lookup_.numeric(node.feature);
      if (value == nullptr) return kNone;
      return *value <= node.threshold ? node.left : node.right;
    }
    case Node::Kind::kNominalBinary: {
      const core::SymbolId* value = lookup_.categorical(node.feature);
      if (value == nullptr) return kNone;
      return *value == node.value ? node.left : node.right;
    }
    case Node::Kind::kNominalMultiway: {
      const core::SymbolId* value = lookup_.categorical(node.feature);
      if (value == nullptr) return kNone;
      const auto& mapping = node.branch_of_value;
      auto it =
          std::lower_bound(mapping.begin(), mapping.end(), *value,
                           [](const auto& entry, core::SymbolId v) { return entry.first < v; });
      if (it == mapping.end() || it->first != *value) return kNone;
      return node.children[it->second];
    }
    case Node::Kind::kLeaf:
      break;
  }
  return kNone;
}

std::uint32_t HoeffdingTreeClassifier::descend(std::uint32_t index) const {
  const Node* nodes = nodes_.data();
  for (;;) {
    // Numeric thresholds, most branches of most trees, in a loop with no call.
    while (nodes[index].kind == Node::Kind::kNumericBinary) {
      const Node& node = nodes[index];
      const double* value = lookup_.numeric(node.feature);
      if (value == nullptr) return index;
      index = *value <= node.threshold ? node.left : node.right;
    }
    if (nodes[index].kind == Node::Kind::kLeaf) return index;
    const std::uint32_t child = route(nodes[index]);
    if (child == kNone) return index;
    index = child;
  }
}

double HoeffdingTreeClassifier::subtree_weight(std::uint32_t index) const {
  const Node& node = nodes_[index];
  switch (node.kind) {
    case Node::Kind::kLeaf:
      return leaves_[node.leaf].total_weight();
    case Node::Kind::kNominalMultiway: {
      double sum = 0.0;
      for (std::uint32_t child : node.children) sum += subtree_weight(child);
      return sum;
    }
    default:
      return subtree_weight(node.left) + subtree_weight(node.right);
  }
}

std::uint32_t HoeffdingTreeClassifier::most_common_child(std::uint32_t index) const {
  const Node& node = nodes_[index];
  if (node.kind == Node::Kind::kNominalMultiway) {
    // The first child of largest weight.
    std::uint32_t best = node.children[0];
    double best_weight = subtree_weight(best);
    for (std::size_t i = 1; i < node.children.size(); ++i) {
      const double weight = subtree_weight(node.children[i]);
      if (weight > best_weight) {
        best = node.children[i];
        best_weight = weight;
      }
    }
    return best;
  }
  return subtree_weight(node.left) < subtree_weight(node.right) ? node.right : node.left;
}

std::uint32_t HoeffdingTreeClassifier::leaf_for_prediction(std::uint32_t reached) const {
  std::uint32_t index = reached;
  while (nodes_[index].kind != Node::Kind::kLeaf) index = descend(most_common_child(index));
  return index;
}

std::uint32_t HoeffdingTreeClassifier::add_leaf_node(ClassWeights stats, std::uint32_t depth) {
  std::uint32_t leaf_index;
  if (!free_leaves_.empty()) {
    leaf_index = free_leaves_.back();
    free_leaves_.pop_back();
    leaves_[leaf_index] = HoeffdingLeaf(std::move(stats), depth);
  } else {
    leaf_index = static_cast<std::uint32_t>(leaves_.size());
    leaves_.emplace_back(std::move(stats), depth);
  }
  Node node;
  node.kind = Node::Kind::kLeaf;
  node.depth = depth;
  node.leaf = leaf_index;
  nodes_.push_back(std::move(node));
  return static_cast<std::uint32_t>(nodes_.size() - 1);
}

void HoeffdingTreeClassifier::learn_one(const FeatureVector& x, const Target& y) {
  if (!y.is_class()) return;
  const core::ClassId label = y.class_id;
  num_class_slots_ = std::max<std::size_t>(num_class_slots_, static_cast<std::size_t>(label) + 1);
  if (nodes_.empty()) add_leaf_node({}, 0);
  lookup_.assign(x);

  // Walk down while x can be routed, unless predict_proba_one just did on this event.
  const bool walked =
      cache_.valid && cache_.version == version_ && cache_.generation == lookup_.generation();
  std::uint32_t index = walked ? cache_.reached : descend(0);

  // x stopped at a branch: a new value of a multiway split gets its own leaf; a missing feature
  // follows the heaviest path. Either way the leaf learns without attempting a split.
  const bool routed = nodes_[index].kind == Node::Kind::kLeaf;
  while (nodes_[index].kind != Node::Kind::kLeaf) {
    const Node& node = nodes_[index];
    const core::SymbolId* value =
        node.kind == Node::Kind::kNominalMultiway ? lookup_.categorical(node.feature) : nullptr;
    if (value != nullptr) {
      const core::SymbolId new_value = *value;
      const std::uint32_t depth = node.depth + 1;
      const std::uint32_t leaf = add_leaf_node({}, depth);
      Node& branch = nodes_[index];  // add_leaf_node may have moved the nodes
      const auto position =
          std::lower_bound(branch.branch_of_value.begin(), branch.branch_of_value.end(), new_value,
                           [](const auto& entry, core::SymbolId v) { return entry.first < v; });
      branch.branch_of_value.insert(
          position, {new_value, static_cast<std::uint32_t>(branch.children.size())});
      branch.children.push_back(leaf);
      index = leaf;
    } else {
      index = descend(most_common_child(index));
    }
  }
  HoeffdingLeaf& leaf = leaves_[nodes_[index].leaf];
  if (params_.leaf_prediction == LeafPrediction::kNaiveBayesAdaptive && leaf.active()) {
    // Would naive Bayes have been right? predict_proba_one may have worked it out already.
    const bool cached = cache_.valid && cache_.version == version_ &&
                        cache_.generation == lookup_.generation() && cache_.has_votes &&
                        cache_.votes_node == index;
    std::size_t choice = HoeffdingLeaf::kNoChoice;
    if (cached) {
      if (!naive_bayes_votes_.empty()) choice = HoeffdingLeaf::first_argmax(naive_bayes_votes_);
    } else {
      choice = leaf.naive_bayes_choice(x, lookup_, naive_bayes_votes_);
    }
    leaf.score_predictors(label, kWeight, choice);
  }
  leaf.learn(x, lookup_, label, kWeight);

  if (routed && leaf.active()) {
    if (!depth_allowed(leaf.depth())) {
      leaf.deactivate();
      ++num_inactive_leaves_;
    } else {
      const double weight_seen = leaf.total_weight();
      if (weight_seen - leaf.last_split_attempt_at() >= static_cast<double>(params_.grace_period)) {
        leaf.set_last_split_attempt_at(weight_seen);
        attempt_to_split(index);
      }
    }
  }
  ++version_;
}

void HoeffdingTreeClassifier::attempt_to_split(std::uint32_t node) {
  HoeffdingLeaf& leaf = leaves_[nodes_[node].leaf];
  if (leaf.is_pure()) return;

  const tree::SplitCriterion criterion(params_.split_criterion == Criterion::kGini
                                           ? tree::SplitCriterion::Kind::kGini
                                           : tree::SplitCriterion::Kind::kInfoGain,
                                       params_.min_branch_fraction);
  leaf.best_split_suggestions(criterion, params_.merit_preprune, params_.binary_split,
                              params_.max_share_to_split, suggestions_);
  // Python's list.sort(): stable, ascending merit; the best is last and ties keep their order.
  std::stable_sort(
      suggestions_.begin(), suggestions_.end(),
      [](const SplitSuggestion& a, const SplitSuggestion& b) { return a.merit < b.merit; });

  bool should_split = false;
  if (suggestions_.size() < 2) {
    should_split = !suggestions_.empty();
  } else {
    const double bound =
        hoeffding_bound(criterion.range_of_merit(leaf.stats()), params_.delta, leaf.total_weight());
    const SplitSuggestion& best = suggestions_.back();
    const SplitSuggestion& second = suggestions_[suggestions_.size() - 2];
    if (best.merit - second.merit > bound || bound < params_.tau) should_split = true;
    // River's naive Bayes leaves ignore disable_attribute: they need every feature to predict.
    if (params_.remove_poor_attrs && params_.leaf_prediction == LeafPrediction::kMajorityClass) {
      for (const SplitSuggestion& suggestion : suggestions_)
        if (suggestion.has_feature() && best.merit - suggestion.merit > bound)
          leaf.disable_feature(suggestion.feature);
    }
  }
  if (!should_split) return;

  SplitSuggestion& decision = suggestions_.back();
  if (!decision.has_feature()) {
    leaf.deactivate();  // pre-pruning: the null split wins
    ++num_inactive_leaves_;
  } else {
    split_leaf(node, decision);
  }
  reactivate_leaves();
}

void HoeffdingTreeClassifier::split_leaf(std::uint32_t node, SplitSuggestion& suggestion) {
  const std::uint32_t old_leaf = nodes_[node].leaf;
  const std::uint32_t depth = nodes_[node].depth;
  if (!leaves_[old_leaf].active()) --num_inactive_leaves_;
  leaves_[old_leaf] = HoeffdingLeaf();
  free_leaves_.push_back(old_leaf);

  std::vector<std::uint32_t> children;
  children.reserve(suggestion.children_stats.size());
  for (ClassWeights& stats : suggestion.children_stats)
    children.push_back(add_leaf_node(std::move(stats), depth + 1));

  Node& branch = nodes_[node];
  branch.feature = suggestion.feature;
  switch (suggestion.kind) {
    case SplitSuggestion::Kind::kNumericBinary:
      branch.kind = Node::Kind::kNumericBinary;
      branch.threshold = suggestion.threshold;
      branch.left = children[0];
      branch.right = children[1];
      break;
    case SplitSuggestion::Kind::kNominalBinary:
      branch.kind = Node::Kind::kNominalBinary;
      branch.value = suggestion.value;
      branch.left = children[0];
      branch.right = children[1];
      break;
    case SplitSuggestion::Kind::kNominalMultiway:
      branch.kind = Node::Kind::kNominalMultiway;
      // River maps the values it learned, in order, to branches 0, 1, ...; values it was only
      // asked about at prediction time may add children past the mapped ones.
      branch.branch_of_value.clear();
      for (std::size_t i = 0; i < suggestion.values.size(); ++i)
        branch.branch_of_value.emplace_back(suggestion.values[i], static_cast<std::uint32_t>(i));
      branch.children = std::move(children);
      break;
    case SplitSuggestion::Kind::kNull:
      break;
  }
}

void HoeffdingTreeClassifier::reactivate_leaves() {
  // River's _enforce_size_limit, with its size estimates still at 0 (they are only measured every
  // memory_estimate_period events): every inactive leaf above max_depth becomes active again.
  if (num_inactive_leaves_ == 0) return;
  for (const Node& node : nodes_) {
    if (node.kind != Node::Kind::kLeaf) continue;
    HoeffdingLeaf& leaf = leaves_[node.leaf];
    if (!leaf.active() && depth_allowed(leaf.depth())) {
      leaf.activate();
      --num_inactive_leaves_;
    }
  }
}

void HoeffdingTreeClassifier::predict_proba_one(const FeatureVector& x, ClassProbabilities& out) {
  if (nodes_.empty()) {
    out.clear();
    return;
  }
  lookup_.assign(x);
  const std::uint32_t reached = descend(0);
  const std::uint32_t node = leaf_for_prediction(reached);
  HoeffdingLeaf& leaf = leaves_[nodes_[node].leaf];

  bool naive_bayes = false;
  switch (params_.leaf_prediction) {
    case LeafPrediction::kMajorityClass:
      break;
    case LeafPrediction::kNaiveBayes:
      naive_bayes =
          leaf.active() && leaf.total_weight() >= static_cast<double>(params_.nb_threshold);
      break;
    case LeafPrediction::kNaiveBayesAdaptive:
      naive_bayes = leaf.active() &&
                    leaf.naive_bayes_correct_weight() >= leaf.majority_class_correct_weight();
      break;
  }
  const std::vector<double>* votes = &votes_;
  if (naive_bayes) {
    leaf.naive_bayes(x, lookup_, naive_bayes_votes_);
    votes = &naive_bayes_votes_;
  } else {
    leaf.majority_class(votes_);
  }
  cache_ = {.valid = true,
            .version = version_,
            .generation = lookup_.generation(),
            .reached = reached,
            .has_votes = naive_bayes,
            .votes_node = node};
  const auto& entries = leaf.stats().entries();
  // Votes for a leaf that knows every class write every slot (its class ids are distinct and
  // below num_class_slots_): no need to zero them first.
  if (votes->size() != num_class_slots_ || entries.size() != num_class_slots_ ||
      out.size() != num_class_slots_)
    out.reset(num_class_slots_);
  for (std::size_t i = 0; i < votes->size(); ++i) out[entries[i].id] = (*votes)[i];
}

void HoeffdingTreeClassifier::save(core::StateWriter& out) const {
  out.write(kStateVersion);
  // The parameters, so that state is never loaded into a differently configured tree.
  out.write(params_.grace_period);
  out.write<std::int64_t>(params_.max_depth ? *params_.max_depth : -1);
  out.write(params_.split_criterion);
  out.write(params_.delta);
  out.write(params_.tau);
  out.write(params_.leaf_prediction);
  out.write(params_.nb_threshold);
  out.write<std::uint8_t>(params_.binary_split);
  out.write(params_.min_branch_fraction);
  out.write(params_.max_share_to_split);
  out.write<std::uint8_t>(params_.merit_preprune);
  out.write<std::uint8_t>(params_.remove_poor_attrs);

  out.write<std::uint64_t>(num_class_slots_);
  out.write<std::uint64_t>(nodes_.size());
  for (const Node& node : nodes_) {
    out.write(node.kind);
    out.write(node.feature);
    out.write(node.depth);
    out.write(node.threshold);
    out.write(node.value);
    out.write(node.left);
    out.write(node.right);
    out.write_vector(node.children);
    out.write<std::uint64_t>(node.branch_of_value.size());
    for (const auto& [value, branch] : node.branch_of_value) {
      out.write(value);
      out.write(branch);
    }
  }
  // Only the leaves in use, in node order: load() numbers them in that order.
  for (const Node& node : nodes_)
    if (node.kind == Node::Kind::kLeaf) leaves_[node.leaf].save(out);
}

core::Status HoeffdingTreeClassifier::load(core::StateReader& in) {
  if (!in.expect_version(kStateVersion)) return in.status("hoeffding_tree");
  Params saved;
  std::int64_t max_depth = -1;
  std::uint8_t binary_split = 0, merit_preprune = 0, remove_poor_attrs = 0;
  if (!in.read(saved.grace_period) || !in.read(max_depth) || !in.read(saved.split_criterion) ||
      !in.read(saved.delta) || !in.read(saved.tau) || !in.read(saved.leaf_prediction) ||
      !in.read(saved.nb_threshold) || !in.read(binary_split) ||
      !in.read(saved.min_branch_fraction) || !in.read(saved.max_share_to_split) ||
      !in.read(merit_preprune) || !in.read(remove_poor_attrs))
    return in.status("hoeffding_tree");
  if (max_depth >= 0) saved.max_depth = max_depth;
  saved.binary_split = binary_split != 0;
  saved.merit_preprune = merit_preprune != 0;
  saved.remove_poor_attrs = remove_poor_attrs != 0;
  if (!(saved == params_)) {
    HoeffdingTreeClassifier other(saved);
    return core::Status::error("hoeffding_tree: the saved state belongs to '" + other.describe() +
                               "', not to '" + describe() + "': build that model to load it");
  }

  HoeffdingTreeClassifier loaded(params_);
  std::uint64_t num_class_slots = 0, num_nodes = 0;
  bool ok = in.read(num_class_slots) && in.read(num_nodes);
  for (std::uint64_t i = 0; ok && i < num_nodes; ++i) {
    Node node;
    std::uint64_t num_values = 0;
    ok = in.read(node.kind) && in.read(node.feature) && in.read(node.depth) &&
         in.read(node.threshold) && in.read(node.value) && in.read(node.left) &&
         in.read(node.right) && in.read_vector(node.children) && in.read(num_values);
    for (std::uint64_t v = 0; ok && v < num_values; ++v) {
      std::pair<core::SymbolId, std::uint32_t> entry;
      ok = in.read(entry.first) && in.read(entry.second);
      node.branch_of_value.push_back(entry);
    }
    loaded.nodes_.push_back(std::move(node));
  }
  for (Node& node : loaded.nodes_) {
    if (!ok || node.kind != Node::Kind::kLeaf) continue;
    node.leaf = static_cast<std::uint32_t>(loaded.leaves_.size());
    ok = loaded.leaves_.emplace_back().load(in);
  }
  if (ok && num_class_slots <= kMaxClassSlots) {
    loaded.num_class_slots_ = static_cast<std::size_t>(num_class_slots);
    for (const HoeffdingLeaf& leaf : loaded.leaves_)
      loaded.num_inactive_leaves_ += leaf.active() ? 0 : 1;
    if (loaded.validate()) {
      nodes_ = std::move(loaded.nodes_);
      leaves_ = std::move(loaded.leaves_);
      free_leaves_.clear();
      num_class_slots_ = loaded.num_class_slots_;
      num_inactive_leaves_ = loaded.num_inactive_leaves_;
      cache_.valid = false;
      ++version_;
      return core::Status::ok();
    }
  }
  in.fail();
  return in.status("hoeffding_tree");
}

bool HoeffdingTreeClassifier::validate() const {
  // The nodes must form one tree rooted at node 0, each leaf node owning its own leaf, and every
  // class a leaf knows must fit in the probabilities it writes.
  if (nodes_.empty()) return leaves_.empty() && num_class_slots_ == 0;
  if (num_class_slots_ == 0) return false;
  std::vector<std::uint32_t> parents(nodes_.size(), 0);
  std::vector<bool> leaf_owned(leaves_.size(), false);
  auto claim = [&](std::uint32_t child, std::uint32_t depth) {
    if (child >= nodes_.size() || child == 0 || ++parents[child] > 1) return false;
    return nodes_[child].depth == depth + 1;
  };
  for (const Node& node : nodes_) {
    switch (node.kind) {
      case Node::Kind::kLeaf: {
        if (node.leaf >= leaves_.size() || leaf_owned[node.leaf]) return false;
        leaf_owned[node.leaf] = true;
        const HoeffdingLeaf& leaf = leaves_[node.leaf];
        if (leaf.depth() != node.depth) return false;
        for (const ClassWeights::Entry& entry : leaf.stats().entries())
          if (entry.id >= num_class_slots_) return false;
        break;
      }
      case Node::Kind::kNumericBinary:
      case Node::Kind::kNominalBinary:
        if (!claim(node.left, node.depth) || !claim(node.right, node.depth)) return false;
        break;
      case Node::Kind::kNominalMultiway: {
        if (node.children.empty()) return false;
        for (std::uint32_t child : node.children)
          if (!claim(child, node.depth)) return false;
        for (std::size_t i = 0; i < node.branch_of_value.size(); ++i) {
          if (node.branch_of_value[i].second >= node.children.size()) return false;
          if (i > 0 && node.branch_of_value[i - 1].first >= node.branch_of_value[i].first)
            return false;
        }
        break;
      }
      default:
        return false;
    }
  }
  // Depths strictly grow along edges, so there is no cycle; with one parent for every node but
  // the root, every node hangs from the root.
  if (nodes_[0].depth != 0) return false;
  for (std::size_t i = 1; i < nodes_.size(); ++i)
    if (parents[i] != 1) return false;
  return true;
}

}  // namespace streamlearn::learners
