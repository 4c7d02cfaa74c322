package io.webtraffic.config;

import io.webtraffic.config.PipelineConfig.FaultInjectionSettings;
import io.webtraffic.config.PipelineConfig.SparkSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code pipeline.spark} and {@code pipeline.fault-injection}, which the job passes to Spark
 * as its configuration: {@code spark.extra} goes through as given, and a halt point must be one the
 * chosen state store can reach.
 */
final class SparkSettingsReader {
  private SparkSettingsReader() {}

  static SparkSettings read(CheckedConfig c) {
    Map<String, String> extra = new LinkedHashMap<>();
    c.config()
        .getConfig(ConfigLayers.FREE_FORM)
        .entrySet()
        .forEach(
            e -> extra.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped())));
    return new SparkSettings(
        c.nonEmpty("spark.master"),
        (int) c.atLeast("spark.shuffle-partitions", 1),
        c.oneOf("spark.state-store", "rocksdb", "hdfs"),
        c.bool("spark.ui-enabled"),
        (int) c.between("spark.ui-port", 1, 65535),
        c.bool("spark.metrics-enabled"),
        extra);
  }

  /** Off when {@code halt-at} is empty; otherwise one of the {@link FaultPoint} names. */
  static FaultInjectionSettings faultInjection(CheckedConfig c, SparkSettings spark) {
    String key = "fault-injection.halt-at";
    String haltAt = c.string(key).trim();
    if (haltAt.isEmpty()) {
      return new FaultInjectionSettings(Optional.empty(), -1);
    }
    if (!FaultPoint.configNames().contains(haltAt)) {
      throw CheckedConfig.invalid(
          key,
          haltAt,
          "allowed: empty (off), or one of " + String.join(", ", FaultPoint.configNames()));
    }
    // The halting store wraps RocksDB's; the HDFS-backed store has no such point.
    if (FaultPoint.fromConfigName(haltAt) == FaultPoint.STATE_STORE_COMMIT
        && !spark.stateStore().equals("rocksdb")) {
      throw CheckedConfig.invalid(key, haltAt, "needs pipeline.spark.state-store = rocksdb");
    }
    return new FaultInjectionSettings(Optional.of(haltAt), c.atLeast("fault-injection.batch", 0));
  }
}
