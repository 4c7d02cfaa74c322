package io.webtraffic.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.generate.EventGenerator;
import io.webtraffic.generate.GeneratedRecord;
import io.webtraffic.generate.GeneratorSettings;
import io.webtraffic.generate.Kind;
import io.webtraffic.job.BatchReport;
import io.webtraffic.local.Await;
import io.webtraffic.local.SharedStack;
import io.webtraffic.sink.IcebergSink;
import io.webtraffic.testing.TestPipeline;
import io.webtraffic.testing.TestSpark;
import io.webtraffic.testing.Truth;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on the real embedded Kafka and PostgreSQL, a real Iceberg warehouse and Spark:
 * generated traffic with known truth, run with availableNow, then every table compared with the
 * expectation computed from the generator's records. The steps share one pipeline and run in order.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndTest {
  // Recent, so the broker's time-based retention never deletes the test's records.
  static final Instant PHASE_ONE_START =
      Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(Duration.ofHours(2));
  static final Duration WATERMARK_DELAY = Duration.ofMinutes(1);
  static final Duration WINDOW = Duration.ofMinutes(5);
  static final Duration SLIDING = Duration.ofMinutes(10);
  static final Duration SLIDE = Duration.ofMinutes(1);
  static final Duration GAP = Duration.ofMinutes(2);
  static final long COUNT = 50;

  @TempDir static Path workDir;
  TestPipeline pipeline;
  final Truth truth = new Truth();

  TestPipeline pipeline() {
    if (pipeline == null) {
      pipeline =
          new TestPipeline(
              "e2e",
              SharedStack.endpoints(),
              workDir,
              Map.of(
                  "event-time.watermark-delay",
                  "1 minute",
                  "windows.tumbling-size",
                  "5 minutes",
                  "windows.sliding-size",
                  "10 minutes",
                  "windows.sliding-slide",
                  "1 minute",
                  "windows.session-gap",
                  "2 minutes",
                  "windows.count-size",
                  String.valueOf(COUNT),
                  "postgres.upsert-events",
                  "true"));
      SharedStack.kafka().createTopic(pipeline.topic(), 2);
    }
    return pipeline;
  }

  /**
   * {@code count} generated records (3 % late) from two hours before the current hour, as the
   * messages a test topic is loaded with.
   */
  static List<TestPipeline.Message> messagesOfTheLastHours(long seed, long count) {
    return generate(
            seed,
            count,
            Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2)),
            0.03)
        .stream()
        .map(r -> new TestPipeline.Message(r.key(), r.value(), r.timestampMs()))
        .toList();
  }

  static List<GeneratedRecord> generate(long seed, long count, Instant start, double lateFraction) {
    GeneratorSettings settings =
        GeneratorSettings.builder()
            .seed(seed)
            .count(count)
            .ratePerSecond(2)
            .start(start)
            .duplicateFraction(0.05)
            .jitterFraction(0.2)
            .maxJitter(Duration.ofSeconds(20))
            .lateFraction(lateFraction)
            .lateBy(Duration.ofHours(1))
            .malformedFraction(0.03)
            .futureFraction(0.02)
            .futureBy(Duration.ofDays(1))
            .filteredFraction(0.05)
            .build();
    List<GeneratedRecord> records = new ArrayList<>();
    new EventGenerator(settings).forEachRemaining(records::add);
    return records;
  }

  void send(List<GeneratedRecord> records) {
    pipeline()
        .send(
            records.stream()
                .map(r -> new TestPipeline.Message(r.key(), r.value(), r.timestampMs()))
                .toList());
  }

  @Test
  @Order(1)
  void step1_firstRunLandsEveryRecordWhereItBelongs() throws Exception {
    List<GeneratedRecord> records = generate(7, 1000, PHASE_ONE_START, 0.0);
    truth.add(records, false);
    send(records);

    List<BatchReport> reports = pipeline().runToCompletion();

    assertTrue(
        truth.count(Kind.MALFORMED) > 10
            && truth.count(Kind.DUPLICATE) > 20
            && truth.count(Kind.FILTERED) > 20
            && truth.count(Kind.FUTURE) > 5,
        "the data has every kind");
    assertEquals(truth.read(), reports.stream().mapToLong(r -> r.counts().read()).sum());
    assertTables();
    // Kafka is scanned once per batch: the shuffle by dedup key is read by both branches (one
    // Exchange, one ReusedExchange); the only other shuffle groups the deduplicated events by
    // window.
    String plan = pipeline.lastPlan;
    // (The last batch has no data: its Kafka scan is an empty LocalTableScan. The window
    // operator's empty initial state, columns count and sessions, is the other leaf.)
    assertEquals(
        1,
        plan.lines()
            .filter(l -> l.matches(".*(MicroBatchScan|LocalTableScan).*"))
            .filter(l -> !l.contains("sessions#"))
            .count(),
        plan);
    assertEquals(
        2, plan.lines().filter(l -> l.matches("^[:|+\\- ]*\\+- Exchange .*")).count(), plan);
    assertEquals(1, plan.lines().filter(l -> l.contains("+- ReusedExchange")).count(), plan);
  }

  @Test
  @Order(2)
  void step2_aRestartWithoutNewDataWritesNothing() throws Exception {
    pipeline().runToCompletion();
    assertTables();
  }

  @Test
  @Order(3)
  void step3_moreDataAddsOnlyTheNewRowsAndLateRowsAreKept() throws Exception {
    Instant phaseTwoStart = PHASE_ONE_START.plusSeconds(500);
    List<GeneratedRecord> records = generate(8, 400, phaseTwoStart, 0.05);
    truth.add(records, true);
    send(records);

    pipeline().runToCompletion();

    assertTrue(truth.late > 10, "phase two has late records");
    assertTables();
  }

  @Test
  @Order(4)
  void step4_aReplayedBatchChangesNothing() throws Exception {
    // Forget that the last data batch committed (and the no-data batch after it): Spark runs it
    // again from the same offsets, and both sinks must recognise it and skip it.
    long lastData = pipeline().forgetLastDataBatch();

    List<BatchReport> replay = pipeline().runToCompletion();

    BatchReport again = replay.get(0);
    assertEquals(lastData, again.batchId(), "the forgotten data batch ran again");
    assertTrue(again.counts().read() > 0, "and it had data");
    assertFalse(again.postgresCommitted(), "PostgreSQL skipped it by its ledger row");
    assertEquals(
        IcebergSink.Written.NOTHING,
        again.iceberg(),
        "Iceberg skipped it by its snapshot properties");
    assertTables();
    System.out.printf(
        "[e2e] generated %s, %d read; expected events %d, duplicates %d, late %d,"
            + " dead %d, filtered %d: every table matched%n",
        truth.kinds,
        truth.read(),
        truth.events.size(),
        truth.duplicates,
        truth.late,
        truth.deadValues.size(),
        truth.count(Kind.FILTERED));
  }

  void assertTables() throws Exception {
    var spark = TestSpark.session();
    // Iceberg: events, late events and dead letters, exactly.
    assertEquals(truth.events.size(), spark.table(pipeline.table("events")).count(), "events");
    assertEquals(
        truth.events.size(),
        spark.table(pipeline.table("events")).select("dedup_key").distinct().count(),
        "no duplicate");
    assertEquals(truth.late, spark.table(pipeline.table("late_events")).count(), "late events");
    List<String> expectedDead =
        truth.deadValues.stream().map(v -> Base64.getEncoder().encodeToString(v)).sorted().toList();
    List<String> actualDead =
        spark.table(pipeline.table("dead_letters")).collectAsList().stream()
            .map(r -> Base64.getEncoder().encodeToString((byte[]) r.getAs("raw_value")))
            .sorted()
            .toList();
    assertEquals(expectedDead, actualDead, "dead letters keep the raw bytes of every bad record");
    assertEquals(
        truth.count(Kind.FUTURE),
        spark.table(pipeline.table("dead_letters")).where("reason = 'future_event_time'").count(),
        "future-skewed records");

    // Iceberg windows: exactly the windows the final watermark has closed, with final counts.
    Instant watermark = truth.maxEventTime.minus(WATERMARK_DELAY);
    Map<String, Long> icebergWindows = new TreeMap<>();
    for (Row r : spark.table(pipeline.table("hits_by_host")).collectAsList()) {
      icebergWindows.merge(
          r.getTimestamp(0).toInstant() + " " + r.getString(2), r.getLong(3), Long::sum);
    }
    assertEquals(truth.hitsByHost(WINDOW, watermark), icebergWindows, "Iceberg hits_by_host");
    Map<String, Long> icebergSliding = new TreeMap<>();
    for (Row r : spark.table(pipeline.table("hits_by_host_sliding")).collectAsList()) {
      icebergSliding.merge(
          r.getTimestamp(0).toInstant()
              + " "
              + r.getTimestamp(1).toInstant()
              + " "
              + r.getString(2),
          r.getLong(3),
          Long::sum);
    }
    assertEquals(
        truth.slidingHitsByHost(SLIDING, SLIDE, watermark),
        icebergSliding,
        "Iceberg hits_by_host_sliding");

    // Sessions: Iceberg holds exactly the sessions the watermark has closed.
    List<Truth.Session> sessions = truth.sessions(GAP);
    assertEquals(
        sorted(sessions.stream().filter(x -> x.closedBy(watermark)).toList()),
        sorted(
            spark
                .table(pipeline.table("sessions"))
                .select(
                    "ip",
                    "host",
                    "session_start",
                    "session_end",
                    "last_event_time",
                    "events",
                    "distinct_urls")
                .collectAsList()
                .stream()
                .map(PipelineEndToEndTest::session)
                .toList()),
        "Iceberg sessions");
    assertEquals(
        spark.table(pipeline.table("sessions")).count(),
        spark.table(pipeline.table("sessions")).select("session_id").distinct().count(),
        "one row per session id");

    // Count windows: each count-closed window has exactly COUNT events, and what the windows
    // hold of a host plus its unfinished window (fewer than COUNT) is every event of the host.
    Map<String, Long> inWindows = new TreeMap<>();
    for (Row r : spark.table(pipeline.table("count_windows")).collectAsList()) {
      inWindows.merge(r.<String>getAs("window_key"), r.<Long>getAs("events"), Long::sum);
      if (r.<String>getAs("closed_by").equals("count")) {
        assertEquals(COUNT, r.<Long>getAs("events"), "a full count window");
      }
    }
    truth
        .eventsByHost()
        .forEach(
            (host, n) -> {
              long open = n - inWindows.getOrDefault(host, 0L);
              assertTrue(open >= 0 && open < COUNT, host + ": " + n + " events, " + open + " open");
            });

    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement()) {
      // PostgreSQL windows: every window, including those still open, counted exactly once.
      assertEquals(
          truth.hitsByHost(WINDOW, null),
          query(st, "SELECT window_start, host, hits FROM " + pipeline.pgTable("hits_by_host")),
          "PG hits_by_host");
      assertEquals(
          truth.hitsByHostReferrer(WINDOW),
          query(
              st,
              "SELECT window_start, host || ' ' || referrer, hits FROM "
                  + pipeline.pgTable("hits_by_host_referrer")),
          "PG hits_by_host_referrer");
      Map<String, Long> pgSliding = new TreeMap<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT window_start, window_end, host, hits FROM "
                  + pipeline.pgTable("hits_by_host_sliding"))) {
        while (rs.next()) {
          pgSliding.merge(
              rs.getTimestamp(1).toInstant()
                  + " "
                  + rs.getTimestamp(2).toInstant()
                  + " "
                  + rs.getString(3),
              rs.getLong(4),
              Long::sum);
        }
      }
      assertEquals(
          truth.slidingHitsByHost(SLIDING, SLIDE, null), pgSliding, "PG hits_by_host_sliding");
      // Every session, open or closed, with its current value; closed exactly when final.
      List<String> expectedSessions =
          truth.sessions(GAP).stream()
              .map(x -> x + (x.closedBy(watermark) ? " closed" : " open"))
              .sorted()
              .toList();
      List<String> pgSessions = new ArrayList<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT ip, host, session_start, session_end, last_event_time, events,"
                  + " distinct_urls, status FROM "
                  + pipeline.pgTable("sessions"))) {
        while (rs.next()) {
          pgSessions.add(
              new Truth.Session(
                      rs.getString(1),
                      rs.getString(2),
                      rs.getTimestamp(3).toInstant(),
                      rs.getTimestamp(4).toInstant(),
                      rs.getTimestamp(5).toInstant(),
                      rs.getLong(6),
                      rs.getLong(7))
                  + " "
                  + rs.getString(8));
        }
      }
      assertEquals(expectedSessions, pgSessions.stream().sorted().toList(), "PG sessions");
      // PostgreSQL holds the same count windows as Iceberg.
      List<String> pgCounts = new ArrayList<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT window_id, window_key, events, closed_by FROM "
                  + pipeline.pgTable("count_windows"))) {
        while (rs.next()) {
          pgCounts.add(
              rs.getString(1)
                  + " "
                  + rs.getString(2)
                  + " "
                  + rs.getLong(3)
                  + " "
                  + rs.getString(4));
        }
      }
      assertEquals(
          spark.table(pipeline.table("count_windows")).collectAsList().stream()
              .map(
                  r ->
                      r.getAs("window_id")
                          + " "
                          + r.getAs("window_key")
                          + " "
                          + r.getAs("events")
                          + " "
                          + r.getAs("closed_by"))
              .sorted()
              .toList(),
          pgCounts.stream().sorted().toList(),
          "PG count_windows equal Iceberg's");
      try (ResultSet rs =
          st.executeQuery("SELECT count(*) FROM " + pipeline.pgTable("processed_events"))) {
        rs.next();
        assertEquals(truth.events.size(), rs.getLong(1), "processed_events");
      }
      // Spark's own count of rows dropped behind the watermark, reported after each batch by the
      // job's listener, equals the late rows the job kept, batch by batch.
      Await.until(
          () -> count(st, "spark_dropped_by_watermark IS NULL") == 0,
          Duration.ofSeconds(30),
          "the progress listener to report every batch");
      assertEquals(0, count(st, "spark_dropped_by_watermark <> late"), "Spark's drops = late");
      // The accounting, per batch and in total.
      try (ResultSet rs =
          st.executeQuery(
              "SELECT sum(records_read), sum(events), sum(duplicates),"
                  + " sum(filtered), sum(late), sum(dead_lettered), count(*) FILTER (WHERE records_read <>"
                  + " events + duplicates + filtered + late + dead_lettered) FROM "
                  + pipeline.pgTable("pipeline_batches"))) {
        rs.next();
        assertArrayEquals(
            new long[] {
              truth.read(),
              truth.events.size(),
              truth.duplicates,
              truth.count(Kind.FILTERED),
              truth.late,
              truth.deadValues.size(),
              0
            },
            new long[] {
              rs.getLong(1),
              rs.getLong(2),
              rs.getLong(3),
              rs.getLong(4),
              rs.getLong(5),
              rs.getLong(6),
              rs.getLong(7)
            },
            "read, events, duplicates, filtered, late, dead, batches breaking the identity");
      }
    }
  }

  long count(Statement st, String where) {
    try (ResultSet rs =
        st.executeQuery(
            "SELECT count(*) FROM " + pipeline.pgTable("pipeline_batches") + " WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static Truth.Session session(Row r) {
    return new Truth.Session(
        r.getString(0),
        r.getString(1),
        r.getTimestamp(2).toInstant(),
        r.getTimestamp(3).toInstant(),
        r.getTimestamp(4).toInstant(),
        r.getLong(5),
        r.getLong(6));
  }

  static List<Truth.Session> sorted(List<Truth.Session> sessions) {
    return sessions.stream()
        .sorted(java.util.Comparator.comparing(Truth.Session::toString))
        .toList();
  }

  static Map<String, Long> query(Statement st, String sql) throws Exception {
    Map<String, Long> result = new TreeMap<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        String key = rs.getTimestamp(1).toInstant() + " " + rs.getString(2);
        result.merge(key, rs.getLong(3), Long::sum);
      }
    }
    return result;
  }
}
