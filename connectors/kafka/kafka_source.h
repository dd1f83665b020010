#pragma once

/// KafkaSource: the records of `streamlearn run`, consumed from Kafka topics (a list or a regex,
/// plus an optional labels topic) as a member of a consumer group, with at-least-once delivery:
/// an offset is committed only after the record's effects are applied (mark_processed) and made
/// durable (the before-commit hook flushes the producers). Commits happen when the runner asks
/// (commit(): on its interval), on every partition revoke, and on close.
///
/// Replay: `from` applies to a partition the first time this process is assigned it (committed:
/// the group's offset, earliest when it has none; earliest; latest; timestamp:MS: the first record
/// at or after it, via offsetsForTimes); a partition reassigned later resumes at the group's
/// committed offset (without commits, Params::commit_offsets, where this source was). `until`
/// end: a partition is finished once it reaches its end offset as of its first assignment; until
/// timestamp:MS: at its first record after MS (not returned). When every assigned partition is
/// finished, poll() says kFinished.
///
/// Checkpoints (`run` with `checkpoints`): save_position() writes the next offset to process of
/// every partition assigned now (the partitions this process has, whose records the checkpointed
/// model learned); resume(), called before the first poll, makes each partition the checkpoint
/// names start at its checkpoint offset the first time this process is assigned it, whatever
/// `from` says, so that the restored model goes on exactly after the records it learned. A
/// partition the checkpoint does not name follows `from` (and a reassignment the committed offset)
/// as without one. In a group of several processes each process's checkpoint applies to the
/// partitions it had when it wrote it; a partition it never had follows `from` / the committed
/// offset of the group. At that first assignment, the group's committed offset minus the
/// checkpoint offset, when positive, counts records whose outputs were already delivered and that
/// are processed (predicted) again: Counters::replayed_after_checkpoint (their predictions are
/// known duplicates; the model learns them once, its state being from before them).
///
/// Errors: timeouts and partition EOF are not errors; transient client errors (a broker down, a
/// topic not yet created) are reported on stderr at most every few seconds while librdkafka
/// retries; a fatal client error makes poll() return kFailed with error() set. Not thread-safe:
/// one thread polls, processes and commits.
///
///   auto source = KafkaSource::open(params);
///   (*source)->on_before_commit([&] { return producer.flush(10'000); });
///   SourceRecord record;
///   while ((*source)->poll(100, record) != KafkaSource::Poll::kFinished) { ... }

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "connectors/kafka/kafka_settings.h"
#include "core/state_io.h"
#include "core/status.h"
#include "stream/source_record.h"

struct rd_kafka_s;
struct rd_kafka_message_s;
struct rd_kafka_topic_partition_list_s;

namespace streamlearn::connectors {

class KafkaSource {
 public:
  struct Params {
    KafkaConnection connection{};
    std::vector<std::string> topics{};  // or topic_pattern
    std::string topic_pattern{};        // "^events\\..*"
    std::string labels_topic{};         // its records are label records
    std::string group_id{};
    StartPosition from{};
    StopCondition until{};
    KafkaProperties properties{};  // consumer properties, applied after connection.properties
    /// false: a reader beside a pipeline (`streamlearn transform`) that moves no group's offsets:
    /// commit() and close() commit nothing, enable.auto.commit is forced off, and a partition
    /// assigned again resumes where this reader was (it has no committed offset to resume from).
    bool commit_offsets = true;
    /// With `from` committed: each partition starts at the offset this group (the pipeline's)
    /// committed, fetched by a second client that never joins that group, so its members are not
    /// disturbed; where it has none, as a group without offsets (auto.offset.reset).
    std::string committed_offsets_of{};
  };

  enum class Poll : std::uint8_t { kRecord, kIdle, kFinished, kFailed };

  struct Counters {
    std::uint64_t records = 0;
    std::uint64_t commits = 0;
    std::uint64_t failed_commits = 0;
    std::uint64_t assignments = 0;
    std::uint64_t revocations = 0;
    std::uint64_t uncommitted_revocations = 0;  // the commit on revoke failed
    /// Records between a checkpoint's offset and the group's committed offset, processed again
    /// after a restore (see the header).
    std::uint64_t replayed_after_checkpoint = 0;
  };

  static core::Result<std::unique_ptr<KafkaSource>> open(Params params);
  ~KafkaSource();
  KafkaSource(const KafkaSource&) = delete;
  KafkaSource& operator=(const KafkaSource&) = delete;

  /// Called before any commit: make every processed record's effects durable (flush the
  /// producers). Offsets are committed only when it succeeds.
  void on_before_commit(std::function<core::Status()> hook) { before_commit_ = std::move(hook); }
  /// Called when partitions are revoked (from inside poll(), between two records), before their
  /// offsets are committed: the moment to checkpoint the state that covers them. Not called for
  /// the revoke of close().
  void on_revoke(std::function<void()> hook) { on_revoke_ = std::move(hook); }

  /// Writes the next offset to process of every assigned partition (versioned).
  void save_position(core::StateWriter& out) const;
  /// Reads what save_position() wrote: those partitions start there at their first assignment
  /// (see the header). Before the first poll().
  [[nodiscard]] core::Status resume(core::StateReader& in);

  /// The next record, waiting at most `timeout_ms`. The record is valid until the next poll.
  Poll poll(int timeout_ms, stream::SourceRecord& record);
  /// The record last returned by poll() is fully applied: its offset may be committed.
  void mark_processed();
  /// Commits the offsets of processed records (after the before-commit hook).
  [[nodiscard]] core::Status commit();
  /// Forgets the processed offsets not yet committed (their outputs were lost): neither commit()
  /// nor close() will commit them, so those records are consumed again after a restart.
  void discard_uncommitted();
  /// Commits and leaves the group (the consumer close); an error when the processed offsets could
  /// not all be committed (they are then processed again by the next owner). Idempotent.
  [[nodiscard]] core::Status close();

  const core::Status& error() const { return error_; }
  const Counters& counters() const { return counters_; }
  /// Partitions assigned now, "topic/partition".
  std::vector<std::string> assignment() const;
  bool has_assignment() const;
  /// Calls f(topic, partition, lag) for every assigned partition whose lag is known: the high
  /// watermark librdkafka last saw (no request is made) minus the next offset to process.
  template <typename F>
  void for_each_lag(F&& f) const {
    for (const auto& tracked : partitions_) {
      if (!tracked->assigned) continue;
      if (const std::int64_t lag = lag_of(*tracked); lag >= 0)
        f(tracked->topic, tracked->partition, lag);
    }
  }

 private:
  struct Partition {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t next_offset = -1;  // processed up to here (exclusive); -1: nothing yet
    std::int64_t end_offset = -1;   // until end: the end offset at the first assignment
    bool dirty = false;             // processed since the last commit
    bool assigned = false;
    bool ever_assigned = false;  // `from` applies only to the first assignment
    bool finished = false;
    bool labels = false;  // the labels topic: its records are label records
  };

  explicit KafkaSource(Params params) : params_(std::move(params)) {}
  static void on_rebalance(rd_kafka_s* handle, int error, rd_kafka_topic_partition_list_s* list,
                           void* opaque);
  static void on_error(rd_kafka_s* handle, int error, const char* reason, void* opaque);
  void assign(rd_kafka_topic_partition_list_s* list);
  /// Sets the offsets in `list` of the partitions in `wanted` to those committed_offsets_of
  /// committed (error_ when they cannot be read: starting elsewhere would be silently wrong).
  /// Adds to replayed_after_checkpoint, for the partitions of `resumed` (at their checkpoint
  /// offsets), the records between those offsets and the group's committed ones.
  void count_replayed_after_checkpoint(rd_kafka_topic_partition_list_s* resumed);
  void start_at_committed_offsets_of(rd_kafka_topic_partition_list_s* wanted,
                                     rd_kafka_topic_partition_list_s* list);
  void revoke(rd_kafka_topic_partition_list_s* list);
  Partition& partition(std::string_view topic, std::int32_t partition);
  void finish(Partition& partition);
  bool all_finished() const;
  /// -1 when not known yet.
  std::int64_t lag_of(const Partition& partition) const;
  core::Status commit_partitions(bool only_revoked, rd_kafka_topic_partition_list_s* revoked);
  void report_transient(const std::string& message);

  Params params_;
  rd_kafka_s* handle_ = nullptr;
  rd_kafka_s* offsets_reader_ = nullptr;   // group committed_offsets_of, never subscribed
  rd_kafka_s* own_offsets_reader_ = nullptr;  // group_id, never subscribed: after resume()
  rd_kafka_message_s* message_ = nullptr;  // the record last returned
  Partition* current_ = nullptr;           // its partition
  Partition* last_found_ = nullptr;        // partition() look-up cache: records come in runs
  std::vector<std::unique_ptr<Partition>> partitions_;  // every partition ever assigned
  std::function<core::Status()> before_commit_;
  std::function<void()> on_revoke_;
  struct CheckpointOffset {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t next_offset = 0;
  };
  std::vector<CheckpointOffset> checkpoint_offsets_;  // from resume()
  core::Status error_ = core::Status::ok();
  Counters counters_;
  std::int64_t last_report_ms_ = 0;
  bool closed_ = false;
  core::Status close_commit_ = core::Status::ok();  // the last commit attempt of close()
};

}  // namespace streamlearn::connectors
