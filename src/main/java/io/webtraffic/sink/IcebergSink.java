package io.webtraffic.sink;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.unix_millis;

import io.webtraffic.batch.BatchCounts;
import io.webtraffic.config.PipelineConfig.IcebergSettings;
import io.webtraffic.transform.BatchConstant;
import io.webtraffic.transform.Outcomes;
import io.webtraffic.window.WindowTotals;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes one micro-batch to the Iceberg tables: events, late events, dead letters, the sessions and
 * count windows that became final, and the tumbling and sliding windows that this batch's watermark
 * closed. Iceberg only ever receives final rows (append mode). Each table commit is idempotent on
 * (query id, batch id), so a batch replayed after a crash between two commits completes the missing
 * ones only.
 *
 * <p>The two commits are separate calls, so the job can name the point between them: the batch's
 * own rows first, then the closed windows.
 */
public final class IcebergSink {
  private final IcebergSettings settings;

  public IcebergSink(IcebergSettings settings) {
    this.settings = settings;
  }

  /** Rows appended per table by this call (0 where the batch was already committed). */
  public record Written(
      long events,
      long late,
      long dead,
      long hostWindows,
      long referrerWindows,
      long slidingWindows,
      long sessions,
      long countWindows) {
    public static final Written NOTHING = new Written(0, 0, 0, 0, 0, 0, 0, 0);

    public Written plus(Written o) {
      return new Written(
          events + o.events,
          late + o.late,
          dead + o.dead,
          hostWindows + o.hostWindows,
          referrerWindows + o.referrerWindows,
          slidingWindows + o.slidingWindows,
          sessions + o.sessions,
          countWindows + o.countWindows);
    }
  }

  /**
   * Commits the batch's own rows: events, late events, dead letters, and the sessions and count
   * windows that became final.
   *
   * @param outcomes the batch's rows with their outcome (see {@code transform.Outcomes})
   * @param windows the batch's session and count window rows (collected: they are few)
   */
  public Written commitRows(
      Dataset<Row> outcomes,
      BatchCounts counts,
      WindowRows windows,
      String queryId,
      long batchId,
      long lateThresholdMs) {
    SparkSession spark = outcomes.sparkSession();
    List<Row> closedSessions = windows.closedSessions();
    // The tables are independent and each commit is idempotent, so they commit side by side: one
    // table's planning and metadata writes overlap another's Spark job.
    List<Long> appended =
        ParallelCommits.run(
            () ->
                appendIfAny(
                    IcebergTables.DEAD_LETTERS,
                    counts.dead(),
                    deadLetters(outcomes, batchId),
                    queryId,
                    batchId),
            () ->
                appendIfAny(
                    IcebergTables.LATE_EVENTS,
                    counts.late(),
                    lateEvents(outcomes, batchId, lateThresholdMs),
                    queryId,
                    batchId),
            () ->
                appendIfAny(
                    IcebergTables.EVENTS,
                    counts.events(),
                    events(outcomes, Outcomes.EVENT, batchId),
                    queryId,
                    batchId),
            () ->
                appendRows(
                    spark,
                    IcebergTables.SESSIONS,
                    closedSessions,
                    windows.sessionSchema(),
                    queryId,
                    batchId),
            () ->
                appendRows(
                    spark,
                    IcebergTables.COUNT_WINDOWS,
                    windows.countWindows(),
                    windows.countSchema(),
                    queryId,
                    batchId));
    return new Written(
        appended.get(2),
        appended.get(1),
        appended.get(0),
        0,
        0,
        0,
        appended.get(3),
        appended.get(4));
  }

  /**
   * Commits the tumbling and sliding windows this batch's watermark closed, with the counts the job
   * carried for them ({@link WindowTotals}): no events are read.
   */
  public Written commitClosedWindows(
      SparkSession spark, WindowTotals.Closed closed, String queryId, long batchId) {
    if (closed.isEmpty()) {
      return Written.NOTHING;
    }
    List<Long> rows =
        ParallelCommits.run(
            () ->
                appendNew(
                    spark,
                    IcebergTables.HITS_BY_HOST,
                    closed.byHost(),
                    HOST_WINDOW,
                    new String[] {"window_start", "host"},
                    queryId,
                    batchId),
            () ->
                appendNew(
                    spark,
                    IcebergTables.HITS_BY_HOST_REFERRER,
                    closed.byHostReferrer(),
                    REFERRER_WINDOW,
                    new String[] {"window_start", "host", "referrer"},
                    queryId,
                    batchId),
            () ->
                appendNew(
                    spark,
                    IcebergTables.HITS_BY_HOST_SLIDING,
                    closed.sliding(),
                    HOST_WINDOW,
                    new String[] {"window_start", "window_end", "host"},
                    queryId,
                    batchId));
    return new Written(0, 0, 0, rows.get(0), rows.get(1), rows.get(2), 0, 0);
  }

  /**
   * The event columns, then the promoted fields read from the raw payload: a value that does not
   * convert to the field's type reads null there and stays in {@code payload}.
   */
  private Dataset<Row> events(Dataset<Row> classified, String outcome, long batchId) {
    Column payload = col("raw_value").cast("string");
    Stream<Column> fields =
        Stream.concat(IcebergColumns.EVENT_FIELDS.stream(), IcebergColumns.ENRICHED_FIELDS.stream())
            .map(c -> c.equals("payload") ? payload.as(c) : col(c));
    Stream<Column> promoted =
        settings.promotedFields().stream()
            .map(f -> get_json_object(payload, "$." + f.name()).cast(f.type()).as(f.name()));
    return classified
        .where(col(Outcomes.OUTCOME).equalTo(outcome))
        .select(Stream.concat(fields, promoted).toArray(Column[]::new))
        .withColumn("batch_id", BatchConstant.ofLong(batchId));
  }

  private Dataset<Row> lateEvents(Dataset<Row> classified, long batchId, long thresholdMs) {
    return events(classified, Outcomes.LATE, batchId)
        .withColumn("watermark", BatchConstant.timestampMillis(thresholdMs))
        .withColumn(
            "lateness_ms", BatchConstant.ofLong(thresholdMs).minus(unix_millis(col("event_time"))));
  }

  private static Dataset<Row> deadLetters(Dataset<Row> classified, long batchId) {
    return classified
        .where(col(Outcomes.OUTCOME).equalTo(Outcomes.DEAD))
        .select(
            col("raw_key"),
            col("raw_value"),
            col("kafka_topic"),
            col("kafka_partition"),
            col("kafka_offset"),
            col("kafka_timestamp"),
            col("reason"),
            BatchConstant.ofLong(batchId).as("batch_id"));
  }

  private long appendIfAny(
      String table, long expected, Dataset<Row> rows, String queryId, long batchId) {
    if (expected == 0) {
      return 0;
    }
    return append(table).append(rows, queryId, batchId) ? expected : 0;
  }

  /** Appends rows the driver holds (the session rows' {@code status} is not a table column). */
  private long appendRows(
      SparkSession spark,
      String table,
      List<Row> rows,
      StructType schema,
      String queryId,
      long batchId) {
    if (rows.isEmpty()) {
      return 0;
    }
    IcebergAppend append = append(table);
    if (append.committed(spark, queryId, batchId)) {
      return 0;
    }
    append.writeRows(spark, rows, schema, Map.of("batch_id", batchId), queryId, batchId);
    return rows.size();
  }

  /**
   * The job's appends write with fanout writers and no sort when the write distribution is none:
   * the table's sort order cost a sort of every batch's rows (measured: 5 % of the job's CPU at
   * 100,000-record batches), and {@code maintain} sorts closed partitions when it compacts them.
   */
  private IcebergAppend append(String table) {
    return new IcebergAppend(settings.table(table), !settings.writeDistribution().equals("none"));
  }

  /** (window_start, window_end, host, hits): hits_by_host and hits_by_host_sliding. */
  private static final StructType HOST_WINDOW =
      new StructType()
          .add("window_start", DataTypes.TimestampType, false)
          .add("window_end", DataTypes.TimestampType, false)
          .add("host", DataTypes.StringType)
          .add("hits", DataTypes.LongType, false);

  private static final StructType REFERRER_WINDOW =
      new StructType()
          .add("window_start", DataTypes.TimestampType, false)
          .add("window_end", DataTypes.TimestampType, false)
          .add("host", DataTypes.StringType)
          .add("referrer", DataTypes.StringType)
          .add("hits", DataTypes.LongType, false);

  /**
   * Appends the closed windows not yet in the table. A new checkpoint over old tables may close a
   * window an earlier checkpoint wrote; the anti-join keeps it from being written twice. Windows
   * close in the order of their ends, so on one checkpoint no file holds a window starting at or
   * after this batch's first: the table's file statistics say so without reading any row, and the
   * anti-join runs only when some file might.
   */
  private long appendNew(
      SparkSession spark,
      String table,
      List<Row> closed,
      StructType schema,
      String[] key,
      String queryId,
      long batchId) {
    if (closed.isEmpty()) {
      return 0;
    }
    IcebergAppend append = append(table);
    if (append.committed(spark, queryId, batchId)) {
      return 0;
    }
    long firstStart =
        closed.stream().mapToLong(r -> ((Timestamp) r.get(0)).getTime()).min().orElseThrow();
    if (!append.mayHoldFrom(spark, "window_start", firstStart)) {
      append.writeRows(spark, closed, schema, Map.of("batch_id", batchId), queryId, batchId);
      return closed.size();
    }
    Dataset<Row> rows = spark.createDataFrame(closed, schema);
    Dataset<Row> existing =
        spark
            .table(settings.table(table))
            .where(col("window_start").geq(timestamp_millis(lit(firstStart))))
            .select(Arrays.stream(key).map(k -> col(k).as("x_" + k)).toArray(Column[]::new));
    Column same = lit(true);
    for (String k : key) {
      same = same.and(col(k).eqNullSafe(col("x_" + k)));
    }
    List<Row> fresh = rows.join(existing, same, "left_anti").collectAsList();
    if (!fresh.isEmpty()) {
      append.writeRows(spark, fresh, schema, Map.of("batch_id", batchId), queryId, batchId);
    }
    return fresh.size();
  }
}
