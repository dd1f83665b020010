#pragma once

/// WindowSpec: one keyed window step of a model expression, parsed and validated:
///
///   window(by=user, size=1h, agg=[mean(amount), count()])        tumbling: [k*size, (k+1)*size)
///   window(by=user, size=1h, step=5m, agg=[sum(amount)])         hopping: the last hour, in 5m steps
///   window(by=[user, device], gap=30m, agg=[count()])            session: events < 30m apart
///   window(by=sensor, events=100, agg=[mean(temp), max(temp)])   count: the key's last 100 events
///   window(by=user, agg=[nunique(merchant)])                      unbounded: the key's whole history
///   target_agg(by=user, how=mean, size=1d)                         the label, learned when known
///
/// Parameters (every one optional but the aggregates):
///   by            the key: one event field or a list; omitted, the event's key (its key field or
///                 the Kafka record key)
///   agg           window: the aggregates (stream/aggregates/aggregate_spec.h), at least one
///   how           target_agg: the aggregate of the label, River's name: mean (default), sum,
///                 count, var, std, min, max, first, last, quantile(q=0.9) ...
///   size, step, gap, events   the window kind, as above (size with step: hopping; step must
///                 divide size); none of them: unbounded
///   out_of_order  the watermark's bound on out-of-orderness (default 0s): the watermark is the
///                 largest event time seen minus this
///   lateness      allowed lateness after the watermark (default 0s)
///   late          drop (default: the event is predicted without the window's features, counted)
///                 or dead_letter (the event is rejected to the dead-letter output, reason
///                 late_event)
///   ttl           drop a key idle for this long in event time (default: never; a time window's
///                 key is dropped anyway, losslessly, once all its windows closed)
///   max_keys      the most keys kept; beyond, the least recently updated is evicted, counted
///                 (default 1000000)
///   time          event (default) or processing (the wall clock when the event arrives)
///   name          the window's name in feature names (default from by and the kind: user_1h,
///                 user_1h_every_5m, user_session_30m, user_last_100, user)
///
/// Feature names are `<aggregate expression>@<window name>`: `mean(amount)@user_1h`,
/// `count()@user_1h`; target_agg's field is `target`: `mean(target)@user_1d`.

#include <cstdint>
#include <string>
#include <vector>

#include "core/model_expression.h"
#include "core/status.h"
#include "stream/aggregates/aggregate_spec.h"

namespace streamlearn::stream::features {

enum class WindowKind : std::uint8_t { kTumbling, kHopping, kSession, kCount, kUnbounded };
enum class LatePolicy : std::uint8_t { kDrop, kDeadLetter };

struct WindowSpec {
  /// window(...) computes features of the events; target_agg(...) of their labels.
  bool of_target = false;
  std::vector<std::string> by;  // empty: the event's key
  std::vector<aggregates::AggregateSpec> aggregates;
  WindowKind kind = WindowKind::kUnbounded;
  std::int64_t size_ms = 0;  // tumbling, hopping
  std::int64_t step_ms = 0;  // hopping (tumbling: size_ms)
  std::int64_t gap_ms = 0;   // session
  std::uint64_t size_events = 0;  // count
  std::int64_t out_of_order_ms = 0;
  std::int64_t lateness_ms = 0;
  LatePolicy late = LatePolicy::kDrop;
  std::int64_t ttl_ms = 0;  // 0: none
  std::size_t max_keys = 1'000'000;
  bool processing_time = false;
  std::string name;

  /// Whether windows are delimited by time (tumbling, hopping, session).
  bool timed() const {
    return kind == WindowKind::kTumbling || kind == WindowKind::kHopping ||
           kind == WindowKind::kSession;
  }
  /// The feature name of aggregate i.
  std::string feature_name(std::size_t i) const;
  /// The canonical step, which parses back to an equal spec (defaults left out).
  std::string expression() const;
};

/// Whether a model step is a window step (window or target_agg), which reads whole events.
bool is_window_step(const core::ModelStep& step);
/// Parses and validates a window step, reporting every bad parameter at once.
core::Result<WindowSpec> parse_window_spec(const core::ModelStep& step);

}  // namespace streamlearn::stream::features
