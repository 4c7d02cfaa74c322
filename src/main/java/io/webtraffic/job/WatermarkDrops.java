package io.webtraffic.job;

import io.webtraffic.sink.PostgresSink;
import java.util.Arrays;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports Spark's own count of rows its stateful operators dropped behind the watermark next to the
 * job's late count, in {@code pipeline_batches.spark_dropped_by_watermark}. The two must agree: the
 * job keeps every row Spark drops (as a late event), and this is the check an operator can run.
 * Spark only knows the count once the batch is over, so it arrives shortly after the accounting
 * row.
 */
final class WatermarkDrops extends JobListener {
  private static final Logger LOG = LoggerFactory.getLogger(WatermarkDrops.class);

  private final PostgresSink postgres;

  WatermarkDrops(SparkSession spark, String queryName, PostgresSink postgres) {
    super(spark, queryName);
    this.postgres = postgres;
  }

  /** Listens to the next query named {@code queryName} until it terminates. */
  static void watch(SparkSession spark, String queryName, PostgresSink postgres) {
    spark.streams().addListener(new WatermarkDrops(spark, queryName, postgres));
  }

  static long dropped(StreamingQueryProgress progress) {
    return Arrays.stream(progress.stateOperators())
        .mapToLong(StateOperatorProgress::numRowsDroppedByWatermark)
        .sum();
  }

  @Override
  void onBatch(StreamingQueryProgress progress) {
    long dropped = dropped(progress);
    try {
      postgres.recordDroppedByWatermark(progress.id().toString(), progress.batchId(), dropped);
    } catch (RuntimeException e) {
      LOG.warn("Batch {}: {}", progress.batchId(), e.getMessage());
    }
    if (dropped > 0) {
      LOG.info(
          "Batch {}: Spark dropped {} rows behind the watermark; the job kept them as late events",
          progress.batchId(),
          dropped);
    }
  }
}
