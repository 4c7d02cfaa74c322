package io.webtraffic.sink;

import io.webtraffic.config.PipelineConfig.IcebergSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.ReplaceSortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the job's Iceberg tables if they are missing and keeps their layout current (idempotent,
 * run at every start): time partitions, a sort order, properties for many small streaming commits
 * (see {@link IcebergTableProperties}), and the columns of promoted fields. The columns themselves
 * are in {@link IcebergColumns}, their later changes in {@link IcebergSchemaUpdates}.
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

  private final IcebergSettings settings;
  private final IcebergTableProperties properties;
  private final IcebergSchemaUpdates schemaUpdates;

  public IcebergTables(IcebergSettings settings) {
    this.settings = settings;
    this.properties = new IcebergTableProperties(settings);
    this.schemaUpdates = new IcebergSchemaUpdates(settings);
  }

  /** Columns of the events tables that a promoted field must not be named after. */
  public static List<String> eventTableColumns() {
    List<String> names = new ArrayList<>(IcebergColumns.EVENT_FIELDS);
    names.addAll(IcebergColumns.ENRICHED_FIELDS);
    names.addAll(List.of("batch_id", "watermark", "lateness_ms"));
    return names;
  }

  public void createIfMissing(SparkSession spark) {
    String timePartition = settings.partitionBy().equals("day") ? "days" : "hours";
    spark.sql(
        "CREATE NAMESPACE IF NOT EXISTS " + settings.catalogName() + "." + settings.namespace());
    create(
        spark,
        EVENTS,
        IcebergColumns.EVENT_COLUMNS,
        timePartition + "(event_time)",
        "host",
        "event_time");
    schemaUpdates.addMissing(spark, EVENTS, IcebergColumns.ENRICHED_COLUMNS);
    create(
        spark,
        LATE_EVENTS,
        IcebergColumns.LATE_EVENT_COLUMNS,
        "days(event_time)",
        "host",
        "event_time");
    schemaUpdates.addMissing(spark, LATE_EVENTS, IcebergColumns.ENRICHED_COLUMNS);
    create(
        spark,
        DEAD_LETTERS,
        IcebergColumns.DEAD_LETTER_COLUMNS,
        "days(kafka_timestamp)",
        "kafka_timestamp");
    create(
        spark,
        HITS_BY_HOST,
        IcebergColumns.HITS_BY_HOST_COLUMNS,
        "days(window_start)",
        "window_start",
        "host");
    create(
        spark,
        HITS_BY_HOST_REFERRER,
        IcebergColumns.HITS_BY_HOST_REFERRER_COLUMNS,
        "days(window_start)",
        "window_start",
        "host");
    create(
        spark,
        HITS_BY_HOST_SLIDING,
        IcebergColumns.HITS_BY_HOST_COLUMNS,
        "days(window_start)",
        "window_start",
        "host");
    create(spark, SESSIONS, IcebergColumns.SESSION_COLUMNS, "days(session_start)", "session_start");
    schemaUpdates.addMissing(spark, SESSIONS, IcebergColumns.SESSION_ADDED_COLUMNS);
    schemaUpdates.documentSessionEnd(spark);
    create(
        spark,
        COUNT_WINDOWS,
        IcebergColumns.COUNT_WINDOW_COLUMNS,
        "days(window_start)",
        "window_start");
    for (String table : List.of(EVENTS, LATE_EVENTS)) {
      schemaUpdates.addPromotedFields(spark, table);
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
    properties.apply(iceberg);
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

  static Table load(SparkSession spark, String name) {
    try {
      return Spark3Util.loadIcebergTable(spark, name);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot load Iceberg table " + name + ": " + e.getMessage(), e);
    }
  }
}
