package io.webtraffic.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_millis;

import io.webtraffic.batch.Watermarks;
import io.webtraffic.window.HitBuckets;
import io.webtraffic.window.TimeWindows;
import io.webtraffic.window.WindowTotals;
import io.webtraffic.window.WindowTotalsLog;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Carries the open tumbling and sliding windows' totals from batch to batch ({@link WindowTotals},
 * kept in the checkpoint by {@link WindowTotalsLog}) and returns the windows each batch closes.
 *
 * <p>When the previous batch left no totals (a checkpoint written by an older version, or a rewind
 * past the kept files), they are rebuilt once from the events table: the events of the windows
 * still open, committed by the batches before this one.
 */
final class ClosedWindows {
  private final String checkpointLocation;
  private final String eventsTable;
  private final TimeWindows tumbling;
  private final TimeWindows sliding;
  private final HitBuckets hitBuckets;
  private final WindowTotals totals;
  private WindowTotalsLog log;

  ClosedWindows(
      String checkpointLocation, String eventsTable, TimeWindows tumbling, TimeWindows sliding) {
    this.checkpointLocation = checkpointLocation;
    this.eventsTable = eventsTable;
    this.tumbling = tumbling;
    this.sliding = sliding;
    this.hitBuckets = new HitBuckets(tumbling, sliding);
    this.totals = new WindowTotals();
  }

  WindowTotals.Closed advance(
      SparkSession spark, long batchId, Watermarks watermarks, HitBuckets.WindowHits hits) {
    if (log == null) {
      log = new WindowTotalsLog(checkpointLocation, spark.sessionState().newHadoopConf());
    }
    WindowTotals.Open open =
        batchId == 0
            ? WindowTotals.Open.NONE
            : log.read(batchId - 1)
                .orElseGet(() -> rebuild(spark, batchId, watermarks.previousMs()));
    WindowTotals.Step step = totals.advance(open, hits, watermarks.currentMs());
    log.write(batchId, step.open());
    return step.closed();
  }

  private WindowTotals.Open rebuild(SparkSession spark, long batchId, long previousMs) {
    long from = Math.min(tumbling.firstOpenStart(previousMs), sliding.firstOpenStart(previousMs));
    List<HitBuckets.Bucket> committed =
        spark
            .table(eventsTable)
            .where(
                col("event_time")
                    .geq(timestamp_millis(lit(from)))
                    .and(col("batch_id").lt(lit(batchId))))
            .groupBy(
                hitBuckets.bucketOf(col("event_time")).as("bucket"), col("host"), col("referrer"))
            .count()
            .collectAsList()
            .stream()
            .map(ClosedWindows::bucket)
            .toList();
    return totals.advance(WindowTotals.Open.NONE, hitBuckets.rollUp(committed), previousMs).open();
  }

  private static HitBuckets.Bucket bucket(Row r) {
    return new HitBuckets.Bucket(
        r.<Long>getAs("bucket"), r.getAs("host"), r.getAs("referrer"), r.<Long>getAs("count"));
  }
}
