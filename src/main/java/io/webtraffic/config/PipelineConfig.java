package io.webtraffic.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole, validated configuration of one job. Built only by {@link ConfigLoader}; every value in
 * it has been checked, so the job never has to second-guess a setting.
 */
public record PipelineConfig(
    String jobName,
    KafkaSettings kafka,
    TriggerSetting trigger,
    String checkpointLocation,
    Duration watermarkDelay,
    Duration maxFutureSkew,
    LimitSettings limits,
    FilterRules filter,
    WindowSettings windows,
    IcebergSettings iceberg,
    S3Settings s3,
    PostgresSettings postgres,
    SparkSettings spark,
    FaultInjectionSettings faultInjection,
    MaintenanceSettings maintenance,
    EnrichmentSettings enrichment,
    QualitySettings quality) {

  /** The same job starting elsewhere in the topic (for a new checkpoint prepared by rewind). */
  public PipelineConfig withStartingPosition(StartingPosition position) {
    KafkaSettings k = kafka;
    return new PipelineConfig(
        jobName,
        new KafkaSettings(
            k.bootstrapServers(),
            k.topic(),
            position,
            k.maxOffsetsPerTrigger(),
            k.failOnDataLoss(),
            k.securityProtocol(),
            k.saslMechanism(),
            k.saslUsername(),
            k.saslPassword()),
        trigger,
        checkpointLocation,
        watermarkDelay,
        maxFutureSkew,
        limits,
        filter,
        windows,
        iceberg,
        s3,
        postgres,
        spark,
        faultInjection,
        maintenance,
        enrichment,
        quality);
  }

  /** Where events come from. SASL credentials come from the environment only. */
  public record KafkaSettings(
      String bootstrapServers,
      String topic,
      StartingPosition startingPosition,
      long maxOffsetsPerTrigger,
      boolean failOnDataLoss,
      String securityProtocol,
      String saslMechanism,
      Optional<Secret> saslUsername,
      Optional<Secret> saslPassword) {}

  /**
   * The largest record and field values accepted; a record over one of them is dead-lettered with
   * the limit's name, never stored cut short. Lengths are in characters, sizes in UTF-8 bytes.
   */
  public record LimitSettings(
      long maxRecordBytes,
      int maxUrlLength,
      int maxReferrerLength,
      int maxHostLength,
      int maxIpLength,
      int maxUserAgentLength,
      int maxHeaderBytes,
      int maxEventIdLength) {}

  /** Rules for events we do not keep; an empty pattern or list disables a rule. */
  public record FilterRules(
      String staticAssetPattern,
      List<String> healthCheckPaths,
      String botUserAgentPattern,
      List<String> allowedHosts) {}

  /**
   * The event-time windows: tumbling and sliding hits, sessions per (ip, host), and count windows
   * of {@code countSize} events per {@code countKey}.
   */
  public record WindowSettings(
      Duration tumblingSize,
      Duration slidingSize,
      Duration slidingSlide,
      Duration sessionGap,
      long countSize,
      List<String> countKey,
      Duration countFlushAfter) {
    /** The event fields a count window may be keyed by: the ones every event has. */
    public static final List<String> COUNT_KEY_FIELDS = List.of("host", "ip", "url", "referrer");
  }

  /**
   * The catalog and how the job's tables are laid out and written. {@code catalogUri} is already
   * resolved: a JDBC catalog without one uses the PostgreSQL database of {@code postgres.url}.
   */
  public record IcebergSettings(
      String catalogName,
      String catalogType,
      String warehouse,
      String catalogUri,
      String namespace,
      String partitionBy,
      long targetFileSizeBytes,
      String writeDistribution,
      List<PromotedField> promotedFields,
      String ioImpl,
      Optional<Secret> restCredential,
      Optional<Secret> restToken) {

    public String table(String name) {
      return catalogName + "." + namespace + "." + name;
    }
  }

  /**
   * The object store behind {@code s3a://} locations, as Hadoop's S3A connector settings. Only the
   * endpoint and addressing: keys come from the environment ({@code AWS_ACCESS_KEY_ID}, {@code
   * AWS_SECRET_ACCESS_KEY}) or the machine's identity, through S3A's default credential chain.
   */
  public record S3Settings(String endpoint, boolean pathStyleAccess, String region) {
    /** The Hadoop settings ({@code fs.s3a.*}) these stand for. */
    public Map<String, String> hadoopSettings() {
      Map<String, String> settings = new java.util.LinkedHashMap<>();
      // S3A's default deletes the parent directory markers after each write, and with Hadoop
      // 3.3.4 a write then waited for that deletion forever against S3Proxy; keeping markers is
      // what Hadoop recommends once every client of the bucket is Hadoop 3.3 or newer.
      settings.put("fs.s3a.directory.marker.retention", "keep");
      if (!endpoint.isEmpty()) {
        settings.put("fs.s3a.endpoint", endpoint);
        settings.put(
            "fs.s3a.connection.ssl.enabled", String.valueOf(!endpoint.startsWith("http://")));
      }
      if (pathStyleAccess) {
        settings.put("fs.s3a.path.style.access", "true");
      }
      if (!region.isEmpty()) {
        settings.put("fs.s3a.endpoint.region", region);
      }
      return settings;
    }
  }

  /**
   * A field of the input JSON kept as a column of the events tables, read from the raw payload.
   *
   * @param type a Spark SQL type name, one of {@link #TYPES}
   */
  public record PromotedField(String name, String type) {
    public static final List<String> TYPES =
        List.of("string", "bigint", "int", "double", "boolean", "timestamp");
  }

  /**
   * Iceberg housekeeping: what {@code maintain} keeps and removes, and how often the job runs it
   * itself ({@code everyBatches}, 0 = never).
   *
   * @param closedMargin a partition is closed once its end is this far behind the watermark
   */
  public record MaintenanceSettings(
      Duration snapshotRetention,
      int minSnapshots,
      Duration orphanAge,
      Duration closedMargin,
      long everyBatches) {}

  /**
   * Where windows and accounting go. A commit that cannot reach the server is retried {@code
   * commitRetries} times, waiting {@code retryBackoff}, doubling up to 30 s, in between. The job
   * connects as {@code user}; the tables are created by {@code migrateUser}, which is {@code user}
   * itself when not set apart (one role does both, and the job creates its tables at start).
   */
  public record PostgresSettings(
      String url,
      String user,
      Optional<Secret> password,
      String migrateUser,
      Optional<Secret> migratePassword,
      String schema,
      boolean upsertEvents,
      int commitRetries,
      Duration retryBackoff) {

    /** True when no separate migration role is configured: the job creates its tables itself. */
    public boolean migratesAtStart() {
      return migrateUser.equals(user);
    }
  }

  public record SparkSettings(
      String master,
      int shufflePartitions,
      String stateStore,
      boolean uiEnabled,
      int uiPort,
      boolean metricsEnabled,
      Map<String, String> extra) {}

  /** What a data-quality check does when its value is outside its limit. */
  public enum QualityAction {
    /** Only the data_quality row. */
    RECORD,
    /** The row and a WARN line in the log. */
    WARN,
    /** The row, and the job stops before anything of the batch is committed. */
    STOP;

    public String configName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** An upper limit on a check's value, and what to do beyond it. */
  public record Limit(double max, QualityAction action) {}

  /**
   * The data-quality gates run on every batch before its commit. Shares are fractions of the
   * records read; {@code eventTimeSkew.max} is in seconds.
   */
  public record QualitySettings(
      List<String> requiredFields,
      Limit requiredNullShare,
      Limit deadLetterShare,
      Limit futureSkewShare,
      Limit eventTimeSkew,
      Limit duplicateShare,
      VolumeLimit volume) {
    /** Event fields a record may be required to carry. */
    public static final List<String> FIELDS =
        List.of(
            "url",
            "host",
            "ip",
            "event_time",
            "user_agent",
            "headers",
            "referrer",
            "user_id",
            "academy_id",
            "event_id");
  }

  /**
   * Records read compared with the median of the last {@code history} batches that read any: the
   * ratio must lie in [minRatio, maxRatio]; not checked before {@code minHistory} such batches.
   */
  public record VolumeLimit(
      int history, int minHistory, double minRatio, double maxRatio, QualityAction action) {}

  /**
   * For recovery tests: halt the job at a named point ({@link FaultPoint#configName()}) of one
   * batch. Empty when off.
   */
  public record FaultInjectionSettings(Optional<String> haltAt, long batch) {}

  /** Side inputs: the dimension tables are read again every {@code refreshInterval}. */
  public record EnrichmentSettings(Duration refreshInterval) {}

  /** A value that must not be printed or logged. */
  public record Secret(String value) {
    @Override
    public String toString() {
      return "***";
    }
  }
}
