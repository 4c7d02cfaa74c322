package io.webtraffic.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webtraffic.config.FaultPoint;
import io.webtraffic.job.BatchReport;
import io.webtraffic.local.Await;
import io.webtraffic.local.SharedStack;
import io.webtraffic.ops.FaultInjection;
import io.webtraffic.sink.IcebergTables;
import io.webtraffic.sink.PostgresSink;
import io.webtraffic.testing.JobProcess;
import io.webtraffic.testing.TestPipeline;
import io.webtraffic.testing.TestSpark;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BinaryType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kills the job for real, as its own process, at every dangerous point of a micro-batch and at a
 * random moment, restarts it from the same checkpoint, and compares every table, Iceberg and
 * PostgreSQL, row for row with a run of the same records that never failed. The rate limit makes
 * both runs cut the topic into the same batches, so even the batch ids must match.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillAndRestartTest {
  static final String TOPIC = "topic-recovery";
  static final long RECORDS = 600;
  static final int HALT_BATCH = 1;
  static final List<String> ICEBERG_TABLES = IcebergTables.ALL;
  static final List<String> POSTGRES_TABLES = PostgresSink.TABLES;

  @TempDir static Path workDir;
  Map<String, List<String>> expected;

  static Map<String, String> settings() {
    return settings(TOPIC);
  }

  /** The settings of every run of these records: 150 per batch, so the batches are the same. */
  static Map<String, String> settings(String topic) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("kafka.topic", topic);
    s.put("kafka.max-offsets-per-trigger", "150");
    s.put("event-time.watermark-delay", "1 minute");
    s.put("windows.sliding-slide", "5 minutes");
    s.put("windows.session-gap", "2 minutes");
    s.put("windows.count-size", "20");
    s.put("postgres.upsert-events", "true");
    return s;
  }

  @BeforeAll
  void runTheReferenceThatNeverFails() throws Exception {
    SharedStack.kafka().createTopic(TOPIC, 2);
    List<TestPipeline.Message> messages = PipelineEndToEndTest.messagesOfTheLastHours(11, RECORDS);
    TestPipeline reference = pipeline("reference");
    reference.send(messages);
    reference.runToCompletion();
    expected = tables(reference, -1);
    assertTrue(expected.get("iceberg events").size() > 400, "the reference has events");
    assertTrue(expected.get("iceberg late_events").size() > 5, "and late events");
    assertTrue(expected.get("postgres pipeline_batches").size() >= 5, "over several batches");
  }

  @ParameterizedTest
  @EnumSource(FaultPoint.class)
  void haltedAtANamedPointThenRestartedEveryTableIsExact(FaultPoint point) throws Exception {
    TestPipeline pipeline = pipeline("halt_" + point.name().toLowerCase());
    Map<String, String> faulty = new LinkedHashMap<>(pipeline.flags());
    faulty.put("fault-injection.halt-at", point.configName());
    faulty.put("fault-injection.batch", String.valueOf(HALT_BATCH));
    try (JobProcess job = JobProcess.start(faulty, workDir.resolve(point + ".log"))) {
      assertEquals(FaultInjection.EXIT_CODE, job.awaitExit(Duration.ofMinutes(4)), job.tail());
      assertTrue(
          job.output().contains("Halting at " + point.configName() + " in batch " + HALT_BATCH),
          job.tail());
    }
    long killedRunCommitted = lastCommitted(pipeline);
    System.out.printf(
        "[recovery] %s halted: %d records accounted in PostgreSQL, %d events in Iceberg%n",
        point.configName(), recordsAccounted(pipeline), eventsInIceberg(pipeline));

    pipeline.runToCompletion();

    assertTablesEqualTheReference(pipeline, killedRunCommitted);
  }

  /** The last batch whose commit Spark wrote in the checkpoint, or -1. */
  static long lastCommitted(TestPipeline pipeline) throws java.io.IOException {
    Path commits = pipeline.checkpoint().resolve("commits");
    if (!java.nio.file.Files.isDirectory(commits)) {
      return -1;
    }
    List<Long> batches = TestPipeline.batches(commits);
    return batches.isEmpty() ? -1 : batches.get(batches.size() - 1);
  }

  static long recordsAccounted(TestPipeline pipeline) throws java.sql.SQLException {
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement()) {
      String sum =
          lines(
                  st,
                  "SELECT coalesce(sum(records_read), 0)::text FROM "
                      + pipeline.pgTable("pipeline_batches"))
              .get(0);
      return Long.parseLong(sum);
    }
  }

  static long eventsInIceberg(TestPipeline pipeline) {
    return TestSpark.session().table(pipeline.table("events")).count();
  }

  @Test
  void killedAfterARandomBatchThenRestartedEveryTableIsExact() throws Exception {
    long seed = System.nanoTime();
    int batch = new Random(seed).nextInt(3);
    System.out.printf("[recovery] SIGKILL after batch %d's report (seed %d)%n", batch, seed);
    TestPipeline pipeline = pipeline("sigkill");
    try (JobProcess job = JobProcess.start(pipeline.flags(), workDir.resolve("sigkill.log"))) {
      job.awaitOutput("batch " + batch + ":", Duration.ofMinutes(4));
      job.kill();
    }
    long killedRunCommitted = lastCommitted(pipeline);

    pipeline.runToCompletion();

    assertTablesEqualTheReference(pipeline, killedRunCommitted);
  }

  @Test
  void sigtermFinishesTheBatchExitsZeroAndLeavesNothingToReplay() throws Exception {
    TestPipeline pipeline = pipeline("sigterm");
    // A long-running job, as a service manager runs it: a processing-time trigger.
    Map<String, String> service = new LinkedHashMap<>(pipeline.flags());
    service.put("trigger", "1 second");
    try (JobProcess job = JobProcess.start(service, workDir.resolve("sigterm.log"))) {
      job.awaitOutput("batch 0:", Duration.ofMinutes(4));
      job.terminate();
      assertEquals(0, job.awaitExit(Duration.ofMinutes(4)), job.tail());
      assertTrue(job.output().contains("Job 'sigterm' stopped"), job.tail());
    }
    // Every batch Spark planned was committed: the offset log has no batch without a commit.
    List<Long> committed = TestPipeline.batches(pipeline.checkpoint().resolve("commits"));
    assertEquals(
        TestPipeline.batches(pipeline.checkpoint().resolve("offsets")),
        committed,
        "planned batches = committed batches");

    List<BatchReport> rest = pipeline.runToCompletion();

    assertTrue(
        rest.isEmpty() || rest.get(0).batchId() == committed.get(committed.size() - 1) + 1,
        "the restart starts with a new batch, it replays none");
    // A clean stop drains Spark's listener bus before exiting, so no report may be missing.
    assertTablesEqualTheReference(pipeline, -1);
  }

  TestPipeline pipeline(String name) {
    return new TestPipeline(name, SharedStack.endpoints(), workDir, settings());
  }

  /**
   * Compares every table with the reference. Spark's drop count is a progress metric that reaches
   * {@code pipeline_batches} just after Spark commits a batch, so a batch the killed run committed
   * may have lost it with the process (nothing replays a committed batch); only for those batches,
   * and only if it is missing, that one column is left out of the comparison.
   */
  void assertTablesEqualTheReference(TestPipeline pipeline, long killedRunCommitted)
      throws Exception {
    Map<String, List<String>> actual = tables(pipeline, killedRunCommitted);
    Set<Long> unreported = unreportedBatches(pipeline);
    assertTrue(
        unreported.stream().allMatch(b -> b <= killedRunCommitted),
        "only batches committed before the kill may lack Spark's drop count: " + unreported);
    for (String table : expected.keySet()) {
      List<String> want = expected.get(table);
      List<String> got = actual.get(table);
      if (table.equals("postgres pipeline_batches")) {
        want = withoutDropCount(want, unreported);
        got = withoutDropCount(got, unreported);
      }
      assertEquals(want, got, table);
    }
    if (!unreported.isEmpty()) {
      System.out.printf(
          "[recovery] Spark's drop count was lost with the killed process for batch %s%n",
          unreported);
    }
    System.out.printf(
        "[recovery] %s: %d events, %d late, %d dead letters, %d sessions, %d batches:"
            + " every table equals the reference%n",
        pipeline.flags().get("job-name"),
        actual.get("iceberg events").size(),
        actual.get("iceberg late_events").size(),
        actual.get("iceberg dead_letters").size(),
        actual.get("iceberg sessions").size(),
        actual.get("postgres pipeline_batches").size());
  }

  /**
   * Every table as sorted lines of text, without what differs by run (query id, job name, time).
   */
  static Map<String, List<String>> tables(TestPipeline pipeline, long killedRunCommitted)
      throws Exception {
    Map<String, List<String>> tables = new TreeMap<>();
    for (String table : ICEBERG_TABLES) {
      Dataset<Row> rows = TestSpark.session().table(pipeline.table(table));
      Column[] readable =
          Arrays.stream(rows.schema().fields())
              .map(
                  f ->
                      f.dataType() instanceof BinaryType
                          ? functions.base64(functions.col(f.name())).as(f.name())
                          : functions.col(f.name()))
              .toArray(Column[]::new);
      tables.put(
          "iceberg " + table,
          rows.select(readable).collectAsList().stream().map(Row::toString).sorted().toList());
    }
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement()) {
      // Spark's drop counts arrive from the progress listener just after each batch.
      Await.until(
          () ->
              lines(
                      st,
                      "SELECT 1 FROM "
                          + pipeline.pgTable("pipeline_batches")
                          + " WHERE spark_dropped_by_watermark IS NULL AND batch_id > "
                          + killedRunCommitted)
                  .isEmpty(),
          Duration.ofSeconds(30),
          "the progress listener to report every batch");
      for (String table : POSTGRES_TABLES) {
        if (table.equals("pipeline_progress")) {
          continue; // timings of each run, and lost with a killed process like the drop count
        }
        tables.put(
            "postgres " + table,
            lines(
                st,
                "SELECT (to_jsonb(t) - 'query_id' - 'committed_at' - 'job_name' - 'evaluated_at'"
                    + " - 'latency_p50_ms' - 'latency_p95_ms' - 'latency_p99_ms'"
                    + " - 'latency_max_ms')::text FROM "
                    + pipeline.pgTable(table)
                    + " t"));
      }
    }
    return tables;
  }

  static Set<Long> unreportedBatches(TestPipeline pipeline) throws java.sql.SQLException {
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement()) {
      return lines(
              st,
              "SELECT batch_id::text FROM "
                  + pipeline.pgTable("pipeline_batches")
                  + " WHERE spark_dropped_by_watermark IS NULL")
          .stream()
          .map(Long::parseLong)
          .collect(Collectors.toSet());
    }
  }

  /** The rows of pipeline_batches, re-serialised, without the drop count of the given batches. */
  static List<String> withoutDropCount(List<String> rows, Set<Long> batches) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> out = new ArrayList<>();
    for (String row : rows) {
      ObjectNode node = (ObjectNode) json.readTree(row);
      if (batches.contains(node.get("batch_id").asLong())) {
        node.remove("spark_dropped_by_watermark");
      }
      out.add(json.writeValueAsString(node));
    }
    return out.stream().sorted().toList();
  }

  static List<String> lines(Statement st, String sql) {
    List<String> lines = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        lines.add(rs.getString(1));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return lines.stream().sorted().toList();
  }
}
