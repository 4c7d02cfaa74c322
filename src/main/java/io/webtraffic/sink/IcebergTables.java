package io.webtraffic.sink;

import io.webtraffic.config.PipelineConfig.IcebergSettings;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the job's Iceberg tables if they are missing (idempotent, run at every start). Properties
 * suit many small streaming commits: fanout writes so no shuffle is needed before a write, metadata
 * files cleaned after commit, and retries for commits that race with maintenance.
 */
public final class IcebergTables {
  public static final String EVENTS = "events";
  public static final String LATE_EVENTS = "late_events";
  public static final String DEAD_LETTERS = "dead_letters";
  public static final String HITS_BY_HOST = "hits_by_host";
  public static final String HITS_BY_HOST_REFERRER = "hits_by_host_referrer";
  public static final String HITS_BY_HOST_SLIDING = "hits_by_host_sliding";
  public static final String SESSIONS = "sessions";
  public static final String COUNT_WINDOWS = "count_windows";

  /** Every table the job writes. */
  public static final List<String> ALL =
      List.of(
          EVENTS,
          LATE_EVENTS,
          DEAD_LETTERS,
          HITS_BY_HOST,
          HITS_BY_HOST_REFERRER,
          HITS_BY_HOST_SLIDING,
          SESSIONS,
          COUNT_WINDOWS);

  static final String EVENT_COLUMNS =
      String.join(
          ",\n  ",
          "dedup_key STRING NOT NULL",
          "event_time TIMESTAMP NOT NULL",
          "url STRING",
          "referrer STRING",
          "host STRING",
          "ip STRING",
          "user_agent STRING",
          "ua_family STRING",
          "ua_major STRING",
          "device_family STRING",
          "os_family STRING",
          "headers STRING",
          "user_id BIGINT",
          "academy_id BIGINT",
          "event_id STRING",
          "payload STRING COMMENT 'the record as received, unknown fields included'",
          "kafka_partition INT",
          "kafka_offset BIGINT",
          "kafka_timestamp TIMESTAMP",
          "batch_id BIGINT");

  /** From the side inputs; last in each table, so that old tables gain them in the same place. */
  static final List<String> GEO_COLUMNS =
      List.of(
          "country STRING COMMENT 'from the IP-range dimension; unknown when not covered'",
          "state STRING",
          "city STRING");

  static final List<String> SITE_COLUMNS =
      List.of(
          "site_name STRING COMMENT 'from the host dimension; unknown for an unknown host'",
          "owner STRING",
          "environment STRING");

  private static final List<String> ENRICHED_COLUMNS =
      Stream.concat(GEO_COLUMNS.stream(), SITE_COLUMNS.stream()).toList();

  private static final String HITS_BY_HOST_COLUMNS =
      String.join(
          ",\n  ",
          "window_start TIMESTAMP NOT NULL",
          "window_end TIMESTAMP NOT NULL",
          "host STRING",
          "hits BIGINT NOT NULL",
          "batch_id BIGINT");

  private static final String PROPERTIES =
      "TBLPROPERTIES ("
          + "'format-version'='2', "
          + "'write.spark.fanout.enabled'='true', "
          + "'write.distribution-mode'='none', "
          + "'write.metadata.delete-after-commit.enabled'='true', "
          + "'write.metadata.previous-versions-max'='100', "
          + "'commit.retry.num-retries'='10')";

  private final IcebergSettings settings;

  public IcebergTables(IcebergSettings settings) {
    this.settings = settings;
  }

  public void createIfMissing(SparkSession spark) {
    String timePartition = settings.partitionBy().equals("day") ? "days" : "hours";
    spark.sql(
        "CREATE NAMESPACE IF NOT EXISTS " + settings.catalogName() + "." + settings.namespace());
    create(spark, EVENTS, EVENT_COLUMNS, timePartition + "(event_time)");
    addMissing(spark, EVENTS, ENRICHED_COLUMNS);
    create(
        spark,
        LATE_EVENTS,
        EVENT_COLUMNS
            + ",\n  watermark TIMESTAMP COMMENT 'the watermark the event missed'"
            + ",\n  lateness_ms BIGINT COMMENT 'watermark minus event_time'",
        "days(event_time)");
    addMissing(spark, LATE_EVENTS, ENRICHED_COLUMNS);
    create(
        spark,
        DEAD_LETTERS,
        String.join(
            ",\n  ",
            "raw_key BINARY",
            "raw_value BINARY COMMENT 'the Kafka record value, byte for byte'",
            "kafka_topic STRING",
            "kafka_partition INT",
            "kafka_offset BIGINT",
            "kafka_timestamp TIMESTAMP",
            "reason STRING",
            "batch_id BIGINT"),
        "days(kafka_timestamp)");
    create(spark, HITS_BY_HOST, HITS_BY_HOST_COLUMNS, "days(window_start)");
    create(
        spark,
        HITS_BY_HOST_REFERRER,
        String.join(
            ",\n  ",
            "window_start TIMESTAMP NOT NULL",
            "window_end TIMESTAMP NOT NULL",
            "host STRING",
            "referrer STRING",
            "hits BIGINT NOT NULL",
            "batch_id BIGINT"),
        "days(window_start)");
    create(spark, HITS_BY_HOST_SLIDING, HITS_BY_HOST_COLUMNS, "days(window_start)");
    create(
        spark,
        SESSIONS,
        String.join(
            ",\n  ",
            "session_id STRING NOT NULL COMMENT 'stable: derived from the first event'",
            "ip STRING",
            "host STRING",
            "session_start TIMESTAMP NOT NULL COMMENT 'first event'",
            "session_end TIMESTAMP NOT NULL COMMENT 'last event; the session window ends a gap later'",
            "events BIGINT NOT NULL",
            "distinct_urls BIGINT NOT NULL",
            "ua_family STRING COMMENT 'of the first event'",
            "device_family STRING",
            "os_family STRING",
            "batch_id BIGINT"),
        "days(session_start)");
    addMissing(spark, SESSIONS, GEO_COLUMNS);
    create(
        spark,
        COUNT_WINDOWS,
        String.join(
            ",\n  ",
            "window_id STRING NOT NULL COMMENT 'stable: derived from the first event'",
            "window_key STRING COMMENT 'the key value; a JSON array when keyed by several fields'",
            "window_start TIMESTAMP NOT NULL COMMENT 'earliest event'",
            "window_end TIMESTAMP NOT NULL COMMENT 'latest event'",
            "events BIGINT NOT NULL",
            "closed_by STRING COMMENT 'count, or timeout when flushed short'",
            "batch_id BIGINT"),
        "days(window_start)");
  }

  /**
   * Adds the columns a table created by an older version lacks (new tables get them the same way,
   * right after creation), so an existing warehouse keeps working: old rows read them as null.
   */
  private void addMissing(SparkSession spark, String table, List<String> columns) {
    Set<String> existing = Set.of(spark.table(settings.table(table)).columns());
    List<String> missing =
        columns.stream().filter(c -> !existing.contains(c.substring(0, c.indexOf(' ')))).toList();
    if (!missing.isEmpty()) {
      spark.sql(
          "ALTER TABLE "
              + settings.table(table)
              + " ADD COLUMNS (\n  "
              + String.join(",\n  ", missing)
              + ")");
    }
  }

  private void create(SparkSession spark, String table, String columns, String partitioning) {
    spark.sql(
        "CREATE TABLE IF NOT EXISTS "
            + settings.table(table)
            + " (\n  "
            + columns
            + ")\n"
            + "USING iceberg PARTITIONED BY ("
            + partitioning
            + ")\n"
            + PROPERTIES);
  }
}
