#include "connectors/prometheus/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace streamlearn::connectors {
namespace {

struct ProcessStat {
  double cpu_seconds = 0.0;
  double start_seconds_after_boot = 0.0;
  double virtual_bytes = 0.0;
  double resident_bytes = 0.0;
};

/// /proc/self/stat, whose second field (the command, in parentheses) may contain spaces.
std::optional<ProcessStat> read_stat() {
  std::ifstream file("/proc/self/stat");
  std::string line;
  if (!std::getline(file, line)) return std::nullopt;
  const std::size_t after_command = line.rfind(')');
  if (after_command == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(after_command + 1));
  // Fields 3.. of proc(5): state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
  // cmajflt utime(14) stime(15) cutime cstime priority nice num_threads itrealvalue
  // starttime(22) vsize(23) rss(24).
  std::string field;
  double utime = 0, stime = 0, start = 0, vsize = 0, rss = 0;
  for (int number = 3; number <= 24 && fields >> field; ++number) {
    if (number == 14) utime = std::stod(field);
    if (number == 15) stime = std::stod(field);
    if (number == 22) start = std::stod(field);
    if (number == 23) vsize = std::stod(field);
    if (number == 24) rss = std::stod(field);
  }
  if (!fields) return std::nullopt;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  return ProcessStat{(utime + stime) / ticks, start / ticks, vsize, rss * page};
}

std::optional<double> boot_time_seconds() {
  std::ifstream file("/proc/stat");
  std::string name;
  double value = 0;
  while (file >> name) {
    if (name == "btime" && file >> value) return value;
    file.ignore(1 << 20, '\n');
  }
  return std::nullopt;
}

void add(std::vector<prometheus::MetricFamily>& families, std::string name, std::string help,
         prometheus::MetricType type, double value) {
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  families.push_back({std::move(name), std::move(help), type, {std::move(metric)}});
}

}  // namespace

void append_process_metrics(std::vector<prometheus::MetricFamily>& families) {
  using prometheus::MetricType;
  if (const std::optional<ProcessStat> stat = read_stat()) {
    add(families, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
        MetricType::Counter, stat->cpu_seconds);
    add(families, "process_resident_memory_bytes", "Resident memory size in bytes.",
        MetricType::Gauge, stat->resident_bytes);
    add(families, "process_virtual_memory_bytes", "Virtual memory size in bytes.",
        MetricType::Gauge, stat->virtual_bytes);
    if (const std::optional<double> boot = boot_time_seconds())
      add(families, "process_start_time_seconds",
          "Start time of the process since unix epoch in seconds.", MetricType::Gauge,
          *boot + stat->start_seconds_after_boot);
  }
  std::error_code error;
  std::filesystem::directory_iterator fds("/proc/self/fd", error);
  if (!error) {
    double open = 0;
    for (auto it = fds; it != std::filesystem::directory_iterator(); it.increment(error)) {
      if (error) break;
      ++open;
    }
    if (!error)
      add(families, "process_open_fds", "Number of open file descriptors.", MetricType::Gauge,
          open);
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    add(families, "process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge,
        static_cast<double>(limit.rlim_cur));
}

}  // namespace streamlearn::connectors
