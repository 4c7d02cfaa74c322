package io.webtraffic.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.local.Await;
import io.webtraffic.local.EmbeddedKafka;
import io.webtraffic.local.SharedStack;
import io.webtraffic.local.StackEndpoints;
import io.webtraffic.testing.TcpProxy;
import io.webtraffic.testing.TestEvents;
import io.webtraffic.testing.TestPipeline;
import io.webtraffic.testing.TestSpark;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's dependencies fail under it: PostgreSQL becomes unreachable (through a proxy that cuts
 * every connection) for shorter and for longer than the commit retries, and the Kafka broker
 * restarts. Every record must land exactly once: 50 events before the fault, 70 during it.
 */
@ExtendWith(SharedStack.class)
class DependencyFaultsTest {
  static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
  static final int BEFORE = 50;
  static final int DURING = 70;
  static final Duration WAIT = Duration.ofMinutes(3);

  @TempDir Path workDir;

  /** Distinct valid events, one a second from {@code T0 + first} seconds. */
  static List<TestPipeline.Message> events(int first, int count) {
    List<TestPipeline.Message> events = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      events.add(
          TestEvents.event(
              "10.0.0." + (i % 7),
              "www.example-academy.io",
              T0.plusSeconds(i),
              "/p/" + i,
              "Chrome"));
    }
    return events;
  }

  TestPipeline pipeline(String name, StackEndpoints stack, Map<String, String> more) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("trigger", "500 milliseconds");
    settings.putAll(more);
    TestPipeline pipeline = new TestPipeline(name, stack, workDir, settings);
    return pipeline;
  }

  @Test
  void aPostgresOutageShorterThanTheRetriesHoldsTheBatchAndLosesNothing() throws Exception {
    try (TcpProxy proxy = TcpProxy.start(SharedStack.postgres().port())) {
      TestPipeline pipeline =
          pipeline(
              "postgres_short_outage",
              SharedStack.endpoints(),
              Map.of(
                  "postgres.url",
                  "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres",
                  "postgres.commit-retries",
                  "50",
                  "postgres.retry-backoff",
                  "200 milliseconds"));
      SharedStack.kafka().createTopic(pipeline.topic(), 2);
      StreamingQuery query = pipeline.start();
      try {
        pipeline.send(events(0, BEFORE));
        awaitAccounted(pipeline, BEFORE);

        proxy.down();
        pipeline.send(events(BEFORE, DURING));
        Await.until(() -> proxy.refused() >= 3, WAIT, "the job to retry its PostgreSQL commit");
        assertTrue(query.isActive(), "the batch waits for PostgreSQL instead of failing");
        proxy.up();

        awaitAccounted(pipeline, BEFORE + DURING);
      } finally {
        query.stop();
      }
      assertEveryEventOnce(pipeline, BEFORE + DURING);
    }
  }

  @Test
  void aPostgresOutageLongerThanTheRetriesStopsTheJobAndARestartCompletesIt() throws Exception {
    try (TcpProxy proxy = TcpProxy.start(SharedStack.postgres().port())) {
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("postgres.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres");
      settings.put("postgres.commit-retries", "2");
      settings.put("postgres.retry-backoff", "100 milliseconds");
      TestPipeline pipeline = pipeline("postgres_long_outage", SharedStack.endpoints(), settings);
      SharedStack.kafka().createTopic(pipeline.topic(), 2);
      StreamingQuery query = pipeline.start();
      try {
        pipeline.send(events(0, BEFORE));
        awaitAccounted(pipeline, BEFORE);
        proxy.down();
        pipeline.send(events(BEFORE, DURING));

        StreamingQueryException failure =
            assertThrows(
                StreamingQueryException.class, () -> query.awaitTermination(WAIT.toMillis()));
        // Whichever step of the next batch meets the outage first (the quality gate's read of
        // earlier volumes, or the commit of a batch without records) retries, then stops the job.
        assertTrue(
            failure.getMessage().contains("PostgreSQL at " + settings.get("postgres.url"))
                && failure.getMessage().contains("after 2 retries"),
            failure.getMessage());
      } finally {
        query.stop();
      }

      // The same job (checkpoint, tables), restarted once PostgreSQL is back.
      proxy.up();
      settings.put("trigger", "availableNow");
      pipeline("postgres_long_outage", SharedStack.endpoints(), settings).runToCompletion();

      assertEveryEventOnce(pipeline, BEFORE + DURING);
    }
  }

  @Test
  void aKafkaBrokerRestartedUnderARunningJobLosesNothing() throws Exception {
    Path kafkaDir = workDir.resolve("kafka");
    EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir, 0);
    try {
      StackEndpoints stack = SharedStack.endpoints().withBootstrapServers(kafka.bootstrapServers());
      TestPipeline pipeline = pipeline("kafka_restart", stack, Map.of());
      kafka.createTopic(pipeline.topic(), 2);
      StreamingQuery query = pipeline.start();
      try {
        pipeline.send(events(0, BEFORE));
        awaitAccounted(pipeline, BEFORE);

        int port = kafka.port();
        kafka.close();
        kafka = EmbeddedKafka.start(kafkaDir, port);
        pipeline.send(events(BEFORE, DURING));

        awaitAccounted(pipeline, BEFORE + DURING);
        assertTrue(query.isActive(), "the job kept running through the restart");
      } finally {
        query.stop();
      }
      assertEveryEventOnce(pipeline, BEFORE + DURING);
    } finally {
      kafka.close();
    }
  }

  static void awaitAccounted(TestPipeline pipeline, long records) throws Exception {
    Await.until(
        () -> accounting(pipeline)[0] >= records,
        WAIT,
        records + " records in " + pipeline.pgTable("pipeline_batches"));
  }

  /** Records read, events, hits over all windows, batches, ledger rows. */
  static long[] accounting(TestPipeline pipeline) {
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT (SELECT coalesce(sum(records_read), 0) FROM "
                    + pipeline.pgTable("pipeline_batches")
                    + "), (SELECT coalesce(sum(events), 0) FROM "
                    + pipeline.pgTable("pipeline_batches")
                    + "), (SELECT coalesce(sum(hits), 0) FROM "
                    + pipeline.pgTable("hits_by_host")
                    + "), (SELECT count(*) FROM "
                    + pipeline.pgTable("pipeline_batches")
                    + "), (SELECT count(*) FROM "
                    + pipeline.pgTable("pipeline_ledger")
                    + ")")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)};
    } catch (java.sql.SQLException e) {
      // Tables not created yet.
      return new long[] {0, 0, 0, 0, 0};
    }
  }

  static void assertEveryEventOnce(TestPipeline pipeline, long n) {
    long[] pg = accounting(pipeline);
    assertEquals(n, pg[0], "PostgreSQL: records read");
    assertEquals(n, pg[1], "PostgreSQL: events");
    assertEquals(n, pg[2], "PostgreSQL: hits over all windows, each event counted once");
    assertEquals(pg[3], pg[4], "one ledger row per accounted batch");
    var events = TestSpark.session().table(pipeline.table("events"));
    assertEquals(n, events.count(), "Iceberg events");
    assertEquals(n, events.select("dedup_key").distinct().count(), "no event twice");
  }
}
