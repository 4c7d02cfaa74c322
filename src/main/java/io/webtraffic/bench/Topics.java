package io.webtraffic.bench;

import io.webtraffic.generate.EventGenerator;
import io.webtraffic.generate.GenerationSummary;
import io.webtraffic.generate.GeneratorSettings;
import io.webtraffic.generate.KafkaEventWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** The bench's topics: created, preloaded with the project's generator, and measured. */
final class Topics implements AutoCloseable {
  static final int PARTITIONS = 2;

  /** Simulated events per second of the preload: 150,000 events span 150 s of event time. */
  static final double PRELOAD_RATE = 1_000;

  private final String bootstrapServers;
  private final Admin admin;

  Topics(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.admin = Admin.create(p);
  }

  String create(String name) throws Exception {
    admin.createTopics(List.of(new NewTopic(name, PARTITIONS, (short) 1))).all().get();
    return name;
  }

  /** A topic whose record timestamps are the broker's append times, for end-to-end latency. */
  String createWithAppendTime(String name) throws Exception {
    admin
        .createTopics(
            List.of(
                new NewTopic(name, PARTITIONS, (short) 1)
                    .configs(Map.of("message.timestamp.type", "LogAppendTime"))))
        .all()
        .get();
    return name;
  }

  /**
   * Writes {@code count} generated records (the generator's default mix of duplicates, late,
   * malformed, future and filtered records) as fast as the broker takes them. Event times start
   * now, so the broker's time-based retention never deletes them before the bench reads them.
   */
  GenerationSummary preload(String topic, long count) throws Exception {
    create(topic);
    GeneratorSettings settings =
        GeneratorSettings.builder()
            .count(count)
            .ratePerSecond(PRELOAD_RATE)
            .start(Instant.now().truncatedTo(ChronoUnit.SECONDS))
            .build();
    GenerationSummary summary =
        KafkaEventWriter.write(bootstrapServers, topic, EventGenerator.records(settings));
    long onTopic = endOffsetSum(topic);
    if (onTopic != count) {
      throw new IllegalStateException(
          "Preloaded " + onTopic + " records into " + topic + ", expected " + count);
    }
    return summary;
  }

  long endOffsetSum(String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> request =
        java.util.stream.IntStream.range(0, PARTITIONS)
            .boxed()
            .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
    return admin.listOffsets(request).all().get().values().stream()
        .mapToLong(info -> info.offset())
        .sum();
  }

  @Override
  public void close() {
    admin.close();
  }
}
