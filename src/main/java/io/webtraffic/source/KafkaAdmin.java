package io.webtraffic.source;

import io.webtraffic.config.PipelineConfig.KafkaSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka questions the operator commands ask (which partitions, where a log starts and ends,
 * which offset a timestamp falls on) and the consumer group the job reports its position to, with
 * the job's own client security settings and a bounded wait for every answer.
 */
public final class KafkaAdmin implements AutoCloseable {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  private final Admin admin;
  private final String bootstrapServers;
  private final Duration timeout;

  private KafkaAdmin(Admin admin, String bootstrapServers, Duration timeout) {
    this.admin = admin;
    this.bootstrapServers = bootstrapServers;
    this.timeout = timeout;
  }

  public static KafkaAdmin connect(KafkaSettings settings) {
    return connect(settings, DEFAULT_TIMEOUT);
  }

  public static KafkaAdmin connect(KafkaSettings settings, Duration timeout) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.putAll(KafkaSource.clientSecurity(settings));
    return new KafkaAdmin(Admin.create(props), settings.bootstrapServers(), timeout);
  }

  public List<TopicPartition> partitions(String topic) {
    return await(
            "describe topic " + topic,
            admin.describeTopics(List.of(topic)).topicNameValues().get(topic))
        .partitions()
        .stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .toList();
  }

  /** Whether the topic exists (internal topics included). */
  public boolean topicExists(String topic) {
    return await(
            "list topics", admin.listTopics(new ListTopicsOptions().listInternal(true)).names())
        .contains(topic);
  }

  /** Creates a topic with the broker's default replication factor. */
  public void createTopic(String topic, int partitions) {
    await(
        "create topic " + topic,
        admin
            .createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
            .all());
  }

  /** The offset the next record written to each partition will get. */
  public KafkaOffsets latest(Collection<TopicPartition> partitions) {
    return list(partitions, OffsetSpec.latest(), "end offsets");
  }

  /** The oldest offset still in each partition: anything below it aged out or was deleted. */
  public KafkaOffsets earliest(Collection<TopicPartition> partitions) {
    return list(partitions, OffsetSpec.earliest(), "log start offsets");
  }

  /**
   * The first offset whose record timestamp is at or after {@code time}; the end offset where no
   * record is that recent (Spark's {@code startingOffsetsByTimestampStrategy=latest}).
   */
  public KafkaOffsets atTimestamp(Collection<TopicPartition> partitions, Instant time) {
    KafkaOffsets found =
        list(partitions, OffsetSpec.forTimestamp(time.toEpochMilli()), "offsets at " + time);
    KafkaOffsets end = latest(partitions);
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    found
        .offsets()
        .forEach((tp, offset) -> offsets.put(tp, offset < 0 ? end.offsets().get(tp) : offset));
    return new KafkaOffsets(offsets);
  }

  /** Sets a consumer group's committed offsets; the group must have no active member. */
  public void commit(String group, KafkaOffsets offsets) {
    Map<TopicPartition, OffsetAndMetadata> commit =
        offsets.offsets().entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())));
    await(
        "commit offsets of consumer group " + group,
        admin.alterConsumerGroupOffsets(group, commit).all());
  }

  /** A consumer group's committed offsets (partitions without one are absent). */
  public KafkaOffsets committed(String group) {
    Map<TopicPartition, OffsetAndMetadata> committed =
        await(
            "list offsets of consumer group " + group,
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    committed.forEach(
        (tp, om) -> {
          if (om != null) {
            offsets.put(tp, om.offset());
          }
        });
    return new KafkaOffsets(offsets);
  }

  private KafkaOffsets list(Collection<TopicPartition> partitions, OffsetSpec spec, String what) {
    Map<TopicPartition, OffsetSpec> request =
        partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> spec));
    Map<TopicPartition, ListOffsetsResultInfo> result =
        await(what, admin.listOffsets(request).all());
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    result.forEach((tp, info) -> offsets.put(tp, info.offset()));
    return new KafkaOffsets(offsets);
  }

  private <T> T await(String what, KafkaFuture<T> future) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Cannot " + what + " at " + bootstrapServers + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Cannot "
              + what
              + ": no answer from Kafka at "
              + bootstrapServers
              + " within "
              + timeout.toSeconds()
              + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting to " + what, e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
