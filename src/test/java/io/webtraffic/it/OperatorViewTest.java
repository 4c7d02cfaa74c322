package io.webtraffic.it;

import static io.webtraffic.testing.PartitionedEvents.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webtraffic.job.BatchReport;
import io.webtraffic.local.Await;
import io.webtraffic.local.SharedStack;
import io.webtraffic.source.KafkaAdmin;
import io.webtraffic.source.KafkaOffsets;
import io.webtraffic.testing.AvailableNowRun;
import io.webtraffic.testing.CliProcess;
import io.webtraffic.testing.CliRun;
import io.webtraffic.testing.TestPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees of a running job, against real runs: {@code status} (table and JSON), the
 * position file, and the consumer group standard Kafka tooling reads. Expected offsets are the
 * numbers of records the test sent to each partition.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorViewTest {
  static final Instant T = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path workDir;
  TestPipeline pipeline;

  TestPipeline pipeline() {
    if (pipeline == null) {
      pipeline = new TestPipeline("ops_view", SharedStack.endpoints(), workDir, Map.of());
      SharedStack.kafka().createTopic(pipeline.topic(), 2);
    }
    return pipeline;
  }

  /** status with the pipeline's settings (only the Kafka ones and the checkpoint matter). */
  CliRun status(String... more) {
    List<String> args = statusArgs();
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  List<String> statusArgs() {
    return new ArrayList<>(
        List.of(
            "status",
            "--checkpoint",
            pipeline().checkpoint().toString(),
            "--set",
            "job-name=ops_view",
            "--set",
            "kafka.bootstrap-servers=" + SharedStack.endpoints().bootstrapServers(),
            "--set",
            "kafka.topic=" + pipeline().topic()));
  }

  static Instant at(int seconds) {
    return T.plusSeconds(seconds);
  }

  KafkaOffsets offsets(long p0, long p1) {
    return new KafkaOffsets(
        Map.of(
            new TopicPartition(pipeline().topic(), 0), p0,
            new TopicPartition(pipeline().topic(), 1), p1));
  }

  void awaitConsumerGroup(KafkaOffsets expected) throws Exception {
    try (KafkaAdmin kafka = KafkaAdmin.connect(pipeline().config().kafka())) {
      Await.until(
          () -> kafka.committed("webtraffic-pipeline.ops_view").equals(expected),
          Duration.ofSeconds(30),
          "consumer group webtraffic-pipeline.ops_view at " + expected);
    }
  }

  @Test
  @Order(1)
  void step1_afterARunStatusShowsTheCommittedOffsetsAndWritesThePosition() throws Exception {
    send(SharedStack.endpoints(), pipeline().topic(), 0, at(0), at(1), at(2));
    send(SharedStack.endpoints(), pipeline().topic(), 1, at(3), at(4), at(5), at(6), at(7));
    List<BatchReport> run = AvailableNowRun.run(pipeline().config());
    long lastBatch = run.get(run.size() - 1).batchId();

    CliRun r = status("--json");

    assertEquals(0, r.code(), r.err());
    JsonNode status = JSON.readTree(r.out());
    JsonNode position = status.get("position");
    assertEquals("ops_view", position.get("job").asText());
    assertEquals(lastBatch, position.get("batchId").asLong());
    assertEquals(
        JSON.readTree("{\"" + pipeline().topic() + "\":{\"0\":3,\"1\":5}}"),
        position.get("offsets"));
    assertEquals(
        JSON.readTree(
            "[{\"topic\":\"topic-ops_view\",\"partition\":0,\"committed\":3,\"logStart\":0,"
                + "\"end\":3,\"lag\":0,\"agedOut\":0},"
                + "{\"topic\":\"topic-ops_view\",\"partition\":1,\"committed\":5,\"logStart\":0,"
                + "\"end\":5,\"lag\":0,\"agedOut\":0}]"),
        status.get("partitions"));
    assertEquals(0, status.get("totalLag").asLong());
    assertEquals(-1, status.get("pendingBatchId").asLong());
    // The batch's times and the watermark are instants: planned before it committed.
    assertFalse(
        Instant.parse(position.get("batchPlannedAt").asText())
            .isAfter(Instant.parse(position.get("batchCommittedAt").asText())));
    // 10 minutes (the default delay) behind the latest event time, 7 s after T.
    assertEquals(
        at(7).minus(Duration.ofMinutes(10)).toString(), position.get("watermark").asText());

    // The position file, next to the checkpoint, holds the same position.
    Path file = workDir.resolve("ops_view-position.json");
    assertEquals(file.toString(), status.get("positionFile").asText());
    assertEquals(position, JSON.readTree(Files.readString(file)));

    // Standard Kafka tooling sees the same offsets in the job's consumer group.
    awaitConsumerGroup(offsets(3, 5));
  }

  @Test
  @Order(2)
  void step2_recordsSentSinceTheRunShowAsLagPerPartition() throws Exception {
    send(SharedStack.endpoints(), pipeline().topic(), 0, at(8), at(9));
    send(SharedStack.endpoints(), pipeline().topic(), 1, at(10));
    Path elsewhere = workDir.resolve("exports/ops.json");

    CliRun r = status("--position-file", elsewhere.toString());

    assertEquals(0, r.code(), r.err());
    List<List<String>> rows =
        r.out()
            .lines()
            .filter(l -> l.startsWith("topic-ops_view") || l.startsWith("total"))
            .map(l -> List.of(l.trim().split("\\s+")))
            .toList();
    assertEquals(
        List.of(
            List.of("topic-ops_view", "0", "3", "0", "5", "2"),
            List.of("topic-ops_view", "1", "5", "0", "6", "1"),
            List.of("total", "8", "11", "3")),
        rows);
    assertTrue(r.out().contains("Position written to " + elsewhere), r.out());
    assertEquals(
        JSON.readTree("{\"topic-ops_view\":{\"0\":3,\"1\":5}}"),
        JSON.readTree(Files.readString(elsewhere)).get("offsets"));
  }

  @Test
  @Order(3)
  void step2b_statusInItsOwnProcessReadsTheSameOffsetsWithoutLoadingSparkOrHadoop()
      throws Exception {
    Path dir = workDir.resolve("status-process");
    Path classes = dir.resolve("classes.log");
    List<String> args = statusArgs();

    CliProcess r =
        CliProcess.run(
            dir,
            List.of("-Xlog:class+load=info:file=" + classes),
            "",
            Duration.ofMinutes(1),
            args.toArray(String[]::new));

    assertEquals(0, r.code(), r.where());
    assertEquals(
        List.of(
            List.of("topic-ops_view", "0", "3", "0", "5", "2"),
            List.of("topic-ops_view", "1", "5", "0", "6", "1"),
            List.of("total", "8", "11", "3")),
        r.out()
            .lines()
            .filter(l -> l.startsWith("topic-ops_view") || l.startsWith("total"))
            .map(l -> List.of(l.trim().split("\\s+")))
            .toList(),
        r.where());
    List<String> loaded = Files.readAllLines(classes);
    assertTrue(loaded.size() > 1000, "class-load log " + classes);
    assertEquals(
        List.of(),
        loaded.stream()
            .filter(l -> l.contains(" org.apache.spark.") || l.contains(" org.apache.hadoop."))
            .limit(5)
            .toList(),
        "status loaded Spark or Hadoop classes (all in " + classes + ")");
  }

  @Test
  @Order(4)
  void step3_theNextRunMovesTheConsumerGroupAndClearsTheLag() throws Exception {
    AvailableNowRun.run(pipeline().config());

    JsonNode status = JSON.readTree(status("--json").out());

    assertEquals(0, status.get("totalLag").asLong());
    assertEquals(
        JSON.readTree("{\"topic-ops_view\":{\"0\":5,\"1\":6}}"),
        status.get("position").get("offsets"));
    awaitConsumerGroup(offsets(5, 6));
  }

  @Test
  @Order(5)
  void aMissingCheckpointIsOneLineAndExitCode3() {
    Path missing = workDir.resolve("no-such-checkpoint");

    CliRun r =
        CliRun.of(
            "status",
            "--checkpoint",
            missing.toString(),
            "--set",
            "kafka.bootstrap-servers=" + SharedStack.endpoints().bootstrapServers());

    assertEquals(3, r.code());
    assertEquals(
        "No checkpoint at " + missing + ": the job has not run with it yet", r.err().strip());
    assertEquals("", r.out());
    assertFalse(Files.exists(workDir.resolve("webtraffic-position.json")));
  }
}
