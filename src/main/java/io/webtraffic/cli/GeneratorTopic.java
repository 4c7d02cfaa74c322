package io.webtraffic.cli;

import io.webtraffic.config.PipelineConfig.KafkaSettings;
import io.webtraffic.source.KafkaAdmin;
import java.time.Duration;
import java.util.Optional;

/**
 * The generator's topic exists before the first record: a missing topic is named in one line (or
 * created when asked), instead of the producer's "does not host this topic-partition" a minute
 * later.
 */
final class GeneratorTopic {
  /** As long as the producer waits for metadata, so an unreachable broker fails as fast. */
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private GeneratorTopic() {}

  /**
   * @param partitions create a missing topic with this many partitions; null refuses it
   * @return what was done, if anything
   * @throws MissingTopicException if the topic does not exist and may not be created
   */
  static Optional<String> ensure(KafkaSettings kafka, Integer partitions) {
    try (KafkaAdmin admin = KafkaAdmin.connect(kafka, TIMEOUT)) {
      if (admin.topicExists(kafka.topic())) {
        return Optional.empty();
      }
      if (partitions == null) {
        throw new MissingTopicException(
            "Cannot write to topic "
                + kafka.topic()
                + ": it does not exist at "
                + kafka.bootstrapServers()
                + " (create it with --create-topic PARTITIONS, or set kafka.topic / --topic)");
      }
      admin.createTopic(kafka.topic(), partitions);
      return Optional.of("Created topic " + kafka.topic() + " with " + partitions + " partitions");
    }
  }
}
