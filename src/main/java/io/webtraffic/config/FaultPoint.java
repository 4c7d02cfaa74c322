package io.webtraffic.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The named points of a micro-batch where a crash is most dangerous: between the steps that each
 * commit something. Recovery tests make the job halt itself at one of them (set with {@code
 * fault-injection.halt-at}, carried out by {@code io.webtraffic.ops.FaultInjection}); a restart
 * from the checkpoint must still leave every table exact. The names are configuration values, so
 * the enum lives with the settings that are validated against it.
 */
public enum FaultPoint {
  /** Offsets logged, rows classified, nothing committed anywhere. */
  BEFORE_SINKS,
  /**
   * Events, late events, dead letters, closed sessions and count windows committed to Iceberg; the
   * closed time windows not yet.
   */
  BETWEEN_ICEBERG_TABLES,
  /** Every Iceberg table committed; PostgreSQL not yet. */
  AFTER_ICEBERG,
  /** Both sinks committed; Spark's commit log not yet written. */
  AFTER_POSTGRES,
  /**
   * Inside the window operator's state-store commit: one partition's new state version is durable,
   * the batch's other partitions may not be.
   */
  STATE_STORE_COMMIT;

  /** The name used in configuration: lower case with dashes. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static List<String> configNames() {
    return Arrays.stream(values()).map(FaultPoint::configName).toList();
  }

  public static FaultPoint fromConfigName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
