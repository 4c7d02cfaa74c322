package io.webtraffic.job;

import io.webtraffic.config.ConfigLoader;
import io.webtraffic.config.PipelineConfig;
import io.webtraffic.source.KafkaAdmin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks, before Spark starts, that the Kafka topic is reachable, so a wrong address, topic or
 * secret is one clear message rather than a query retrying forever.
 */
public final class Preflight {
  private Preflight() {}

  public static void check(PipelineConfig config) {
    String topic = config.kafka().topic();
    String servers = config.kafka().bootstrapServers();
    try (KafkaAdmin admin = KafkaAdmin.connect(config.kafka())) {
      admin.partitions(topic);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new IllegalStateException(
            "Cannot read topic '"
                + topic
                + "' at "
                + servers
                + ": it does not exist (set pipeline.kafka.topic)");
      }
      if (e.getCause() instanceof SaslAuthenticationException) {
        throw new IllegalStateException(
            "Cannot authenticate to Kafka at "
                + servers
                + " with "
                + config.kafka().saslMechanism()
                + ": "
                + e.getCause().getMessage()
                + " (check "
                + ConfigLoader.ENV_SASL_USERNAME
                + " and "
                + ConfigLoader.ENV_SASL_PASSWORD
                + ")");
      }
      throw new IllegalStateException(
          e.getMessage() + " (is the broker running? scripts/pipeline stack status)", e);
    }
  }
}
