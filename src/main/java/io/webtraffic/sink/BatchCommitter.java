package io.webtraffic.sink;

import static org.apache.spark.sql.functions.col;

import io.webtraffic.ops.FaultInjection;
import io.webtraffic.ops.FaultPoint;
import io.webtraffic.transform.Classify;
import io.webtraffic.window.StatefulWindows;
import io.webtraffic.window.TimeWindows;
import java.time.Instant;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The foreachBatch function: classifies the batch's records, then commits Iceberg first and
 * PostgreSQL second, each idempotent on (query id, batch id). A crash anywhere in here is repaired
 * by Spark re-running the batch: sinks that committed skip, the others complete.
 */
public final class BatchCommitter implements VoidFunction2<Dataset<Row>, Long> {
  /**
   * Spark sets this local property on the stream thread; it survives restarts from a checkpoint.
   */
  static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";

  private final String checkpointLocation;
  private final IcebergSink iceberg;
  private final PostgresSink postgres;
  private final TimeWindows tumbling;
  private final TimeWindows sliding;
  private final boolean upsertEvents;
  private final Consumer<BatchReport> reports;

  public BatchCommitter(
      String checkpointLocation,
      IcebergSink iceberg,
      PostgresSink postgres,
      TimeWindows tumbling,
      TimeWindows sliding,
      boolean upsertEvents,
      Consumer<BatchReport> reports) {
    this.checkpointLocation = checkpointLocation;
    this.iceberg = iceberg;
    this.postgres = postgres;
    this.tumbling = tumbling;
    this.sliding = sliding;
    this.upsertEvents = upsertEvents;
    this.reports = reports;
  }

  /** One line of progress: what a batch read and where it went. */
  public record BatchReport(
      long batchId,
      BatchCounts counts,
      IcebergSink.Written iceberg,
      int postgresWindowRows,
      boolean postgresCommitted,
      Watermarks watermarks,
      long durationMs,
      PhaseTimings phases) {

    @Override
    public String toString() {
      return String.format(
          "batch %d: read %d | events %d | duplicates %d | filtered %d | late %d | dead-lettered %d"
              + " | iceberg events %d, late %d, dead %d, windows %d+%d+%d, sessions %d, count windows"
              + " %d | postgres window rows %d%s"
              + " | %d ms | watermark %s",
          batchId,
          counts.read(),
          counts.events(),
          counts.duplicates(),
          counts.filtered(),
          counts.late(),
          counts.dead(),
          iceberg.events(),
          iceberg.late(),
          iceberg.dead(),
          iceberg.hostWindows(),
          iceberg.referrerWindows(),
          iceberg.slidingWindows(),
          iceberg.sessions(),
          iceberg.countWindows(),
          postgresWindowRows,
          postgresCommitted ? "" : " (already committed)",
          durationMs,
          Instant.ofEpochMilli(watermarks.currentMs()));
    }
  }

  /**
   * Where a batch's time in foreachBatch went, in milliseconds: classifying and counting the
   * records, the Iceberg commit, the window aggregates collected for PostgreSQL, and the PostgreSQL
   * transaction. The benchmark's per-batch overhead breakdown reads these.
   */
  public record PhaseTimings(long classifyMs, long icebergMs, long windowsMs, long postgresMs) {}

  @Override
  public void call(Dataset<Row> batch, Long batchId) {
    long started = System.nanoTime();
    SparkSession spark = batch.sparkSession();
    String queryId = spark.sparkContext().getLocalProperty(QUERY_ID_PROPERTY);
    if (queryId == null) {
      throw new IllegalStateException("Cannot commit batch " + batchId + ": no streaming query id");
    }
    Watermarks watermarks = Watermarks.forBatch(spark, checkpointLocation, batchId);
    batch.persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> classified = null;
    try {
      Dataset<Row> input =
          batch
              .where(col(StatefulWindows.ROW_KIND).isNull())
              .drop(StatefulWindows.OUTPUT.fieldNames());
      classified =
          Classify.apply(input, StatefulWindows.kept(batch), watermarks.lateThresholdMs())
              .persist(StorageLevel.MEMORY_AND_DISK());
      BatchCounts counts = BatchCounts.of(classified);
      long classifiedAt = System.nanoTime();
      if (counts.keptButLate() > 0) {
        throw new IllegalStateException(
            "Cannot commit batch "
                + batchId
                + ": "
                + counts.keptButLate()
                + " rows at or below the late threshold "
                + watermarks.lateThresholdMs()
                + " passed Spark's deduplication; the job's watermark model is wrong");
      }

      WindowRows windows = WindowRows.of(batch);
      FaultInjection.at(FaultPoint.BEFORE_SINKS, batchId);
      IcebergSink.Written written =
          iceberg.commit(classified, counts, windows, queryId, batchId, watermarks);
      FaultInjection.at(FaultPoint.AFTER_ICEBERG, batchId);
      long icebergAt = System.nanoTime();

      Dataset<Row> events = classified.where(col("outcome").equalTo(Classify.EVENT));
      var hostWindows = tumbling.hitsByHost(events).collectAsList();
      var referrerWindows = tumbling.hitsByHostReferrer(events).collectAsList();
      var slidingWindows = sliding.hitsByHost(events).collectAsList();
      long windowsAt = System.nanoTime();
      Supplier<Iterator<Row>> eventRows = upsertEvents ? events::toLocalIterator : null;
      boolean committed =
          postgres.commit(
              queryId,
              batchId,
              counts,
              watermarks,
              new PostgresSink.BatchRows(
                  hostWindows, referrerWindows, slidingWindows, windows, eventRows));

      FaultInjection.at(FaultPoint.AFTER_POSTGRES, batchId);
      long postgresAt = System.nanoTime();

      reports.accept(
          new BatchReport(
              batchId,
              counts,
              written,
              hostWindows.size()
                  + referrerWindows.size()
                  + slidingWindows.size()
                  + windows.sessions().size()
                  + windows.countWindows().size(),
              committed,
              watermarks,
              millis(started, postgresAt),
              new PhaseTimings(
                  millis(started, classifiedAt),
                  millis(classifiedAt, icebergAt),
                  millis(icebergAt, windowsAt),
                  millis(windowsAt, postgresAt))));
    } finally {
      if (classified != null) {
        classified.unpersist();
      }
      batch.unpersist();
    }
  }

  private static long millis(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1_000_000;
  }
}
