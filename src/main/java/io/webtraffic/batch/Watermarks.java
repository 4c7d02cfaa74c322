package io.webtraffic.batch;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.OffsetSeq;
import org.apache.spark.sql.execution.streaming.OffsetSeqLog;
import scala.Option;

/**
 * The watermarks of a micro-batch, read from the checkpoint's offset log so a replayed batch sees
 * exactly what the first attempt saw. With one stateful operator Spark drops rows at or below the
 * batch's own watermark ({@code lateThresholdMs}, equal to {@code currentMs}); {@code previousMs}
 * is the last batch's, and windows ending in (previous, current] became final with this batch.
 */
public record Watermarks(long previousMs, long currentMs) {

  /** Reads batch N's and N-1's watermark from {@code <checkpoint>/offsets}. */
  public static Watermarks forBatch(SparkSession spark, String checkpointLocation, long batchId) {
    OffsetSeqLog log = new OffsetSeqLog(spark, checkpointLocation + "/offsets");
    return new Watermarks(batchId == 0 ? 0 : watermark(log, batchId - 1), watermark(log, batchId));
  }

  /** Rows with an event time at or below this are late: Spark's deduplication drops them. */
  public long lateThresholdMs() {
    return currentMs;
  }

  private static long watermark(OffsetSeqLog log, long batchId) {
    Option<OffsetSeq> entry = log.get(batchId);
    if (entry.isEmpty() || entry.get().metadata().isEmpty()) {
      throw new IllegalStateException("Cannot find batch " + batchId + " in the offset log");
    }
    return entry.get().metadata().get().batchWatermarkMs();
  }
}
