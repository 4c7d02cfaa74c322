package io.webtraffic.job;

import static org.apache.spark.sql.functions.col;

import io.webtraffic.batch.Watermarks;
import io.webtraffic.config.FaultPoint;
import io.webtraffic.enrich.Dimensions;
import io.webtraffic.enrich.Enrich;
import io.webtraffic.enrich.SideInputs;
import io.webtraffic.ops.FaultInjection;
import io.webtraffic.quality.QualityGate;
import io.webtraffic.sink.IcebergSink;
import io.webtraffic.sink.PostgresSink;
import io.webtraffic.sink.WindowRows;
import io.webtraffic.transform.Outcomes;
import io.webtraffic.window.HitBuckets;
import io.webtraffic.window.WindowTotals;
import java.util.Iterator;
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
 * The batch half of the job: what happens to each micro-batch, stage by stage. The batch runs once
 * (Kafka, decoding, deduplication, windows, state commits) into one kept copy of its outcomes;
 * everything else reads that copy. Iceberg commits first and PostgreSQL second, each idempotent on
 * (query id, batch id): a crash anywhere in here is repaired by Spark running the batch again, the
 * sinks that committed skip, the others complete.
 */
final class MicroBatch implements VoidFunction2<Dataset<Row>, Long> {
  /** Spark sets this local property on the stream thread; it survives restarts. */
  static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";

  /**
   * The kept copy goes to local disk as it is built (the page cache keeps a small batch in memory
   * anyway): the heap holds none of it, so a backlog batch of any size runs in the heap the job was
   * given. Kept in memory, one batch of a million records ran out of a 2 GB heap.
   */
  static final StorageLevel KEPT_COPY = StorageLevel.DISK_ONLY();

  private final String checkpointLocation;
  private final SideInputs sideInputs;
  private final QualityGate quality;
  private final HitBuckets hitBuckets;
  private final ClosedWindows closedWindows;
  private final IcebergSink iceberg;
  private final PostgresSink postgres;
  private final boolean upsertEvents;
  private final Consumer<BatchReport> reports;
  private final BiConsumer<SparkSession, Long> afterBatch;

  MicroBatch(
      String checkpointLocation,
      SideInputs sideInputs,
      QualityGate quality,
      HitBuckets hitBuckets,
      ClosedWindows closedWindows,
      IcebergSink iceberg,
      PostgresSink postgres,
      boolean upsertEvents,
      Consumer<BatchReport> reports,
      BiConsumer<SparkSession, Long> afterBatch) {
    this.checkpointLocation = checkpointLocation;
    this.sideInputs = sideInputs;
    this.quality = quality;
    this.hitBuckets = hitBuckets;
    this.closedWindows = closedWindows;
    this.iceberg = iceberg;
    this.postgres = postgres;
    this.upsertEvents = upsertEvents;
    this.reports = reports;
    this.afterBatch = afterBatch;
  }

  @Override
  public void call(Dataset<Row> batch, Long batchId) {
    Timer timer = new Timer();
    SparkSession spark = batch.sparkSession();
    String queryId = queryId(spark, batchId);
    Watermarks watermarks = Watermarks.forBatch(spark, checkpointLocation, batchId);
    Broadcast<Dimensions> dimensions = sideInputs.forBatch(spark, batchId);

    // 1. Outcomes: every row gets its outcome; only rows a sink stores keep their columns, and
    //    only events and late rows are enriched. Kept once: the batch itself runs in stage 2.
    Dataset<Row> outcomes =
        Enrich.apply(
                Outcomes.apply(batch, watermarks.lateThresholdMs(), quality.requiredFields()),
                dimensions,
                col(Outcomes.OUTCOME).isin(Outcomes.EVENT, Outcomes.LATE))
            .persist(KEPT_COPY);
    try {
      // 2. Summary: accounting, window increments, session and count-window rows and quality
      //    profile, in one job.
      BatchSummary summary = BatchSummary.of(outcomes, quality.requiredFields(), hitBuckets);
      WindowRows windows =
          WindowRows.of(summary.sessions(), summary.countWindows(), dimensions.value());
      requireNothingKeptLate(summary, watermarks, batchId);
      long summarized = timer.lap();

      // 3. Data-quality gates: a failed check with action stop ends the job here, before any
      // commit.
      QualityGate.Verdict verdict =
          quality.check(summary.profile(), summary.counts(), queryId, batchId);

      // 4. Window increments of this batch, and the windows the watermark closed: their final
      //    counts were carried from earlier batches.
      HitBuckets.WindowHits hits = hitBuckets.rollUp(summary.buckets());
      WindowTotals.Closed closed = closedWindows.advance(spark, batchId, watermarks, hits);
      long windowed = timer.lap();

      // 5. Iceberg: the batch's rows, then the closed windows.
      FaultInjection.at(FaultPoint.BEFORE_SINKS, batchId);
      IcebergSink.Written written =
          iceberg.commitRows(
              outcomes, summary.counts(), windows, queryId, batchId, watermarks.lateThresholdMs());
      FaultInjection.at(FaultPoint.BETWEEN_ICEBERG_TABLES, batchId);
      written = written.plus(iceberg.commitClosedWindows(spark, closed, queryId, batchId));
      FaultInjection.at(FaultPoint.AFTER_ICEBERG, batchId);
      long icebergDone = timer.lap();

      // 6. PostgreSQL: window increments, sessions, count windows, accounting and ledger row in one
      //    transaction.
      Supplier<Iterator<Row>> events =
          upsertEvents ? () -> eventRows(outcomes).toLocalIterator() : null;
      PostgresSink.Commit committed =
          postgres.commit(
              queryId,
              batchId,
              summary.counts(),
              watermarks,
              dimensions.value().version(),
              new PostgresSink.BatchRows(
                  hits.byHost(),
                  hits.byHostReferrer(),
                  hits.sliding(),
                  windows,
                  events,
                  verdict.results(),
                  verdict.profile().kafka()));
      FaultInjection.at(FaultPoint.AFTER_POSTGRES, batchId);
      long postgresDone = timer.lap();

      // 7. Report, then whatever runs after a committed batch (it cannot undo the batch).
      reports.accept(
          new BatchReport(
              batchId,
              summary.counts(),
              written,
              hits.byHost().size()
                  + hits.byHostReferrer().size()
                  + hits.sliding().size()
                  + windows.sessions().size()
                  + windows.countWindows().size(),
              committed.committed(),
              watermarks,
              timer.total(),
              verdict.results(),
              committed.latency(),
              new BatchReport.PhaseTimings(summarized, icebergDone, windowed, postgresDone)));
      afterBatch.accept(spark, batchId);
    } finally {
      outcomes.unpersist();
    }
  }

  private static String queryId(SparkSession spark, long batchId) {
    String queryId = spark.sparkContext().getLocalProperty(QUERY_ID_PROPERTY);
    if (queryId == null) {
      throw new IllegalStateException("Cannot commit batch " + batchId + ": no streaming query id");
    }
    return queryId;
  }

  private static Dataset<Row> eventRows(Dataset<Row> outcomes) {
    return outcomes.where(col(Outcomes.OUTCOME).equalTo(Outcomes.EVENT));
  }

  private static void requireNothingKeptLate(
      BatchSummary summary, Watermarks watermarks, long batchId) {
    if (summary.counts().keptButLate() > 0) {
      throw new IllegalStateException(
          "Cannot commit batch "
              + batchId
              + ": "
              + summary.counts().keptButLate()
              + " rows at or below the late threshold "
              + watermarks.lateThresholdMs()
              + " passed Spark's deduplication; the job's watermark model is wrong");
    }
  }

  /** Milliseconds per stage: each lap since the previous one. */
  private static final class Timer {
    private final long started = System.nanoTime();
    private long last = started;

    long lap() {
      long now = System.nanoTime();
      long ms = (now - last) / 1_000_000;
      last = now;
      return ms;
    }

    long total() {
      return (System.nanoTime() - started) / 1_000_000;
    }
  }
}
