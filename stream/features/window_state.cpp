#include "stream/features/window_state.h"

#include "stream/features/count_window.h"
#include "stream/features/pane_window.h"
#include "stream/features/session_window.h"
#include "stream/features/unbounded_window.h"

namespace streamlearn::stream::features {

WindowState::WindowState(const WindowSpec& spec) {
  for (const aggregates::AggregateSpec& aggregate : spec.aggregates)
    columns_.push_back(AggregateColumn::make(aggregate));
}

std::unique_ptr<WindowState> WindowState::make(const WindowSpec& spec) {
  switch (spec.kind) {
    case WindowKind::kTumbling:
    case WindowKind::kHopping:
      return std::make_unique<PaneWindow>(spec);
    case WindowKind::kSession:
      return std::make_unique<SessionWindow>(spec);
    case WindowKind::kCount:
      return std::make_unique<CountWindow>(spec);
    case WindowKind::kUnbounded:
      return std::make_unique<UnboundedWindow>(spec);
  }
  return nullptr;
}

}  // namespace streamlearn::stream::features
