package io.webtraffic.it;

import static io.webtraffic.testing.SqlRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.webtraffic.local.Await;
import io.webtraffic.local.SharedStack;
import io.webtraffic.testing.TestEvents;
import io.webtraffic.testing.TestPipeline;
import io.webtraffic.testing.TestPipeline.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress table against the batches' accounting and against what was sent: 12 records on one
 * partition, read 5 at a time, so the batches, their sizes and the Kafka lag after each are known
 * in advance.
 */
@ExtendWith(SharedStack.class)
class ProgressTableTest {
  static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));

  @TempDir static Path workDir;

  @Test
  void eachBatchsProgressRowEqualsItsAccounting() throws Exception {
    TestPipeline p =
        new TestPipeline(
            "progress",
            SharedStack.endpoints(),
            workDir,
            Map.of("kafka.max-offsets-per-trigger", "5"));
    SharedStack.kafka().createTopic(p.topic(), 1);
    // 12 records: 10 events, 1 re-send, 1 malformed.
    List<Message> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      records.add(
          TestEvents.event("10.0.1." + i, "www.example.io", T0.plusSeconds(i), "/p" + i, "Safari"));
    }
    records.add(records.get(3));
    records.add(new Message(null, "not json".getBytes(StandardCharsets.UTF_8), T0.toEpochMilli()));
    p.send(records);

    p.runToCompletion();

    try (Connection c = p.postgres()) {
      long batches = single(c, "SELECT count(*) FROM " + p.pgTable("pipeline_batches"));
      Await.until(
          () -> single(c, "SELECT count(*) FROM " + p.pgTable("pipeline_progress")) == batches,
          Duration.ofSeconds(30),
          "a progress row for each of the " + batches + " batches");
      // Per batch: Spark's input rows and the accounting agree, as do the copied counts and the
      // latency; the sinks got what the accounting says.
      assertEquals(
          List.of("0|5|5|5|0|0|7", "1|5|5|5|0|0|2", "2|2|2|0|1|1|0"),
          rows(
              c,
              "SELECT g.batch_id || '|' || g.num_input_rows || '|' || b.records_read || '|'"
                  + " || (g.sink_rows->>'iceberg.events') || '|' || b.duplicates || '|'"
                  + " || (g.sink_rows->>'iceberg.dead_letters') || '|' || g.kafka_max_offsets_behind"
                  + " FROM "
                  + p.pgTable("pipeline_progress")
                  + " g JOIN "
                  + p.pgTable("pipeline_batches")
                  + " b USING (query_id, batch_id) WHERE b.records_read > 0 ORDER BY g.batch_id"));
      assertEquals(
          0,
          single(
              c,
              "SELECT count(*) FROM "
                  + p.pgTable("pipeline_progress")
                  + " g JOIN "
                  + p.pgTable("pipeline_batches")
                  + " b USING (query_id, batch_id)"
                  + " WHERE (g.records_read, g.events, g.duplicates, g.late, g.dead_lettered, g.filtered,"
                  + " g.latency_p50_ms, g.latency_p99_ms, g.latency_max_ms)"
                  + " IS DISTINCT FROM (b.records_read, b.events, b.duplicates, b.late, b.dead_lettered,"
                  + " b.filtered, b.latency_p50_ms, b.latency_p99_ms, b.latency_max_ms)"));
      // Totals against what was sent.
      assertEquals(
          12, single(c, "SELECT sum(num_input_rows) FROM " + p.pgTable("pipeline_progress")));
      assertEquals(
          10,
          single(
              c,
              "SELECT sum((sink_rows->>'iceberg.events')::bigint) FROM "
                  + p.pgTable("pipeline_progress")));
      // Latency: ordered percentiles for batches with records, none without; phases measured.
      assertEquals(
          0,
          single(
              c,
              "SELECT count(*) FROM "
                  + p.pgTable("pipeline_progress")
                  + " WHERE CASE WHEN records_read > 0"
                  + " THEN NOT (0 <= latency_p50_ms AND latency_p50_ms <= latency_p95_ms"
                  + " AND latency_p95_ms <= latency_p99_ms AND latency_p99_ms <= latency_max_ms)"
                  + " ELSE latency_p50_ms IS NOT NULL END"
                  + " OR NOT (trigger_execution_ms >= add_batch_ms AND add_batch_ms > 0)"
                  + " OR watermark IS NULL OR state_rows IS NULL"));
    }
  }

  static long single(Connection c, String sql) {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
