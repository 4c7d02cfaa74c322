package io.webtraffic.job;

import io.webtraffic.config.ConfigLoader;
import io.webtraffic.config.PipelineConfig;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks, before Spark starts, that the Kafka topic is reachable, so a wrong address or topic is
 * one clear message rather than a query retrying forever.
 */
public final class Preflight {
  private static final int TIMEOUT_SECONDS = 20;

  private Preflight() {}

  public static void check(PipelineConfig config) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000);
    for (Map.Entry<String, String> e :
        io.webtraffic.source.KafkaSource.clientSecurity(config.kafka()).entrySet()) {
      props.put(e.getKey(), e.getValue());
    }
    String topic = config.kafka().topic();
    try (Admin admin = Admin.create(props)) {
      admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new IllegalStateException(
            "Cannot read topic '"
                + topic
                + "' at "
                + config.kafka().bootstrapServers()
                + ": it does not exist (set pipeline.kafka.topic)");
      }
      if (e.getCause() instanceof SaslAuthenticationException) {
        throw new IllegalStateException(
            "Cannot authenticate to Kafka at "
                + config.kafka().bootstrapServers()
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
          "Cannot reach Kafka at "
              + config.kafka().bootstrapServers()
              + ": "
              + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Cannot reach Kafka at "
              + config.kafka().bootstrapServers()
              + " within "
              + TIMEOUT_SECONDS
              + " s (is the broker running? scripts/pipeline stack status)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking Kafka", e);
    }
  }
}
