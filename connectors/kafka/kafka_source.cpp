#include "connectors/kafka/kafka_source.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace streamlearn::connectors {
namespace {

constexpr int kMetadataTimeoutMs = 10'000;
constexpr std::int64_t kReportEveryMs = 5'000;
constexpr std::uint32_t kPositionVersion = 1;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool cooperative(rd_kafka_t* handle) {
  return std::strcmp(rd_kafka_rebalance_protocol(handle), "COOPERATIVE") == 0;
}

core::Status set(rd_kafka_conf_t* conf, const std::string& name, const std::string& value) {
  char error[512];
  if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof(error)) !=
      RD_KAFKA_CONF_OK)
    return core::Status::error("kafka property " + name + "=" + value + ": " + error);
  return core::Status::ok();
}

// A consumer in the group `group` that never subscribes: it only fetches the offsets that group
// committed, so it neither joins the group nor disturbs its members.
core::Result<rd_kafka_t*> new_offsets_reader(const KafkaSource::Params& params,
                                             const std::string& group) {
  KafkaProperties properties = {
      {"bootstrap.servers", params.connection.bootstrap_servers},
      {"group.id", group},
      {"client.id", "streamlearn-offsets"},
      {"log_level", "3"},
  };
  properties.insert(properties.end(), params.connection.properties.begin(),
                    params.connection.properties.end());
  properties.insert(properties.end(), params.properties.begin(), params.properties.end());
  // Last, whatever the user's properties say: this client must never commit to that group.
  properties.emplace_back("enable.auto.commit", "false");
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (const auto& [name, value] : properties) {
    if (core::Status status = set(conf, name, value); !status) {
      rd_kafka_conf_destroy(conf);
      return core::Status::error("kafka source: " + status.message());
    }
  }
  // Its errors matter only when the offsets are fetched, which reports them; the consumer beside
  // it already reports a broker being down.
  rd_kafka_conf_set_error_cb(conf, [](rd_kafka_t*, int, const char*, void*) {});
  char error[512];
  rd_kafka_t* reader = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof(error));
  if (!reader) {
    rd_kafka_conf_destroy(conf);  // still ours when rd_kafka_new fails
    return core::Status::error(std::string("kafka source: cannot create the client reading the "
                                           "offsets of group ") +
                               group + ": " + error);
  }
  return reader;
}

}  // namespace

core::Result<std::unique_ptr<KafkaSource>> KafkaSource::open(Params params) {
  if (params.connection.bootstrap_servers.empty())
    return core::Status::error("kafka source: no bootstrap servers");
  if (params.group_id.empty()) return core::Status::error("kafka source: no consumer group id");
  if (params.topics.empty() && params.topic_pattern.empty())
    return core::Status::error("kafka source: no topics and no topic pattern to subscribe to");
  std::unique_ptr<KafkaSource> source(new KafkaSource(std::move(params)));
  const Params& p = source->params_;

  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // Ours first, so that the user's properties (connection, then consumer) override them.
  KafkaProperties properties = {
      {"bootstrap.servers", p.connection.bootstrap_servers},
      {"group.id", p.group_id},
      {"enable.auto.commit", "false"},  // commits follow applied effects, by hand
      {"enable.auto.offset.store", "false"},
      {"enable.partition.eof", "true"},   // `until end` sees the end of partitions
      {"auto.offset.reset", "earliest"},  // a group without offsets starts at the beginning
      // librdkafka (2.0) stops fetching when its local queue holds queued.min.messages records
      // or queued.max.messages.kbytes, and looks again a second later (a fixed backoff;
      // fetch.queue.backoff.ms makes it configurable from 2.2). A pipeline that drains the queue
      // in less than that second sits idle for the rest of it: the defaults (100,000 records,
      // 64 MB) are 0.1-0.7 s of a pipeline's work. The queue is bounded by bytes instead, at
      // 256 MB (over 2 s of work for 100-byte events at 1 M/s), the memory it may take.
      {"queued.min.messages", "10000000"},
      {"queued.max.messages.kbytes", "262144"},
      {"client.id", "streamlearn"},
      {"log_level", "3"},
  };
  properties.insert(properties.end(), p.connection.properties.begin(),
                    p.connection.properties.end());
  properties.insert(properties.end(), p.properties.begin(), p.properties.end());
  // A reader that commits nothing must not let librdkafka commit either.
  if (!p.commit_offsets) properties.emplace_back("enable.auto.commit", "false");
  for (const auto& [name, value] : properties) {
    if (core::Status status = set(conf, name, value); !status) {
      rd_kafka_conf_destroy(conf);
      return core::Status::error("kafka source: " + status.message());
    }
  }
  rd_kafka_conf_set_opaque(conf, source.get());
  rd_kafka_conf_set_rebalance_cb(
      conf, [](rd_kafka_t* handle, rd_kafka_resp_err_t error, rd_kafka_topic_partition_list_t* list,
               void* opaque) { on_rebalance(handle, error, list, opaque); });
  rd_kafka_conf_set_error_cb(conf, [](rd_kafka_t* handle, int error, const char* reason,
                                      void* opaque) { on_error(handle, error, reason, opaque); });
  char error[512];
  source->handle_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof(error));
  if (!source->handle_) {
    return core::Status::error(std::string("kafka source: cannot create the consumer: ") + error);
  }
  rd_kafka_poll_set_consumer(source->handle_);
  if (!p.committed_offsets_of.empty() && p.from.kind == StartPosition::Kind::kCommitted) {
    auto reader = new_offsets_reader(p, p.committed_offsets_of);
    if (!reader) return reader.status();
    source->offsets_reader_ = *reader;
  }

  rd_kafka_topic_partition_list_t* subscription = rd_kafka_topic_partition_list_new(4);
  for (const std::string& topic : p.topics)
    rd_kafka_topic_partition_list_add(subscription, topic.c_str(), RD_KAFKA_PARTITION_UA);
  if (!p.topic_pattern.empty())
    rd_kafka_topic_partition_list_add(subscription, p.topic_pattern.c_str(), RD_KAFKA_PARTITION_UA);
  if (!p.labels_topic.empty())
    rd_kafka_topic_partition_list_add(subscription, p.labels_topic.c_str(), RD_KAFKA_PARTITION_UA);
  const rd_kafka_resp_err_t subscribed = rd_kafka_subscribe(source->handle_, subscription);
  rd_kafka_topic_partition_list_destroy(subscription);
  if (subscribed != RD_KAFKA_RESP_ERR_NO_ERROR)
    return core::Status::error(std::string("kafka source: cannot subscribe: ") +
                               rd_kafka_err2str(subscribed));
  return source;
}

KafkaSource::~KafkaSource() {
  for (rd_kafka_t* reader : {offsets_reader_, own_offsets_reader_}) {
    if (reader == nullptr) continue;
    rd_kafka_consumer_close(reader);
    rd_kafka_destroy(reader);
  }
  if (handle_ == nullptr) return;
  (void)close();
  rd_kafka_destroy(handle_);
}

void KafkaSource::on_rebalance(rd_kafka_s* handle, int error, rd_kafka_topic_partition_list_s* list,
                               void* opaque) {
  auto* source = static_cast<KafkaSource*>(opaque);
  if (error == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    source->assign(list);
    return;
  }
  source->revoke(list);
  if (cooperative(handle)) {
    rd_kafka_error_t* failed = rd_kafka_incremental_unassign(handle, list);
    if (failed) rd_kafka_error_destroy(failed);
  } else {
    rd_kafka_assign(handle, nullptr);
  }
}

void KafkaSource::on_error(rd_kafka_s* handle, int error, const char* reason, void* opaque) {
  auto* source = static_cast<KafkaSource*>(opaque);
  char fatal_reason[512];
  if (rd_kafka_fatal_error(handle, fatal_reason, sizeof(fatal_reason)) !=
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    source->error_ =
        core::Status::error(std::string("kafka source: fatal consumer error: ") + fatal_reason);
    return;
  }
  source->report_transient(std::string(rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(error))) +
                           ": " + reason);
}

void KafkaSource::report_transient(const std::string& message) {
  const std::int64_t now = now_ms();
  if (now - last_report_ms_ < kReportEveryMs) return;
  last_report_ms_ = now;
  std::fprintf(stderr, "kafka: %s (retrying)\n", message.c_str());
}

void KafkaSource::assign(rd_kafka_topic_partition_list_t* list) {
  ++counters_.assignments;
  rd_kafka_topic_partition_list_t* by_time = nullptr;
  rd_kafka_topic_partition_list_t* by_other_group = nullptr;  // from committed_offsets_of
  rd_kafka_topic_partition_list_t* by_checkpoint = nullptr;   // resume()'s offsets
  for (int i = 0; i < list->cnt; ++i) {
    rd_kafka_topic_partition_t& element = list->elems[i];
    Partition& tracked = partition(element.topic, element.partition);
    const bool first_time = !tracked.ever_assigned;
    const std::int64_t processed_up_to = tracked.next_offset;
    tracked.ever_assigned = true;
    tracked.assigned = true;
    tracked.dirty = false;
    tracked.next_offset = -1;  // the committed offset is the truth after a reassignment
    element.offset = RD_KAFKA_OFFSET_INVALID;  // the group's committed offset
    if (!first_time) {
      if (params_.commit_offsets) continue;
      // A reader that commits nothing has only its own position to resume from; with nothing
      // processed yet, it starts as the first time did (its end offset stays).
      if (processed_up_to >= 0) {
        element.offset = processed_up_to;
        tracked.next_offset = processed_up_to;
        continue;
      }
    }
    const auto checkpointed = std::find_if(
        checkpoint_offsets_.begin(), checkpoint_offsets_.end(), [&](const CheckpointOffset& saved) {
          return saved.partition == element.partition && saved.topic == element.topic;
        });
    if (first_time && checkpointed != checkpoint_offsets_.end()) {
      // First assignment of a partition the checkpoint names: where its state stopped.
      element.offset = checkpointed->next_offset;
      tracked.next_offset = checkpointed->next_offset;
      if (!by_checkpoint) by_checkpoint = rd_kafka_topic_partition_list_new(list->cnt);
      rd_kafka_topic_partition_list_add(by_checkpoint, element.topic, element.partition)->offset =
          checkpointed->next_offset;
    } else {
      switch (params_.from.kind) {
        case StartPosition::Kind::kCommitted:
          if (offsets_reader_ != nullptr) {
            if (!by_other_group) by_other_group = rd_kafka_topic_partition_list_new(list->cnt);
            rd_kafka_topic_partition_list_add(by_other_group, element.topic, element.partition);
          }
          break;
        case StartPosition::Kind::kEarliest:
          element.offset = RD_KAFKA_OFFSET_BEGINNING;
          break;
        case StartPosition::Kind::kLatest:
          element.offset = RD_KAFKA_OFFSET_END;
          break;
        case StartPosition::Kind::kTimestamp:
          if (!by_time) by_time = rd_kafka_topic_partition_list_new(list->cnt);
          rd_kafka_topic_partition_list_add(by_time, element.topic, element.partition)->offset =
              params_.from.timestamp_ms;
          break;
      }
    }
    if (first_time && params_.until.kind == StopCondition::Kind::kEnd) {
      std::int64_t low = 0;
      std::int64_t high = 0;
      const rd_kafka_resp_err_t queried = rd_kafka_query_watermark_offsets(
          handle_, element.topic, element.partition, &low, &high, kMetadataTimeoutMs);
      if (queried == RD_KAFKA_RESP_ERR_NO_ERROR) {
        tracked.end_offset = high;
      } else {
        report_transient("cannot read the end offset of " + tracked.topic + "/" +
                         std::to_string(tracked.partition) + ": " + rd_kafka_err2str(queried));
        tracked.end_offset = 0;  // finished at its first end of partition
      }
    }
  }
  if (by_time) {
    // offsetsForTimes gives, per partition, the first offset at or after the time, or -1 (END)
    // when every record is older (Kafka's semantics).
    const rd_kafka_resp_err_t found =
        rd_kafka_offsets_for_times(handle_, by_time, kMetadataTimeoutMs);
    for (int i = 0; i < by_time->cnt; ++i) {
      rd_kafka_topic_partition_t* element = rd_kafka_topic_partition_list_find(
          list, by_time->elems[i].topic, by_time->elems[i].partition);
      if (found != RD_KAFKA_RESP_ERR_NO_ERROR || by_time->elems[i].err) {
        report_transient(std::string("offsetsForTimes failed for ") + by_time->elems[i].topic +
                         "; starting at the committed offset");
        continue;
      }
      element->offset =
          by_time->elems[i].offset < 0 ? RD_KAFKA_OFFSET_END : by_time->elems[i].offset;
    }
    rd_kafka_topic_partition_list_destroy(by_time);
  }
  if (by_other_group) {
    start_at_committed_offsets_of(by_other_group, list);
    rd_kafka_topic_partition_list_destroy(by_other_group);
  }
  if (by_checkpoint) {
    count_replayed_after_checkpoint(by_checkpoint);
    rd_kafka_topic_partition_list_destroy(by_checkpoint);
  }
  if (cooperative(handle_)) {
    rd_kafka_error_t* failed = rd_kafka_incremental_assign(handle_, list);
    if (failed) {
      error_ = core::Status::error(std::string("kafka source: cannot assign partitions: ") +
                                   rd_kafka_error_string(failed));
      rd_kafka_error_destroy(failed);
    }
  } else if (rd_kafka_resp_err_t failed = rd_kafka_assign(handle_, list)) {
    error_ = core::Status::error(std::string("kafka source: cannot assign partitions: ") +
                                 rd_kafka_err2str(failed));
  }
  // A partition already past its end (replay of an empty range) is paused at once.
  for (int i = 0; i < list->cnt; ++i) {
    Partition& tracked = partition(list->elems[i].topic, list->elems[i].partition);
    if (tracked.finished) finish(tracked);
  }
}

void KafkaSource::start_at_committed_offsets_of(rd_kafka_topic_partition_list_t* wanted,
                                                rd_kafka_topic_partition_list_t* list) {
  const std::string failed = "kafka source: cannot read the offsets group " +
                             params_.committed_offsets_of +
                             " committed, where 'from committed' starts: ";
  const rd_kafka_resp_err_t fetched =
      rd_kafka_committed(offsets_reader_, wanted, kMetadataTimeoutMs);
  if (fetched != RD_KAFKA_RESP_ERR_NO_ERROR) {
    error_ = core::Status::error(failed + rd_kafka_err2str(fetched));
    return;
  }
  for (int i = 0; i < wanted->cnt; ++i) {
    const rd_kafka_topic_partition_t& fetched_offset = wanted->elems[i];
    if (fetched_offset.err) {
      error_ = core::Status::error(failed + fetched_offset.topic + "/" +
                                   std::to_string(fetched_offset.partition) + ": " +
                                   rd_kafka_err2str(fetched_offset.err));
      return;
    }
    if (fetched_offset.offset < 0) continue;  // none: as a group without offsets
    rd_kafka_topic_partition_list_find(list, fetched_offset.topic, fetched_offset.partition)
        ->offset = fetched_offset.offset;
  }
}

void KafkaSource::count_replayed_after_checkpoint(rd_kafka_topic_partition_list_t* resumed) {
  // Read by a second client of the same group that never joins it: the consumer itself is in the
  // middle of its rebalance here. A reader that commits nothing has no group offsets to compare.
  if (own_offsets_reader_ == nullptr) return;
  rd_kafka_topic_partition_list_t* committed = rd_kafka_topic_partition_list_copy(resumed);
  const rd_kafka_resp_err_t fetched =
      rd_kafka_committed(own_offsets_reader_, committed, kMetadataTimeoutMs);
  if (fetched != RD_KAFKA_RESP_ERR_NO_ERROR) {
    std::fprintf(stderr,
                 "kafka: cannot read the committed offsets of group %s (%s): the records "
                 "processed again after the checkpoint are not counted\n",
                 params_.group_id.c_str(), rd_kafka_err2str(fetched));
  } else {
    for (int i = 0; i < committed->cnt; ++i) {
      const rd_kafka_topic_partition_t& element = committed->elems[i];
      const std::int64_t checkpoint = resumed->elems[i].offset;
      if (element.err == RD_KAFKA_RESP_ERR_NO_ERROR && element.offset > checkpoint)
        counters_.replayed_after_checkpoint +=
            static_cast<std::uint64_t>(element.offset - checkpoint);
    }
  }
  rd_kafka_topic_partition_list_destroy(committed);
}

void KafkaSource::save_position(core::StateWriter& out) const {
  std::vector<CheckpointOffset> positions;
  for (const auto& tracked : partitions_) {
    if (!tracked->assigned) continue;
    std::int64_t next = tracked->next_offset;
    if (next < 0) {
      // Nothing processed since the assignment: where the consumer stands, when it knows.
      rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
      rd_kafka_topic_partition_list_add(list, tracked->topic.c_str(), tracked->partition);
      if (rd_kafka_position(handle_, list) == RD_KAFKA_RESP_ERR_NO_ERROR)
        next = list->elems[0].offset;
      rd_kafka_topic_partition_list_destroy(list);
      if (next < 0) continue;  // not known: after a restore, the partition follows `from`
    }
    positions.push_back({tracked->topic, tracked->partition, next});
  }
  out.write(kPositionVersion);
  out.write<std::uint64_t>(positions.size());
  for (const CheckpointOffset& position : positions) {
    out.write_string(position.topic);
    out.write(position.partition);
    out.write(position.next_offset);
  }
}

core::Status KafkaSource::resume(core::StateReader& in) {
  std::uint64_t count = 0;
  if (!in.expect_version(kPositionVersion) || !in.read(count)) return in.status("kafka offsets");
  std::vector<CheckpointOffset> positions;
  for (std::uint64_t i = 0; i < count; ++i) {
    CheckpointOffset position;
    if (!in.read_string(position.topic) || !in.read(position.partition) ||
        !in.read(position.next_offset))
      return in.status("kafka offsets");
    if (position.next_offset < 0)
      return core::Status::error("kafka offsets: negative offset in the checkpoint");
    positions.push_back(std::move(position));
  }
  if (!positions.empty() && own_offsets_reader_ == nullptr && params_.commit_offsets) {
    auto reader = new_offsets_reader(params_, params_.group_id);
    if (!reader) return reader.status();
    own_offsets_reader_ = *reader;
  }
  checkpoint_offsets_ = std::move(positions);
  return core::Status::ok();
}

void KafkaSource::revoke(rd_kafka_topic_partition_list_t* list) {
  ++counters_.revocations;
  if (on_revoke_ && !closed_) on_revoke_();
  core::Status committed = commit_partitions(true, list);
  if (!committed) {
    ++counters_.uncommitted_revocations;
    if (!closed_)
      std::fprintf(stderr,
                   "kafka: commit on revoke failed (records after the last commit will be "
                   "processed again): %s\n",
                   committed.message().c_str());
  }
  if (closed_) close_commit_ = committed;
  for (int i = 0; i < list->cnt; ++i) {
    Partition& tracked = partition(list->elems[i].topic, list->elems[i].partition);
    tracked.assigned = false;
    tracked.dirty = false;
  }
}

KafkaSource::Partition& KafkaSource::partition(std::string_view topic, std::int32_t number) {
  if (last_found_ && last_found_->partition == number && last_found_->topic == topic)
    return *last_found_;
  for (const auto& tracked : partitions_) {
    if (tracked->partition == number && tracked->topic == topic) {
      last_found_ = tracked.get();
      return *tracked;
    }
  }
  auto tracked = std::make_unique<Partition>();
  tracked->topic = std::string(topic);
  tracked->partition = number;
  tracked->labels = !params_.labels_topic.empty() && tracked->topic == params_.labels_topic;
  partitions_.push_back(std::move(tracked));
  last_found_ = partitions_.back().get();
  return *last_found_;
}

void KafkaSource::finish(Partition& tracked) {
  tracked.finished = true;
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, tracked.topic.c_str(), tracked.partition);
  rd_kafka_pause_partitions(handle_, list);
  rd_kafka_topic_partition_list_destroy(list);
}

bool KafkaSource::all_finished() const {
  if (params_.until.kind == StopCondition::Kind::kNever) return false;
  bool any = false;
  for (const auto& tracked : partitions_) {
    if (!tracked->assigned) continue;
    any = true;
    if (!tracked->finished) return false;
  }
  return any;
}

KafkaSource::Poll KafkaSource::poll(int timeout_ms, stream::SourceRecord& record) {
  if (message_) {
    rd_kafka_message_destroy(message_);
    message_ = nullptr;
  }
  current_ = nullptr;
  if (!error_) return Poll::kFailed;
  if (all_finished()) return Poll::kFinished;
  rd_kafka_message_t* message = rd_kafka_consumer_poll(handle_, timeout_ms);
  if (!error_) {
    if (message) rd_kafka_message_destroy(message);
    return Poll::kFailed;
  }
  if (!message) return all_finished() ? Poll::kFinished : Poll::kIdle;
  const char* topic = message->rkt ? rd_kafka_topic_name(message->rkt) : "";
  if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
    Partition& tracked = partition(topic, message->partition);
    if (params_.until.kind == StopCondition::Kind::kEnd && message->offset >= tracked.end_offset)
      finish(tracked);
    rd_kafka_message_destroy(message);
    return all_finished() ? Poll::kFinished : Poll::kIdle;
  }
  if (message->err) {
    std::string what =
        std::string(rd_kafka_err2name(message->err)) + ": " + rd_kafka_message_errstr(message);
    rd_kafka_message_destroy(message);
    char fatal_reason[512];
    if (rd_kafka_fatal_error(handle_, fatal_reason, sizeof(fatal_reason))) {
      error_ =
          core::Status::error(std::string("kafka source: fatal consumer error: ") + fatal_reason);
      return Poll::kFailed;
    }
    report_transient(what);
    return Poll::kIdle;
  }
  Partition& tracked = partition(topic, message->partition);
  if (tracked.finished) {  // fetched before the pause took effect
    rd_kafka_message_destroy(message);
    return Poll::kIdle;
  }
  rd_kafka_timestamp_type_t timestamp_type;
  const std::int64_t timestamp = rd_kafka_message_timestamp(message, &timestamp_type);
  if (params_.until.kind == StopCondition::Kind::kTimestamp && timestamp >= 0 &&
      timestamp > params_.until.timestamp_ms) {
    finish(tracked);
    rd_kafka_message_destroy(message);
    return all_finished() ? Poll::kFinished : Poll::kIdle;
  }
  message_ = message;
  current_ = &tracked;
  ++counters_.records;
  record.value = std::string_view(static_cast<const char*>(message->payload), message->len);
  record.key = message->key
                   ? std::string_view(static_cast<const char*>(message->key), message->key_len)
                   : std::string_view();
  record.topic = tracked.topic;
  record.partition = message->partition;
  record.offset = message->offset;
  record.timestamp_ms = timestamp >= 0 ? timestamp : stream::Event::kNoTime;
  record.label_record = tracked.labels;
  return Poll::kRecord;
}

void KafkaSource::mark_processed() {
  if (!message_ || !current_) return;
  Partition& tracked = *current_;
  tracked.next_offset = message_->offset + 1;
  tracked.dirty = true;
  if (params_.until.kind == StopCondition::Kind::kEnd && tracked.next_offset >= tracked.end_offset)
    finish(tracked);
}

core::Status KafkaSource::commit() { return commit_partitions(false, nullptr); }

core::Status KafkaSource::commit_partitions(bool only_revoked,
                                            rd_kafka_topic_partition_list_t* revoked) {
  if (!params_.commit_offsets) return core::Status::ok();
  rd_kafka_topic_partition_list_t* offsets = rd_kafka_topic_partition_list_new(4);
  for (const auto& tracked : partitions_) {
    if (!tracked->dirty || !tracked->assigned) continue;
    if (only_revoked &&
        !rd_kafka_topic_partition_list_find(revoked, tracked->topic.c_str(), tracked->partition))
      continue;
    rd_kafka_topic_partition_list_add(offsets, tracked->topic.c_str(), tracked->partition)->offset =
        tracked->next_offset;
  }
  if (offsets->cnt == 0) {
    rd_kafka_topic_partition_list_destroy(offsets);
    return core::Status::ok();
  }
  if (before_commit_) {
    if (core::Status flushed = before_commit_(); !flushed) {
      rd_kafka_topic_partition_list_destroy(offsets);
      ++counters_.failed_commits;
      return core::Status::error("offsets not committed: " + flushed.message());
    }
  }
  const rd_kafka_resp_err_t committed = rd_kafka_commit(handle_, offsets, 0);
  if (committed != RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_topic_partition_list_destroy(offsets);
    ++counters_.failed_commits;
    return core::Status::error(std::string("offsets not committed: ") +
                               rd_kafka_err2str(committed));
  }
  for (int i = 0; i < offsets->cnt; ++i)
    partition(offsets->elems[i].topic, offsets->elems[i].partition).dirty = false;
  rd_kafka_topic_partition_list_destroy(offsets);
  ++counters_.commits;
  return core::Status::ok();
}

void KafkaSource::discard_uncommitted() {
  for (const auto& tracked : partitions_) tracked->dirty = false;
}

core::Status KafkaSource::close() {
  if (closed_ || handle_ == nullptr) return core::Status::ok();
  if (message_) {
    rd_kafka_message_destroy(message_);
    message_ = nullptr;
    current_ = nullptr;
  }
  // A commit now can fail while the group rebalances (another member leaving at the same time);
  // leaving the group revokes the partitions, and the revoke commits whatever is still pending.
  close_commit_ = commit();
  closed_ = true;
  rd_kafka_consumer_close(handle_);
  return close_commit_;
}

std::vector<std::string> KafkaSource::assignment() const {
  std::vector<std::string> names;
  for (const auto& tracked : partitions_)
    if (tracked->assigned)
      names.push_back(tracked->topic + "/" + std::to_string(tracked->partition));
  return names;
}

bool KafkaSource::has_assignment() const {
  for (const auto& tracked : partitions_)
    if (tracked->assigned) return true;
  return false;
}

std::int64_t KafkaSource::lag_of(const Partition& tracked) const {
  std::int64_t low = -1;
  std::int64_t high = -1;
  if (rd_kafka_get_watermark_offsets(handle_, tracked.topic.c_str(), tracked.partition, &low,
                                     &high) != RD_KAFKA_RESP_ERR_NO_ERROR ||
      high < 0)
    return -1;
  std::int64_t next = tracked.next_offset;
  if (next < 0) {  // nothing processed here yet: where the consumer stands
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(list, tracked.topic.c_str(), tracked.partition);
    if (rd_kafka_position(handle_, list) == RD_KAFKA_RESP_ERR_NO_ERROR)
      next = list->elems[0].offset;
    rd_kafka_topic_partition_list_destroy(list);
    if (next < 0) return high == low ? 0 : -1;  // an empty partition has no lag
  }
  return high > next ? high - next : 0;
}

}  // namespace streamlearn::connectors
