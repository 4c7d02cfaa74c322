package io.webtraffic.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckedConfigTest {
  static String error(String key, String value, java.util.function.Consumer<CheckedConfig> read) {
    CheckedConfig c = CheckedSections.withFlags(Map.of(key, value));
    return assertThrows(InvalidConfigException.class, () -> read.accept(c)).getMessage();
  }

  @Test
  void aLocationWithASchemeIsKeptAndAPathIsMadeAbsoluteAgainstHome() {
    assertEquals(
        "s3a://bucket/checkpoints",
        CheckedSections.withFlags(Map.of("checkpoint-location", "s3a://bucket/checkpoints"))
            .location("checkpoint-location"));
    assertEquals(
        "file:/data/checkpoints",
        CheckedSections.withFlags(Map.of("checkpoint-location", "file:/data/checkpoints"))
            .location("checkpoint-location"));
    assertEquals(
        CheckedSections.HOME.resolve("state/checkpoints").toString(),
        CheckedSections.withFlags(Map.of("checkpoint-location", "state/../state/checkpoints"))
            .location("checkpoint-location"));
    assertEquals(
        "/var/checkpoints",
        CheckedSections.withFlags(Map.of("checkpoint-location", "/var/checkpoints"))
            .location("checkpoint-location"));
  }

  @Test
  void anIdentifierIsLowerCaseAndDoesNotStartWithADigit() {
    assertEquals(
        "Invalid pipeline.iceberg.namespace: 'Web' (allowed: lower-case letters, digits and '_',"
            + " not starting with a digit)",
        error("iceberg.namespace", "Web", c -> c.identifier("iceberg.namespace")));
    assertEquals(
        "Invalid pipeline.iceberg.namespace: '1web' (allowed: lower-case letters, digits and '_',"
            + " not starting with a digit)",
        error("iceberg.namespace", "1web", c -> c.identifier("iceberg.namespace")));
  }

  @Test
  void aBlankValueIsEmpty() {
    assertEquals(
        "Invalid pipeline.kafka.topic: '' (must not be empty)",
        error("kafka.topic", "   ", c -> c.nonEmpty("kafka.topic")));
  }

  @Test
  void numbersOutsideTheirRangeNameTheBounds() {
    assertEquals(
        "Invalid pipeline.spark.ui-port: '70000' (must be between 1 and 65535)",
        error("spark.ui-port", "70000", c -> c.between("spark.ui-port", 1, 65535)));
    assertEquals(
        "Invalid pipeline.kafka.max-offsets-per-trigger: '-1' (must be >= 0)",
        error(
            "kafka.max-offsets-per-trigger",
            "-1",
            c -> c.atLeast("kafka.max-offsets-per-trigger", 0)));
  }
}
