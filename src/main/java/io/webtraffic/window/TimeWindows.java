package io.webtraffic.window;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_millis;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.LongStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Event-time windows of hits, aligned to the epoch: tumbling when the slide equals the size,
 * sliding otherwise. Spark's {@code window} counts a closed time range of the events table (final
 * rows for Iceberg); {@link #startsContaining} places a micro-batch's hit buckets for the
 * PostgreSQL increments ({@link HitBuckets}) by the same rule: a window holds [start, start +
 * size), starts are multiples of the slide.
 */
public final class TimeWindows {
  private final Duration size;
  private final Duration slide;

  private TimeWindows(Duration size, Duration slide) {
    if (size.isNegative() || size.isZero() || slide.isNegative() || slide.isZero()) {
      throw new IllegalArgumentException("window size and slide must be positive");
    }
    if (slide.compareTo(size) > 0) {
      throw new IllegalArgumentException("slide " + slide + " exceeds size " + size);
    }
    this.size = size;
    this.slide = slide;
  }

  public static TimeWindows tumbling(Duration size) {
    return new TimeWindows(size, size);
  }

  public static TimeWindows sliding(Duration size, Duration slide) {
    return new TimeWindows(size, slide);
  }

  public Duration size() {
    return size;
  }

  public Duration slide() {
    return slide;
  }

  public Dataset<Row> hitsByHost(Dataset<Row> events) {
    return events
        .groupBy(windowOf().as("w"), col("host"))
        .agg(count(lit(1)).as("hits"))
        .select(
            col("w.start").as("window_start"),
            col("w.end").as("window_end"),
            col("host"),
            col("hits"));
  }

  public Dataset<Row> hitsByHostReferrer(Dataset<Row> events) {
    return events
        .groupBy(windowOf().as("w"), col("host"), col("referrer"))
        .agg(count(lit(1)).as("hits"))
        .select(
            col("w.start").as("window_start"),
            col("w.end").as("window_end"),
            col("host"),
            col("referrer"),
            col("hits"));
  }

  private Column windowOf() {
    String sizeText = size.toMillis() + " milliseconds";
    return size.equals(slide)
        ? functions.window(col("event_time"), sizeText)
        : functions.window(col("event_time"), sizeText, slide.toMillis() + " milliseconds");
  }

  /** The start of every window holding the instant {@code ms}, earliest first. */
  public long[] startsContaining(long ms) {
    long sizeMs = size.toMillis();
    long slideMs = slide.toMillis();
    long first = Math.floorDiv(ms - sizeMs, slideMs) * slideMs + slideMs;
    long last = Math.floorDiv(ms, slideMs) * slideMs;
    return LongStream.iterate(first, s -> s <= last, s -> s + slideMs).toArray();
  }

  /** The start of the earliest window still open at {@code watermarkMs}: its end lies after it. */
  public long firstOpenStart(long watermarkMs) {
    long slideMs = slide.toMillis();
    return Math.floorDiv(watermarkMs - size.toMillis(), slideMs) * slideMs + slideMs;
  }

  /**
   * The windows that close when the watermark moves from {@code previousMs} to {@code currentMs}:
   * those ending in (previousMs, currentMs]. Empty when no window end lies in between.
   */
  public Optional<Closing> closing(long previousMs, long currentMs) {
    long sizeMs = size.toMillis();
    long slideMs = slide.toMillis();
    long firstStart = Math.floorDiv(previousMs - sizeMs, slideMs) * slideMs + slideMs;
    long lastStart = Math.floorDiv(currentMs - sizeMs, slideMs) * slideMs;
    return lastStart < firstStart
        ? Optional.empty()
        : Optional.of(new Closing(firstStart, lastStart, lastStart + sizeMs));
  }

  /**
   * Windows starting in [firstStartMs, lastStartMs]; they are computed from the events in
   * [firstStartMs, eventsUntilMs).
   */
  public record Closing(long firstStartMs, long lastStartMs, long eventsUntilMs) {
    public Column eventsIn() {
      return col("event_time")
          .geq(timestamp_millis(lit(firstStartMs)))
          .and(col("event_time").lt(timestamp_millis(lit(eventsUntilMs))));
    }

    public Column windowsIn() {
      return col("window_start")
          .geq(timestamp_millis(lit(firstStartMs)))
          .and(col("window_start").leq(timestamp_millis(lit(lastStartMs))));
    }
  }
}
