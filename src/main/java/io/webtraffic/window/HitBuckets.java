package io.webtraffic.window;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.unix_millis;

import java.math.BigInteger;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A micro-batch's hits counted per (time bucket, host, referrer), where a bucket is the longest
 * span that no tumbling or sliding window boundary crosses (the greatest common divisor of the
 * sizes and the slide). Every window is a whole number of buckets, so the tumbling, referrer and
 * sliding increments for PostgreSQL are sums of the buckets: one aggregation of the batch serves
 * all three, where a Spark job each would cost more than the counting.
 */
public final class HitBuckets {
  private final TimeWindows tumbling;
  private final TimeWindows sliding;
  private final long bucketMs;

  public HitBuckets(TimeWindows tumbling, TimeWindows sliding) {
    this.tumbling = tumbling;
    this.sliding = sliding;
    this.bucketMs =
        BigInteger.valueOf(tumbling.size().toMillis())
            .gcd(BigInteger.valueOf(sliding.size().toMillis()))
            .gcd(BigInteger.valueOf(sliding.slide().toMillis()))
            .longValueExact();
  }

  long bucketMs() {
    return bucketMs;
  }

  /** The epoch millisecond where an event's bucket starts. */
  public Column bucketOf(Column eventTime) {
    Column ms = unix_millis(eventTime);
    return ms.minus(pmod(ms, lit(bucketMs)));
  }

  /** Hits of one (bucket, host, referrer); referrer may be null. */
  public record Bucket(long startMs, String host, String referrer, long hits) {}

  /**
   * The batch's window increments, rows shaped as the PostgreSQL staging tables: (window_start,
   * window_end, host, hits) per tumbling window, the same with referrer, and per sliding window.
   */
  public record WindowHits(List<Row> byHost, List<Row> byHostReferrer, List<Row> sliding) {}

  public WindowHits rollUp(List<Bucket> buckets) {
    Map<Window, Long> byHost = new LinkedHashMap<>();
    Map<Window, Long> byReferrer = new LinkedHashMap<>();
    Map<Window, Long> bySlide = new LinkedHashMap<>();
    long tumblingMs = tumbling.size().toMillis();
    long slidingMs = sliding.size().toMillis();
    for (Bucket b : buckets) {
      long start = tumbling.startsContaining(b.startMs())[0];
      byHost.merge(new Window(start, start + tumblingMs, b.host(), null), b.hits(), Long::sum);
      byReferrer.merge(
          new Window(start, start + tumblingMs, b.host(), b.referrer()), b.hits(), Long::sum);
      for (long s : sliding.startsContaining(b.startMs())) {
        bySlide.merge(new Window(s, s + slidingMs, b.host(), null), b.hits(), Long::sum);
      }
    }
    return new WindowHits(rows(byHost, false), rows(byReferrer, true), rows(bySlide, false));
  }

  /** One window of one host (and referrer); a record, so that summing hits is one hash lookup. */
  private record Window(long startMs, long endMs, String host, String referrer) {}

  private static List<Row> rows(Map<Window, Long> hits, boolean withReferrer) {
    List<Row> rows = new ArrayList<>(hits.size());
    hits.forEach(
        (w, n) -> {
          Timestamp start = new Timestamp(w.startMs());
          Timestamp end = new Timestamp(w.endMs());
          rows.add(
              withReferrer
                  ? RowFactory.create(start, end, w.host(), w.referrer(), n)
                  : RowFactory.create(start, end, w.host(), n));
        });
    return rows;
  }
}
