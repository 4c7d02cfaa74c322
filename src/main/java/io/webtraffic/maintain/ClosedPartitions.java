package io.webtraffic.maintain;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.ops.CheckpointFiles;
import io.webtraffic.ops.CheckpointPosition;
import io.webtraffic.ops.NoCommittedBatchException;
import io.webtraffic.sink.IcebergTables;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Which time partitions are closed: those that ended at least a margin before the job's watermark.
 * The job writes no more events there (later ones are late events), so compacting or rewriting them
 * cannot race with its commits.
 *
 * @param watermark the job's event-time watermark, or empty when nothing has been written yet
 */
public record ClosedPartitions(Optional<Instant> watermark, Duration margin) {

  /**
   * The watermark from the job's checkpoint; without one (a new or moved checkpoint), the newest
   * event in the events table minus the watermark delay, which is what the job would compute.
   */
  public static ClosedPartitions of(SparkSession spark, PipelineConfig config) {
    Duration margin = config.maintenance().closedMargin();
    try {
      long ms = CheckpointPosition.read(CheckpointFiles.of(config)).watermarkMs();
      if (ms > 0) {
        return new ClosedPartitions(Optional.of(Instant.ofEpochMilli(ms)), margin);
      }
    } catch (NoCommittedBatchException e) {
      // no checkpoint: fall back to the table
    }
    String events = config.iceberg().table(IcebergTables.EVENTS);
    if (!spark.catalog().tableExists(events)) {
      return new ClosedPartitions(Optional.empty(), margin);
    }
    Row max = spark.sql("SELECT max(event_time) FROM " + events).first();
    return new ClosedPartitions(
        max.isNullAt(0)
            ? Optional.empty()
            : Optional.of(max.getTimestamp(0).toInstant().minus(config.watermarkDelay())),
        margin);
  }

  /** The start of the first partition of this size that is not closed (EPOCH: none is). */
  public Instant closedBefore(ChronoUnit partitionUnit) {
    return watermark
        .map(w -> w.minus(margin))
        .map(t -> t.truncatedTo(partitionUnit))
        .filter(t -> t.isAfter(Instant.EPOCH))
        .orElse(Instant.EPOCH);
  }

  /** Whether the partition of this size starting at {@code start} is closed. */
  public boolean isClosed(Instant start, ChronoUnit partitionUnit) {
    return start.plus(1, partitionUnit).compareTo(closedBefore(partitionUnit)) <= 0;
  }

  /** Rows of closed partitions of {@code column}, as an Iceberg filter. */
  public Expression filter(String column, ChronoUnit partitionUnit) {
    return Expressions.lessThan(column, closedBefore(partitionUnit).toEpochMilli() * 1000);
  }
}
