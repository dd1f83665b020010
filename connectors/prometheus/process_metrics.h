#pragma once

/// The standard process metrics of Prometheus client libraries, read from /proc/self at each
/// scrape: process_cpu_seconds_total, process_resident_memory_bytes,
/// process_virtual_memory_bytes, process_start_time_seconds, process_open_fds, process_max_fds.
/// A value that cannot be read (no /proc) is left out, never invented.

#include <prometheus/metric_family.h>

#include <vector>

namespace streamlearn::connectors {

/// Appends the process metric families to `families`.
void append_process_metrics(std::vector<prometheus::MetricFamily>& families);

}  // namespace streamlearn::connectors
