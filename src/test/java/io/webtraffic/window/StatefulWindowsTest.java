package io.webtraffic.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.TestGroupState;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The operator's per-group function on one session group, without a stream: what a session's row
 * says. Gap 5 minutes; times on 2026-11-20, UTC.
 */
class StatefulWindowsTest {
  static final Duration GAP = Duration.ofMinutes(5);

  /** The event columns the function reads (the job passes every column of the record). */
  static final StructType EVENT =
      new StructType()
          .add("event_time", DataTypes.TimestampType)
          .add("dedup_key", DataTypes.StringType)
          .add("ip", DataTypes.StringType)
          .add("host", DataTypes.StringType)
          .add("url", DataTypes.StringType)
          .add("ua_family", DataTypes.StringType)
          .add("device_family", DataTypes.StringType)
          .add("os_family", DataTypes.StringType);

  /** The input columns of a session group's row. */
  static final StructType INPUT =
      new StructType()
          .add("window_group", DataTypes.StringType)
          .add("time_ms", DataTypes.LongType)
          .add("dedup_key", DataTypes.StringType)
          .add("count_key", DataTypes.StringType)
          .add("event", EVENT);

  static final WindowOutput OUTPUT = new WindowOutput(EVENT);

  final WindowFunction function =
      new WindowFunction(new Sessions(GAP), new CountWindows(100, Duration.ofMinutes(5)), OUTPUT);

  static Instant at(String time) {
    return Instant.parse("2026-11-20T" + time + "Z");
  }

  static Row event(String key, String time, String url) {
    return event(key, Timestamp.from(at(time)), url);
  }

  static Row event(String key, Timestamp time, String url) {
    Row event =
        new GenericRowWithSchema(
            new Object[] {time, key, "203.0.113.7", "h", url, "Firefox", "Other", "Linux"}, EVENT);
    return new GenericRowWithSchema(
        new Object[] {"s\u001f203.0.113.7\u001fh", time.getTime(), key, null, event}, INPUT);
  }

  /** A group with no state yet, under an event-time timeout, at this watermark. */
  static TestGroupState<WindowState> emptyStateAt(long watermarkMs) {
    return TestGroupState.create(
        Optional.empty(),
        GroupStateTimeout.EventTimeTimeout(),
        0L,
        Optional.of((Object) watermarkMs),
        false);
  }

  /** The session rows the function emits for these events (in order) at this watermark. */
  List<Row> sessionRows(long watermarkMs, Row... events) {
    TestGroupState<WindowState> state = emptyStateAt(watermarkMs);
    List<Row> rows = new ArrayList<>();
    Iterator<Row> out =
        function.call("s\u001f203.0.113.7\u001fh", Arrays.asList(events).iterator(), state);
    out.forEachRemaining(rows::add);
    assertEquals(
        events.length,
        rows.stream().filter(r -> WindowOutput.EVENT.equals(r.getString(0))).count(),
        "every event passed on");
    return rows.stream()
        .filter(r -> WindowOutput.SESSION.equals(r.getString(0)))
        .map(r -> r.getStruct(2))
        .toList();
  }

  static Instant time(Row row, String field) {
    return row.<Timestamp>getAs(field).toInstant();
  }

  static String string(Row row, String field) {
    return row.getAs(field);
  }

  @Test
  void aSessionRowEndsOneGapAfterItsLastEventAndKeepsThatEventsTime() {
    List<Row> rows =
        sessionRows(
            at("09:00:00").toEpochMilli(),
            event("k1", "10:00:00", "/a"),
            event("k2", "10:03:00", "/b"));

    assertEquals(1, rows.size());
    Row r = rows.get(0);
    assertEquals(at("10:00:00"), time(r, "session_start"));
    assertEquals(at("10:08:00"), time(r, "session_end"), "10:03 + 5 min");
    assertEquals(at("10:03:00"), time(r, "last_event_time"));
    assertEquals(2L, r.<Long>getAs("events"));
    assertEquals("open", string(r, "status"));
  }

  @Test
  void aSessionWhoseEndTheWatermarkHasReachedIsClosedWithTheSameEnd() {
    List<Row> rows = sessionRows(at("10:08:00").toEpochMilli(), event("k1", "10:03:00", "/a"));

    assertEquals(1, rows.size());
    assertEquals("closed", string(rows.get(0), "status"));
    assertEquals(at("10:08:00"), time(rows.get(0), "session_end"));
    assertEquals(at("10:03:00"), time(rows.get(0), "last_event_time"));
  }

  @Test
  void anEventTimeFinerThanAMillisecondJustPastASessionsEndDoesNotJoinIt() {
    Timestamp justPast = Timestamp.from(at("10:05:00"));
    justPast.setNanos(400_000); // 10:05:00.000400, past the end 10:05:00.000 of a 10:00 session

    List<Row> rows =
        sessionRows(
            at("09:00:00").toEpochMilli(),
            event("k1", "10:00:00", "/a"),
            event("k2", justPast, "/b"));

    assertEquals(2, rows.size(), "two sessions");
    assertTrue(rows.stream().allMatch(r -> "open".equals(string(r, "status"))));
  }

  @Test
  void theSessionsTablesGetTheLastEventTimeRightAfterTheEnd() {
    assertEquals(
        List.of(
            "session_id",
            "ip",
            "host",
            "session_start",
            "session_end",
            "last_event_time",
            "events",
            "distinct_urls",
            "ua_family",
            "device_family",
            "os_family",
            "status"),
        Arrays.asList(WindowOutput.SESSION_ROW.fieldNames()));
  }
}
