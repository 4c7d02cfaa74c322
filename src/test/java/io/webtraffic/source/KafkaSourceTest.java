package io.webtraffic.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.webtraffic.config.ConfigLoader;
import io.webtraffic.config.PipelineConfig.KafkaSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KafkaSourceTest {
  static Map<String, String> options(Map<String, String> env, String... flags) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 0; i < flags.length; i += 2) {
      settings.put(flags[i], flags[i + 1]);
    }
    KafkaSettings kafka =
        ConfigLoader.load(Optional.empty(), env, settings, Path.of("/tmp")).kafka();
    return new KafkaSource(kafka).options();
  }

  @Test
  void earliestByDefaultWithDataLossFailing() {
    Map<String, String> o = options(Map.of());
    assertEquals("earliest", o.get("startingOffsets"));
    assertEquals("true", o.get("failOnDataLoss"));
    assertEquals("web-events", o.get("subscribe"));
    assertFalse(o.containsKey("maxOffsetsPerTrigger"), "no limit unless configured");
    assertEquals("PLAINTEXT", o.get("kafka.security.protocol"));
  }

  @Test
  void aTimestampStartsFromEpochMillis() {
    Map<String, String> o =
        options(Map.of(), "kafka.starting-position", "timestamp:2026-11-20T09:00:00Z");
    assertEquals("1795165200000", o.get("startingTimestamp"));
    assertEquals("latest", o.get("startingOffsetsByTimestampStrategy"));
    assertFalse(o.containsKey("startingOffsets"));
  }

  @Test
  void explicitOffsetsAndARateLimitPassThrough() {
    Map<String, String> o =
        options(
            Map.of(),
            "kafka.starting-position",
            "{\"web-events\":{\"0\":42,\"1\":-2}}",
            "kafka.max-offsets-per-trigger",
            "5000");
    assertEquals("{\"web-events\":{\"0\":42,\"1\":-2}}", o.get("startingOffsets"));
    assertEquals("5000", o.get("maxOffsetsPerTrigger"));
  }

  @Test
  void saslCredentialsComeFromTheEnvironmentIntoTheJaasLine() {
    Map<String, String> o =
        options(
            Map.of("PIPELINE_KAFKA_SASL_USERNAME", "app", "PIPELINE_KAFKA_SASL_PASSWORD", "p\"w"),
            "kafka.security-protocol",
            "SASL_SSL",
            "kafka.sasl-mechanism",
            "SCRAM-SHA-512");
    assertEquals("SASL_SSL", o.get("kafka.security.protocol"));
    assertEquals("SCRAM-SHA-512", o.get("kafka.sasl.mechanism"));
    assertEquals(
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"app\""
            + " password=\"p\\\"w\";",
        o.get("kafka.sasl.jaas.config"));
  }
}
