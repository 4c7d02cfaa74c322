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

  /** The input columns the function reads. */
  static final StructType INPUT =
      new StructType()
          .add("window_kind", DataTypes.StringType)
          .add("count_key", DataTypes.StringType)
          .add("event_time", DataTypes.TimestampType)
          .add("dedup_key", DataTypes.StringType)
          .add("ip", DataTypes.StringType)
          .add("host", DataTypes.StringType)
          .add("url", DataTypes.StringType)
          .add("ua_family", DataTypes.StringType)
          .add("device_family", DataTypes.StringType)
          .add("os_family", DataTypes.StringType)
          .add("kafka_partition", DataTypes.IntegerType)
          .add("kafka_offset", DataTypes.LongType);

  final StatefulWindows.WindowFunction function =
      new StatefulWindows.WindowFunction(
          new Sessions(GAP), new CountWindows(100, Duration.ofMinutes(5)));

  static Instant at(String time) {
    return Instant.parse("2026-11-20T" + time + "Z");
  }

  static Row event(String key, String time, String url) {
    return new GenericRowWithSchema(
        new Object[] {
          StatefulWindows.SESSION,
          "h",
          Timestamp.from(at(time)),
          key,
          "203.0.113.7",
          "h",
          url,
          "Firefox",
          "Other",
          "Linux",
          0,
          0L
        },
        INPUT);
  }

  /** The session rows the function emits for these events at this watermark. */
  List<Row> sessionRows(long watermarkMs, Row... events) {
    TestGroupState<WindowState> state =
        TestGroupState.create(
            Optional.empty(),
            GroupStateTimeout.EventTimeTimeout(),
            0L,
            Optional.of((Object) watermarkMs),
            false);
    List<Row> rows = new ArrayList<>();
    Iterator<Row> out =
        function.call(
            "[\"session\",\"203.0.113.7\",\"h\"]", Arrays.asList(events).iterator(), state);
    out.forEachRemaining(rows::add);
    return rows;
  }

  static Instant time(Row row, String field) {
    return row.getTimestamp(StatefulWindows.OUTPUT.fieldIndex(field)).toInstant();
  }

  static String string(Row row, String field) {
    return row.getString(StatefulWindows.OUTPUT.fieldIndex(field));
  }

  @Test
  void aSessionRowEndsOneGapAfterItsLastEventAndKeepsThatEventsTime() {
    List<Row> rows =
        sessionRows(
            at("09:00:00").toEpochMilli(),
            event("k2", "10:03:00", "/b"),
            event("k1", "10:00:00", "/a"));

    assertEquals(1, rows.size());
    Row r = rows.get(0);
    assertEquals(at("10:00:00"), time(r, "session_start"));
    assertEquals(at("10:08:00"), time(r, "session_end"), "10:03 + 5 min");
    assertEquals(at("10:03:00"), time(r, "session_last_event_time"));
    assertEquals(2L, r.getLong(StatefulWindows.OUTPUT.fieldIndex("session_events")));
    assertEquals("open", string(r, "session_status"));
  }

  @Test
  void aSessionWhoseEndTheWatermarkHasReachedIsClosedWithTheSameEnd() {
    List<Row> rows = sessionRows(at("10:08:00").toEpochMilli(), event("k1", "10:03:00", "/a"));

    assertEquals(1, rows.size());
    assertEquals("closed", string(rows.get(0), "session_status"));
    assertEquals(at("10:08:00"), time(rows.get(0), "session_end"));
    assertEquals(at("10:03:00"), time(rows.get(0), "session_last_event_time"));
  }

  @Test
  void anEventTimeFinerThanAMillisecondJustPastASessionsEndDoesNotJoinIt() {
    Timestamp justPast = Timestamp.from(at("10:05:00"));
    justPast.setNanos(400_000); // 10:05:00.000400, past the end 10:05:00.000 of a 10:00 session
    Row late = event("k2", "10:05:00", "/b");
    Object[] values = new Object[INPUT.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = late.get(i);
    }
    values[INPUT.fieldIndex("event_time")] = justPast;

    List<Row> rows =
        sessionRows(
            at("09:00:00").toEpochMilli(),
            event("k1", "10:00:00", "/a"),
            new GenericRowWithSchema(values, INPUT));

    assertEquals(2, rows.size(), "two sessions");
    assertTrue(rows.stream().allMatch(r -> "open".equals(string(r, "session_status"))));
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
        Arrays.asList(StatefulWindows.SESSION_SCHEMA.fieldNames()));
  }
}
