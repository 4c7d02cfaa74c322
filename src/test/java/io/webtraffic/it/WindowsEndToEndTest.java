package io.webtraffic.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.webtraffic.job.BatchReport;
import io.webtraffic.local.Await;
import io.webtraffic.local.SharedStack;
import io.webtraffic.sink.IcebergSink;
import io.webtraffic.testing.TestEvents;
import io.webtraffic.testing.TestPipeline;
import io.webtraffic.testing.TestSpark;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every window kind on a hand-made sequence of events, through the real pipeline, with each
 * expected row worked out by hand in the comments. Three phases, each a restart of the job from its
 * checkpoint; the last is then replayed as after a crash, and nothing may count twice.
 *
 * <p>Settings: watermark delay 1 min, tumbling 5 min, sliding 10 min every 5 min, session gap 5
 * min, count windows of 3 events per host flushed after 2 quiet minutes. Times are written as
 * "10:mm:ss", 10:00 standing for a recent whole hour; one partition keeps the order as sent.
 *
 * <p>A session is [first event, last event + gap]: an event exactly one gap after the last joins it
 * (windows that touch merge, as in Spark's session_window and Flink), and the session is final once
 * the watermark reaches its end. Session lines read: ip, host, start, end, last event, events,
 * distinct URLs, browser, status.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WindowsEndToEndTest {
  static final Instant TEN = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
  static final String A = "a.example-academy.io";
  static final String B = "b.example-academy.io";
  static final String CHROME = "Chrome";
  static final String FIREFOX = "Firefox";

  @TempDir static Path workDir;
  TestPipeline pipeline;

  TestPipeline pipeline() {
    if (pipeline == null) {
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("event-time.watermark-delay", "1 minute");
      settings.put("windows.tumbling-size", "5 minutes");
      settings.put("windows.sliding-size", "10 minutes");
      settings.put("windows.sliding-slide", "5 minutes");
      settings.put("windows.session-gap", "5 minutes");
      settings.put("windows.count-size", "3");
      settings.put("windows.count-flush-after", "2 minutes");
      pipeline = new TestPipeline("windows", SharedStack.endpoints(), workDir, settings);
      SharedStack.kafka().createTopic(pipeline.topic(), 1);
    }
    return pipeline;
  }

  @Test
  @Order(1)
  void phase1_closesSessionsCountWindowsAndTimeWindowsAsTheWatermarkPasses() throws Exception {
    send(
        event("ip1", A, "10:00:00", "/home", CHROME),
        event("ip1", A, "10:01:00", "/docs", CHROME),
        event("ip1", A, "10:09:00", "/home", CHROME), // 8 min after 10:01: a second session
        event("ip2", A, "10:02:00", "/pricing", CHROME),
        event("ip3", B, "10:12:00", "/", CHROME)); // moves the watermark to 10:11
    pipeline().runToCompletion();

    // At watermark 10:11: ip1's first session (last event 10:01 + 5 min gap = 10:06) and ip2's
    // (10:07) are final; ip1's second (until 10:14) and ip3's (10:17) are open.
    assertSessions(
        List.of(
            "ip1 a 10:00:00 10:06:00 10:01:00 2 2 Chrome closed",
            "ip1 a 10:09:00 10:14:00 10:09:00 1 1 Chrome open",
            "ip2 a 10:02:00 10:07:00 10:02:00 1 1 Chrome closed",
            "ip3 b 10:12:00 10:17:00 10:12:00 1 1 Chrome open"));
    // Host a's first three events in time order make a window; 10:09 alone was quiet from 10:09
    // to the watermark 10:11 (2 min): flushed short. b's 10:12 stays open.
    assertCountWindows(List.of("a 10:00:00 10:02:00 3 count", "a 10:09:00 10:09:00 1 timeout"));
    // Tumbling windows ending by 10:11 in Iceberg; PostgreSQL has every window so far.
    assertTumbling(
        List.of("a 10:00:00 3", "a 10:05:00 1"),
        List.of("a 10:00:00 3", "a 10:05:00 1", "b 10:10:00 1"));
    // Sliding windows [k*5 min, +10 min): 10:00-10:02 fall in those starting 09:55 and 10:00,
    // 10:09 in 10:00 and 10:05, 10:12 in 10:05 and 10:10. Ended by 10:11: 09:55 and 10:00.
    assertSliding(
        List.of("a 09:55:00 3", "a 10:00:00 4"),
        List.of("a 09:55:00 3", "a 10:00:00 4", "a 10:05:00 1", "b 10:05:00 1", "b 10:10:00 1"));
  }

  @Test
  @Order(2)
  void phase2_outOfOrderEventsLandInTheirWindowsAndALateOneChangesNone() throws Exception {
    send(
        event("ip3", B, "10:20:00", "/", CHROME), // moves the watermark to 10:19 after the batch
        event("ip1", A, "10:11:30", "/pricing", CHROME), // out of order, above 10:11: extends
        event("ip1", A, "10:11:30", "/pricing", CHROME), // a duplicate: counted nowhere
        event("ip2", A, "10:05:00", "/late", CHROME), // at or below the watermark 10:11: late
        event("ip3", B, "10:14:00", "/docs", CHROME), // 2 min after 10:12: same session
        event("ip4", A, "10:19:45", "/features", FIREFOX));
    pipeline().runToCompletion();

    // At watermark 10:19: ip1's second session, extended to 10:11:30, is final (10:16:30); ip3's
    // 10:12-10:14 ends at 10:19 and is final exactly at watermark 10:19 (any event Spark still
    // accepts is later than 10:19, so none can touch it); 10:20 is 6 min after 10:14, so a new
    // session, open until 10:25.
    assertSessions(
        List.of(
            "ip1 a 10:00:00 10:06:00 10:01:00 2 2 Chrome closed",
            "ip1 a 10:09:00 10:16:30 10:11:30 2 2 Chrome closed",
            "ip2 a 10:02:00 10:07:00 10:02:00 1 1 Chrome closed",
            "ip3 b 10:12:00 10:19:00 10:14:00 2 2 Chrome closed",
            "ip3 b 10:20:00 10:25:00 10:20:00 1 1 Chrome open",
            "ip4 a 10:19:45 10:24:45 10:19:45 1 1 Firefox open"));
    // b: 10:12 (open since phase 1), 10:14, 10:20 close a window at exactly 3 events. a: 10:11:30
    // and 10:19:45 wait for a third.
    assertCountWindows(
        List.of(
            "a 10:00:00 10:02:00 3 count",
            "a 10:09:00 10:09:00 1 timeout",
            "b 10:12:00 10:20:00 3 count"));
    // Ending in (10:11, 10:19]: [10:10, 10:15) with a's 10:11:30 and b's 10:12 and 10:14.
    assertTumbling(
        List.of("a 10:00:00 3", "a 10:05:00 1", "a 10:10:00 1", "b 10:10:00 2"),
        List.of(
            "a 10:00:00 3",
            "a 10:05:00 1",
            "a 10:10:00 1",
            "a 10:15:00 1",
            "b 10:10:00 2",
            "b 10:20:00 1"));
    assertSliding(
        List.of("a 09:55:00 3", "a 10:00:00 4", "a 10:05:00 2", "b 10:05:00 2"),
        List.of(
            "a 09:55:00 3",
            "a 10:00:00 4",
            "a 10:05:00 2",
            "a 10:10:00 2",
            "a 10:15:00 1",
            "b 10:05:00 2",
            "b 10:10:00 2",
            "b 10:15:00 1",
            "b 10:20:00 1"));
    // The late event, with the watermark it missed and by how much.
    List<Row> late =
        TestSpark.session()
            .table(pipeline.table("late_events"))
            .select("ip", "event_time", "watermark", "lateness_ms")
            .collectAsList();
    assertEquals(1, late.size());
    assertEquals("ip2", late.get(0).getString(0));
    assertEquals(at("10:05:00"), late.get(0).getTimestamp(1).toInstant());
    assertEquals(at("10:11:00"), late.get(0).getTimestamp(2).toInstant());
    assertEquals(Duration.ofMinutes(6).toMillis(), late.get(0).getLong(3));
  }

  @Test
  @Order(3)
  void phase3_aSessionExtendedBackwardsAndAReplayChangesNothing() throws Exception {
    send(
        event("ip4", A, "10:19:20", "/back", CHROME), // before ip4's start, above 10:19
        event("ip3", B, "10:25:00", "/docs", CHROME), // exactly one gap after ip3's open 10:20
        event("ip3", B, "10:30:00", "/", CHROME)); // one gap after 10:25; watermark to 10:29
    pipeline().runToCompletion();
    assertFinalTables();

    // A crash after both sinks committed the last data batch but before Spark did: it runs again.
    long replayed = pipeline().forgetLastDataBatch();
    List<BatchReport> replay = pipeline().runToCompletion();
    assertEquals(replayed, replay.get(0).batchId());
    assertFalse(replay.get(0).postgresCommitted(), "PostgreSQL skipped the batch");
    assertEquals(IcebergSink.Written.NOTHING, replay.get(0).iceberg(), "Iceberg skipped it");
    assertFinalTables();
  }

  void assertFinalTables() throws Exception {
    // ip4's session now starts at 10:19:20, and takes that first event's browser; it ends at
    // 10:24:45, final at watermark 10:29. ip3's 10:25 touches the end of its open 10:20 session
    // (10:20 + 5 min) and joins it, and 10:30 touches the new end (10:25 + 5 min): one session
    // 10:20-10:30 of 3 events, ending 10:35, open.
    assertSessions(
        List.of(
            "ip1 a 10:00:00 10:06:00 10:01:00 2 2 Chrome closed",
            "ip1 a 10:09:00 10:16:30 10:11:30 2 2 Chrome closed",
            "ip2 a 10:02:00 10:07:00 10:02:00 1 1 Chrome closed",
            "ip3 b 10:12:00 10:19:00 10:14:00 2 2 Chrome closed",
            "ip3 b 10:20:00 10:35:00 10:30:00 3 2 Chrome open",
            "ip4 a 10:19:20 10:24:45 10:19:45 2 2 Chrome closed"));
    // a's third event arrives (10:19:20): window 10:11:30-10:19:45 is complete. b's 10:25 and
    // 10:30 wait for a third (quiet only since 10:30).
    assertCountWindows(
        List.of(
            "a 10:00:00 10:02:00 3 count",
            "a 10:09:00 10:09:00 1 timeout",
            "a 10:11:30 10:19:45 3 count",
            "b 10:12:00 10:20:00 3 count"));
    assertTumbling(
        List.of(
            "a 10:00:00 3",
            "a 10:05:00 1",
            "a 10:10:00 1",
            "a 10:15:00 2",
            "b 10:10:00 2",
            "b 10:20:00 1"),
        List.of(
            "a 10:00:00 3",
            "a 10:05:00 1",
            "a 10:10:00 1",
            "a 10:15:00 2",
            "b 10:10:00 2",
            "b 10:20:00 1",
            "b 10:25:00 1",
            "b 10:30:00 1"));
    assertSliding(
        List.of(
            "a 09:55:00 3",
            "a 10:00:00 4",
            "a 10:05:00 2",
            "a 10:10:00 3",
            "a 10:15:00 2",
            "b 10:05:00 2",
            "b 10:10:00 2",
            "b 10:15:00 1"),
        List.of(
            "a 09:55:00 3",
            "a 10:00:00 4",
            "a 10:05:00 2",
            "a 10:10:00 3",
            "a 10:15:00 2",
            "b 10:05:00 2",
            "b 10:10:00 2",
            "b 10:15:00 1",
            "b 10:20:00 2",
            "b 10:25:00 2",
            "b 10:30:00 1"));
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement()) {
      // 14 records: 12 events, 1 duplicate, 1 late; Spark dropped exactly that late one.
      Await.until(
          () ->
              rows(
                      st,
                      pipeline.pgTable("pipeline_batches")
                          + " WHERE spark_dropped_by_watermark IS NULL")
                  .isEmpty(),
          Duration.ofSeconds(30),
          "the progress listener to report every batch");
      assertEquals(
          List.of("14 12 1 1 1"),
          rows(
              st,
              "(SELECT sum(records_read), sum(events), sum(duplicates), sum(late),"
                  + " sum(spark_dropped_by_watermark) FROM "
                  + pipeline.pgTable("pipeline_batches")
                  + ") t"));
    }
  }

  // --- the tables, as sorted lines in the notation of the expectations ---

  void assertSessions(List<String> expected) throws Exception {
    List<String> closed = expected.stream().filter(s -> s.endsWith(" closed")).toList();
    assertEquals(
        closed.stream().map(s -> s.substring(0, s.length() - " closed".length())).toList(),
        iceberg(
            "sessions",
            "ip, host, session_start, session_end, last_event_time, events, distinct_urls,"
                + " ua_family",
            "ip, session_start"),
        "Iceberg sessions: the closed ones");
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement()) {
      assertEquals(
          expected,
          rows(
              st,
              "(SELECT ip, host, session_start, session_end, last_event_time, events,"
                  + " distinct_urls, ua_family, status FROM "
                  + pipeline.pgTable("sessions")
                  + " ORDER BY ip, session_start) t"),
          "PostgreSQL sessions: every one, open or closed");
    }
  }

  void assertCountWindows(List<String> expected) throws Exception {
    String columns = "window_key, window_start, window_end, events, closed_by";
    assertEquals(
        expected, iceberg("count_windows", columns, "window_key, window_start"), "Iceberg");
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement()) {
      assertEquals(
          expected,
          rows(
              st,
              "(SELECT "
                  + columns
                  + " FROM "
                  + pipeline.pgTable("count_windows")
                  + " ORDER BY window_key, window_start) t"),
          "PostgreSQL count windows");
    }
  }

  void assertTumbling(List<String> iceberg, List<String> postgres) throws Exception {
    assertTimeWindows("hits_by_host", iceberg, postgres);
  }

  void assertSliding(List<String> iceberg, List<String> postgres) throws Exception {
    assertTimeWindows("hits_by_host_sliding", iceberg, postgres);
  }

  void assertTimeWindows(String table, List<String> iceberg, List<String> postgres)
      throws Exception {
    String columns = "host, window_start, hits";
    assertEquals(iceberg, iceberg(table, columns, "host, window_start"), "Iceberg " + table);
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement()) {
      assertEquals(
          postgres,
          rows(
              st,
              "(SELECT "
                  + columns
                  + " FROM "
                  + pipeline.pgTable(table)
                  + " ORDER BY host, window_start) t"),
          "PostgreSQL " + table);
    }
  }

  List<String> iceberg(String table, String columns, String order) {
    List<String> lines = new ArrayList<>();
    for (Row r :
        TestSpark.session()
            .sql("SELECT " + columns + " FROM " + pipeline.table(table) + " ORDER BY " + order)
            .collectAsList()) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        cells.add(cell(r.get(i)));
      }
      lines.add(String.join(" ", cells));
    }
    return lines;
  }

  static List<String> rows(Statement st, String from) {
    List<String> lines = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("SELECT * FROM " + from)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> cells = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          cells.add(cell(rs.getObject(i)));
        }
        lines.add(String.join(" ", cells));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return lines;
  }

  /** Times as "10:mm:ss" relative to TEN, hosts by their first letter, the rest as text. */
  static String cell(Object v) {
    if (v instanceof Timestamp t) {
      Duration d = Duration.between(TEN, t.toInstant());
      long s = d.getSeconds();
      long minutes = Math.floorDiv(s, 60);
      return String.format(
          "%02d:%02d:%02d", 10 + Math.floorDiv(minutes, 60), Math.floorMod(minutes, 60), s % 60);
    }
    if (A.equals(v) || B.equals(v)) {
      return ((String) v).substring(0, 1);
    }
    return String.valueOf(v);
  }

  static Instant at(String time) {
    String[] p = time.split(":");
    return TEN.plus(Duration.ofHours(Integer.parseInt(p[0]) - 10))
        .plus(Duration.ofMinutes(Integer.parseInt(p[1])))
        .plus(Duration.ofSeconds(Integer.parseInt(p[2])));
  }

  static TestPipeline.Message event(String ip, String host, String time, String url, String ua) {
    return TestEvents.event(ip, host, at(time), url, ua);
  }

  void send(TestPipeline.Message... messages) {
    pipeline().send(List.of(messages));
  }
}
