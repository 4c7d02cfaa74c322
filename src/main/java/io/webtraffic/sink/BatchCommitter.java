package io.webtraffic.sink;

import static org.apache.spark.sql.functions.col;

import io.webtraffic.config.FaultPoint;
import io.webtraffic.enrich.Dimensions;
import io.webtraffic.enrich.Enrich;
import io.webtraffic.enrich.SideInputs;
import io.webtraffic.ops.FaultInjection;
import io.webtraffic.quality.CheckResult;
import io.webtraffic.quality.QualityGate;
import io.webtraffic.transform.Classify;
import io.webtraffic.window.HitBuckets;
import io.webtraffic.window.StatefulWindows;
import io.webtraffic.window.TimeWindows;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.broadcast.Broadcast;
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
  private final HitBuckets hitBuckets;
  private final boolean upsertEvents;
  private final QualityGate quality;
  private final Consumer<BatchReport> reports;
  private final BiConsumer<SparkSession, Long> afterBatch;
  private final SideInputs sideInputs;

  public BatchCommitter(
      String checkpointLocation,
      IcebergSink iceberg,
      PostgresSink postgres,
      TimeWindows tumbling,
      TimeWindows sliding,
      boolean upsertEvents,
      SideInputs sideInputs,
      QualityGate quality,
      Consumer<BatchReport> reports,
      BiConsumer<SparkSession, Long> afterBatch) {
    this.checkpointLocation = checkpointLocation;
    this.iceberg = iceberg;
    this.postgres = postgres;
    this.hitBuckets = new HitBuckets(tumbling, sliding);
    this.upsertEvents = upsertEvents;
    this.quality = quality;
    this.reports = reports;
    this.afterBatch = afterBatch;
    this.sideInputs = sideInputs;
  }

  /**
   * One line of progress: what a batch read, where it went, how its checks came out, and its
   * latency from Kafka timestamp to commit.
   */
  public record BatchReport(
      long batchId,
      BatchCounts counts,
      IcebergSink.Written iceberg,
      int postgresWindowRows,
      boolean postgresCommitted,
      Watermarks watermarks,
      long durationMs,
      List<CheckResult> quality,
      KafkaTimes.Latency latency,
      PhaseTimings phases) {

    /** The checks this batch failed (and was committed anyway: their action is record or warn). */
    public List<String> failedChecks() {
      return quality.stream().filter(r -> !r.passed()).map(CheckResult::check).toList();
    }

    @Override
    public String toString() {
      return String.format(
          "batch %d: read %d | events %d | duplicates %d | filtered %d | late %d | dead-lettered %d"
              + " | iceberg events %d, late %d, dead %d, windows %d+%d+%d, sessions %d, count windows"
              + " %d | postgres window rows %d%s"
              + " | %d ms | watermark %s%s%s",
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
          Instant.ofEpochMilli(watermarks.currentMs()),
          latency.known() ? " | latency p99 " + latency.p99Ms() + " ms" : "",
          failedChecks().isEmpty() ? "" : " | failed checks " + String.join(", ", failedChecks()));
    }
  }

  /**
   * Where a batch's time in foreachBatch went, in milliseconds: running the batch (the stateful
   * operators and their state commits included), classifying and counting its records; the Iceberg
   * commit; summing the window increments for PostgreSQL; and the PostgreSQL transaction. The
   * benchmark's per-batch overhead breakdown reads these.
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
    // The side inputs of this batch: reloaded and re-broadcast here once the refresh interval has
    // passed, so every batch's plan (built anew by foreachBatch) reads the current version.
    Broadcast<Dimensions> dimensions = sideInputs.forBatch(spark, batchId);
    batch.persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> classified = null;
    try {
      // The batch runs here, once (Kafka, decoding, deduplication, windows, state commits), and
      // what the stateful operator reported comes back: kept rows, changed sessions, count windows.
      StatefulWindows.Reported reported = StatefulWindows.reported(batch);
      Dataset<Row> input =
          batch
              .where(col(StatefulWindows.ROW_KIND).isNull())
              .drop(StatefulWindows.OUTPUT.fieldNames());
      classified =
          Enrich.apply(
                  Classify.apply(input, reported.keptRows(spark), watermarks.lateThresholdMs()),
                  dimensions)
              .persist(StorageLevel.MEMORY_AND_DISK());
      // One more job: accounting, window increments and data-quality profile together.
      BatchTally tally = BatchTally.of(classified, quality.requiredFields(), hitBuckets);
      BatchCounts counts = tally.counts();
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

      // Data-quality gates: a failed check with action stop ends the job here, before any commit.
      QualityGate.Verdict verdict = quality.check(tally.profile(), counts, queryId, batchId);

      WindowRows windows = WindowRows.of(reported, dimensions.value());
      FaultInjection.at(FaultPoint.BEFORE_SINKS, batchId);
      IcebergSink.Written written =
          iceberg.commit(classified, counts, windows, queryId, batchId, watermarks);
      FaultInjection.at(FaultPoint.AFTER_ICEBERG, batchId);
      long icebergAt = System.nanoTime();

      Dataset<Row> events = classified.where(col("outcome").equalTo(Classify.EVENT));
      HitBuckets.WindowHits hits = hitBuckets.rollUp(tally.buckets());
      var hostWindows = hits.byHost();
      var referrerWindows = hits.byHostReferrer();
      var slidingWindows = hits.sliding();
      long windowsAt = System.nanoTime();
      Supplier<Iterator<Row>> eventRows = upsertEvents ? events::toLocalIterator : null;
      PostgresSink.Commit committed =
          postgres.commit(
              queryId,
              batchId,
              counts,
              watermarks,
              dimensions.value().version(),
              new PostgresSink.BatchRows(
                  hostWindows,
                  referrerWindows,
                  slidingWindows,
                  windows,
                  eventRows,
                  verdict.results(),
                  verdict.profile().kafka()));

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
              committed.committed(),
              watermarks,
              millis(started, postgresAt),
              verdict.results(),
              committed.latency(),
              new PhaseTimings(
                  millis(started, classifiedAt),
                  millis(classifiedAt, icebergAt),
                  millis(icebergAt, windowsAt),
                  millis(windowsAt, postgresAt))));
      // After both sinks committed: whatever it does cannot undo the batch.
      afterBatch.accept(spark, batchId);
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
