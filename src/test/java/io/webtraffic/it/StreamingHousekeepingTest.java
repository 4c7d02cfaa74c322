package io.webtraffic.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webtraffic.job.SparkSessions;
import io.webtraffic.local.SharedStack;
import io.webtraffic.maintain.Maintenance;
import io.webtraffic.maintain.Reconcile;
import io.webtraffic.sink.IcebergTables;
import io.webtraffic.testing.TestEvents;
import io.webtraffic.testing.TestPipeline;
import io.webtraffic.testing.TestPipeline.Message;
import io.webtraffic.testing.TestSpark;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One pipeline on a JDBC catalog in the shared PostgreSQL, through its life: far-apart duplicates
 * arrive, a field is promoted on the running checkpoint, maintain runs while the job writes, and
 * reconcile removes exactly the duplicates the watermark could not see.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamingHousekeepingTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant HOUR =
      Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(4));
  static final Instant TWO_HOURS_LATER = HOUR.plus(Duration.ofHours(2));
  static final String NAME = "housekeeping";

  @TempDir static Path workDir;

  static Map<String, String> settings(Map<String, String> more) {
    Map<String, String> s = new HashMap<>();
    s.put("iceberg.catalog-type", "jdbc");
    s.put("iceberg.catalog-name", "pg");
    s.put("iceberg.warehouse", workDir.resolve("warehouse").toString());
    s.put("event-time.watermark-delay", "1 minute");
    s.put("maintenance.closed-margin", "1 minute");
    s.putAll(more);
    return s;
  }

  TestPipeline pipeline(Map<String, String> more) {
    TestPipeline p = new TestPipeline(NAME, SharedStack.endpoints(), workDir, settings(more));
    SparkSessions.catalogSettings(p.config()).forEach(TestSpark.session().conf()::set);
    return p;
  }

  static Message event(String id, Instant time, String campaign) throws Exception {
    Message m = TestEvents.event("10.0.0.1", "a.io", time, "/p/" + id, "Chrome");
    ObjectNode json = (ObjectNode) JSON.readTree(m.value());
    if (!id.isEmpty()) {
      json.put("event_id", id);
    }
    if (campaign != null) {
      json.put("campaign", campaign);
    }
    return new Message(null, JSON.writeValueAsBytes(json), m.timestampMs());
  }

  static Instant at(Instant hour, int minute) {
    return hour.plus(Duration.ofMinutes(minute));
  }

  @Test
  @Order(1)
  void step1_farApartCopiesOfAnEventBothLandInTheEventsTable() throws Exception {
    TestPipeline p = pipeline(Map.of());
    SharedStack.kafka().createTopic(p.topic(), 1);
    p.send(
        List.of(
            event("a", at(HOUR, 5), "c1"),
            event("b", at(HOUR, 6), null),
            event("c", at(HOUR, 30), null),
            event("", at(HOUR, 31), null)));
    p.runToCompletion();
    // The watermark is now HOUR+29: a's state (kept until its time plus the delay) is gone.
    p.send(
        List.of(
            event("a", at(HOUR, 40), null), // far-apart copy: kept, a duplicate in the table
            event("b", at(HOUR, 20), null), // behind the watermark: late
            event("e", at(HOUR, 45), null),
            event("e", at(HOUR, 46), null))); // a copy within the watermark: dropped
    p.runToCompletion();
    assertEquals(6, count("SELECT count(*) FROM " + p.table(IcebergTables.EVENTS)));
    assertEquals(
        2,
        count("SELECT count(*) FROM " + p.table(IcebergTables.EVENTS) + " WHERE event_id = 'a'"));
    try (Connection c = p.postgres();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM iceberg_tables WHERE catalog_name = 'pg'"
                        + " AND table_namespace = '"
                        + NAME
                        + "'")) {
      rs.next();
      assertEquals(IcebergTables.ALL.size(), rs.getInt(1), "the tables are in the JDBC catalog");
    }
  }

  @Test
  @Order(2)
  void step2_aPromotedFieldOnTheSameCheckpointWhileMaintainRunsBesideTheJob() throws Exception {
    TestPipeline p =
        pipeline(
            Map.of(
                "iceberg.promoted-fields", "campaign:string",
                "kafka.max-offsets-per-trigger", "1"));
    p.send(
        List.of(
            event("f", at(TWO_HOURS_LATER, 10), "spring"),
            event("g", at(TWO_HOURS_LATER, 11), "autumn"),
            event("k", at(TWO_HOURS_LATER, 12), null)));
    SparkSession spark = TestSpark.session();
    StreamingQuery query = p.start();
    assertTrue(query.isActive());
    // Beside the running job: the hours it closed are compacted while it commits its batches.
    new Maintenance(p.config()).run(spark);
    assertTrue(query.awaitTermination(TimeUnit.MINUTES.toMillis(3)));
    assertTrue(query.exception().isEmpty(), () -> query.exception().get().toString());

    String events = p.table(IcebergTables.EVENTS);
    assertEquals(
        List.of(
            "a null",
            "a null",
            "b null",
            "c null",
            "e null",
            "f spring",
            "g autumn",
            "k null",
            "null null"),
        spark
            .sql(
                "SELECT event_id, campaign FROM "
                    + events
                    + " ORDER BY event_id NULLS LAST, event_time")
            .collectAsList()
            .stream()
            .map(r -> r.get(0) + " " + r.get(1))
            .toList(),
        "new rows have the column, older ones read null (their payload still has it)");
    try (Connection c = p.postgres();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT sum(records_read), sum(events), sum(duplicates), sum(late) FROM "
                        + p.pgTable("pipeline_batches"))) {
      rs.next();
      assertEquals(
          List.of(11L, 9L, 1L, 1L),
          List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
    }
  }

  @Test
  @Order(3)
  void step3_reconcileRemovesExactlyTheFarApartCopyAndASecondRunChangesNothing() throws Exception {
    TestPipeline p = pipeline(Map.of());
    SparkSession spark = TestSpark.session();
    String events = p.table(IcebergTables.EVENTS);
    Reconcile reconcile = new Reconcile(p.config());

    List<Reconcile.HourReport> first = reconcile.run(spark, HOUR, TWO_HOURS_LATER);
    assertEquals(
        List.of(
            new Reconcile.HourReport(HOUR, 6, 1),
            new Reconcile.HourReport(HOUR.plus(Duration.ofHours(1)), 0, 0)),
        first);
    assertEquals(
        List.of(at(HOUR, 5).toString()),
        spark
            .sql("SELECT event_time FROM " + events + " WHERE event_id = 'a'")
            .collectAsList()
            .stream()
            .map(r -> r.getTimestamp(0).toInstant().toString())
            .toList(),
        "the copy that reached Kafka first is kept");
    assertEquals(8, count("SELECT count(*) FROM " + events));
    long snapshot = Spark3Util.loadIcebergTable(spark, events).currentSnapshot().snapshotId();

    assertEquals(
        List.of(new Reconcile.HourReport(HOUR, 5, 0)),
        reconcile.run(spark, HOUR, HOUR.plus(Duration.ofHours(1))));
    assertEquals(
        snapshot,
        Spark3Util.loadIcebergTable(spark, events).currentSnapshot().snapshotId(),
        "nothing written");

    IllegalArgumentException open =
        assertThrows(
            IllegalArgumentException.class,
            () -> reconcile.run(spark, TWO_HOURS_LATER, TWO_HOURS_LATER.plus(Duration.ofHours(1))));
    assertTrue(
        open.getMessage()
            .startsWith(
                "Cannot reconcile up to "
                    + TWO_HOURS_LATER.plus(Duration.ofHours(1))
                    + ": only partitions before "
                    + TWO_HOURS_LATER
                    + " are closed"),
        open.getMessage());
  }

  static long count(String sql) {
    Row r = TestSpark.session().sql(sql).first();
    return r.getLong(0);
  }
}
