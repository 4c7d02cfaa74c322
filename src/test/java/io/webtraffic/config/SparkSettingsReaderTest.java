package io.webtraffic.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.webtraffic.config.PipelineConfig.FaultInjectionSettings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SparkSettingsReaderTest {
  static FaultInjectionSettings faultInjection(Map<String, String> flags) {
    CheckedConfig c = CheckedSections.withFlags(flags);
    return SparkSettingsReader.faultInjection(c, SparkSettingsReader.read(c));
  }

  static String error(Map<String, String> flags) {
    return assertThrows(InvalidConfigException.class, () -> faultInjection(flags)).getMessage();
  }

  @Test
  void faultInjectionIsOffUnlessAHaltPointIsSet() {
    assertEquals(new FaultInjectionSettings(Optional.empty(), -1), faultInjection(Map.of()));
    assertEquals(
        new FaultInjectionSettings(Optional.of("after-iceberg"), 3),
        faultInjection(
            Map.of("fault-injection.halt-at", "after-iceberg", "fault-injection.batch", "3")));
  }

  @Test
  void aHaltPointMustBeNamedAndReachableByTheStateStore() {
    assertEquals(
        "Invalid pipeline.fault-injection.halt-at: 'mid-air' (allowed: empty (off), or one of"
            + " before-sinks, between-iceberg-tables, after-iceberg, after-postgres,"
            + " state-store-commit)",
        error(Map.of("fault-injection.halt-at", "mid-air")));
    assertEquals(
        "Invalid pipeline.fault-injection.halt-at: 'state-store-commit' (needs"
            + " pipeline.spark.state-store = rocksdb)",
        error(
            Map.of("fault-injection.halt-at", "state-store-commit", "spark.state-store", "hdfs")));
  }
}
