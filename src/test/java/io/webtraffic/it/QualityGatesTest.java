package io.webtraffic.it;

import static io.webtraffic.testing.SqlRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.job.BatchReport;
import io.webtraffic.local.FreePorts;
import io.webtraffic.local.SharedStack;
import io.webtraffic.quality.DataQualityStop;
import io.webtraffic.testing.JobProcess;
import io.webtraffic.testing.TestEvents;
import io.webtraffic.testing.TestPipeline;
import io.webtraffic.testing.TestPipeline.Message;
import io.webtraffic.testing.TestSpark;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each data-quality action on a real run: record and warn keep the failed check's row and commit
 * the batch; stop ends the job (as its own process, exit code 4) before anything of the batch is in
 * Iceberg, PostgreSQL or Spark's commit log, stops again on a restart with the same settings, and
 * lets the batch through once the action is changed.
 */
@ExtendWith(SharedStack.class)
class QualityGatesTest {
  static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));

  @TempDir static Path workDir;

  /** n distinct valid events, one second apart, starting {@code from} seconds after T0. */
  static List<Message> events(int from, int n) {
    List<Message> m = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      m.add(
          TestEvents.event(
              "10.0.0." + i, "www.example.io", T0.plusSeconds(i), "/p" + i, "Firefox"));
    }
    return m;
  }

  static Message malformed(int i) {
    return new Message(
        null, ("{\"url\": \"/broken" + i).getBytes(StandardCharsets.UTF_8), T0.toEpochMilli());
  }

  static TestPipeline pipeline(String name, Map<String, String> settings) {
    return new TestPipeline(name, SharedStack.endpoints(), workDir, settings);
  }

  @Test
  void recordAndWarnKeepTheFailedChecksRowAndCommitTheBatch() throws Exception {
    TestPipeline p =
        pipeline(
            "dq_record",
            Map.of(
                "quality.dead-letter-share.max", "0.1",
                "quality.dead-letter-share.action", "record",
                "quality.duplicate-share.max", "0.1",
                "quality.duplicate-share.action", "warn"));
    SharedStack.kafka().createTopic(p.topic(), 1);
    // 10 records: 6 events, 2 byte-identical re-sends, 2 malformed.
    List<Message> records = new ArrayList<>(events(0, 6));
    records.add(records.get(0));
    records.add(records.get(1));
    records.add(malformed(0));
    records.add(malformed(1));
    p.send(records);

    List<BatchReport> reports = p.runToCompletion();

    BatchReport first = reports.get(0);
    assertEquals(10, first.counts().read());
    // 2 of 10 records lack every field (the default limit for that is 0.05, action warn).
    assertEquals(
        List.of("required-null-share", "dead-letter-share", "duplicate-share"),
        first.failedChecks());
    try (Connection c = p.postgres()) {
      assertEquals(
          List.of(
              "dead-letter-share|0.2|<= 0.1|record|false",
              "duplicate-share|0.2|<= 0.1|warn|false",
              "required-null-share|0.2|<= 0.05|warn|false"),
          rows(
              c,
              "SELECT check_name || '|' || value || '|' || threshold || '|' || action || '|' || passed"
                  + " FROM "
                  + p.pgTable("data_quality")
                  + " WHERE batch_id = 0 AND NOT passed ORDER BY 1"));
      // Committed anyway: the batch's accounting row, and every batch has all six checks.
      assertEquals(
          List.of("10|6|2|2"),
          rows(
              c,
              "SELECT records_read || '|' || events || '|' || duplicates || '|' || dead_lettered FROM "
                  + p.pgTable("pipeline_batches")
                  + " WHERE batch_id = 0"));
      assertEquals(
          List.of("6"),
          rows(
              c,
              "SELECT DISTINCT count(*) FROM " + p.pgTable("data_quality") + " GROUP BY batch_id"));
      assertEquals(
          rows(c, "SELECT count(*) FROM " + p.pgTable("pipeline_batches")),
          rows(c, "SELECT count(DISTINCT batch_id) FROM " + p.pgTable("data_quality")));
    }
    assertEquals(6, TestSpark.session().table(p.table("events")).count());
    assertEquals(2, TestSpark.session().table(p.table("dead_letters")).count());
  }

  @Test
  void stopCommitsNothingOfTheBatchAndExitsWithTheReason() throws Exception {
    int uiPort = FreePorts.pick();
    Map<String, String> stopping =
        Map.of(
            "quality.dead-letter-share.max", "0.3",
            "quality.dead-letter-share.action", "stop");
    TestPipeline p = pipeline("dq_stop", stopping);
    SharedStack.kafka().createTopic(p.topic(), 1);
    // 1. A clean batch of 10 events, with the job as its own process (UI and metrics on).
    p.send(events(0, 10));
    Map<String, String> service = new LinkedHashMap<>(p.flags());
    service.put("trigger", "1 second");
    service.put("spark.ui-enabled", "true");
    service.put("spark.ui-port", String.valueOf(uiPort));
    try (JobProcess job = JobProcess.start(service, workDir.resolve("dq_stop.log"))) {
      job.awaitOutput("batch 0: read 10 |", Duration.ofMinutes(3));

      // 2. Spark's metrics, as Prometheus scrapes them, include the streaming query's.
      String metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + uiPort + "/metrics/prometheus/"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertTrue(metrics.contains("spark_streaming_dq_stop_inputRate_total"), metrics);

      // 3. A batch with 4 malformed records of 10: dead-letter share 0.4 > 0.3 stops the job.
      List<Message> bad = new ArrayList<>(events(10, 6));
      for (int i = 0; i < 4; i++) {
        bad.add(malformed(i));
      }
      p.send(bad);
      assertEquals(4, job.awaitExit(Duration.ofMinutes(3)), job.tail());
      long stopped = last(p.checkpoint().resolve("offsets"));
      assertTrue(
          job.output()
              .contains(
                  "Stopped: Data-quality check failed with action stop at batch "
                      + stopped
                      + ": dead-letter-share = 0.4 (allowed <= 0.3; 4 of 10 records; dead letters"
                      + " by reason: {malformed_json=4})"),
          job.tail());
    }
    long stopped = last(p.checkpoint().resolve("offsets"));
    assertNothingOf(p, stopped);

    // 4. A restart with the same settings judges the same batch the same way.
    Exception again = assertThrows(Exception.class, p::runToCompletion);
    assertTrue(causes(again, DataQualityStop.class), again.toString());
    assertNothingOf(p, stopped);

    // 5. With the action changed to warn the batch goes through, once.
    Map<String, String> warning = new LinkedHashMap<>(stopping);
    warning.put("quality.dead-letter-share.action", "warn");
    pipeline("dq_stop", warning).runToCompletion();
    assertTrue(TestPipeline.batches(p.checkpoint().resolve("commits")).contains(stopped));
    assertEquals(16, TestSpark.session().table(p.table("events")).count());
    assertEquals(4, TestSpark.session().table(p.table("dead_letters")).count());
    try (Connection c = p.postgres()) {
      assertEquals(
          List.of("0.4|warn|false"),
          rows(
              c,
              "SELECT value || '|' || action || '|' || passed FROM "
                  + p.pgTable("data_quality")
                  + " WHERE check_name = 'dead-letter-share' AND batch_id = "
                  + stopped));
    }
  }

  /** Nothing of batch {@code b} anywhere but its data_quality rows; batches before it intact. */
  static void assertNothingOf(TestPipeline p, long b) throws Exception {
    assertFalse(TestPipeline.batches(p.checkpoint().resolve("commits")).contains(b));
    assertEquals(b - 1, last(p.checkpoint().resolve("commits")));
    assertEquals(10, TestSpark.session().table(p.table("events")).count());
    assertEquals(0, TestSpark.session().table(p.table("dead_letters")).count());
    for (String table : List.of("events", "dead_letters", "late_events", "hits_by_host")) {
      for (Row r :
          TestSpark.session()
              .sql("SELECT summary['pipeline.batch-id'] FROM " + p.table(table) + ".snapshots")
              .collectAsList()) {
        assertTrue(Long.parseLong(r.getString(0)) < b, table + " has a snapshot of batch " + b);
      }
    }
    try (Connection c = p.postgres()) {
      for (String table :
          List.of("pipeline_batches", "pipeline_ledger", "hits_by_host", "sessions")) {
        String column =
            table.equals("hits_by_host") || table.equals("sessions") ? "last_batch_id" : "batch_id";
        assertEquals(
            List.of("0"),
            rows(c, "SELECT count(*) FROM " + p.pgTable(table) + " WHERE " + column + " >= " + b),
            table);
      }
      assertEquals(List.of("10"), rows(c, "SELECT sum(hits) FROM " + p.pgTable("hits_by_host")));
      // The operator's explanation is durable: the stop row, outside the batch's transaction.
      assertEquals(
          List.of("0.4|<= 0.3|stop|false"),
          rows(
              c,
              "SELECT value || '|' || threshold || '|' || action || '|' || passed FROM "
                  + p.pgTable("data_quality")
                  + " WHERE check_name = 'dead-letter-share' AND batch_id = "
                  + b));
    }
  }

  static long last(Path log) throws Exception {
    List<Long> ids = TestPipeline.batches(log);
    return ids.get(ids.size() - 1);
  }

  static boolean causes(Throwable e, Class<?> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
