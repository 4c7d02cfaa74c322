package io.webtraffic.sink;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.unix_millis;

import io.webtraffic.config.FaultPoint;
import io.webtraffic.config.PipelineConfig.IcebergSettings;
import io.webtraffic.ops.FaultInjection;
import io.webtraffic.transform.Classify;
import io.webtraffic.window.TimeWindows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Writes one micro-batch to the Iceberg tables: events, late events, dead letters, the sessions and
 * count windows that became final, and the tumbling and sliding windows that this batch's watermark
 * closed. Iceberg only ever receives final rows (append mode). Each table commit is idempotent on
 * (query id, batch id), so a batch replayed after a crash between two commits completes the missing
 * ones only.
 *
 * <p>Closed windows are computed from the events table itself: once the watermark has passed a
 * window's end, every later event for it is late, so the table holds its final count.
 */
public final class IcebergSink {
  private final IcebergSettings settings;
  private final TimeWindows tumbling;
  private final TimeWindows sliding;

  public IcebergSink(IcebergSettings settings, TimeWindows tumbling, TimeWindows sliding) {
    this.settings = settings;
    this.tumbling = tumbling;
    this.sliding = sliding;
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
  }

  /**
   * @param windows the batch's session and count window rows (collected: they are few)
   */
  public Written commit(
      Dataset<Row> classified,
      BatchCounts counts,
      WindowRows windows,
      String queryId,
      long batchId,
      Watermarks watermarks) {
    SparkSession spark = classified.sparkSession();
    List<Row> closedSessions = windows.closedSessions();
    // The tables are independent and each commit is idempotent, so they commit side by side: one
    // table's planning and metadata writes overlap another's Spark job.
    List<Long> appended =
        ParallelCommits.run(
            () ->
                appendIfAny(
                    IcebergTables.DEAD_LETTERS,
                    counts.dead(),
                    deadLetters(classified, batchId),
                    queryId,
                    batchId),
            () ->
                appendIfAny(
                    IcebergTables.LATE_EVENTS,
                    counts.late(),
                    lateEvents(classified, batchId, watermarks.lateThresholdMs()),
                    queryId,
                    batchId),
            () ->
                appendIfAny(
                    IcebergTables.EVENTS,
                    counts.events(),
                    events(classified, Classify.EVENT, batchId),
                    queryId,
                    batchId),
            () ->
                appendIfAny(
                    IcebergTables.SESSIONS,
                    closedSessions.size(),
                    spark
                        .createDataFrame(closedSessions, windows.sessionSchema())
                        .drop("status")
                        .withColumn("batch_id", lit(batchId)),
                    queryId,
                    batchId),
            () ->
                appendIfAny(
                    IcebergTables.COUNT_WINDOWS,
                    windows.countWindows().size(),
                    spark
                        .createDataFrame(windows.countWindows(), windows.countSchema())
                        .withColumn("batch_id", lit(batchId)),
                    queryId,
                    batchId));
    long dead = appended.get(0);
    long late = appended.get(1);
    long events = appended.get(2);
    long sessions = appended.get(3);
    long countWindows = appended.get(4);
    FaultInjection.at(FaultPoint.BETWEEN_ICEBERG_TABLES, batchId);

    // Closed time windows are computed from the events table: after its commit above.
    long hostWindows = 0;
    long referrerWindows = 0;
    long slidingWindows = 0;
    Optional<TimeWindows.Closing> closing =
        tumbling.closing(watermarks.previousMs(), watermarks.currentMs());
    Optional<TimeWindows.Closing> slid =
        sliding.closing(watermarks.previousMs(), watermarks.currentMs());
    if (closing.isPresent() || slid.isPresent()) {
      // One scan of the events the closing windows need, shared by the three aggregations.
      Column needed =
          Stream.of(closing, slid)
              .flatMap(Optional::stream)
              .map(TimeWindows.Closing::eventsIn)
              .reduce(Column::or)
              .orElseThrow();
      Dataset<Row> recent =
          eventsTable(spark).where(needed).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        List<Callable<Long>> appends = new ArrayList<>();
        if (closing.isPresent()) {
          Dataset<Row> closed = recent.where(closing.get().eventsIn());
          appends.add(
              () ->
                  appendNew(
                      IcebergTables.HITS_BY_HOST,
                      tumbling.hitsByHost(closed),
                      closing.get(),
                      new String[] {"window_start", "host"},
                      queryId,
                      batchId));
          appends.add(
              () ->
                  appendNew(
                      IcebergTables.HITS_BY_HOST_REFERRER,
                      tumbling.hitsByHostReferrer(closed),
                      closing.get(),
                      new String[] {"window_start", "host", "referrer"},
                      queryId,
                      batchId));
        }
        if (slid.isPresent()) {
          appends.add(
              () ->
                  appendNew(
                      IcebergTables.HITS_BY_HOST_SLIDING,
                      sliding.hitsByHost(recent.where(slid.get().eventsIn())),
                      slid.get(),
                      new String[] {"window_start", "window_end", "host"},
                      queryId,
                      batchId));
        }
        List<Long> closedRows = ParallelCommits.run(appends);
        int next = 0;
        if (closing.isPresent()) {
          hostWindows = closedRows.get(next++);
          referrerWindows = closedRows.get(next++);
        }
        if (slid.isPresent()) {
          slidingWindows = closedRows.get(next);
        }
      } finally {
        recent.unpersist();
      }
    }
    return new Written(
        events, late, dead, hostWindows, referrerWindows, slidingWindows, sessions, countWindows);
  }

  private Dataset<Row> eventsTable(SparkSession spark) {
    return spark.table(settings.table(IcebergTables.EVENTS));
  }

  /**
   * The event columns, then the promoted fields read from the raw payload: a value that does not
   * convert to the field's type reads null there and stays in {@code payload}.
   */
  private Dataset<Row> events(Dataset<Row> classified, String outcome, long batchId) {
    Stream<Column> fields =
        Stream.concat(IcebergTables.EVENT_FIELDS.stream(), IcebergTables.ENRICHED_FIELDS.stream())
            .map(c -> col(c));
    Stream<Column> promoted =
        settings.promotedFields().stream()
            .map(f -> get_json_object(col("payload"), "$." + f.name()).cast(f.type()).as(f.name()));
    return classified
        .where(col("outcome").equalTo(outcome))
        .select(Stream.concat(fields, promoted).toArray(Column[]::new))
        .withColumn("batch_id", lit(batchId));
  }

  private Dataset<Row> lateEvents(Dataset<Row> classified, long batchId, long thresholdMs) {
    return events(classified, Classify.LATE, batchId)
        .withColumn("watermark", timestamp_millis(lit(thresholdMs)))
        .withColumn("lateness_ms", lit(thresholdMs).minus(unix_millis(col("event_time"))));
  }

  private static Dataset<Row> deadLetters(Dataset<Row> classified, long batchId) {
    return classified
        .where(col("outcome").equalTo(Classify.DEAD))
        .select(
            col("raw_key"),
            col("raw_value"),
            col("kafka_topic"),
            col("kafka_partition"),
            col("kafka_offset"),
            col("kafka_timestamp"),
            col("dead_reason").as("reason"),
            lit(batchId).as("batch_id"));
  }

  private long appendIfAny(
      String table, long expected, Dataset<Row> rows, String queryId, long batchId) {
    if (expected == 0) {
      return 0;
    }
    return new IcebergAppend(settings.table(table)).append(rows, queryId, batchId) ? expected : 0;
  }

  /**
   * Appends the closed windows not yet in the table. A new checkpoint over old tables closes
   * windows from the start of the events table; the anti-join keeps those windows from being
   * written twice.
   */
  private long appendNew(
      String table,
      Dataset<Row> windows,
      TimeWindows.Closing closing,
      String[] key,
      String queryId,
      long batchId) {
    IcebergAppend append = new IcebergAppend(settings.table(table));
    if (append.committed(windows.sparkSession(), queryId, batchId)) {
      return 0;
    }
    Dataset<Row> existing =
        windows
            .sparkSession()
            .table(settings.table(table))
            .where(col("window_start").geq(timestamp_millis(lit(closing.firstStartMs()))))
            .select(Arrays.stream(key).map(k -> col(k).as("x_" + k)).toArray(Column[]::new));
    Column same = lit(true);
    for (String k : key) {
      same = same.and(col(k).eqNullSafe(col("x_" + k)));
    }
    Dataset<Row> fresh =
        windows
            .where(closing.windowsIn())
            .join(existing, same, "left_anti")
            .withColumn("batch_id", lit(batchId))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long n = fresh.count();
      if (n > 0) {
        append.write(fresh, queryId, batchId);
      }
      return n;
    } finally {
      fresh.unpersist();
    }
  }
}
