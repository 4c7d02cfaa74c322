package io.webtraffic.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeWindowsTest {
  static final long T1000 = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
  static final long MINUTE = 60_000;

  static Optional<TimeWindows.Closing> closing(long firstStart, long lastStart, long until) {
    return Optional.of(new TimeWindows.Closing(firstStart, lastStart, until));
  }

  @Test
  void tumblingWindowsCloseWhenTheWatermarkPassesTheirEnd() {
    TimeWindows w = TimeWindows.tumbling(Duration.ofMinutes(5));
    assertEquals(
        Optional.empty(),
        w.closing(T1000 + MINUTE, T1000 + 4 * MINUTE),
        "no window end between 10:01 and 10:04");
    assertEquals(
        closing(T1000, T1000, T1000 + 5 * MINUTE),
        w.closing(T1000 + MINUTE, T1000 + 5 * MINUTE),
        "[10:00, 10:05) closes when the watermark reaches 10:05");
    assertEquals(
        Optional.empty(), w.closing(T1000 + 5 * MINUTE, T1000 + 6 * MINUTE), "and not again");
    assertEquals(
        closing(T1000 + 5 * MINUTE, T1000 + 10 * MINUTE, T1000 + 15 * MINUTE),
        w.closing(T1000 + 7 * MINUTE, T1000 + 17 * MINUTE),
        "two windows at once: [10:05, 10:10) and [10:10, 10:15)");
    assertEquals(
        closing(0, T1000 - 5 * MINUTE, T1000), w.closing(0, T1000), "first watermark: history");
  }

  @Test
  void slidingWindowsCloseOneSlideAtATime() {
    // 10-minute windows every minute: [09:51, 10:01) ends at 10:01, [09:52, 10:02) at 10:02...
    TimeWindows w = TimeWindows.sliding(Duration.ofMinutes(10), Duration.ofMinutes(1));
    assertEquals(
        Optional.empty(),
        w.closing(T1000 + MINUTE, T1000 + MINUTE + 59_999),
        "no window ends strictly after 10:01 and by 10:01:59.999");
    assertEquals(
        closing(T1000 - 8 * MINUTE, T1000 - 8 * MINUTE, T1000 + 2 * MINUTE),
        w.closing(T1000 + MINUTE, T1000 + 2 * MINUTE),
        "the watermark reaching 10:02 closes [09:52, 10:02), computed from events in that range");
    assertEquals(
        closing(T1000 - 7 * MINUTE, T1000 - 4 * MINUTE, T1000 + 6 * MINUTE),
        w.closing(T1000 + 2 * MINUTE + 30_000, T1000 + 6 * MINUTE + 1),
        "10:02:30 to 10:06: the windows ending 10:03, 10:04, 10:05 and 10:06");
  }

  @Test
  void slidesThatDoNotDivideTheSizeStillCloseEachWindowOnce() {
    // 10-minute windows every 3 minutes start at multiples of 3 minutes and end 10 minutes later.
    TimeWindows w = TimeWindows.sliding(Duration.ofMinutes(10), Duration.ofMinutes(3));
    long start = T1000; // 10:00 is a multiple of 3 minutes since the epoch
    assertEquals(
        closing(start, start, start + 10 * MINUTE),
        w.closing(start + 9 * MINUTE, start + 10 * MINUTE),
        "[10:00, 10:10) closes at 10:10");
    assertEquals(
        Optional.empty(),
        w.closing(start + 10 * MINUTE, start + 12 * MINUTE),
        "nothing ends in (10:10, 10:12]");
    assertEquals(
        closing(start + 3 * MINUTE, start + 3 * MINUTE, start + 13 * MINUTE),
        w.closing(start + 12 * MINUTE, start + 13 * MINUTE),
        "[10:03, 10:13) closes at 10:13");
  }

  @Test
  void aSlideLongerThanTheSizeIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> TimeWindows.sliding(Duration.ofMinutes(1), Duration.ofMinutes(2)));
  }
}
