package io.webtraffic.it;

import static io.webtraffic.testing.PartitionedEvents.inEventsTable;
import static io.webtraffic.testing.PartitionedEvents.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webtraffic.local.SharedStack;
import io.webtraffic.source.KafkaDataLoss;
import io.webtraffic.testing.AvailableNowRun;
import io.webtraffic.testing.CliRun;
import io.webtraffic.testing.TestPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offsets that aged out while the job was stopped, made cheaply by deleting records below the
 * checkpoint's position: with the default {@code fail-on-data-loss=true} the job refuses to go on
 * and says where and what to do, both before Spark starts and when Spark itself hits the gap; with
 * {@code false} it skips exactly the lost records.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataLossTest {
  static final Instant T = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));
  static final String WAYS_ON =
      "Replay from a point in time with scripts/pipeline rewind --to <instant>, or skip the lost"
          + " records with --set kafka.fail-on-data-loss=false";

  @TempDir static Path workDir;
  TestPipeline pipeline;

  TestPipeline pipeline() {
    if (pipeline == null) {
      pipeline = new TestPipeline("data_loss", SharedStack.endpoints(), workDir, Map.of());
      SharedStack.kafka().createTopic(pipeline.topic(), 2);
    }
    return pipeline;
  }

  static Instant at(int seconds) {
    return T.plusSeconds(seconds);
  }

  String[] cli(String command, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                command,
                "--checkpoint",
                pipeline().checkpoint().toString(),
                "--set",
                "job-name=data_loss",
                "--set",
                "kafka.bootstrap-servers=" + SharedStack.endpoints().bootstrapServers(),
                "--set",
                "kafka.topic=" + pipeline().topic()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  @Order(1)
  void step1_recordsBelowTheCheckpointsPositionAreDeleted() throws Exception {
    send(SharedStack.endpoints(), pipeline().topic(), 0, at(0), at(1), at(2), at(3), at(4));
    send(SharedStack.endpoints(), pipeline().topic(), 1, at(5), at(6));
    AvailableNowRun.run(pipeline().config());
    // Offsets 5..9 of partition 0 arrive while the job is stopped; 5..7 age out before it starts.
    send(SharedStack.endpoints(), pipeline().topic(), 0, at(7), at(8), at(9), at(10), at(11));
    Properties props = new Properties();
    props.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedStack.endpoints().bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      admin
          .deleteRecords(
              Map.of(new TopicPartition(pipeline().topic(), 0), RecordsToDelete.beforeOffset(8)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }

    JsonNode status = new ObjectMapper().readTree(CliRun.of(cli("status", "--json")).out());

    JsonNode p0 = status.get("partitions").get(0);
    assertEquals(5, p0.get("committed").asLong());
    assertEquals(8, p0.get("logStart").asLong());
    assertEquals(3, p0.get("agedOut").asLong());
    assertEquals(2, p0.get("lag").asLong(), "only what is still there can be read");
  }

  @Test
  @Order(2)
  void step2_theRunCommandRefusesToResumeAndSaysWhereAndWhatToDo() {
    CliRun r = CliRun.of(cli("run", "--trigger", "availableNow"));

    assertEquals(1, r.code());
    assertEquals(
        "Failed: Cannot resume job 'data_loss' from checkpoint "
            + pipeline().checkpoint()
            + ": cannot read topic-data_loss-0 from offset 5 (the log now starts at 8: 3 records"
            + " lost); the records are no longer in Kafka (aged out by retention or deleted). "
            + WAYS_ON,
        r.err().strip().lines().reduce((a, b) -> b).orElse(""));
  }

  @Test
  @Order(3)
  void step3_sparksOwnDataLossFailureIsExplainedInTheSameTerms() {
    // Past the check (as when records age out while the job runs), Spark's Kafka source fails.
    StreamingQueryException failure =
        assertThrows(StreamingQueryException.class, () -> AvailableNowRun.run(pipeline().config()));

    assertEquals(
        Optional.of(
            "Cannot read topic-data_loss-0 from offset 5: the records are no longer in Kafka (aged"
                + " out by retention or deleted). "
                + WAYS_ON),
        KafkaDataLoss.explain(failure));
  }

  @Test
  @Order(4)
  void step4_withFailOnDataLossOffTheJobSkipsExactlyTheLostRecords() throws Exception {
    TestPipeline skipping =
        new TestPipeline(
            "data_loss",
            SharedStack.endpoints(),
            workDir,
            Map.of("kafka.fail-on-data-loss", "false"));

    long read = AvailableNowRun.recordsRead(AvailableNowRun.run(skipping.config()));

    assertEquals(2, read);
    assertEquals(
        List.of("0:0", "0:1", "0:2", "0:3", "0:4", "0:8", "0:9", "1:0", "1:1"),
        inEventsTable(pipeline()));
  }
}
