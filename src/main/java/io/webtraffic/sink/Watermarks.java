package io.webtraffic.sink;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.OffsetSeq;
import org.apache.spark.sql.execution.streaming.OffsetSeqLog;
import scala.Option;

/**
 * The two watermarks of a micro-batch, read from the checkpoint's offset log so a replayed batch sees
 * exactly what the first attempt saw. Spark drops rows at or below the previous batch's watermark
 * ({@code lateThresholdMs}) and evicts state with the current one ({@code currentMs}); windows ending
 * in between are final once this batch's events are committed.
 */
public record Watermarks(long lateThresholdMs, long currentMs) {

  /** Reads batch N's and N-1's watermark from {@code <checkpoint>/offsets}. */
  public static Watermarks forBatch(SparkSession spark, String checkpointLocation, long batchId) {
    OffsetSeqLog log = new OffsetSeqLog(spark, checkpointLocation + "/offsets");
    return new Watermarks(batchId == 0 ? 0 : watermark(log, batchId - 1), watermark(log, batchId));
  }

  private static long watermark(OffsetSeqLog log, long batchId) {
    Option<OffsetSeq> entry = log.get(batchId);
    if (entry.isEmpty() || entry.get().metadata().isEmpty()) {
      throw new IllegalStateException("Cannot find batch " + batchId + " in the offset log");
    }
    return entry.get().metadata().get().batchWatermarkMs();
  }
}
