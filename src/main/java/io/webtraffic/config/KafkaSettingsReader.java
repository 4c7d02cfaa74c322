package io.webtraffic.config;

import io.webtraffic.config.PipelineConfig.KafkaSettings;

/**
 * Reads {@code pipeline.kafka}: where events come from, and the credentials a SASL broker needs.
 */
final class KafkaSettingsReader {
  private KafkaSettingsReader() {}

  static KafkaSettings read(CheckedConfig c, EnvironmentSecrets secrets) {
    KafkaSettings kafka =
        new KafkaSettings(
            c.nonEmpty("kafka.bootstrap-servers"),
            c.nonEmpty("kafka.topic"),
            StartingPosition.parse(c.string("kafka.starting-position")),
            c.atLeast("kafka.max-offsets-per-trigger", 0),
            c.bool("kafka.fail-on-data-loss"),
            c.oneOf("kafka.security-protocol", "PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"),
            c.oneOf("kafka.sasl-mechanism", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"),
            secrets.get(ConfigLoader.ENV_SASL_USERNAME),
            secrets.get(ConfigLoader.ENV_SASL_PASSWORD));
    // Without both, the broker would refuse the job at its first fetch, after Spark has started.
    if (kafka.securityProtocol().startsWith("SASL")
        && (kafka.saslUsername().isEmpty() || kafka.saslPassword().isEmpty())) {
      throw new InvalidConfigException(
          String.format(
              "Cannot use pipeline.kafka.security-protocol=%s without credentials: set %s and %s",
              kafka.securityProtocol(),
              ConfigLoader.ENV_SASL_USERNAME,
              ConfigLoader.ENV_SASL_PASSWORD));
    }
    return kafka;
  }
}
