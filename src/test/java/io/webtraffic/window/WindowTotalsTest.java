package io.webtraffic.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Tumbling 5 min, sliding 10 min every 5 min; times on 2026-11-20, UTC. */
class WindowTotalsTest {
  static final WindowTotals TOTALS = new WindowTotals();
  static final HitBuckets BUCKETS =
      new HitBuckets(
          TimeWindows.tumbling(Duration.ofMinutes(5)),
          TimeWindows.sliding(Duration.ofMinutes(10), Duration.ofMinutes(5)));

  static long at(String time) {
    return Instant.parse("2026-11-20T" + time + ":00Z").toEpochMilli();
  }

  static HitBuckets.Bucket hits(String time, String host, String referrer, long n) {
    return new HitBuckets.Bucket(at(time), host, referrer, n);
  }

  static String shown(Row r) {
    StringBuilder s =
        new StringBuilder(
            ((Timestamp) r.get(0)).toInstant().toString().substring(11, 16)
                + "-"
                + ((Timestamp) r.get(1)).toInstant().toString().substring(11, 16));
    for (int i = 2; i < r.size(); i++) {
      s.append(' ').append(r.get(i));
    }
    return s.toString();
  }

  @Test
  void aWindowIsWrittenOnceTheWatermarkReachesItsEndWithEveryBatchsHits() {
    // Batch 1 (watermark 10:00): 2 hits at 10:01 for a, 1 at 10:06 for a with referrer r.
    WindowTotals.Step first =
        TOTALS.advance(
            WindowTotals.Open.NONE,
            BUCKETS.rollUp(List.of(hits("10:01", "a", null, 2), hits("10:06", "a", "r", 1))),
            at("10:00"));
    assertEquals(List.of(), first.closed().byHost(), "nothing ends by 10:00");

    // Batch 2 (watermark 10:05): 3 more hits at 10:07 for a; [10:00, 10:05) closes with 2.
    WindowTotals.Step second =
        TOTALS.advance(
            first.open(), BUCKETS.rollUp(List.of(hits("10:07", "a", null, 3))), at("10:05"));
    assertEquals(
        List.of("10:00-10:05 a 2"), second.closed().byHost().stream().map(r -> shown(r)).toList());
    assertEquals(
        List.of("10:00-10:05 a null 2"),
        second.closed().byHostReferrer().stream().map(r -> shown(r)).toList(),
        "a missing referrer stays null, apart from an empty one");
    assertEquals(
        List.of("09:55-10:05 a 2"), second.closed().sliding().stream().map(r -> shown(r)).toList());

    // Batch 3 (watermark 10:15, no events): [10:05, 10:10) holds 1 + 3, the sliding windows ending
    // 10:10 and 10:15 hold 2 + 1 + 3 and 1 + 3.
    WindowTotals.Step third = TOTALS.advance(second.open(), BUCKETS.rollUp(List.of()), at("10:15"));
    assertEquals(
        List.of("10:05-10:10 a 4"), third.closed().byHost().stream().map(r -> shown(r)).toList());
    assertEquals(
        List.of("10:05-10:10 a r 1", "10:05-10:10 a null 3"),
        third.closed().byHostReferrer().stream().map(r -> shown(r)).toList());
    assertEquals(
        List.of("10:00-10:10 a 6", "10:05-10:15 a 4"),
        third.closed().sliding().stream().map(r -> shown(r)).toList());
    assertEquals(WindowTotals.Open.NONE, third.open(), "nothing left open");
  }
}
