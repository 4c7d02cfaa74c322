package io.webtraffic.config;

import io.webtraffic.config.PipelineConfig.EnrichmentSettings;
import io.webtraffic.config.PipelineConfig.FilterRules;
import io.webtraffic.config.PipelineConfig.IcebergSettings;
import io.webtraffic.config.PipelineConfig.KafkaSettings;
import io.webtraffic.config.PipelineConfig.LimitSettings;
import io.webtraffic.config.PipelineConfig.PostgresSettings;
import io.webtraffic.config.PipelineConfig.SparkSettings;

/**
 * Turns the merged {@code pipeline} section into a {@link PipelineConfig}: the sections with rules
 * of their own through their readers, the few top-level settings here.
 */
final class PipelineConfigReader {
  /** Kafka's own default ceiling on a record (message.max.bytes is about 1 MiB), times 16. */
  static final long MAX_RECORD_BYTES = 16L * 1024 * 1024;

  private PipelineConfigReader() {}

  static PipelineConfig read(CheckedConfig c, EnvironmentSecrets secrets) {
    KafkaSettings kafka = KafkaSettingsReader.read(c, secrets);
    FilterRules filter = filter(c);
    PostgresSettings postgres = PostgresSettingsReader.read(c, secrets);
    IcebergSettings iceberg = IcebergSettingsReader.read(c, postgres.url(), secrets);
    SparkSettings spark = SparkSettingsReader.read(c);
    return new PipelineConfig(
        c.nonEmpty("job-name"),
        kafka,
        TriggerSetting.parse(c.string("trigger")),
        c.location("checkpoint-location"),
        c.positive("event-time.watermark-delay"),
        c.positive("event-time.max-future-skew"),
        limits(c),
        filter,
        WindowSettingsReader.read(c),
        iceberg,
        IcebergSettingsReader.s3(c),
        postgres,
        spark,
        SparkSettingsReader.faultInjection(c, spark),
        IcebergSettingsReader.maintenance(c),
        new EnrichmentSettings(c.positive("enrichment.refresh-interval")),
        QualitySettingsReader.read(c.config()));
  }

  private static FilterRules filter(CheckedConfig c) {
    return new FilterRules(
        c.regex("filter.static-asset-pattern"),
        c.strings("filter.health-check-paths"),
        c.regex("filter.bot-user-agent-pattern"),
        c.strings("filter.allowed-hosts"));
  }

  private static LimitSettings limits(CheckedConfig c) {
    return new LimitSettings(
        c.between("limits.max-record-bytes", 1, MAX_RECORD_BYTES),
        (int) c.between("limits.max-url-length", 1, MAX_RECORD_BYTES),
        (int) c.between("limits.max-referrer-length", 1, MAX_RECORD_BYTES),
        (int) c.between("limits.max-host-length", 1, MAX_RECORD_BYTES),
        (int) c.between("limits.max-ip-length", 1, MAX_RECORD_BYTES),
        (int) c.between("limits.max-user-agent-length", 1, MAX_RECORD_BYTES),
        (int) c.between("limits.max-header-bytes", 1, MAX_RECORD_BYTES),
        (int) c.between("limits.max-event-id-length", 1, MAX_RECORD_BYTES));
  }
}
