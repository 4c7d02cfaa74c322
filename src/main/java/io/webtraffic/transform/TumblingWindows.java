package io.webtraffic.transform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.window;

import java.time.Duration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Tumbling event-time windows of hits by host and by host + referrer (the two aggregates of the
 * Flink job this replaces). The same function serves a micro-batch's new events (increments for
 * PostgreSQL) and a closed time range of the events table (final rows for Iceberg).
 */
public final class TumblingWindows {
  private final Duration size;

  public TumblingWindows(Duration size) {
    this.size = size;
  }

  public Duration size() {
    return size;
  }

  public Dataset<Row> hitsByHost(Dataset<Row> events) {
    return events
        .groupBy(window(col("event_time"), size.toMillis() + " milliseconds").as("w"), col("host"))
        .agg(count(lit(1)).as("hits"))
        .select(
            col("w.start").as("window_start"),
            col("w.end").as("window_end"),
            col("host"),
            col("hits"));
  }

  public Dataset<Row> hitsByHostReferrer(Dataset<Row> events) {
    return events
        .groupBy(
            window(col("event_time"), size.toMillis() + " milliseconds").as("w"),
            col("host"),
            col("referrer"))
        .agg(count(lit(1)).as("hits"))
        .select(
            col("w.start").as("window_start"),
            col("w.end").as("window_end"),
            col("host"),
            col("referrer"),
            col("hits"));
  }

  /**
   * The event-time range [from, to) of the windows that close when the watermark moves from {@code
   * previousMs} to {@code currentMs}: those ending in (previousMs, currentMs]. Empty when no window
   * end lies in between.
   */
  public long[] closingRange(long previousMs, long currentMs) {
    long sizeMs = size.toMillis();
    long firstEnd = Math.floorDiv(previousMs, sizeMs) * sizeMs + sizeMs;
    long lastEnd = Math.floorDiv(currentMs, sizeMs) * sizeMs;
    return lastEnd < firstEnd ? new long[0] : new long[] {firstEnd - sizeMs, lastEnd};
  }
}
