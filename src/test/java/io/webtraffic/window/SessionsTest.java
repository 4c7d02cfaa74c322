package io.webtraffic.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.window.Sessions.Status;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The session logic without Spark: merging, out-of-order and late events, closing by watermark and
 * stable ids decide what the sessions tables hold, and each case is cheap to check by hand here,
 * while an end-to-end run would only show that some row is wrong.
 */
class SessionsTest {
  static final Duration GAP = Duration.ofMinutes(5);
  static final String IP = "203.0.113.7";
  static final String HOST = "shop.example";

  final Sessions sessions = new Sessions(GAP);

  /** Epoch millis of a time of day on 2026-11-20, UTC: at("10:05:30"). */
  static long at(String time) {
    return Instant.parse("2026-11-20T" + time + "Z").toEpochMilli();
  }

  static WindowEvent event(String key, String time, String url) {
    return event(key, time, url, "Firefox", "Other", "Linux");
  }

  static WindowEvent event(
      String key, String time, String url, String ua, String device, String os) {
    return new WindowEvent(at(time), key, IP, HOST, url, ua, device, os);
  }

  /** The id a session gets from the dedup key of its first event, restated from the spec. */
  static String sessionId(String firstKey) {
    return UUID.nameUUIDFromBytes(("session:" + firstKey).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** Everything a session row carries, as a value to compare. */
  record View(
      String id,
      String ip,
      String host,
      long startMs,
      long lastMs,
      long events,
      List<String> urls,
      String ua,
      String device,
      String os)
      implements Serializable {
    static View of(SessionState s) {
      return new View(
          s.getId(),
          s.getIp(),
          s.getHost(),
          s.getStartMs(),
          s.getLastMs(),
          s.getEvents(),
          List.copyOf(s.getUrls()),
          s.getUaFamily(),
          s.getDeviceFamily(),
          s.getOsFamily());
    }
  }

  record Seen(Status status, View session) {}

  static View view(String firstKey, String start, String last, long events, List<String> urls) {
    return view(firstKey, start, last, events, urls, "Firefox", "Other", "Linux");
  }

  static View view(
      String firstKey,
      String start,
      String last,
      long events,
      List<String> urls,
      String ua,
      String device,
      String os) {
    return new View(
        sessionId(firstKey), IP, HOST, at(start), at(last), events, urls, ua, device, os);
  }

  static List<Seen> seen(List<Sessions.Change> changes) {
    return changes.stream().map(c -> new Seen(c.status(), View.of(c.session()))).toList();
  }

  static List<View> views(List<SessionState> open) {
    return open.stream().map(View::of).toList();
  }

  static List<SessionState> copy(List<SessionState> open) {
    List<SessionState> copy = new ArrayList<>();
    for (SessionState s : open) {
      SessionState c = new SessionState();
      c.setId(s.getId());
      c.setIp(s.getIp());
      c.setHost(s.getHost());
      c.setStartMs(s.getStartMs());
      c.setLastMs(s.getLastMs());
      c.setEvents(s.getEvents());
      c.setUrls(new ArrayList<>(s.getUrls()));
      c.setUaFamily(s.getUaFamily());
      c.setDeviceFamily(s.getDeviceFamily());
      c.setOsFamily(s.getOsFamily());
      copy.add(c);
    }
    return copy;
  }

  /** Applies one batch as the window function does: its events in {@link WindowEvent#ORDER}. */
  List<Sessions.Change> update(List<SessionState> open, List<WindowEvent> events, long watermark) {
    Sessions.Update update = sessions.begin(open);
    events.stream().sorted(WindowEvent.ORDER).forEach(update::add);
    return update.finish(watermark);
  }

  /** A watermark well before every event of these tests, so nothing closes. */
  static final long EARLY = at("09:00:00");

  @Test
  void theIdIsTheNameBasedUuidOfTheFirstEventsDedupKey() {
    // MD5 name-based (version 3) UUID of "session:e-1000", computed outside Java.
    assertEquals(
        "b357bd9e-2084-3660-b7c7-9dd1db78c386", Sessions.idOf(event("e-1000", "10:00:00", "/")));
  }

  @Test
  void burstsCloserThanTheGapAreOneSession() {
    List<SessionState> open = new ArrayList<>();
    List<WindowEvent> events =
        List.of(
            event("k1", "10:00:00", "/a"),
            event("k2", "10:00:30", "/b"),
            event("k3", "10:01:00", "/a"),
            // 4 min 59 s after the last event of the first burst
            event("k4", "10:05:59", "/c"),
            event("k5", "10:06:10", "/b"));

    List<Sessions.Change> changes = update(open, events, EARLY);

    View expected = view("k1", "10:00:00", "10:06:10", 5, List.of("/a", "/b", "/c"));
    assertEquals(List.of(new Seen(Status.OPEN, expected)), seen(changes));
    assertEquals(List.of(expected), views(open));
    assertEquals(3, open.get(0).getUrls().size(), "distinct URLs");
  }

  @Test
  void burstsExactlyOneGapApartAreOneSession() {
    List<SessionState> open = new ArrayList<>();
    List<WindowEvent> events =
        List.of(
            event("k1", "10:00:00", "/a"),
            event("k2", "10:01:00", "/b"),
            // exactly 5 minutes after 10:01: [10:00, 10:06] and [10:06, 10:11] touch, and Spark's
            // session_window and Flink merge windows that touch
            event("k3", "10:06:00", "/c"),
            event("k4", "10:07:00", "/c"));

    List<Sessions.Change> changes = update(open, events, EARLY);

    View one = view("k1", "10:00:00", "10:07:00", 4, List.of("/a", "/b", "/c"));
    assertEquals(List.of(new Seen(Status.OPEN, one)), seen(changes));
    assertEquals(List.of(one), views(open));
    assertEquals(at("10:12:00"), sessions.endMs(open.get(0)), "the end is the last event + gap");
  }

  @Test
  void burstsOneMillisecondMoreThanTheGapApartAreTwoSessions() {
    List<SessionState> open = new ArrayList<>();
    List<WindowEvent> events =
        List.of(
            event("k1", "10:00:00", "/a"),
            event("k2", "10:01:00", "/b"),
            // 1 ms past the first session's end, 10:06
            event("k3", "10:06:00.001", "/c"),
            event("k4", "10:07:00", "/c"));

    List<Sessions.Change> changes = update(open, events, EARLY);

    View first = view("k1", "10:00:00", "10:01:00", 2, List.of("/a", "/b"));
    View second = view("k3", "10:06:00.001", "10:07:00", 2, List.of("/c"));
    assertEquals(
        List.of(new Seen(Status.OPEN, first), new Seen(Status.OPEN, second)), seen(changes));
    assertEquals(List.of(first, second), views(open), "open sessions are kept sorted by start");
  }

  @Test
  void anEventExactlyOneGapAfterAnOpenSessionJoinsItInALaterBatch() {
    List<SessionState> open = new ArrayList<>();
    update(open, List.of(event("k1", "10:00:00", "/a")), EARLY);

    // The session ends at 10:05; the watermark (10:04:59.999) is below it, so 10:05 is accepted.
    List<Sessions.Change> changes =
        update(open, List.of(event("k2", "10:05:00", "/b")), at("10:04:59.999"));

    View joined = view("k1", "10:00:00", "10:05:00", 2, List.of("/a", "/b"));
    assertEquals(List.of(new Seen(Status.OPEN, joined)), seen(changes));
    assertEquals(List.of(joined), views(open));
  }

  @Test
  void anEventExactlyOneGapBeforeTheStartExtendsTheSessionBackwards() {
    List<SessionState> open = new ArrayList<>();
    update(open, List.of(event("k2", "10:10:00", "/b")), EARLY);

    // [10:05, 10:10] touches [10:10, 10:15].
    List<Sessions.Change> changes =
        update(open, List.of(event("k1", "10:05:00", "/a")), at("10:04:00"));

    View extended = view("k2", "10:05:00", "10:10:00", 2, List.of("/a", "/b"));
    assertEquals(List.of(new Seen(Status.OPEN, extended)), seen(changes));
    assertEquals(List.of(extended), views(open));
  }

  @Test
  void anEventTouchingTwoOpenSessionsMergesThem() {
    List<SessionState> open = new ArrayList<>();
    update(open, List.of(event("k1", "10:00:00", "/a"), event("k3", "10:10:00", "/c")), EARLY);
    View later = view("k3", "10:10:00", "10:10:00", 1, List.of("/c"));

    // 10:05 is exactly one gap after 10:00 and exactly one gap before 10:10.
    List<Sessions.Change> changes =
        update(open, List.of(event("k2", "10:05:00", "/b")), at("10:01:00"));

    View merged = view("k1", "10:00:00", "10:10:00", 3, List.of("/a", "/b", "/c"));
    assertEquals(
        List.of(new Seen(Status.OPEN, merged), new Seen(Status.MERGED, later)), seen(changes));
    assertEquals(List.of(merged), views(open));
  }

  @Test
  void closingAtTheEndIsSafeBecauseNoEventAboveTheWatermarkTouchesTheSession() {
    // Spark drops events at or below the watermark. With the watermark at a session's end (10:05),
    // the earliest events it accepts are a millisecond later, or a fraction of one (Spark keeps
    // microseconds: 10:05:00.000400 rounds down to 10:05:00.000 here but is above the watermark).
    List<SessionState> open = new ArrayList<>();
    update(open, List.of(event("k1", "10:00:00", "/a")), EARLY);
    View session = view("k1", "10:00:00", "10:00:00", 1, List.of("/a"));
    long end = at("10:05:00");
    WindowEvent msLater = event("k2", "10:05:00.001", "/b");
    WindowEvent subMsLater =
        new WindowEvent(end, "k3", IP, HOST, "/c", "Firefox", "Other", "Linux", true);

    // Had the session stayed open, neither would join it: each starts a session of its own.
    for (WindowEvent e : List.of(msLater, subMsLater)) {
      List<SessionState> stillOpen = copy(open);
      update(stillOpen, List.of(e), EARLY);
      assertEquals(2, stillOpen.size(), e.toString());
      assertEquals(session, View.of(stillOpen.get(0)), e.toString());
    }

    // A millisecond earlier the event at exactly 10:05 is accepted and would join: still open.
    assertEquals(List.of(), update(open, List.of(), end - 1));
    assertEquals(List.of(new Seen(Status.CLOSED, session)), seen(update(open, List.of(), end)));
  }

  @Test
  void eventsOutOfOrderInOneBatchGiveTheSameSessionsAsInOrder() {
    List<WindowEvent> inOrder =
        List.of(
            event("k1", "10:00:00", "/a", "Chrome", "iPhone", "iOS"),
            event("k2", "10:04:00", "/b"),
            event("k3", "10:08:30", "/c"),
            event("k4", "10:20:00", "/d"),
            event("k5", "10:21:00", "/a"));
    View first =
        view("k1", "10:00:00", "10:08:30", 3, List.of("/a", "/b", "/c"), "Chrome", "iPhone", "iOS");
    View second = view("k4", "10:20:00", "10:21:00", 2, List.of("/a", "/d"));

    List<List<WindowEvent>> orders = new ArrayList<>();
    orders.add(inOrder);
    List<WindowEvent> reversed = new ArrayList<>(inOrder);
    Collections.reverse(reversed);
    orders.add(reversed);
    for (int seed = 0; seed < 20; seed++) {
      List<WindowEvent> shuffled = new ArrayList<>(inOrder);
      Collections.shuffle(shuffled, new Random(seed));
      orders.add(shuffled);
    }
    for (List<WindowEvent> events : orders) {
      List<SessionState> open = new ArrayList<>();
      List<Sessions.Change> changes = update(open, events, EARLY);
      assertEquals(List.of(first, second), views(open), "order " + events);
      assertEquals(
          List.of(new Seen(Status.OPEN, first), new Seen(Status.OPEN, second)),
          seen(changes),
          "order " + events);
    }
  }

  @Test
  void aLateEventBeforeTheStartExtendsTheSessionBackwardsAndGivesItsUserAgent() {
    List<SessionState> open = new ArrayList<>();
    update(open, List.of(event("k1", "10:10:00", "/b"), event("k2", "10:11:00", "/c")), EARLY);
    String id = open.get(0).getId();

    // Later than the watermark (10:05), so still accepted, but 4 minutes before the start.
    List<Sessions.Change> changes =
        update(
            open,
            List.of(
                event("k3", "10:14:00", "/d", "Safari", "Mac", "Mac OS X"),
                event("k0", "10:06:00", "/a", "Chrome", "iPhone", "iOS")),
            at("10:05:00"));

    View expected =
        view(
            "k1",
            "10:06:00",
            "10:14:00",
            4,
            List.of("/a", "/b", "/c", "/d"),
            "Chrome",
            "iPhone",
            "iOS");
    assertEquals(sessionId("k1"), id);
    assertEquals(List.of(new Seen(Status.OPEN, expected)), seen(changes));
    assertEquals(List.of(expected), views(open));
  }

  @Test
  void anEventBridgingTwoOpenSessionsMergesThemIntoTheEarlierOne() {
    List<SessionState> open = new ArrayList<>();
    update(
        open,
        List.of(
            event("k1", "10:00:00", "/a"),
            event("k2", "10:02:00", "/b"),
            event("k3", "10:10:00", "/c"),
            event("k4", "10:11:00", "/b")),
        EARLY);
    View later = view("k3", "10:10:00", "10:11:00", 2, List.of("/b", "/c"));
    assertEquals(
        List.of(view("k1", "10:00:00", "10:02:00", 2, List.of("/a", "/b")), later), views(open));

    // 10:06 is within 5 minutes after 10:02 and within 5 minutes before 10:10.
    List<Sessions.Change> changes =
        update(
            open,
            List.of(event("k6", "10:12:00", "/e"), event("k5", "10:06:00", "/d")),
            at("10:01:00"));

    View merged = view("k1", "10:00:00", "10:12:00", 6, List.of("/a", "/b", "/c", "/d", "/e"));
    assertEquals(
        List.of(new Seen(Status.OPEN, merged), new Seen(Status.MERGED, later)), seen(changes));
    assertEquals(List.of(merged), views(open));
    assertEquals(
        1,
        changes.stream().filter(c -> c.session().getId().equals(sessionId("k3"))).count(),
        "the absorbed session is reported once, as merged");
  }

  @Test
  void aSessionStartedInTheBatchCanAbsorbAnOpenSessionThatStartsLater() {
    List<SessionState> open = new ArrayList<>();
    update(open, List.of(event("k9", "10:10:00", "/z")), EARLY);
    View existing = view("k9", "10:10:00", "10:10:00", 1, List.of("/z"));

    // 10:00 and 10:04 start a new, earlier session; 10:06 reaches both it and 10:10.
    List<Sessions.Change> changes =
        update(
            open,
            List.of(
                event("k3", "10:06:00", "/c"),
                event("k1", "10:00:00", "/a"),
                event("k2", "10:04:00", "/b")),
            at("09:59:00"));

    View merged = view("k1", "10:00:00", "10:10:00", 4, List.of("/a", "/b", "/c", "/z"));
    assertEquals(
        List.of(new Seen(Status.OPEN, merged), new Seen(Status.MERGED, existing)), seen(changes));
    assertEquals(List.of(merged), views(open));
  }

  @Test
  void aSessionClosesExactlyWhenTheWatermarkReachesItsLastEventPlusTheGap() {
    List<SessionState> open = new ArrayList<>();
    update(open, List.of(event("k1", "10:08:00", "/a"), event("k2", "10:10:00", "/b")), EARLY);
    View session = view("k1", "10:08:00", "10:10:00", 2, List.of("/a", "/b"));
    long closesAt = at("10:15:00");

    assertEquals(OptionalLong.of(closesAt - 1), sessions.timeoutAt(open));
    assertEquals(List.of(), update(open, List.of(), closesAt - 1), "one ms early");
    assertEquals(List.of(session), views(open));

    List<Sessions.Change> changes = update(open, List.of(), closesAt);
    assertEquals(List.of(new Seen(Status.CLOSED, session)), seen(changes));
    assertEquals(List.of(), open);
    assertEquals(OptionalLong.empty(), sessions.timeoutAt(open));
  }

  @Test
  void closeRemovesOnlyTheSessionsTheWatermarkHasPassed() {
    List<SessionState> open = new ArrayList<>();
    update(open, List.of(event("k1", "10:10:00", "/a"), event("k2", "10:30:00", "/b")), EARLY);

    List<Sessions.Change> closed = sessions.close(open, at("10:15:00"));

    assertEquals(
        List.of(new Seen(Status.CLOSED, view("k1", "10:10:00", "10:10:00", 1, List.of("/a")))),
        seen(closed));
    assertEquals(List.of(view("k2", "10:30:00", "10:30:00", 1, List.of("/b"))), views(open));
  }

  @Test
  void theTimeoutIsWhenTheEarliestSessionCanClose() {
    List<SessionState> open = new ArrayList<>();
    assertEquals(OptionalLong.empty(), sessions.timeoutAt(open), "none open");

    // Given out of order: the session ending last comes first.
    update(
        open,
        List.of(
            event("k3", "10:40:00", "/c"),
            event("k2", "10:30:00", "/b"),
            event("k1", "10:10:00", "/a")),
        EARLY);

    assertEquals(3, open.size());
    assertEquals(OptionalLong.of(at("10:14:59.999")), sessions.timeoutAt(open));
  }

  @Test
  void aSessionTouchedAndClosedInOneBatchIsReportedOnlyAsClosed() {
    List<SessionState> open = new ArrayList<>();
    update(open, List.of(event("k1", "10:10:00", "/a")), EARLY);

    // The late event moves the end to 10:16, and the watermark is already at 10:17.
    List<Sessions.Change> changes =
        update(open, List.of(event("k2", "10:11:00", "/b")), at("10:17:00"));

    assertEquals(
        List.of(
            new Seen(Status.CLOSED, view("k1", "10:10:00", "10:11:00", 2, List.of("/a", "/b")))),
        seen(changes));
    assertEquals(List.of(), open);
  }

  @Test
  void aReplayedBatchGivesTheSameIdsAndValues() {
    List<SessionState> prior = new ArrayList<>();
    update(
        prior,
        List.of(
            event("k1", "10:00:00", "/a"),
            event("k2", "10:02:00", "/b"),
            event("k3", "10:10:00", "/c")),
        EARLY);
    List<WindowEvent> batch =
        List.of(
            event("k4", "10:06:00", "/d"),
            event("k5", "10:30:00", "/e"),
            event("k6", "10:29:00", "/e"));
    List<WindowEvent> replay = new ArrayList<>(batch);
    Collections.reverse(replay);

    List<SessionState> first = copy(prior);
    List<SessionState> second = copy(prior);
    List<Seen> firstChanges = seen(update(first, batch, at("10:05:00")));
    List<Seen> secondChanges = seen(update(second, replay, at("10:05:00")));

    View merged = view("k1", "10:00:00", "10:10:00", 4, List.of("/a", "/b", "/c", "/d"));
    View fresh = view("k6", "10:29:00", "10:30:00", 2, List.of("/e"));
    View absorbed = view("k3", "10:10:00", "10:10:00", 1, List.of("/c"));
    List<Seen> expected =
        List.of(
            new Seen(Status.OPEN, merged),
            new Seen(Status.OPEN, fresh),
            new Seen(Status.MERGED, absorbed));
    assertEquals(expected, firstChanges);
    assertEquals(expected, secondChanges);
    assertEquals(List.of(merged, fresh), views(first));
    assertEquals(List.of(merged, fresh), views(second));
    assertTrue(first.get(0) != second.get(0), "the two runs shared no state");
  }

  @Test
  void anUpdateRefusesAnEventEarlierThanTheOneBefore() {
    Sessions.Update update = sessions.begin(new ArrayList<>());
    update.add(event("k2", "10:01:00", "/b"));
    update.add(event("k1", "10:01:00", "/a")); // the same time: the key order is the caller's

    assertThrows(
        IllegalArgumentException.class, () -> update.add(event("k0", "10:00:59.999", "/a")));
  }
}
