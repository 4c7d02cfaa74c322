package io.webtraffic.sink;

import io.webtraffic.config.InvalidConfigException;
import io.webtraffic.config.PipelineConfig.IcebergSettings;
import io.webtraffic.config.PipelineConfig.PromotedField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.ReplaceSortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;

/**
 * Creates the job's Iceberg tables if they are missing and keeps their layout current (idempotent,
 * run at every start): time partitions, a sort order, properties for many small streaming commits
 * (see {@link #properties}), and the columns of promoted fields.
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

  static final String SESSION_END_DOC = "end of the session window: last event + gap";

  /**
   * Columns the sessions table gained after it was first released, in the order they came: added to
   * new and old tables alike, so both have the same layout.
   */
  static final List<String> SESSION_ADDED_COLUMNS =
      Stream.concat(
              GEO_COLUMNS.stream(),
              Stream.of(
                  "last_event_time TIMESTAMP COMMENT 'last event; null in rows written when"
                      + " session_end was the last event'"))
          .toList();

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

  /**
   * The event-time column each table is partitioned on: a partition whose time range the watermark
   * has passed receives no more rows from the job (late events aside).
   */
  public static final Map<String, String> TIME_COLUMN =
      Map.of(
          EVENTS, "event_time",
          LATE_EVENTS, "event_time",
          DEAD_LETTERS, "kafka_timestamp",
          HITS_BY_HOST, "window_start",
          HITS_BY_HOST_REFERRER, "window_start",
          HITS_BY_HOST_SLIDING, "window_start",
          SESSIONS, "session_start",
          COUNT_WINDOWS, "window_start");

  /** The event fields the events and late-events tables hold, in their order. */
  public static final List<String> EVENT_FIELDS =
      List.of(
          "dedup_key",
          "event_time",
          "url",
          "referrer",
          "host",
          "ip",
          "user_agent",
          "ua_family",
          "ua_major",
          "device_family",
          "os_family",
          "headers",
          "user_id",
          "academy_id",
          "event_id",
          "payload",
          "kafka_partition",
          "kafka_offset",
          "kafka_timestamp");

  private final IcebergSettings settings;

  public IcebergTables(IcebergSettings settings) {
    this.settings = settings;
  }

  /** The side-input columns the events and late-events tables hold after the event fields. */
  public static final List<String> ENRICHED_FIELDS =
      ENRICHED_COLUMNS.stream().map(c -> c.substring(0, c.indexOf(' '))).toList();

  /** Columns of the events tables that a promoted field must not be named after. */
  public static List<String> eventTableColumns() {
    List<String> names = new ArrayList<>(EVENT_FIELDS);
    names.addAll(ENRICHED_FIELDS);
    names.addAll(List.of("batch_id", "watermark", "lateness_ms"));
    return names;
  }

  /**
   * Table properties for many small streaming commits, set on new and existing tables alike. The
   * distribution mode is configurable: hash shuffles a batch's rows by partition so each partition
   * gets one file per batch; none writes from every task with fanout writers (no shuffle, a file
   * per task and partition).
   */
  Map<String, String> properties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("write.target-file-size-bytes", String.valueOf(settings.targetFileSizeBytes()));
    p.put("write.distribution-mode", settings.writeDistribution());
    p.put(
        "write.spark.fanout.enabled", String.valueOf(settings.writeDistribution().equals("none")));
    // Each batch writes a metadata file; keep the last 100 and delete older ones at commit.
    p.put("write.metadata.delete-after-commit.enabled", "true");
    p.put("write.metadata.previous-versions-max", "100");
    // The job, maintain and reconcile commit to the same tables: a commit that loses the race
    // re-applies itself on the new metadata instead of failing.
    p.put("commit.retry.num-retries", "10");
    p.put("commit.retry.min-wait-ms", "100");
    p.put("commit.retry.max-wait-ms", "10000");
    // Manifests merged as commits add them, so planning does not read one manifest per batch.
    p.put("commit.manifest-merge.enabled", "true");
    p.put("commit.manifest.min-count-to-merge", "50");
    return p;
  }

  public void createIfMissing(SparkSession spark) {
    String timePartition = settings.partitionBy().equals("day") ? "days" : "hours";
    spark.sql(
        "CREATE NAMESPACE IF NOT EXISTS " + settings.catalogName() + "." + settings.namespace());
    create(spark, EVENTS, EVENT_COLUMNS, timePartition + "(event_time)", "host", "event_time");
    addMissing(spark, EVENTS, ENRICHED_COLUMNS);
    create(
        spark,
        LATE_EVENTS,
        EVENT_COLUMNS
            + ",\n  watermark TIMESTAMP COMMENT 'the watermark the event missed'"
            + ",\n  lateness_ms BIGINT COMMENT 'watermark minus event_time'",
        "days(event_time)",
        "host",
        "event_time");
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
        "days(kafka_timestamp)",
        "kafka_timestamp");
    create(spark, HITS_BY_HOST, HITS_BY_HOST_COLUMNS, "days(window_start)", "window_start", "host");
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
        "days(window_start)",
        "window_start",
        "host");
    create(
        spark,
        HITS_BY_HOST_SLIDING,
        HITS_BY_HOST_COLUMNS,
        "days(window_start)",
        "window_start",
        "host");
    create(
        spark,
        SESSIONS,
        String.join(
            ",\n  ",
            "session_id STRING NOT NULL COMMENT 'stable: derived from the first event'",
            "ip STRING",
            "host STRING",
            "session_start TIMESTAMP NOT NULL COMMENT 'first event'",
            "session_end TIMESTAMP NOT NULL COMMENT '" + SESSION_END_DOC + "'",
            "events BIGINT NOT NULL",
            "distinct_urls BIGINT NOT NULL",
            "ua_family STRING COMMENT 'of the first event'",
            "device_family STRING",
            "os_family STRING",
            "batch_id BIGINT"),
        "days(session_start)",
        "session_start");
    addMissing(spark, SESSIONS, SESSION_ADDED_COLUMNS);
    documentSessionEnd(spark);
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
        "days(window_start)",
        "window_start");
    for (String table : List.of(EVENTS, LATE_EVENTS)) {
      addPromotedFields(spark, table);
    }
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

  /** A table created when session_end was the last event says what the column means now. */
  private void documentSessionEnd(SparkSession spark) {
    Table iceberg = load(spark, settings.table(SESSIONS));
    if (!SESSION_END_DOC.equals(iceberg.schema().findField("session_end").doc())) {
      iceberg.updateSchema().updateColumnDoc("session_end", SESSION_END_DOC).commit();
    }
  }

  private void create(
      SparkSession spark, String table, String columns, String partitioning, String... sortedBy) {
    String name = settings.table(table);
    spark.sql(
        "CREATE TABLE IF NOT EXISTS "
            + name
            + " (\n  "
            + columns
            + ")\n"
            + "USING iceberg PARTITIONED BY ("
            + partitioning
            + ")\n"
            + "TBLPROPERTIES ('format-version'='2')");
    Table iceberg = load(spark, name);
    Map<String, String> changed = new LinkedHashMap<>(properties());
    changed.entrySet().removeIf(e -> e.getValue().equals(iceberg.properties().get(e.getKey())));
    if (!changed.isEmpty()) {
      UpdateProperties update = iceberg.updateProperties();
      changed.forEach(update::set);
      update.commit();
    }
    // The order rows are written in and compacted to: files of one partition then hold disjoint
    // host ranges, so a query on a host reads few files.
    if (iceberg.sortOrder().isUnsorted() && sortedBy.length > 0) {
      ReplaceSortOrder order = iceberg.replaceSortOrder();
      for (String column : sortedBy) {
        order.asc(column);
      }
      order.commit();
    }
  }

  /**
   * Adds a column per promoted field (metadata only: existing files are not rewritten, and their
   * rows read null).
   */
  private void addPromotedFields(SparkSession spark, String table) {
    String name = settings.table(table);
    Table iceberg = load(spark, name);
    for (PromotedField field : settings.promotedFields()) {
      Types.NestedField existing = iceberg.schema().findField(field.name());
      if (existing == null) {
        spark.sql(
            "ALTER TABLE "
                + name
                + " ADD COLUMN "
                + field.name()
                + " "
                + field.type()
                + " COMMENT 'promoted from the payload'");
      } else if (!SparkSchemaUtil.convert(existing.type())
          .sameType(DataType.fromDDL(field.type()))) {
        throw new InvalidConfigException(
            String.format(
                "Cannot promote field %s as %s: %s already has it as %s; a column's type cannot"
                    + " change on existing data (choose another name)",
                field.name(), field.type(), name, SparkSchemaUtil.convert(existing.type()).sql()));
      }
    }
  }

  static Table load(SparkSession spark, String name) {
    try {
      return Spark3Util.loadIcebergTable(spark, name);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot load Iceberg table " + name + ": " + e.getMessage(), e);
    }
  }
}
