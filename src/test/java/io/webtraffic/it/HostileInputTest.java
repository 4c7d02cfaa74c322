package io.webtraffic.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webtraffic.local.SharedStack;
import io.webtraffic.testing.HostileCorpus;
import io.webtraffic.testing.HostileCorpus.Case;
import io.webtraffic.testing.TestPipeline;
import io.webtraffic.testing.TestPipeline.Message;
import io.webtraffic.testing.TestSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input corpus through the real pipeline: every record lands where its hand-written
 * expectation says (an event with exactly these typed values, a dead letter with this reason and
 * its raw bytes, or a filtered count), the accounting identity holds exactly, the job does not fail
 * and keeps processing afterwards, and PostgreSQL and Iceberg hold every string byte for byte.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {
  /** The fields compared in PostgreSQL's processed_events, with their column there. */
  static final List<String> PG_TEXT = List.of("url", "referrer", "host", "ip", "ua_family");

  @TempDir static Path workDir;
  final List<Case> corpus = HostileCorpus.load();
  TestPipeline pipeline;
  long sentAt;

  TestPipeline pipeline() {
    if (pipeline == null) {
      pipeline =
          new TestPipeline(
              "hostile",
              SharedStack.endpoints(),
              workDir,
              Map.of("postgres.upsert-events", "true"));
      SharedStack.kafka().createTopic(pipeline.topic(), 1);
    }
    return pipeline;
  }

  @Test
  @Order(1)
  void step1_everyHostileRecordLandsWhereItsExpectationSays() throws Exception {
    sentAt = System.currentTimeMillis();
    pipeline().send(corpus.stream().map(c -> new Message(c.key(), c.value(), sentAt)).toList());

    // The run returning at all means no batch failed: a failed query throws here.
    pipeline().runToCompletion();

    Map<Long, Row> events = byOffset(pipeline.table("events"));
    Map<Long, Row> dead = byOffset(pipeline.table("dead_letters"));
    Map<Long, Row> late = byOffset(pipeline.table("late_events"));
    Map<Long, Map<String, Object>> pgEvents = processedEvents();
    Map<String, Long> expectedDead = new TreeMap<>();
    Map<String, Long> expectedFiltered = new TreeMap<>();
    for (int offset = 0; offset < corpus.size(); offset++) {
      Case c = corpus.get(offset);
      String what = c.name() + " (" + c.category() + ")";
      switch (c.outcome()) {
        case "event" -> {
          assertEquals(null, dead.get((long) offset), what + " is not a dead letter");
          Row row = events.get((long) offset);
          assertEquals(true, row != null, what + " is in the events table");
          assertEvent(c, row, pgEvents.get((long) offset), what);
        }
        case "dead" -> {
          expectedDead.merge(c.reason(), 1L, Long::sum);
          Row row = dead.get((long) offset);
          assertEquals(true, row != null, what + " is a dead letter");
          assertEquals(c.reason(), row.getAs("reason"), what + ": reason");
          assertArrayEquals(c.value(), (byte[]) row.getAs("raw_value"), what + ": raw bytes kept");
          assertArrayEquals(c.key(), (byte[]) row.getAs("raw_key"), what + ": raw key kept");
          assertNull(events.get((long) offset), what + " is not an event");
        }
        case "filtered" -> {
          expectedFiltered.merge(c.reason(), 1L, Long::sum);
          assertNull(events.get((long) offset), what + " is not an event");
          assertNull(dead.get((long) offset), what + " is not a dead letter");
        }
        case "late" -> {
          assertEquals(true, late.containsKey((long) offset), what + " is a late event");
          assertNull(events.get((long) offset), what + " is not an event");
        }
        default -> throw new AssertionError("unknown outcome in the manifest: " + c.outcome());
      }
    }
    assertEquals(events.size(), pgEvents.size(), "PostgreSQL holds the same events as Iceberg");

    // The accounting identity, exactly, from what the job recorded in PostgreSQL.
    long expectedEvents = corpus.stream().filter(c -> c.outcome().equals("event")).count();
    long expectedLate = corpus.stream().filter(c -> c.outcome().equals("late")).count();
    Accounting recorded = accounting();
    assertEquals(
        new Accounting(
            corpus.size(),
            expectedEvents,
            0,
            expectedLate,
            expectedDead.values().stream().mapToLong(Long::longValue).sum(),
            expectedFiltered.values().stream().mapToLong(Long::longValue).sum(),
            expectedDead,
            expectedFiltered),
        recorded);
    assertEquals(
        recorded.read(),
        recorded.events()
            + recorded.duplicates()
            + recorded.late()
            + recorded.dead()
            + recorded.filtered());

    Map<String, Map<String, Long>> perCategory = new TreeMap<>();
    for (Case c : corpus) {
      perCategory
          .computeIfAbsent(c.category(), k -> new TreeMap<>())
          .merge(c.outcome(), 1L, Long::sum);
    }
    System.out.printf(
        "[hostile] %d records; outcome per category: %s%n", corpus.size(), perCategory);
    System.out.printf("[hostile] dead letters by reason: %s%n", expectedDead);
  }

  @Test
  @Order(2)
  void step2_theJobKeepsProcessingAfterTheCorpus() throws Exception {
    String clean =
        "{\"url\":\"/after-the-storm\",\"host\":\"shop.example\",\"ip\":\"203.0.113.9\","
            + "\"event_time\":\"2020-05-01T11:00:00Z\"}";
    pipeline()
        .send(
            List.of(
                new Message(
                    null, clean.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis())));

    pipeline().runToCompletion();

    assertEquals(
        List.of("/after-the-storm"),
        TestSpark.session()
            .table(pipeline.table("events"))
            .where("kafka_offset = " + corpus.size())
            .select("url")
            .collectAsList()
            .stream()
            .map(r -> r.getString(0))
            .toList());
    assertEquals(corpus.size() + 1, accounting().read());
  }

  void assertEvent(Case c, Row iceberg, Map<String, Object> postgres, String what) {
    Map<String, Object> expected = c.fields();
    Instant eventTime = Instant.parse((String) expected.get("event_time"));
    assertEquals(eventTime, ((Timestamp) iceberg.getAs("event_time")).toInstant(), what);
    assertEquals(eventTime, ((Timestamp) postgres.get("event_time")).toInstant(), what + " (pg)");
    for (String field : List.of("url", "referrer", "host", "ip")) {
      assertEquals(expected.get(field), iceberg.getAs(field), what + ": Iceberg " + field);
      assertEquals(expected.get(field), postgres.get(field), what + ": PostgreSQL " + field);
    }
    for (String field : List.of("user_id", "academy_id")) {
      assertEquals(expected.get(field), iceberg.getAs(field), what + ": Iceberg " + field);
      assertEquals(expected.get(field), postgres.get(field), what + ": PostgreSQL " + field);
    }
    for (String field : List.of("user_agent", "headers", "event_id", "ua_family")) {
      if (expected.containsKey(field)) {
        assertEquals(expected.get(field), iceberg.getAs(field), what + ": Iceberg " + field);
      }
    }
    if (expected.containsKey("ua_family")) {
      assertEquals(expected.get("ua_family"), postgres.get("ua_family"), what + ": PG ua_family");
    }
  }

  Map<Long, Row> byOffset(String table) {
    return TestSpark.session().table(table).collectAsList().stream()
        .collect(Collectors.toMap(r -> (Long) r.getAs("kafka_offset"), r -> r));
  }

  Map<Long, Map<String, Object>> processedEvents() throws Exception {
    Map<Long, Map<String, Object>> rows = new HashMap<>();
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + pipeline.pgTable("processed_events"))) {
      while (rs.next()) {
        Map<String, Object> row = new HashMap<>();
        for (String column : PG_TEXT) {
          row.put(column, rs.getString(column));
        }
        row.put("event_time", rs.getTimestamp("event_time"));
        row.put("user_id", (Long) rs.getObject("user_id"));
        row.put("academy_id", (Long) rs.getObject("academy_id"));
        rows.put(rs.getLong("kafka_offset"), row);
      }
    }
    return rows;
  }

  record Accounting(
      long read,
      long events,
      long duplicates,
      long late,
      long dead,
      long filtered,
      Map<String, Long> deadByReason,
      Map<String, Long> filteredByReason) {}

  @SuppressWarnings("unchecked")
  Accounting accounting() throws Exception {
    ObjectMapper json = new ObjectMapper();
    long[] sums = new long[6];
    Map<String, Long> deadBy = new TreeMap<>();
    Map<String, Long> filteredBy = new TreeMap<>();
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT records_read, events, duplicates, late, dead_lettered, filtered,"
                    + " dead_by_reason::text, filtered_by_reason::text FROM "
                    + pipeline.pgTable("pipeline_batches"))) {
      while (rs.next()) {
        for (int i = 0; i < 6; i++) {
          sums[i] += rs.getLong(i + 1);
        }
        json.readValue(rs.getString(7), Map.class)
            .forEach((k, v) -> deadBy.merge((String) k, ((Number) v).longValue(), Long::sum));
        json.readValue(rs.getString(8), Map.class)
            .forEach((k, v) -> filteredBy.merge((String) k, ((Number) v).longValue(), Long::sum));
      }
    }
    return new Accounting(sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], deadBy, filteredBy);
  }

  static List<String> names(List<Case> cases) {
    List<String> names = new ArrayList<>();
    cases.forEach(c -> names.add(c.name()));
    return names;
  }
}
