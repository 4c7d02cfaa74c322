package io.webtraffic.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.webtraffic.window.CountWindows.Window;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The count-window logic without Spark: where a window closes, how it carries over between batches
 * and when a quiet key's short window is flushed decide every row of the count-windows tables, and
 * the boundaries are easiest to pin down by hand here.
 */
class CountWindowsTest {
  static final String KEY = "shop.example";
  static final Duration FLUSH_AFTER = Duration.ofMinutes(5);

  final CountWindows three = new CountWindows(3, FLUSH_AFTER);

  /** Epoch millis of a time of day on 2026-11-20, UTC: at("10:05:30"). */
  static long at(String time) {
    return Instant.parse("2026-11-20T" + time + "Z").toEpochMilli();
  }

  static WindowEvent event(String dedupKey, String time) {
    return new WindowEvent(
        at(time), dedupKey, "203.0.113.7", KEY, "/", "Firefox", "Other", "Linux");
  }

  /** The id a window gets from the dedup key of its first event, restated from the spec. */
  static String windowId(String firstKey) {
    return UUID.nameUUIDFromBytes(("count:" + firstKey).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  static Window window(String firstKey, String start, String end, long events, String closedBy) {
    return new Window(windowId(firstKey), KEY, at(start), at(end), events, closedBy);
  }

  record Open(String windowId, String key, long startMs, long endMs, long events) {
    static Open of(CountState s) {
      return new Open(s.getWindowId(), s.getKey(), s.getStartMs(), s.getEndMs(), s.getEvents());
    }
  }

  static Open open(String firstKey, String start, String end, long events) {
    return new Open(windowId(firstKey), KEY, at(start), at(end), events);
  }

  /** A watermark well before every event of these tests. */
  static final long EARLY = at("09:00:00");

  @Test
  void theIdIsTheNameBasedUuidOfTheFirstEventsDedupKey() {
    // MD5 name-based (version 3) UUID of "count:e-1000", computed outside Java.
    assertEquals(
        "a2ad4b94-a979-3657-9e70-339cbd82c223",
        CountWindows.idOf(event("e-1000", "10:00:00").dedupKey()));
  }

  @Test
  void threeEventsCloseOneWindowAndLeaveNothingOpen() {
    List<Window> out = new ArrayList<>();

    CountState state =
        three.update(
            null,
            KEY,
            List.of(event("k3", "10:02:00"), event("k1", "10:00:00"), event("k2", "10:01:00")),
            EARLY,
            out);

    assertEquals(List.of(window("k1", "10:00:00", "10:02:00", 3, "count")), out);
    assertNull(state);
  }

  @Test
  void aFourthEventStaysOpenInTheState() {
    List<Window> out = new ArrayList<>();

    CountState state =
        three.update(
            null,
            KEY,
            List.of(
                event("k4", "10:03:00"),
                event("k2", "10:01:00"),
                event("k1", "10:00:00"),
                event("k3", "10:02:00")),
            EARLY,
            out);

    assertEquals(List.of(window("k1", "10:00:00", "10:02:00", 3, "count")), out);
    assertEquals(open("k4", "10:03:00", "10:03:00", 1), Open.of(state));
    assertEquals(OptionalLong.of(at("10:07:59.999")), three.timeoutAt(state));
  }

  @Test
  void eventsAtTheSameTimeAreCountedInDedupKeyOrder() {
    List<Window> out = new ArrayList<>();

    CountState state =
        three.update(
            null,
            KEY,
            List.of(
                event("d", "10:00:00"),
                event("b", "10:00:00"),
                event("c", "10:00:00"),
                event("a", "10:00:00")),
            EARLY,
            out);

    assertEquals(List.of(window("a", "10:00:00", "10:00:00", 3, "count")), out);
    assertEquals(open("d", "10:00:00", "10:00:00", 1), Open.of(state));
  }

  @Test
  void aWindowSpansTwoBatches() {
    List<Window> out = new ArrayList<>();
    CountState state =
        three.update(
            null, KEY, List.of(event("k2", "10:01:00"), event("k1", "10:00:00")), EARLY, out);
    assertEquals(List.of(), out);
    assertEquals(open("k1", "10:00:00", "10:01:00", 2), Open.of(state));

    state =
        three.update(
            state, KEY, List.of(event("k4", "10:03:00"), event("k3", "10:02:00")), EARLY, out);

    assertEquals(List.of(window("k1", "10:00:00", "10:02:00", 3, "count")), out);
    assertEquals(open("k4", "10:03:00", "10:03:00", 1), Open.of(state));
  }

  @Test
  void aLateEventWidensTheOpenWindowButKeepsItsId() {
    List<Window> out = new ArrayList<>();
    CountState state =
        three.update(
            null, KEY, List.of(event("k1", "10:00:00"), event("k2", "10:01:00")), EARLY, out);

    state = three.update(state, KEY, List.of(event("k0", "09:58:00")), at("09:55:00"), out);

    assertEquals(List.of(window("k1", "09:58:00", "10:01:00", 3, "count")), out);
    assertNull(state);
  }

  @Test
  void aQuietWindowIsFlushedShortOnceTheWatermarkReachesItsEndPlusTheFlushInterval() {
    List<Window> out = new ArrayList<>();
    CountState state =
        three.update(
            null, KEY, List.of(event("k1", "10:00:00"), event("k2", "10:01:00")), EARLY, out);
    assertEquals(OptionalLong.of(at("10:05:59.999")), three.timeoutAt(state));

    assertSame(state, three.flush(state, at("10:05:59.999"), out), "one ms early: stays open");
    assertEquals(List.of(), out);
    assertEquals(open("k1", "10:00:00", "10:01:00", 2), Open.of(state));

    assertNull(three.flush(state, at("10:06:00"), out));
    assertEquals(List.of(window("k1", "10:00:00", "10:01:00", 2, "timeout")), out);
  }

  @Test
  void anUpdateWithoutEventsFlushesAQuietWindow() {
    List<Window> out = new ArrayList<>();
    CountState state = three.update(null, KEY, List.of(event("k1", "10:00:00")), EARLY, out);

    assertNull(three.update(state, KEY, List.of(), at("10:05:00"), out));
    assertEquals(List.of(window("k1", "10:00:00", "10:00:00", 1, "timeout")), out);
  }

  @Test
  void aQuietWindowIsFlushedBeforeNewEventsOfItsKey() {
    List<Window> out = new ArrayList<>();
    CountState state =
        three.update(
            null, KEY, List.of(event("k1", "10:00:00"), event("k2", "10:01:00")), EARLY, out);

    state =
        three.update(
            state,
            KEY,
            List.of(event("k5", "10:09:00"), event("k3", "10:07:00"), event("k4", "10:08:00")),
            at("10:06:00"),
            out);

    assertEquals(
        List.of(
            window("k1", "10:00:00", "10:01:00", 2, "timeout"),
            window("k3", "10:07:00", "10:09:00", 3, "count")),
        out);
    assertNull(state);
  }

  @Test
  void aWindowNotYetQuietTakesTheNewEvents() {
    List<Window> out = new ArrayList<>();
    CountState state =
        three.update(
            null, KEY, List.of(event("k1", "10:00:00"), event("k2", "10:01:00")), EARLY, out);

    state =
        three.update(
            state,
            KEY,
            List.of(event("k5", "10:09:00"), event("k3", "10:07:00"), event("k4", "10:08:00")),
            at("10:05:59.999"),
            out);

    assertEquals(List.of(window("k1", "10:00:00", "10:07:00", 3, "count")), out);
    assertEquals(open("k4", "10:08:00", "10:09:00", 2), Open.of(state));
  }

  @Test
  void nothingOpenMeansNoTimeout() {
    assertEquals(OptionalLong.empty(), three.timeoutAt(null));
    List<Window> out = new ArrayList<>();
    assertNull(three.flush(null, at("12:00:00"), out));
    assertEquals(List.of(), out);
  }

  @Test
  void aSizeBelowOneIsRejected() {
    assertEquals(
        "count window size must be >= 1",
        assertThrows(IllegalArgumentException.class, () -> new CountWindows(0, FLUSH_AFTER))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> new CountWindows(-1, FLUSH_AFTER));
  }

  @Test
  void aSizeOfOneMakesAWindowPerEvent() {
    List<Window> out = new ArrayList<>();

    CountState state =
        new CountWindows(1, FLUSH_AFTER)
            .update(
                null, KEY, List.of(event("k2", "10:01:00"), event("k1", "10:00:00")), EARLY, out);

    assertEquals(
        List.of(
            window("k1", "10:00:00", "10:00:00", 1, "count"),
            window("k2", "10:01:00", "10:01:00", 1, "count")),
        out);
    assertNull(state);
  }
}
