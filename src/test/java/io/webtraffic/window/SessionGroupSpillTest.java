package io.webtraffic.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.testing.TestSpark;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.streaming.TestGroupState;
import org.junit.jupiter.api.Test;

/**
 * One ip on one host with 20,000 events in one batch (a bot, a backlog), in shuffled order, through
 * the window function inside a real Spark task whose sorter may hold 1,000 of them: the session
 * group spills to disk, and its sessions are still the ones a plain walk over the sorted events
 * gives. This is what keeps a skewed session key from needing heap in proportion to its events.
 */
class SessionGroupSpillTest {
  static final Duration GAP = Duration.ofMinutes(5);
  static final int HELD = 1_000;
  static final String IP = "203.0.113.7";
  static final String HOST = "h";
  static final String GROUP = "s\u001f" + IP + "\u001f" + HOST;
  static final Instant START = Instant.parse("2026-11-20T10:00:00Z");

  /** Bursts of events; each lasts under a minute, so a burst alone is one session. */
  static final int[] BURSTS = {3_000, 2_500, 4_000, 1_500, 3_000, 2_000, 4_000};

  /** From each burst's last event to the next burst's first. */
  static final Duration[] PAUSES = {
    Duration.ofMinutes(10),
    GAP, // exactly one gap: the windows touch, one session
    GAP.plusNanos(400_000), // 0.4 ms more: apart, if the sub-millisecond part survives the sorter
    GAP.plusMillis(1),
    Duration.ofMinutes(30),
    GAP.minusMillis(1) // one session
  };

  public record Event(Instant time, String key, String url, String ua, String device, String os)
      implements Serializable {}

  /** A session row as the sinks get it, and a session as the state keeps it (public for Spark). */
  public record SessionRow(
      String id,
      Instant start,
      Instant end,
      Instant last,
      long events,
      long distinctUrls,
      String ua,
      String device,
      String os,
      String status)
      implements Serializable {}

  public record Result(
      long diskBytesSpilled,
      int passedOnInOrder,
      List<SessionRow> rows,
      List<SessionsTest.View> state)
      implements Serializable {}

  /**
   * The bursts' events. A burst's first four share its first time (which decides the session's id
   * and user agent by dedup key); the rest follow at whole milliseconds, four to a time, so every
   * burst ends on a whole millisecond, as the state keeps times.
   */
  static List<Event> events() {
    List<Event> events = new ArrayList<>();
    Instant first = START;
    int i = 0;
    for (int b = 0; b < BURSTS.length; b++) {
      if (b > 0) {
        Instant last = events.get(events.size() - 1).time();
        first = last.plus(PAUSES[b - 1]);
      }
      for (int j = 0; j < BURSTS[b]; j++, i++) {
        Instant time =
            j < 4 ? first : first.truncatedTo(ChronoUnit.MILLIS).plusMillis((j / 4) * 50L);
        String key = (i % 3 == 0 ? "é" : i % 3 == 1 ? "k" : "") + Integer.toString(i, 7);
        String url = i % 10 == 9 ? null : "/b" + b + "/p" + (i % 13) + (i % 2 == 0 ? "é" : "");
        String os = i % 4 == 0 ? null : "iOS";
        events.add(new Event(time, key, url, "UA-" + (i % 5), i % 2 == 0 ? "iPhone" : "Other", os));
      }
    }
    return events;
  }

  /** The sessions by hand: sort, and split wherever the next event is more than a gap later. */
  static List<List<Event>> sessionsByHand(List<Event> events) {
    List<Event> sorted =
        events.stream()
            .sorted(Comparator.comparing(Event::time).thenComparing(Event::key))
            .toList();
    List<List<Event>> sessions = new ArrayList<>();
    Instant previous = null;
    for (Event e : sorted) {
      if (previous == null || Duration.between(previous, e.time()).compareTo(GAP) > 0) {
        sessions.add(new ArrayList<>());
      }
      sessions.get(sessions.size() - 1).add(e);
      previous = e.time();
    }
    return sessions;
  }

  static Row row(Event e) {
    Timestamp time = Timestamp.from(e.time());
    Row event =
        new GenericRowWithSchema(
            new Object[] {time, e.key(), IP, HOST, e.url(), e.ua(), e.device(), e.os()},
            StatefulWindowsTest.EVENT);
    return new GenericRowWithSchema(
        new Object[] {GROUP, time.getTime(), e.key(), null, event}, StatefulWindowsTest.INPUT);
  }

  /** Runs the group's batch through the window function in a Spark task of its own. */
  static Result runInTask(List<Event> input, long watermarkMs) {
    return TestSpark.session()
        .range(0, 1, 1, 1)
        .mapPartitions(
            (MapPartitionsFunction<Long, Result>)
                ignored -> {
                  WindowFunction function =
                      new WindowFunction(
                          new Sessions(GAP),
                          new CountWindows(100, Duration.ofMinutes(5)),
                          StatefulWindowsTest.OUTPUT,
                          HELD);
                  TestGroupState<WindowState> state = StatefulWindowsTest.emptyStateAt(watermarkMs);
                  List<Row> rows = input.stream().map(SessionGroupSpillTest::row).toList();
                  int inOrder = 0;
                  List<SessionRow> sessions = new ArrayList<>();
                  Iterator<Row> out = function.call(GROUP, rows.iterator(), state);
                  while (out.hasNext()) {
                    Row r = out.next();
                    if (WindowOutput.EVENT.equals(r.getString(0))) {
                      if (sessions.isEmpty() && r.getStruct(1).equals(rows.get(inOrder).get(4))) {
                        inOrder++;
                      }
                    } else {
                      sessions.add(sessionRow(r.getStruct(2)));
                    }
                  }
                  List<SessionsTest.View> open =
                      state.get().getSessions().stream().map(SessionsTest.View::of).toList();
                  long spilled = TaskContext.get().taskMetrics().diskBytesSpilled();
                  return List.of(new Result(spilled, inOrder, sessions, open)).iterator();
                },
            Encoders.javaSerialization(Result.class))
        .collectAsList()
        .get(0);
  }

  static SessionRow sessionRow(Row s) {
    return new SessionRow(
        s.getString(0),
        s.getTimestamp(3).toInstant(),
        s.getTimestamp(4).toInstant(),
        s.getTimestamp(5).toInstant(),
        s.getLong(6),
        s.getLong(7),
        s.getString(8),
        s.getString(9),
        s.getString(10),
        s.getString(11));
  }

  @Test
  void aSessionGroupLargerThanTheSorterHoldsSpillsAndGivesTheSessionsOfItsSortedEvents() {
    List<Event> events = events();
    assertEquals(20_000, events.size());
    List<List<Event>> byHand = sessionsByHand(events);
    // Bursts 1 and 2, and 5 and 6, are one session each; the others are on their own.
    assertEquals(
        List.of(3_000, 6_500, 1_500, 3_000, 6_000), byHand.stream().map(List::size).toList());
    assertTrue(
        byHand.stream().anyMatch(s -> s.get(0).os() == null)
            && byHand.stream().anyMatch(s -> s.get(0).os() != null),
        "some sessions start with an event without os_family, some with one");

    List<SessionRow> expectedRows = new ArrayList<>();
    List<SessionsTest.View> expectedState = new ArrayList<>();
    for (List<Event> s : byHand) {
      Event first = s.get(0);
      Instant last = s.get(s.size() - 1).time();
      List<String> urls =
          List.copyOf(new TreeSet<>(s.stream().map(Event::url).filter(Objects::nonNull).toList()));
      String id = SessionsTest.sessionId(first.key());
      Instant start = first.time().truncatedTo(ChronoUnit.MILLIS);
      expectedRows.add(
          new SessionRow(
              id,
              start,
              last.plus(GAP),
              last,
              s.size(),
              urls.size(),
              first.ua(),
              first.device(),
              first.os(),
              "open"));
      expectedState.add(
          new SessionsTest.View(
              id,
              IP,
              HOST,
              start.toEpochMilli(),
              last.toEpochMilli(),
              s.size(),
              urls,
              first.ua(),
              first.device(),
              first.os()));
    }

    long watermarkMs = START.minus(Duration.ofHours(1)).toEpochMilli();
    for (long seed : new long[] {1, 2}) {
      List<Event> shuffled = new ArrayList<>(events);
      Collections.shuffle(shuffled, new Random(seed));

      Result result = runInTask(shuffled, watermarkMs);

      assertTrue(
          result.diskBytesSpilled() > 0, "held at most " + HELD + " events, spilled the rest");
      assertEquals(20_000, result.passedOnInOrder(), "every event passed on first, as read");
      assertEquals(expectedRows, result.rows(), "seed " + seed);
      assertEquals(expectedState, result.state(), "seed " + seed);
    }
  }
}
