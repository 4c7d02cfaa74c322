package io.webtraffic.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class HitBucketsTest {
  static final long T10 = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
  static final long MINUTE = 60_000;

  private static String at(long ms) {
    return new Timestamp(ms).toInstant().toString().substring(11, 16);
  }

  /** "start-end host [referrer]" → hits, to compare with hand-written expectations. */
  private static Map<String, Long> shown(List<Row> rows) {
    Map<String, Long> m = new HashMap<>();
    for (Row r : rows) {
      StringBuilder key =
          new StringBuilder(
              at(((Timestamp) r.get(0)).getTime()) + "-" + at(((Timestamp) r.get(1)).getTime()));
      for (int i = 2; i < r.size() - 1; i++) {
        key.append(' ').append(r.get(i));
      }
      m.merge(key.toString(), r.getLong(r.size() - 1), Long::sum);
    }
    return m;
  }

  @Test
  void windowsHoldingAnInstantAreThoseStartingWithinOneSizeBeforeIt() {
    TimeWindows sliding = TimeWindows.sliding(Duration.ofMinutes(10), Duration.ofMinutes(3));
    // Starts are multiples of 3 minutes since the epoch (10:00 is one): 10:07 lies in the windows
    // starting 10:00, 10:03 and 10:06, not in the one starting 09:57, which ends at 10:07.
    assertArrayEquals(
        new long[] {T10, T10 + 3 * MINUTE, T10 + 6 * MINUTE},
        sliding.startsContaining(T10 + 7 * MINUTE));
    // A window's end is exclusive: 10:10 is no longer in [10:00, 10:10).
    assertArrayEquals(
        new long[] {T10 + 3 * MINUTE, T10 + 6 * MINUTE, T10 + 9 * MINUTE},
        sliding.startsContaining(T10 + 10 * MINUTE));
    assertArrayEquals(
        new long[] {T10}, TimeWindows.tumbling(Duration.ofMinutes(5)).startsContaining(T10 + 1));
  }

  @Test
  void theBucketIsTheLongestSpanNoWindowBoundaryCrosses() {
    TimeWindows tumbling5 = TimeWindows.tumbling(Duration.ofMinutes(5));
    assertEquals(
        MINUTE,
        new HitBuckets(
                tumbling5, TimeWindows.sliding(Duration.ofMinutes(10), Duration.ofMinutes(1)))
            .bucketMs());
    assertEquals(
        5 * MINUTE,
        new HitBuckets(
                tumbling5, TimeWindows.sliding(Duration.ofMinutes(10), Duration.ofMinutes(5)))
            .bucketMs());
    assertEquals(
        30_000,
        new HitBuckets(
                TimeWindows.tumbling(Duration.ofSeconds(90)),
                TimeWindows.sliding(Duration.ofMinutes(10), Duration.ofMinutes(2)))
            .bucketMs());
  }

  @Test
  void bucketsRollUpIntoTumblingReferrerAndSlidingWindows() {
    HitBuckets hits =
        new HitBuckets(
            TimeWindows.tumbling(Duration.ofMinutes(5)),
            TimeWindows.sliding(Duration.ofMinutes(3), Duration.ofMinutes(1)));
    HitBuckets.WindowHits w =
        hits.rollUp(
            List.of(
                new HitBuckets.Bucket(T10 + 3 * MINUTE, "a", "r1", 2),
                new HitBuckets.Bucket(T10 + 4 * MINUTE, "a", "r1", 1),
                new HitBuckets.Bucket(T10 + 4 * MINUTE, "a", null, 4),
                new HitBuckets.Bucket(T10 + 5 * MINUTE, "a", "r1", 1),
                new HitBuckets.Bucket(T10 + 4 * MINUTE, "b", "r2", 3)));
    assertEquals(
        Map.of("10:00-10:05 a", 7L, "10:05-10:10 a", 1L, "10:00-10:05 b", 3L), shown(w.byHost()));
    assertEquals(
        Map.of(
            "10:00-10:05 a r1", 3L,
            "10:00-10:05 a null", 4L,
            "10:05-10:10 a r1", 1L,
            "10:00-10:05 b r2", 3L),
        shown(w.byHostReferrer()));
    // 3-minute windows every minute: the 10:03 bucket is in the windows starting 10:01, 10:02 and
    // 10:03; the 10:04 buckets in 10:02, 10:03, 10:04; the 10:05 bucket in 10:03, 10:04, 10:05.
    assertEquals(
        Map.of(
            "10:01-10:04 a", 2L,
            "10:02-10:05 a", 7L,
            "10:03-10:06 a", 8L,
            "10:04-10:07 a", 6L,
            "10:05-10:08 a", 1L,
            "10:02-10:05 b", 3L,
            "10:03-10:06 b", 3L,
            "10:04-10:07 b", 3L),
        shown(w.sliding()));
  }
}
